/**
 * Plans the dispatch wiring of the synthetic organisation: which workflows send repository_dispatch or
 * workflow_dispatch events, to which repositories, with what payload, and which workflows listen. It decides
 * everything before any file is written, so that senders and listeners agree (or, for the planted mistakes,
 * disagree in one known way). render-dispatch.js turns the plan into YAML.
 *
 * A planned workflow:
 *   { repo, fileName, role: 'head' | 'listener', listen, sends, tokenStyle, trigger, reads, received, relay }
 * where `listen` is { kind: 'rd', types } or { kind: 'wd', purpose, inputs }, `reads` are the payload fields or
 * input names it uses, and `received` the payload fields its senders really send.
 */
import { claimFileName } from './repos.js';
import { expr } from './yaml-text.js';

/** Share of links that carry a planted mistake: real organisations have a few, not many. */
const MISTAKE_RATE = 0.06;

const SCENARIO_WEIGHTS = { single: 40, chain: 20, fanOut: 14, fanIn: 10, sameRepo: 10, external: 6 };

const RD_FORMS = { 'peter-evans@v3': 30, 'peter-evans@v4': 15, 'gh-api': 20, 'github-script': 12, curl: 8 };
const WD_FORMS = { 'gh-workflow-run': 40, 'benc-uk': 25, 'github-script': 20, 'gh-api': 15 };
const FAN_OUT_FORMS = { matrix: 60, 'shell-loop': 20, 'step-per-target': 20 };

/** Payload fields a sender can fill from its own run, and how a build-then-notify workflow fills them. */
const PAYLOAD_FIELDS = ['sha', 'ref', 'version', 'repository', 'run_id', 'actor', 'image', 'environment', 'tag', 'dry_run', 'source.repo', 'source.sha'];
const FIELD_WEIGHTS = { sha: 9, version: 7, ref: 5, repository: 5, run_id: 3, actor: 2, image: 3, environment: 3, tag: 2, dry_run: 2, source: 2 };

const HEAD_VALUES = {
  sha: expr('github.sha'),
  ref: expr('github.ref'),
  version: expr('needs.build.outputs.version'),
  repository: expr('github.repository'),
  run_id: expr('github.run_id'),
  actor: expr('github.actor'),
  image: `ghcr.io/${expr('github.repository')}:${expr('github.sha')}`,
  environment: 'staging',
  tag: expr('github.ref_name'),
  dry_run: false,
  'source.repo': expr('github.repository'),
  'source.sha': expr('github.sha'),
};
// A listener that passes the event on has no build job; it reads its version in a `meta` step instead.
const RELAY_VALUES = { ...HEAD_VALUES, version: expr('steps.meta.outputs.version'), tag: expr('steps.meta.outputs.version') };

/** workflow_dispatch targets: what they do, their file name, and the inputs they declare. */
const WD_PURPOSES = {
  deploy: {
    file: 'deploy',
    inputs: [
      { name: 'environment', type: 'choice', options: ['staging', 'production'], required: true },
      { name: 'version', type: 'string', required: true },
      { name: 'dry_run', type: 'boolean', default: false },
    ],
  },
  migrate: {
    file: 'run-migrations',
    inputs: [
      { name: 'environment', type: 'choice', options: ['staging', 'production'], required: true },
      { name: 'target', type: 'string', default: 'latest' },
    ],
  },
  e2e: {
    file: 'e2e-remote',
    inputs: [
      { name: 'target_url', type: 'string', required: true },
      { name: 'suite', type: 'choice', options: ['smoke', 'full'], default: 'smoke' },
    ],
  },
  publish: {
    file: 'publish',
    inputs: [
      { name: 'version', type: 'string', required: true },
      { name: 'prerelease', type: 'boolean', default: false },
    ],
  },
  sync: {
    file: 'sync-from-upstream',
    inputs: [
      { name: 'source_sha', type: 'string', required: true },
      { name: 'source_repo', type: 'string' },
    ],
  },
  docs: { file: 'rebuild-docs', inputs: [{ name: 'docs_ref', type: 'string', default: 'main' }] },
};

const INPUT_VALUES = {
  version: (sender) => (sender.role === 'head' ? HEAD_VALUES.version : RELAY_VALUES.version),
  dry_run: () => 'false',
  target: () => 'latest',
  target_url: () => 'https://staging.internal.example.com',
  suite: () => 'smoke',
  prerelease: () => 'false',
  source_sha: () => expr('github.sha'),
  source_repo: () => expr('github.repository'),
  docs_ref: () => expr('github.sha'),
};

