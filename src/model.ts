/**
 * The facts dispatch-lint extracts from workflow files, and the findings its rules report.
 * Everything here is plain data (no classes, no functions) so facts can cross a worker-thread boundary.
 */
import type { FileSuppressions } from './suppressions.js';

export type Severity = 'error' | 'warning' | 'note';
export type SeveritySetting = Severity | 'off';

/** 1-based line and column; the end is exclusive (the column just after the last character). */
export interface Position {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A position inside one workflow file of one repository. */
export interface Location extends Position {
  repo: string;
  /** Relative to the repository root, with `/` separators. */
  path: string;
}

/** A value as written in the workflow, and what it resolves to where that is known. */
export interface ResolvedValue {
  /** The text as written (after YAML and shell unquoting), `${{ }}` and `$VAR` included. */
  text: string;
  /** The concrete value, when every expression in `text` could be resolved. */
  value?: string;
  position: Position;
}

export type ValueType = 'string' | 'boolean' | 'number' | 'null' | 'object' | 'array' | 'unknown';

/**
 * Who controls a value a sender sends (src/extract/value-origin.ts): text an outsider can write, a value the
 * sender forwards from what it received, something the files cannot show, or values only trusted actors set.
 */
export interface ValueOrigin {
  trust: 'outsider' | 'forwarded' | 'unknown' | 'trusted';
  /** What it is filled from, for messages: `github.event.head_commit.message`, `$BODY`, `a literal`. */
  source: string;
  /** For a forwarded value: what of the sender's own trigger it passes on, so its senders can be followed in turn. */
  forwards?: { kind: 'client_payload' | 'inputs'; path: string[] };
}

/** One field of a client_payload or of workflow_dispatch inputs as a sender sends it. */
export interface PayloadField {
  /** Key path: ['version'], or ['meta', 'sha'] for a nested object's key. */
  path: string[];
  valueType: ValueType;
  /** The value when it is a literal or resolves to one. */
  value?: string;
  /**
   * For a string: the type its text spells (`"false"`, `"1"`, `"${{ inputs.flag }}"` of a boolean input).
   * A listener that tests such a string for truth, or compares it with a boolean, is misled.
   */
  looksLike?: 'boolean' | 'number';
  /** Where the key is written. */
  position: Position;
  /** Where the value is written, when it is apart from the key. */
  valuePosition?: Position;
  /** Who controls the value. */
  origin?: ValueOrigin;
}

export type PayloadFacts =
  /** Nothing sent: an empty client_payload (`{}`), or no inputs. */
  | { kind: 'none' }
  /**
   * Keys known. `builtBy`: the sending action builds the payload itself (peter-evans/slash-command-dispatch), so
   * its fields are the action's, not the workflow author's to rename or drop. `runTimeKeys`: why keys beyond
   * `fields` may be sent too (named arguments typed in a comment), so a key not listed may still arrive.
   */
  | { kind: 'object'; fields: PayloadField[]; position: Position; builtBy?: string; runTimeKeys?: string }
  /**
   * Sent, but its keys cannot be known statically (a variable, a forwarded payload, a file). `beyondLimit`: it
   * nests deeper than extraction follows (src/extract/limits.ts), which the file's notes say.
   */
  | { kind: 'unknown'; reason: string; position: Position; topLevelKeysAtLeast?: number; beyondLimit?: true; origin?: ValueOrigin }
  /** Certainly not a JSON object: GitHub rejects it with HTTP 422. */
  | { kind: 'not-object'; reason: string; position: Position };

export type TokenFacts =
  /** `${{ secrets.NAME }}`, directly or through an env variable. */
  | { kind: 'secret'; name: string; position: Position }
  /** `secrets.GITHUB_TOKEN` / `github.token`; `explicit` is false when an action's default supplies it. */
  | { kind: 'github-token'; explicit: boolean; position: Position }
  /** `${{ steps.ID.outputs.NAME }}`; `appToken` when that step is actions/create-github-app-token. */
  | { kind: 'step-output'; stepId: string; output: string; position: Position; appToken?: AppTokenFacts }
  /** No token at all where one is required (gh without GH_TOKEN, peter-evans v1 without `token:`). */
  | { kind: 'missing'; position: Position }
  /** Anything else: an input, a variable we cannot follow. */
  | { kind: 'other'; text: string; position: Position };

export interface AppTokenFacts {
  /** The create-github-app-token step's `owner` / `repositories` inputs, as written. */
  owner?: string;
  repositories?: string;
  position: Position;
}

/** A `steps.X.outputs.Y` that a dispatch input reads. */
export interface StepOutputRef {
  stepId: string;
  output: string;
  /** True when a step with that id runs before the dispatch in the same job. */
  definedBefore: boolean;
  /** True when a step with that id exists later in the job (the usual mistake: order). */
  definedAfter: boolean;
  position: Position;
}

/** One concrete dispatch a workflow step sends (a matrix step yields one per distinct resolved target). */
/** How a send came into its workflow from another file: a local composite action, or a reusable workflow it calls. */
export interface SendVia {
  kind: 'composite' | 'reusable' | 'script';
  /** The caller's file and the `uses:` there that brought the send in. */
  path: string;
  position: Position;
}

export interface Send {
  kind: 'repository_dispatch' | 'workflow_dispatch';
  /** How it is sent: 'peter-evans/repository-dispatch@v3', 'gh api', 'gh workflow run', 'curl', ... */
  form: string;
  /** The sending repository: the one whose workflow runs the send. */
  repo: string;
  /** The file the send is written in (a workflow, or an action.yml or reusable workflow it loads). */
  path: string;
  /** Set when that file is in another repository than `repo` (a reusable workflow of another repository). */
  fileRepo?: string;
  /** Set when the send is written in a file the workflow loads. */
  via?: SendVia;
  job: string;
  /** The step's `uses:` or `run:` value. */
  position: Position;
  /** Target repository as `owner/name`. */
  target: ResolvedValue;
  /** repository_dispatch: the event type. */
  eventType?: ResolvedValue;
  /** workflow_dispatch: the workflow file name, `name:` or id. */
  workflow?: ResolvedValue;
  /** True when the sender can match a workflow by its `name:` as well as by file name (benc-uk, gh workflow run). */
  workflowByName?: boolean;
  /**
   * Other file names the sender takes for the same workflow, tried after `workflow` in this order
   * (slash-command-dispatch v5 dispatches `X.yml` or else `X.yaml`).
   */
  workflowAlternatives?: string[];
  ref?: ResolvedValue;
  payload: PayloadFacts;
  /** Inputs the sending action adds to every workflow_dispatch by itself (Codex-/return-dispatch). */
  addedInputs?: string[];
  token: TokenFacts;
  stepOutputRefs: StepOutputRef[];
  /** The matrix values this concrete send was resolved with, for messages. */
  matrix?: Record<string, string>;
  /** The `permissions:` in force for the step's job (job-level, else workflow-level); undefined when neither sets any. */
  permissions?: PermissionsFacts;
  /** The `if:` conditions of the job and the step, as written, outermost first. */
  conditions: string[];
  /** The events the step can run on, as far as those conditions show it. */
  events?: EventConstraint;
  /** The job's `environment:` name; null when it is an expression (its secrets are then unknown). */
  environment?: string | null;
}

/** What `github.ref` is: a branch (`refs/heads/`), a tag (`refs/tags/`), or a pull request's merge ref (`refs/pull/`). */
export type RefKind = 'branch' | 'tag' | 'pull';

/** From `if:` conditions: the only event names a step may run on, the ones it may not, and the kind of ref it needs. */
export interface EventConstraint {
  only?: string[];
  not: string[];
  /** The `if:` holds only when github.ref is of one of these kinds (`github.ref == 'refs/heads/main'`: branch). */
  refKinds?: RefKind[];
  /** The condition that sets refKinds, as written, for messages. */
  refCondition?: string;
}

export interface PermissionsFacts {
  /** `read-all` / `write-all` as written, or the scopes of a mapping (an empty mapping sets every scope to none). */
  shorthand?: string;
  scopes?: Record<string, string>;
  level: 'workflow' | 'job';
  position: Position;
}

export interface Injection {
  expression: string;
  script: 'run' | 'github-script';
  position: Position;
  /** What of the dispatch it pastes: client_payload fields, or workflow_dispatch string inputs (by name). */
  reads: { kind: 'client_payload' | 'inputs'; path: string[] }[];
}

/** A read of `github.event.client_payload...` (or `context.payload.client_payload...` in github-script). */
export interface PayloadRead {
  /** Key path below client_payload. */
  path: string[];
  position: Position;
  /** The read tolerates an absent field: `x || default`, `x != ''`, or it sits under an `if:` that tests x. */
  optional: boolean;
  /** Event types this read is limited to by an `if: github.event.action == '...'`; undefined means every type. */
  eventTypes?: string[];
  /**
   * How the value is used, where that implies a type: tested for truth (`if: x`, `!x`, `x && y`), or compared
   * with a literal of a JSON type (`x == true`, `x > 3`, `x == 'yes'`).
   */
  usage?: 'truthy' | 'boolean' | 'number' | 'string';
}

export interface ListenedType {
  value: string;
  position: Position;
}

export interface RepositoryDispatchListener {
  /** The `repository_dispatch` key under `on:`. */
  position: Position;
  /** The accepted event types; undefined when every event type starts the workflow. */
  types?: ListenedType[];
}

export interface WorkflowInput {
  name: string;
  type: string;
  required: boolean;
  hasDefault: boolean;
  options?: string[];
  position: Position;
}

/** A read of `inputs.NAME` / `github.event.inputs.NAME`; without a name, a use that may read any input. */
export interface InputRead {
  name?: string;
  via?: 'inputs' | 'github.event.inputs';
  position: Position;
}

export interface WorkflowDispatchListener {
  position: Position;
  inputs: WorkflowInput[];
  /** Where the `inputs:` key is, for findings about the declarations as a whole. */
  inputsPosition?: Position;
}

/** What extraction learnt from one workflow file. */
export interface WorkflowFacts {
  repo: string;
  path: string;
  /** The workflow's `name:`, when it has one. */
  name?: string;
  /** Every event name under `on:`, lower-case. */
  triggers: string[];
  /**
   * The kinds of github.ref each trigger can run with, where `on:` shows it (`push` with only `tags:` runs on tags
   * alone; `release` on tags; `pull_request` on its merge ref; `schedule` on the default branch). Absent: any.
   */
  triggerRefKinds?: Record<string, RefKind[]>;
  /** The `on:` key, for findings about the workflow's triggers as a whole. */
  onPosition?: Position;
  repositoryDispatch?: RepositoryDispatchListener;
  workflowDispatch?: WorkflowDispatchListener;
  /** `on.workflow_call` and the inputs it declares (a reusable workflow's inputs come from its caller's `with:`). */
  workflowCall?: WorkflowDispatchListener;
  /** Files the workflow loads and runs as part of itself (composite actions, reusable workflows): what its facts depend on. */
  loadedFiles?: { repo: string; path: string }[];
  /**
   * Every other file of a repository that extraction asked for, read or not (normalised paths): in GitHub mode the
   * engine fetches those it lacks and extracts the workflow again.
   */
  requestedFiles?: { repo: string; path: string }[];
  /** Reusable workflows of scanned repositories that this workflow's jobs call (their sends are the caller's). */
  calls?: { repo: string; path: string }[];
  /** Reads of `inputs.*` / `github.event.inputs.*`, where the file mentions inputs at all. */
  inputReads?: InputRead[];
  /**
   * Every job of the workflow ends in an unconditional `exit 1`: a registration stub kept on the default branch
   * so that a copy on another branch stays dispatchable (GitHub takes the file at the dispatch's `ref`).
   */
  alwaysFails?: Position;
  sends: Send[];
  payloadReads: PayloadRead[];
  /**
   * github-script steps that run local code we cannot see (`require('./.github/scripts/bot.js')`): they may
   * send dispatches of any type, so listeners in this repository cannot be called sender-less.
   */
  opaqueScripts?: Position[];
  /** Why those sends could not be read (a script file out of reach, commands computed at run time): unresolved-dispatch notes. */
  unreadSends?: { message: string; position: Position }[];
  /** Where the workflow first uses client_payload whole (not field by field), if it does. */
  clientPayloadWhole?: Position;
  /** `${{ github.event.client_payload... }}`, `${{ github.event.inputs... }}` or `${{ inputs... }}` expanded straight into a script. */
  injections?: Injection[];
  /** Set when the workflow uses the payload in a way whose field reads cannot be known (passed whole). */
  payloadReadsUnknown?: Position;
  /** Listener shapes GitHub reads differently from what the author meant (listener-types-invalid). */
  listenerProblems: { message: string; position: Position }[];
  /** The file could not be read as a workflow at all (workflow-syntax). */
  syntaxErrors: { message: string; position: Position }[];
  /** Things worth a note that no rule owns, such as a script the extractor could not parse. */
  notes: { message: string; position: Position }[];
  /** The file's `# dispatch-lint-disable...` comments (src/suppressions.ts), read with its text, not by extraction. */
  suppressions?: FileSuppressions;
}

export interface RelatedLocation {
  repo: string;
  path: string;
  line: number;
  column: number;
  message: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  location: Location;
  related?: RelatedLocation[];
  /** Stable across line shifts and unrelated edits (src/fingerprint.ts): what baselines and SARIF match on. */
  fingerprint: string;
}

/** Why a finding is not reported: an inline comment silenced it, for the reason it gives. */
export interface Suppression {
  kind: 'next-line' | 'file';
  reason: string;
  /** The comment. */
  location: { repo: string; path: string; line: number; column: number };
}

export interface SuppressedFinding extends Finding {
  suppression: Suppression;
}

/** One entry of a baseline file (src/baseline.ts): how many findings of one fingerprint it records. */
export interface BaselineEntry {
  repo: string;
  path: string;
  rule: string;
  fingerprint: string;
  count: number;
}

/** `dead`: the send's `if:` can never hold on its workflow's triggers (dead-dispatch), so the edge carries nothing. */
export type EdgeStatus = 'ok' | 'no-listener' | 'unresolved' | 'external' | 'dead';

export interface Edge {
  from: string;
  to: string;
  kind: 'repository_dispatch' | 'workflow_dispatch';
  /** The event type (repository_dispatch) or workflow (workflow_dispatch). */
  event: string;
  status: EdgeStatus;
}

export interface RepoSummary {
  name: string;
  source: 'local' | 'github';
  workflows: number;
}

export interface Report {
  version: 1;
  tool: { name: string; version: string };
  repos: RepoSummary[];
  findings: Finding[];
  /** Findings silenced by an inline suppression comment, with its reason; present only when there are some. */
  suppressed?: SuppressedFinding[];
  graph: { edges: Edge[] };
  /**
   * Counts of `findings` by severity; `suppressed` is the length of `suppressed` (when present), `fixed` the
   * length of `base.fixed` (with --base).
   */
  summary: { errors: number; warnings: number; notes: number; suppressed?: number; fixed?: number };
  /** --base: the revision the change is compared with, and the findings there that the change fixes (at their base locations). */
  base?: { ref: string; fixed: Finding[] };
  /** --baseline: how many findings the baseline file accounted for, and its entries that matched nothing (to prune). */
  baseline?: { file: string; matched: number; unmatched: BaselineEntry[] };
}
