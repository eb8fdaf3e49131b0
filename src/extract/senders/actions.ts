/**
 * The marketplace actions that send dispatches, with their input names and defaults (from each action's
 * README / action.yml; summarised in shared/dispatch-facts.md). Adding an action is adding an entry here.
 */
import { ownCopy } from '../../util/strings.js';

export type TokenDefault =
  /** The input may be omitted; the action then uses `github.token`. */
  | 'github-token'
  /** The action fails without it. */
  | 'required';

export interface ActionSender {
  /** Lower-case `owner/name` of the action. */
  action: string;
  /** The dispatch kind, fixed or chosen by an input (lasith-kg/dispatch-workflow's `dispatch-method`). */
  kind: 'repository_dispatch' | 'workflow_dispatch' | { input: string; default: 'repository_dispatch' | 'workflow_dispatch' };
  /** Input holding `owner/name`, or inputs holding them apart. Omitted target means the current repository. */
  repository?: string;
  owner?: string;
  repo?: string;
  eventType?: string;
  workflow?: string;
  /** Whether a workflow may be named by its `name:` as well as by file name. */
  workflowByName?: boolean;
  ref?: string;
  /** Inputs that carry the client_payload / workflow inputs as a JSON string (the first one present wins). */
  payload: string[];
  /** Inputs that carry the token (the first one present wins). */
  token: string[];
  tokenDefault: TokenDefault | ((version: string) => TokenDefault);
  /** Inputs the action adds to every workflow_dispatch it sends. */
  addsInputs?: string[];
}

/** peter-evans/repository-dispatch made `token` optional (default github.token) in v2.1.0. */
function peterEvansTokenDefault(version: string): TokenDefault {
  const match = /^v?(\d+)(?:\.(\d+))?/.exec(version);
  if (!match) return 'github-token'; // a commit SHA or a branch: assume a current release
  const major = Number(match[1]);
  const minor = match[2] === undefined ? undefined : Number(match[2]);
  if (major < 2) return 'required';
  if (major === 2 && minor === 0) return 'required';
  return 'github-token';
}

const WORKFLOW_DISPATCH_ACTION = {
  kind: 'workflow_dispatch',
  workflow: 'workflow',
  workflowByName: true,
  repository: 'repo',
  ref: 'ref',
  payload: ['inputs'],
  token: ['token'],
} as const;

export const ACTION_SENDERS: ActionSender[] = [
  {
    action: 'peter-evans/repository-dispatch',
    kind: 'repository_dispatch',
    repository: 'repository',
    eventType: 'event-type',
    payload: ['client-payload'],
    token: ['token'],
    tokenDefault: peterEvansTokenDefault,
  },
  { action: 'benc-uk/workflow-dispatch', ...WORKFLOW_DISPATCH_ACTION, payload: ['inputs'], token: ['token'], tokenDefault: 'github-token' },
  { action: 'the-actions-org/workflow-dispatch', ...WORKFLOW_DISPATCH_ACTION, payload: ['inputs'], token: ['token'], tokenDefault: 'required' },
  { action: 'aurelien-baudet/workflow-dispatch', ...WORKFLOW_DISPATCH_ACTION, payload: ['inputs'], token: ['token'], tokenDefault: 'required' },
  {
    action: 'convictional/trigger-workflow-and-wait',
    kind: 'workflow_dispatch',
    owner: 'owner',
    repo: 'repo',
    workflow: 'workflow_file_name',
    ref: 'ref',
    payload: ['client_payload'],
    token: ['github_token'],
    tokenDefault: 'required',
  },
  {
    action: 'lasith-kg/dispatch-workflow',
    kind: { input: 'dispatch-method', default: 'workflow_dispatch' },
    owner: 'owner',
    repo: 'repo',
    eventType: 'event-type',
    workflow: 'workflow',
    ref: 'ref',
    payload: ['workflow-inputs'],
    token: ['token'],
    tokenDefault: 'required',
  },
  {
    action: 'codex-/return-dispatch',
    kind: 'workflow_dispatch',
    owner: 'owner',
    repo: 'repo',
    workflow: 'workflow',
    ref: 'ref',
    payload: ['workflow_inputs'],
    token: ['token'],
    tokenDefault: 'required',
    addsInputs: ['distinct_id'],
  },
  {
    action: 'mvasigh/dispatch-action',
    kind: 'repository_dispatch',
    owner: 'owner',
    repo: 'repo',
    eventType: 'event_type',
    payload: ['payload', 'message'],
    token: ['token'],
    tokenDefault: 'required',
  },
];

/**
 * Drop-in forks: mirrors that republish an action under another name, with the upstream's inputs, defaults and
 * version tags, so the upstream's entry (or parser) applies unchanged. Only mirrors whose own files were read
 * are listed; `seen` says which files show that the mirror is a copy with the same inputs. Adding a fork is
 * adding a line here.
 */
