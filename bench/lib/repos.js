/**
 * The shape of the synthetic organisation: repository names, what each is written in, and how many workflow
 * files each holds. Real organisations are uneven (a monorepo with thirty workflows next to a hundred small
 * libraries with one), so the counts are drawn from a skewed distribution rather than spread evenly.
 */

const DOMAINS = [
  'payments', 'billing', 'auth', 'identity', 'search', 'catalog', 'orders', 'inventory', 'shipping', 'checkout',
  'notifications', 'email', 'sms', 'analytics', 'metrics', 'logging', 'tracing', 'gateway', 'cart', 'pricing',
  'recommendations', 'reviews', 'media', 'uploads', 'images', 'video', 'chat', 'profile', 'accounts', 'admin',
  'reporting', 'exports', 'imports', 'scheduler', 'queue', 'cache', 'ledger', 'invoices', 'tax', 'fraud', 'risk',
  'compliance', 'audit', 'onboarding', 'support', 'tickets', 'maps', 'geo', 'feeds', 'events', 'webhooks', 'sync',
  'backup', 'storage', 'secrets', 'flags', 'i18n', 'design-system', 'ui-kit', 'status', 'docs', 'platform',
];

// Where the kind sits in a name tells what it is: `api-orders`, `orders-worker`.
const PREFIXES = ['api', 'svc', 'web', 'lib', 'sdk', 'infra', 'deploy', 'data', 'ml', 'tool', 'mobile', 'ops', 'proto'];
const SUFFIXES = ['service', 'worker', 'ui', 'cli', 'jobs', 'infra', 'terraform', 'helm', 'e2e', 'v2', 'legacy', 'client', 'server'];

/** `count` distinct repository names, e.g. `api-orders`, `billing-worker`, `geo`. */
export function generateRepoNames(rng, count) {
  const names = new Set();
  let attempts = 0;
  while (names.size < count) {
    attempts++;
    let name = candidateName(rng);
    // A large org runs out of short names; numbered copies (`orders-2`) are what people fall back to as well.
    if (attempts > count * 20) name = `${name}-${attempts}`;
    names.add(name);
  }
  return [...names];
}

function candidateName(rng) {
  const domain = rng.pick(DOMAINS);
  switch (rng.weighted({ prefixed: 5, suffixed: 4, bare: 1 })) {
    case 'prefixed':
      return `${rng.pick(PREFIXES)}-${domain}`;
    case 'suffixed':
      return `${domain}-${rng.pick(SUFFIXES)}`;
    default:
      return domain;
  }
}

/** What a repository is written in, guessed from its name the way a reader would guess it. */
export function languageFor(rng, repoName) {
  if (/^(infra|deploy|ops)-|-(infra|terraform|helm)$/.test(repoName)) return 'terraform';
  if (/^docs$|-docs$|^docs-/.test(repoName)) return 'docs';
  if (/^(web|mobile)-|-ui$|^(ui-kit|design-system)/.test(repoName)) return 'node';
  if (/^(data|ml)-/.test(repoName)) return 'python';
  return rng.weighted({ node: 40, python: 22, go: 25, rust: 8, docs: 5 });
}

/**
 * How many workflow files each repository holds: exactly `total` in all, every repository at least one,
 * none above `maxPerRepo` (raised when the total would not fit otherwise).
 */
export function distributeWorkflows(rng, total, repoCount, maxPerRepo = 30) {
  const cap = Math.max(maxPerRepo, Math.ceil(total / repoCount));
  // Log-normal weights: most repositories have a handful of workflows, a few have very many.
  const drawWeight = () => Math.exp(rng.gaussian() * 1.1);
  const weights = Array.from({ length: repoCount }, drawWeight);
  const scale = redrawAboveCap(weights, drawWeight, total, cap);
  const counts = weights.map((weight) => clamp(Math.round(weight * scale), 1, cap));
  settleTotal(rng, counts, total, cap);
  return counts;
}

/**
 * Redraws the weights that would exceed the cap, so the tail thins out towards it instead of piling up at it
 * (clamping would give dozens of repositories exactly `cap` workflows). Returns the weight-to-count scale.
 */
function redrawAboveCap(weights, drawWeight, total, cap) {
  let scale = total / sum(weights);
  for (let round = 0; round < 5; round++) {
    let redrawn = false;
    for (let i = 0; i < weights.length; i++) {
      for (let tries = 0; weights[i] * scale > cap && tries < 20; tries++) {
        weights[i] = drawWeight();
        redrawn = true;
      }
    }
    if (!redrawn) break;
    scale = total / sum(weights);
  }
  return scale;
}

function sum(values) {
  return values.reduce((total, value) => total + value, 0);
}

/** Nudges random repositories up or down by one until the counts add up to `total`. */
function settleTotal(rng, counts, total, cap) {
  let difference = total - counts.reduce((sum, count) => sum + count, 0);
  while (difference !== 0) {
    const index = rng.int(0, counts.length - 1);
    if (difference > 0 && counts[index] < cap) {
      counts[index]++;
      difference--;
    } else if (difference < 0 && counts[index] > 1) {
      counts[index]--;
      difference++;
    }
  }
}

function clamp(value, min, max) {
  return Math.min(max, Math.max(min, value));
}

/**
 * A repository being filled: its name, language, how many workflow files it may still take, and the file names
 * already used (so a repository with thirty workflows gets `ci.yml`, `ci-2.yml`, not two `ci.yml`).
 */
export function createRepo(name, language, capacity) {
  return { name, language, capacity, fileNames: new Set(), workflows: [] };
}

/** Reserves a file name in the repository, numbering it when the plain name is taken. */
export function claimFileName(repo, baseName) {
  let fileName = `${baseName}.yml`;
  for (let n = 2; repo.fileNames.has(fileName); n++) fileName = `${baseName}-${n}.yml`;
  repo.fileNames.add(fileName);
  repo.capacity--;
  return fileName;
}