const EVENT_VERBS = ['released', 'published', 'updated', 'deployed', 'built', 'changed', 'ready', 'requested', 'synced'];
const GENERIC_EVENTS = ['deploy', 'build-complete', 'trigger-e2e', 'sync-config', 'dependency-updated', 'publish-docs', 'rebuild', 'refresh-cache'];

/**
 * Plans wiring until about `budget` workflows take part in it.
 * @returns {{ workflows: object[], mistakes: object[], external: object[] }}
 */
export function planWiring(rng, { owner, repos, budget }) {
  const ctx = createContext(rng, owner, repos);
  let fruitlessRounds = 0;
  while (ctx.workflows.length < budget && fruitlessRounds < 100) {
    const before = ctx.workflows.length;
    SCENARIOS[rng.weighted(SCENARIO_WEIGHTS)](ctx);
    fruitlessRounds = ctx.workflows.length === before ? fruitlessRounds + 1 : 0;
  }
  return { workflows: ctx.workflows, mistakes: ctx.mistakes, external: ctx.external };
}

function createContext(rng, owner, repos) {
  // One entry per workflow slot, so a repository with thirty workflows is thirty times as likely to hold wiring
  // as one with a single workflow.
  const slots = repos.flatMap((repo) => Array(repo.capacity).fill(repo));
  return { rng, owner, repos, slots, workflows: [], mistakes: [], external: [], usedTypes: new Map() };
}