export const ACTION_ALIASES: readonly { fork: string; upstream: string; seen: string }[] = [
  { fork: 'step-security/repository-dispatch', upstream: 'peter-evans/repository-dispatch', seen: '.stepsecurity/meta.json (upstream_full_repo_name), src/main.ts, README.md (same inputs and defaults)' },
  { fork: 'chainguard-actions/peter-evans-repository-dispatch', upstream: 'peter-evans/repository-dispatch', seen: 'source.json (upstream v4.0.1), action.yml (same inputs and defaults)' },
  { fork: 'step-security/workflow-dispatch', upstream: 'benc-uk/workflow-dispatch', seen: '.stepsecurity/meta.json (upstream_full_repo_name), action.yaml (same inputs, token default github.token)' },
  { fork: 'chainguard-actions/benc-uk-workflow-dispatch', upstream: 'benc-uk/workflow-dispatch', seen: 'source.json (upstream v1.3.2), action.yaml' },
  { fork: 'step-security/trigger-workflow-and-wait', upstream: 'convictional/trigger-workflow-and-wait', seen: 'action.yml and README.md (the same inputs: owner, repo, github_token, workflow_file_name, ref, client_payload)' },
  { fork: 'step-security/dispatch-workflow', upstream: 'lasith-kg/dispatch-workflow', seen: '.stepsecurity/meta.json (upstream_full_repo_name), action.yml (same inputs)' },
  { fork: 'chainguard-actions/peter-evans-slash-command-dispatch', upstream: 'peter-evans/slash-command-dispatch', seen: 'source.json, action.yml (same inputs and defaults)' },
  { fork: 'chainguard-actions/octokit-request-action', upstream: 'octokit/request-action', seen: 'source.json (upstream v3.0.0), action.yml (same inputs)' },
  { fork: 'chainguard-actions/actions-github-script', upstream: 'actions/github-script', seen: 'source.json (upstream v7.0.0)' },
  { fork: 'chainguard-actions/actions-create-github-app-token', upstream: 'actions/create-github-app-token', seen: 'source.json (upstream v3.0.0)' },
];

const UPSTREAM_OF = new Map(ACTION_ALIASES.map((alias) => [alias.fork, alias.upstream]));
const BY_ACTION = new Map(ACTION_SENDERS.map((sender) => [sender.action, sender]));

/**
 * The action a `uses:` value runs, as lower-case `owner/name` with drop-in forks mapped to their upstream, and
 * its version (the ref after `@`). Undefined for local (`./x`) and `docker://` actions, which have no `@ref`.
 */
export function actionOf(uses: string): { action: string; version: string } | undefined {
  // Asked up to five times a step (is it github-script? a slash command? ...), of values an org repeats thousands
  // of times (actions/checkout@v4): each answer is kept, the store emptied when it grows past a bound.
  const known = ACTION_OF.get(uses);
  if (known !== undefined || ACTION_OF.has(uses)) return known;
  if (ACTION_OF.size >= MAX_ACTIONS_KEPT) ACTION_OF.clear();
  // Copies: a `uses:` value is cut from its file's text, and kept as it is it would keep the whole file alive.
  const key = ownCopy(uses);
  const found = readActionOf(key);
  ACTION_OF.set(key, found);
  return found;
}

const ACTION_OF = new Map<string, { action: string; version: string } | undefined>();
const MAX_ACTIONS_KEPT = 10_000;

function readActionOf(uses: string): { action: string; version: string } | undefined {
  const at = uses.indexOf('@');
  if (at < 0) return undefined;
  const [owner, name] = uses.slice(0, at).toLowerCase().split('/');
  if (!owner || !name) return undefined;
  const action = `${owner}/${name}`;
  return Object.freeze({ action: UPSTREAM_OF.get(action) ?? action, version: uses.slice(at + 1) });
}

/** `owner/name[/path]@ref` → the sender entry and the ref, for a `uses:` value. */
export function findActionSender(uses: string): { sender: ActionSender; version: string } | undefined {
  const found = actionOf(uses);
  const sender = found && BY_ACTION.get(found.action);
  return sender && found ? { sender, version: found.version } : undefined;
}

/** `actions/github-script@v7` and its forks are handled by the script parser, not by the table. */
export function isGithubScript(uses: string): boolean {
  return actionOf(uses)?.action === 'actions/github-script';
}

/** peter-evans/slash-command-dispatch (and forks): its own reader, slash-command.ts. */
export function isSlashCommandDispatch(uses: string): boolean {
  return actionOf(uses)?.action === 'peter-evans/slash-command-dispatch';
}

/** octokit/request-action (and forks): a send only when its `route:` is a dispatch, request-action.ts. */
export function isRequestAction(uses: string): boolean {
  return actionOf(uses)?.action === 'octokit/request-action';
}

/**
 * actions/create-github-app-token, whose token covers only the current repository unless `owner` /
 * `repositories` say otherwise. (tibdex/github-app-token covers every repository of the installation: no scope
 * to check, so it is not listed.)
 */
export function isAppTokenAction(uses: string): boolean {
  return actionOf(uses)?.action === 'actions/create-github-app-token';
}
