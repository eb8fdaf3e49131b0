/**
 * An organisation shaped like the world: copies of the real workflow files of ../shared/corpus (4.7 kB a file,
 * against the synthetic org's 1.4 kB), so the bench also measures files as people write them.
 *
 * Each copy of a corpus repository OWNER/REPO becomes DIR/OWNER-REPO-N; its files are copied byte for byte,
 * except that mentions of OWNER/OTHER (a repository of the same corpus owner) become DIR's owner/OWNER-OTHER-N,
 * so each copy keeps the wiring between its own repositories. Repositories are taken in a seeded order and
 * copied whole, round after round, until there are `workflows` files; the last copy is cut short to hit the
 * number exactly. The same corpus and parameters always give the same files.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createRandom } from './lib/random.js';

export const CORPUS_ORG_VERSION = 1;
const MARKER = '.generated';
const IN_PROGRESS_MARKER = '.generating';

/** The corpus's repositories: [{ owner, repo, files: [[name, text]] }], in a stable order. */
export function readCorpus(corpusDir) {
  const repositories = [];
  for (const owner of readdirSync(corpusDir).sort()) {
    const ownerDir = join(corpusDir, owner);
    if (!isFolder(ownerDir)) continue;
    for (const repo of readdirSync(ownerDir).sort()) {
      const workflowDir = join(ownerDir, repo, '.github', 'workflows');
      if (!isFolder(workflowDir)) continue;
      const files = readdirSync(workflowDir)
        .filter((name) => /\.ya?ml$/i.test(name))
        .sort()
        .map((name) => [name, readFileSync(join(workflowDir, name), 'utf8')]);
      if (files.length > 0) repositories.push({ owner, repo, files });
    }
  }
  return repositories;
}

/** Writes the org unless DIR/.generated shows the same corpus size and parameters. */
export function generateCorpusOrg(dir, corpusDir, { workflows = 10000, seed = 1 } = {}) {
  const corpus = readCorpus(corpusDir);
  const corpusFiles = corpus.reduce((sum, repository) => sum + repository.files.length, 0);
  const params = { version: CORPUS_ORG_VERSION, owner: basename(resolve(dir)), workflows, seed, corpusFiles };
  const existing = readMarker(dir);
  if (existing && Object.entries(params).every(([key, value]) => existing[key] === value)) return { ...existing, generated: false, ms: 0 };

  const started = performance.now();
  if (existsSync(dir)) {
    const entries = readdirSync(dir);
    if (entries.length > 0 && !entries.includes(MARKER) && !entries.includes(IN_PROGRESS_MARKER)) throw new Error(`${dir} holds files corpus-org.js did not write; refusing to replace them`);
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, IN_PROGRESS_MARKER), '');

  const rng = createRandom(seed);
  const order = [...corpus];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  let written = 0;
  let bytes = 0;
  let repos = 0;
  for (let copy = 1; written < workflows; copy++) {
    for (const repository of order) {
      if (written >= workflows) break;
      const workflowDir = join(dir, copyName(repository.owner, repository.repo, copy), '.github', 'workflows');
      mkdirSync(workflowDir, { recursive: true });
      repos++;
      for (const [name, text] of repository.files) {
        if (written >= workflows) break;
        const renamed = renameSiblings(text, repository.owner, params.owner, copy);
        writeFileSync(join(workflowDir, name), renamed);
        bytes += Buffer.byteLength(renamed);
        written++;
      }
    }
  }
  const marker = { generator: 'dispatch-lint bench/corpus-org.js', ...params, repos, bytes };
  writeFileSync(join(dir, MARKER), JSON.stringify(marker, null, 2) + '\n');
  rmSync(join(dir, IN_PROGRESS_MARKER));
  return { ...marker, generated: true, ms: performance.now() - started };
}

function copyName(owner, repo, copy) {
  return `${owner}-${repo}-${copy}`;
}

/** `OWNER/NAME` (a repository of the same corpus owner) → `NEWOWNER/OWNER-NAME-COPY`. */
function renameSiblings(text, owner, newOwner, copy) {
  const escaped = owner.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`(?<![\\w.-])${escaped}/([A-Za-z0-9_.-]+)`, 'g'), (_, name) => `${newOwner}/${copyName(owner, name, copy)}`);
}

function readMarker(dir) {
  const path = join(dir, MARKER);
  if (!existsSync(path) || existsSync(join(dir, IN_PROGRESS_MARKER))) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

function isFolder(path) {
  try {
    return readdirSync(path) !== undefined;
  } catch {
    return false;
  }
}
