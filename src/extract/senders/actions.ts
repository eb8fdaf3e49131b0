/**
 * The marketplace actions that send dispatches, with their input names and defaults (from each action's
 * README / action.yml; summarised in shared/dispatch-facts.md). Adding an action is adding an entry here.
 */

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

const BY_ACTION = new Map(ACTION_SENDERS.map((sender) => [sender.action, sender]));

/** `owner/name[/path]@ref` → the sender entry and the ref, for a `uses:` value. */
export function findActionSender(uses: string): { sender: ActionSender; version: string } | undefined {
  const at = uses.indexOf('@');
  if (at < 0) return undefined;
  const [owner, name] = uses.slice(0, at).toLowerCase().split('/');
  const sender = BY_ACTION.get(`${owner}/${name}`);
  return sender ? { sender, version: uses.slice(at + 1) } : undefined;
}

/** `actions/github-script@v7` and its forks are handled by the script parser, not by the table. */
export function isGithubScript(uses: string): boolean {
  return uses.toLowerCase().startsWith('actions/github-script@');
}

/**
 * actions/create-github-app-token, whose token covers only the current repository unless `owner` /
 * `repositories` say otherwise. (tibdex/github-app-token covers every repository of the installation: no scope
 * to check, so it is not listed.)
 */
export function isAppTokenAction(uses: string): boolean {
  return uses.toLowerCase().startsWith('actions/create-github-app-token@');
}