const SCENARIOS = {
  /** One sender, one listener: the most common wiring. */
  single(ctx) {
    const repos = pickRepos(ctx, 2);
    if (!repos) return;
    const head = newHead(ctx, repos[0]);
    linkRandomKind(ctx, head, repos[1], { relay: false });
  },

  /** A release that triggers a deploy that triggers end-to-end tests: 2–4 hops through relays. */
  chain(ctx) {
    const hops = ctx.rng.int(2, 4);
    const repos = pickRepos(ctx, hops + 1);
    if (!repos) return;
    let sender = newHead(ctx, repos[0]);
    for (let hop = 1; hop <= hops && sender; hop++) {
      sender = linkRandomKind(ctx, sender, repos[hop], { relay: hop < hops });
    }
  },

  /** One change announced to several repositories at once (shared config, a base image, an SDK). */
  fanOut(ctx) {
    const { rng } = ctx;
    const targets = pickRepos(ctx, rng.int(3, 6) + 1);
    if (!targets) return;
    const head = newHead(ctx, targets.shift());
    const eventType = freshEventType(ctx, targets, head.repo.name);
    const fields = chooseHeadFields(rng);
    const send = {
      kind: 'rd',
      form: rng.weighted(FAN_OUT_FORMS),
      owner: ctx.owner,
      targets: targets.map((repo) => repo.name),
      eventType,
      fields: fields.map((path) => valueFor(head, path)),
      token: senderToken(head),
    };
    head.sends.push(send);
    if (decideMistake(ctx)) plantWrongToken(ctx, head, send, `${targets.length} repositories`);
    for (const repo of targets) fanOutListener(ctx, head, send, repo, fields);
  },

  /** Several libraries telling one integration repository that they changed, with the same event type. */
  fanIn(ctx) {
    const { rng } = ctx;
    const repos = pickRepos(ctx, rng.int(2, 4) + 1);
    if (!repos) return;
    const listenerRepo = repos.shift();
    const eventType = freshEventType(ctx, [listenerRepo], rng.pick(['dependency', 'library', 'schema', 'contract']));
    const fields = chooseHeadFields(rng);
    const listener = newListener(ctx, listenerRepo, { kind: 'rd', types: [eventType] }, { relay: false, received: fields });
    listener.reads = chooseReads(rng, fields);
    for (const repo of repos) fanInSender(ctx, repo, listener, eventType, fields);
  },

  /** A workflow dispatching to its own repository, with the default token, which GitHub allows for dispatches. */
  sameRepo(ctx) {
    const repos = pickRepos(ctx, 1, 2);
    if (!repos) return;
    const [repo] = repos;
    const head = newHead(ctx, repo, { trigger: ctx.rng.pick(['main', 'schedule']), tokenStyle: 'default' });
    if (ctx.rng.chance(0.6)) linkRepositoryDispatch(ctx, head, repo, { relay: false, sameRepo: true });
    else linkWorkflowDispatch(ctx, head, repo, { relay: false, sameRepo: true });
  },

  /** Wiring whose other end is outside the organisation: the linter can see only one side. */
  external(ctx) {
    const { rng } = ctx;
    const repos = pickRepos(ctx, 1);
    if (!repos) return;
    if (rng.chance(0.5)) externalListener(ctx, repos[0]);
    else externalSender(ctx, repos[0]);
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Workflows

function newHead(ctx, repo, { trigger, tokenStyle } = {}) {
  const { rng } = ctx;
  return addWorkflow(ctx, repo, rng.pick(['release', 'notify-downstream', 'dispatch', 'publish', 'build-and-notify', 'post-merge']), {
    role: 'head',
    trigger: trigger ?? rng.weighted({ tag: 4, release: 2, main: 4, schedule: 1 }),
    tokenStyle: tokenStyle ?? pickTokenStyle(rng),
  });
}

function newListener(ctx, repo, listen, { relay, received = [] }) {
  const { rng } = ctx;
  const baseName = listen.kind === 'wd' ? WD_PURPOSES[listen.purpose].file : rng.pick(['on-dispatch', 'deploy', 'handle-event', 'sync', 'downstream', 'update']);
  if (listen.kind === 'rd') for (const type of listen.types) usedTypes(ctx, repo).add(type);
  return addWorkflow(ctx, repo, baseName, {
    role: 'listener',
    listen,
    relay,
    received,
    reads: [],
    alsoManual: listen.kind === 'rd' && rng.chance(0.2),
    tokenStyle: pickTokenStyle(rng),
  });
}

function addWorkflow(ctx, repo, baseName, fields) {
  const workflow = { repo, fileName: claimFileName(repo, baseName), sends: [], ...fields };
  ctx.workflows.push(workflow);
  repo.workflows.push(workflow);
  return workflow;
}

/** `count` distinct repositories with room for `minFree` more workflows each, or null when the org is full. */
function pickRepos(ctx, count, minFree = 1) {
  const chosen = [];
  for (let attempt = 0; chosen.length < count && attempt < count * 50; attempt++) {
    const repo = ctx.rng.pick(ctx.slots);
    if (repo.capacity >= minFree && !chosen.includes(repo)) chosen.push(repo);
  }
  return chosen.length === count ? chosen : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Links

function linkRandomKind(ctx, sender, targetRepo, options) {
  return ctx.rng.chance(0.65) ? linkRepositoryDispatch(ctx, sender, targetRepo, options) : linkWorkflowDispatch(ctx, sender, targetRepo, options);
}

/** Wires a repository_dispatch from `sender` to a new listener in `targetRepo`; null when the listener is the missing piece. */
function linkRepositoryDispatch(ctx, sender, targetRepo, { relay, sameRepo = false }) {
  const { rng } = ctx;
  const eventType = freshEventType(ctx, [targetRepo], sender.repo.name);
  const { paths, whole } = chooseSendFields(rng, sender);
  const send = {
    kind: 'rd',
    form: sameRepo ? rng.pick(['peter-evans@v3', 'peter-evans@v4', 'gh-api']) : whole ? 'peter-evans@v3' : rng.weighted(RD_FORMS),
    target: sameRepo ? null : spellTarget(ctx, targetRepo),
    eventType,
    fields: paths.map((path) => valueFor(sender, path)),
    forwardWhole: whole,
    token: sameRepo ? sameRepoToken(rng) : senderToken(sender),
  };
  sender.sends.push(send);

  const mistake = decideMistake(ctx) && rng.weighted({ 'typo-event-type': 3, 'missing-listener': 2, 'wrong-token': sameRepo ? 0 : 2, 'missing-payload-field': 3 });
  if (mistake === 'missing-listener') {
    usedTypes(ctx, targetRepo).add(eventType);
    recordMistake(ctx, 'missing-listener', sender, targetRepo, `sends '${eventType}' to ${fullName(ctx, targetRepo)}, where no workflow listens for it`);
    return null;
  }
  const listener = newListener(ctx, targetRepo, { kind: 'rd', types: [eventType] }, { relay, received: paths });
  listener.reads = chooseReads(rng, paths);
  if (mistake === 'typo-event-type') plantSenderTypo(ctx, sender, send, targetRepo);
  if (mistake === 'wrong-token') plantWrongToken(ctx, sender, send, fullName(ctx, targetRepo));
  if (mistake === 'missing-payload-field') plantUnsentRead(ctx, listener, paths, eventType);
  return listener;
}

/** Wires a workflow_dispatch from `sender` to a new workflow with inputs in `targetRepo`. */
function linkWorkflowDispatch(ctx, sender, targetRepo, { relay, sameRepo = false }) {
  const { rng } = ctx;
  const purpose = rng.pick(Object.keys(WD_PURPOSES));
  const declared = WD_PURPOSES[purpose].inputs;
  const listener = newListener(ctx, targetRepo, { kind: 'wd', purpose, inputs: declared }, { relay });
  const sentInputs = declared.filter((input) => input.required || rng.chance(0.5));
  listener.reads = declared.filter((input) => input.required || rng.chance(0.6)).map((input) => input.name);
  const send = {
    kind: 'wd',
    form: sameRepo ? rng.pick(['gh-workflow-run', 'github-script']) : rng.weighted(WD_FORMS),
    target: sameRepo ? null : spellTarget(ctx, targetRepo),
    workflowFile: listener.fileName,
    ref: rng.pick(['main', 'main', 'main', expr('github.event.repository.default_branch')]),
    inputs: sentInputs.map((input) => ({ name: input.name, value: inputValue(rng, sender, input) })),
    token: sameRepo ? sameRepoToken(rng) : senderToken(sender),
  };
  sender.sends.push(send);

  const hasChoice = send.inputs.some((input) => declaredInput(declared, input.name).type === 'choice');
  const hasRequired = declared.some((input) => input.required);
  const mistake =
    decideMistake(ctx) &&
    rng.weighted({
      'missing-listener': sameRepo ? 0 : 2,
      'wrong-token': sameRepo ? 0 : 2,
      'missing-required-input': hasRequired ? 3 : 0,
      'undeclared-input': 1,
      'invalid-choice-input': hasChoice ? 2 : 0,
    });
  const where = `${fullName(ctx, targetRepo)} ${listener.fileName}`;
  switch (mistake) {
    case 'missing-listener': {
      send.workflowFile = misspellFileName(rng, listener.fileName);
      recordMistake(ctx, 'missing-listener', sender, targetRepo, `runs workflow '${send.workflowFile}' in ${fullName(ctx, targetRepo)}, which has '${listener.fileName}' but no '${send.workflowFile}'`);
      break;
    }
    case 'wrong-token':
      plantWrongToken(ctx, sender, send, fullName(ctx, targetRepo));
      break;
    case 'missing-required-input': {
      const dropped = rng.pick(send.inputs.filter((input) => declaredInput(declared, input.name).required));
      send.inputs = send.inputs.filter((input) => input !== dropped);
      recordMistake(ctx, 'missing-required-input', sender, targetRepo, `leaves out required input '${dropped.name}' of ${where}`);
      break;
    }
    case 'undeclared-input': {
      const name = rng.pick(['notes', 'requested_by', 'debug', 'skip_tests']);
      send.inputs.push({ name, value: name === 'requested_by' ? expr('github.actor') : 'true' });
      recordMistake(ctx, 'undeclared-input', sender, targetRepo, `sends input '${name}', which ${where} does not declare`);
      break;
    }
    case 'invalid-choice-input': {
      const input = send.inputs.find((sent) => declaredInput(declared, sent.name).type === 'choice');
      const options = declaredInput(declared, input.name).options;
      input.value = { staging: 'stage', production: 'prod', smoke: 'quick', full: 'complete' }[options[0]] ?? 'prod';
      recordMistake(ctx, 'invalid-choice-input', sender, targetRepo, `sends ${input.name}=${input.value} to ${where}, whose options are ${options.join(', ')}`);
      break;
    }
  }
  return listener;
}

function fanOutListener(ctx, head, send, repo, fields) {
  const { rng } = ctx;
  const mistake = decideMistake(ctx) && rng.weighted({ 'missing-listener': 3, 'typo-event-type': 2, 'missing-payload-field': 3 });
  // Whatever this repository ends up listening for, nothing else may claim the type it is sent.
  usedTypes(ctx, repo).add(send.eventType);
  if (mistake === 'missing-listener') {
    // The classic fan-out slip: a repository added to the matrix before anyone wrote its listener.
    recordMistake(ctx, 'missing-listener', head, repo, `fans '${send.eventType}' out to ${fullName(ctx, repo)}, where no workflow listens for it`);
    return;
  }
  let type = send.eventType;
  if (mistake === 'typo-event-type') {
    type = misspellEventType(ctx, send.eventType, repo);
    recordMistake(ctx, 'typo-event-type', head, repo, `fans out '${send.eventType}'; the listener in ${fullName(ctx, repo)} waits for '${type}' instead`);
  }
  const listener = newListener(ctx, repo, { kind: 'rd', types: [type] }, { relay: false, received: fields });
  listener.reads = chooseReads(rng, fields);
  if (mistake === 'missing-payload-field') plantUnsentRead(ctx, listener, fields, send.eventType);
}

function fanInSender(ctx, repo, listener, eventType, fields) {
  const { rng } = ctx;
  const head = newHead(ctx, repo);
  const send = {
    kind: 'rd',
    form: rng.weighted(RD_FORMS),
    target: spellTarget(ctx, listener.repo),
    eventType,
    fields: fields.map((path) => valueFor(head, path)),
    token: senderToken(head),
  };
  head.sends.push(send);
  const mistake = decideMistake(ctx) && rng.weighted({ 'typo-event-type': 3, 'wrong-token': 2, 'missing-payload-field': 3 });
  if (mistake === 'typo-event-type') plantSenderTypo(ctx, head, send, listener.repo);
  if (mistake === 'wrong-token') plantWrongToken(ctx, head, send, fullName(ctx, listener.repo));
  if (mistake === 'missing-payload-field') {
    // One sender of several forgets a field the shared listener relies on.
    const read = listener.reads.find((path) => send.fields.some((field) => field.path === path));
    send.fields = send.fields.filter((field) => field.path !== read);
    recordMistake(ctx, 'missing-payload-field', head, listener.repo, `sends '${eventType}' without '${read}', which ${workflowPath(listener)} reads`);
  }
}

function externalListener(ctx, repo) {
  const type = ctx.rng.pick(['vendor-webhook', 'sentry-release', 'argo-sync-complete', 'contentful-publish', 'zapier-trigger', 'ops-bot-command']);
  if (usedTypes(ctx, repo).has(type)) return;
  const listener = newListener(ctx, repo, { kind: 'rd', types: [type] }, { relay: false, received: ['sha', 'environment'] });
  listener.reads = chooseReads(ctx.rng, ['sha', 'environment']);
  listener.externalSender = true;
  ctx.external.push({ kind: 'listener-without-org-sender', file: workflowPath(listener), detail: `listens for '${type}', sent from outside the organisation` });
}

function externalSender(ctx, repo) {
  const { rng } = ctx;
  const head = newHead(ctx, repo);
  const target = rng.pick(['acme-partners/status-page', 'vendor-integrations/intake', 'opensource-mirror/ci-relay']);
  const send = {
    kind: 'rd',
    form: rng.pick(['peter-evans@v3', 'gh-api']),
    target: { owner: target.split('/')[0], repo: target.split('/')[1], style: 'literal' },
    eventType: 'upstream-release',
    fields: ['version', 'sha'].map((path) => valueFor(head, path)),
    token: { kind: 'secret', name: 'PARTNER_DISPATCH_TOKEN' },
  };
  head.sends.push(send);
  ctx.external.push({ kind: 'sender-to-other-owner', file: workflowPath(head), detail: `sends 'upstream-release' to ${target}` });
}

// ---------------------------------------------------------------------------------------------------------------
// Payloads, inputs, tokens

/** 1–5 payload fields a build-then-notify workflow would send; `source` is a nested object. */
function chooseHeadFields(rng) {
  const count = rng.int(1, 5);
  const chosen = new Set();
  while (chosen.size < count) chosen.add(rng.weighted(FIELD_WEIGHTS));
  return [...chosen].flatMap((field) => (field === 'source' ? ['source.repo', 'source.sha'] : [field]));
}

/**
 * What a sender puts in a client_payload. A relay forwards most of what it read, sometimes the whole payload
 * with `toJson(github.event.client_payload)`, and adds a field of its own.
 */
function chooseSendFields(rng, sender) {
  if (sender.role === 'head') return { paths: chooseHeadFields(rng), whole: false };
  const forwardable = forwardableFields(sender);
  if (sender.listen.kind === 'rd' && sender.received.length && rng.chance(0.15)) {
    sender.reads = [...new Set([...sender.reads, ...sender.received])];
    return { paths: [...sender.received], whole: true };
  }
  const forwarded = forwardable.filter(() => rng.chance(0.8));
  const own = rng.sample(['sha', 'repository', 'run_id'], rng.int(1, 2));
  return { paths: [...new Set([...forwarded, ...own])], whole: false };
}

/** Payload fields a relay can pass on as they are. */
function forwardableFields(relay) {
  return relay.reads.filter((name) => PAYLOAD_FIELDS.includes(name) && canPassOn(relay, name));
}

/** Whether a relay has `name` to pass on: an input it reads, or a payload field it reads and is really sent. */
function canPassOn(relay, name) {
  if (relay.listen.kind === 'wd') return relay.reads.includes(name);
  return relay.reads.includes(name) && relay.received.includes(name);
}

/** The value `sender` gives a payload field: passed on from its own trigger when it has it, its own otherwise. */
function valueFor(sender, path) {
  if (sender.role !== 'head' && canPassOn(sender, path)) {
    const text = sender.listen.kind === 'wd' ? expr(`inputs.${path}`) : expr(`github.event.client_payload.${path}`);
    return { path, text, type: 'string' };
  }
  const value = (sender.role === 'head' ? HEAD_VALUES : RELAY_VALUES)[path];
  return { path, text: String(value), type: typeof value === 'boolean' ? 'boolean' : 'string' };
}

function inputValue(rng, sender, input) {
  if (sender.role !== 'head' && canPassOn(sender, input.name)) {
    return sender.listen.kind === 'wd' ? expr(`inputs.${input.name}`) : expr(`github.event.client_payload.${input.name}`);
  }
  if (input.type === 'choice') return rng.pick(input.options);
  return INPUT_VALUES[input.name](sender);
}

function declaredInput(declared, name) {
  return declared.find((input) => input.name === name) ?? {};
}

/** The payload fields a listener uses: a non-empty share of what it is sent. */
function chooseReads(rng, paths) {
  const reads = paths.filter(() => rng.chance(0.6));
  return reads.length ? reads : [rng.pick(paths)];
}

/** The org's dispatch credential, per sending workflow: a PAT secret, or a GitHub App token minted in the job. */
function pickTokenStyle(rng) {
  return rng.chance(0.7) ? 'secret' : 'app';
}

function senderToken(sender) {
  if (sender.tokenStyle === 'app') return { kind: 'app' };
  return { kind: 'secret', name: 'DISPATCH_TOKEN' };
}

/** Within one repository the workflow's own token may dispatch; many leave it implicit. */
function sameRepoToken(rng) {
  return rng.chance(0.5) ? { kind: 'omitted' } : { kind: 'github-token' };
}

// ---------------------------------------------------------------------------------------------------------------
// Event types and planted mistakes

/**
 * Event types already in play for a repository: listened for, or sent there by a planted mistake. A new link
 * never reuses one, so a later link cannot quietly repair a planted mistake or collide with an earlier link.
 */
function usedTypes(ctx, repo) {
  if (!ctx.usedTypes.has(repo.name)) ctx.usedTypes.set(repo.name, new Set());
  return ctx.usedTypes.get(repo.name);
}

/** An event type none of `targets` listens for yet, named after its source as people do (`orders-released`). */
function freshEventType(ctx, targets, sourceName) {
  const { rng } = ctx;
  const topic = sourceName.split('-').filter((part) => part.length > 3).pop() ?? sourceName;
  for (let attempt = 0; ; attempt++) {
    let type = rng.chance(0.7) ? `${topic}-${rng.pick(EVENT_VERBS)}` : rng.pick(GENERIC_EVENTS);
    if (attempt > 10) type = `${type}-${attempt}`;
    if (rng.chance(0.1)) type = type.replaceAll('-', '_');
    if (targets.every((repo) => !usedTypes(ctx, repo).has(type))) return type;
  }
}

/** A one-letter slip or a `-`/`_` swap that names no other type in play in the repository; reserved there. */
function misspellEventType(ctx, type, repo) {
  const { rng } = ctx;
  for (;;) {
    const typo = typoOf(rng, type);
    if (typo !== type && !usedTypes(ctx, repo).has(typo)) {
      usedTypes(ctx, repo).add(typo);
      return typo;
    }
  }
}

function typoOf(rng, word) {
  const at = rng.int(1, word.length - 2);
  switch (rng.weighted({ drop: 3, swap: 3, separator: 2, double: 1 })) {
    case 'drop':
      return word.slice(0, at) + word.slice(at + 1);
    case 'swap':
      return word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
    case 'separator':
      return word.includes('-') ? word.replace('-', '_') : word.replace('_', '-') + (word.includes('_') ? '' : 's');
    default:
      return word.slice(0, at) + word[at] + word.slice(at);
  }
}

/** `.yaml` for `.yml`, or `_` for `-`: neither can name a generated file, so the target really is missing. */
function misspellFileName(rng, fileName) {
  if (fileName.includes('-') && rng.chance(0.4)) return fileName.replaceAll('-', '_');
  return fileName.replace(/\.yml$/, '.yaml');
}

function plantSenderTypo(ctx, sender, send, targetRepo) {
  const correct = send.eventType;
  send.eventType = misspellEventType(ctx, correct, targetRepo);
  recordMistake(ctx, 'typo-event-type', sender, targetRepo, `sends '${send.eventType}'; the listener in ${fullName(ctx, targetRepo)} waits for '${correct}'`);
}

/**
 * A cross-repository send with a token that cannot make it: the workflow's own GITHUB_TOKEN (explicit or left
 * implicit), or a secret named differently from the DISPATCH_TOKEN every other sender uses.
 */
function plantWrongToken(ctx, sender, send, targetDescription) {
  const { rng } = ctx;
  const canOmit = send.form.startsWith('peter-evans') || send.form === 'github-script' || send.form === 'matrix' || send.form === 'step-per-target';
  const variant = rng.weighted({ 'secret-GITHUB_TOKEN': 3, 'github.token': 1, 'other-secret': 4, omitted: canOmit ? 2 : 0 });
  const otherName = rng.pick(['DISPATCH_PAT', 'REPO_DISPATCH_TOKEN', 'GH_PAT', 'DISPATCH_TOKEN_V2']);
  send.token = {
    'secret-GITHUB_TOKEN': { kind: 'secret', name: 'GITHUB_TOKEN' },
    'github.token': { kind: 'github-token' },
    'other-secret': { kind: 'secret', name: otherName },
    omitted: { kind: 'omitted' },
  }[variant];
  const how = {
    'secret-GITHUB_TOKEN': 'secrets.GITHUB_TOKEN',
    'github.token': 'github.token',
    'other-secret': `secrets.${otherName} (every other sender uses secrets.DISPATCH_TOKEN or an app token)`,
    omitted: 'no token, so the default GITHUB_TOKEN',
  }[variant];
  recordMistake(ctx, 'wrong-token', sender, null, `dispatches to ${targetDescription} with ${how}`);
}

/** The listener reads a payload field its sender never sends. */
function plantUnsentRead(ctx, listener, sentPaths, eventType) {
  const unsent = PAYLOAD_FIELDS.filter((path) => !sentPaths.includes(path) && !path.startsWith('source.'));
  const path = ctx.rng.pick(unsent.length ? unsent : ['environment']);
  listener.reads.push(path);
  recordMistake(ctx, 'missing-payload-field', listener, null, `reads client_payload.${path}, which no sender of '${eventType}' sends`);
}

function decideMistake(ctx) {
  return ctx.rng.chance(MISTAKE_RATE);
}

function recordMistake(ctx, kind, workflow, targetRepo, detail) {
  ctx.mistakes.push({ kind, file: workflowPath(workflow), ...(targetRepo ? { target: fullName(ctx, targetRepo) } : {}), detail });
}

// ---------------------------------------------------------------------------------------------------------------
// Names

/** How the sender spells its target: `bench-org/name`, or `${{ github.repository_owner }}/name`. */
function spellTarget(ctx, repo) {
  return { owner: ctx.owner, repo: repo.name, style: ctx.rng.chance(0.7) ? 'literal' : 'owner-expression' };
}

function fullName(ctx, repo) {
  return `${ctx.owner}/${repo.name}`;
}

export function workflowPath(workflow) {
  return `${workflow.repo.name}/.github/workflows/${workflow.fileName}`;
}
