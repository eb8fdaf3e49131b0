/**
 * Extracts the dispatch facts of one workflow file, parsing it once: its triggers and listeners, the
 * dispatches its steps send (one per resolved matrix combination), and what it reads of client_payload.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { SendVia, AppTokenFacts, Injection, PayloadRead, PermissionsFacts, Position, Send, WorkflowFacts } from '../model.js';
import type { JsonValue } from '../expressions/evaluate.js';
import { forEachChain, literalKeys, parseExpression } from '../expressions/parse.js';
import { findClose, findExpressions, singleExpression } from '../expressions/template.js';
import { capProblems, firstBracketDeeperThan, isStackOverflow, MAX_NESTING_DEPTH, MAX_PARSED_DEPTH, MAX_PROBLEMS_PER_FILE, nodeDeeperThan, textNestingBeyond } from './limits.js';
import { expandMatrix, MAX_MATRIX_JOBS } from '../resolve/matrix.js';
import { baseShellEnv, githubContext, layerEnv, resolveText, type DeclaredValues, type Scope } from '../resolve/resolver.js';
import { resolveAliases } from '../yaml/aliases.js';
import { parseDocumentCapped } from '../yaml/capped-parse.js';
import { parseCommonYaml } from '../yaml/common-yaml.js';
import { PlainTextFile, SourceFile } from '../yaml/source.js';
import { recordingRequests, type RepositoryFiles } from './repository-files.js';
import type { JobSource, StepSource } from './step-outputs.js';
import { eventTypesOfCondition, payloadReadsIn } from './payload-reads.js';
import { isAppTokenAction, isGithubScript } from './senders/actions.js';
import { concretize, mentionsMatrix, type StepContext } from './senders/concretize.js';
import { sendersOfStep, type StepSenders } from './senders/from-step.js';
import type { ValueRef } from './senders/spec.js';
import type { Expr } from '@actions/expressions';
import { eventConstraintOf } from './conditions.js';
import { inputReadsOf } from './input-reads.js';
import { loadAction, loadFile, usesTarget, type UsesTarget } from './loaded-files.js';
import { isQuiet, quietFileFacts } from './quiet-file.js';
import { describeNode, findOnPair, readTriggers } from './triggers.js';

export interface WorkflowInputFile {
  repo: string;
  path: string;
  text: string;
  /** The file's size when it is known apart from `text` (the API does not serve the text of a huge blob). */
  byteSize?: number;
  /** Set when GitHub will not run the file as it is (a symbolic link): it is reported, not read. */
  rejectedBecause?: string;
  /**
   * Where to read the text from, when `text` is not given yet (a local file): read when it is extracted and dropped
   * after, so a lint holds one file's text at a time, not the org's (see extractAll).
   */
  readFrom?: string;
  /** With `readFrom`: the file's size on disk, to share files among threads by size before they are read. */
  sizeOnDisk?: number;
}

export interface ExtractOptions {
  /** Values the config declares for expressions the workflows cannot resolve. */
  declared?: (repo: string, expressionSource: string) => string[] | undefined;
  /** Other files of the scanned repositories (composite actions, scripts, configs a step loads). */
  files?: RepositoryFiles;
  /** Files larger than this are reported, not read (default 1 MiB: no real workflow comes near it). */
  maxFileBytes?: number;
  /** Parse every file fully, even quiet ones (for tests that prove the fast path changes nothing). */
  fullParse?: boolean;
}

const DEFAULT_MAX_FILE_BYTES = 1024 * 1024;
const TOO_DEEP_YAML = `the file nests YAML more than ${MAX_NESTING_DEPTH} levels deep, beyond what dispatch-lint reads, so it was not checked`;
const CONSTRAINED_INPUT_TYPES = new Set(['choice', 'boolean', 'number', 'environment']);
/** A step or job that runs another file of a repository: a local action, or a reusable workflow. */
const LOADS_FILES = /uses:\s*['"]?(?:\.\/|[\w.-]+\/[\w.-]+\/\.github\/workflows\/)/;
/** Every sender form we recognise mentions one of these; a file with none can skip the step walk. */
const SENDER_HINT = /dispatch|workflow\s+run|github-script|trigger-workflow/i;

/**
 * The facts of one workflow file. Never throws: a file that trips a bug or a limit here becomes a finding on
 * that file, and every other file's facts (and so the report) are unaffected.
 */
export function extractWorkflow(file: WorkflowInputFile, options: ExtractOptions = {}): WorkflowFacts {
  let facts: WorkflowFacts;
  try {
    facts = extractFacts(file, options);
  } catch (error) {
    facts = emptyFacts(file);
    const why = isStackOverflow(error)
      ? `it nests too deeply for dispatch-lint to read (beyond ${MAX_NESTING_DEPTH} levels)`
      : `dispatch-lint could not read it (${error instanceof Error ? error.message : String(error)}; please report this)`;
    facts.syntaxErrors.push({ message: `the file was not checked: ${why}`, position: { line: 1, column: 1, endLine: 1, endColumn: 1 } });
  }
  facts.syntaxErrors = capProblems(facts.syntaxErrors, 'problems of this kind');
  facts.listenerProblems = capProblems(facts.listenerProblems, 'listener problems');
  facts.notes = capProblems(facts.notes, 'notes');
  return facts;
}

function emptyFacts(file: WorkflowInputFile): WorkflowFacts {
  return { repo: file.repo, path: file.path, triggers: [], sends: [], payloadReads: [], listenerProblems: [], syntaxErrors: [], notes: [] };
}

function extractFacts(file: WorkflowInputFile, options: ExtractOptions): WorkflowFacts {
  const facts = emptyFacts(file);
  const start: Position = { line: 1, column: 1, endLine: 1, endColumn: 1 };
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  if (file.rejectedBecause !== undefined) {
    facts.syntaxErrors.push({ message: file.rejectedBecause, position: start });
    return facts;
  }
  if (file.text.includes('\u0000')) {
    facts.syntaxErrors.push({ message: 'the file is binary, not a YAML workflow', position: start });
    return facts;
  }
  const size = Math.max(file.byteSize ?? 0, file.text.length);
  if (size > maxBytes) {
    facts.syntaxErrors.push({ message: `the file is ${size} bytes, over the ${maxBytes}-byte limit; it was not read`, position: start });
    return facts;
  }
  if (file.text.trim() === '') {
    facts.syntaxErrors.push({ message: 'the file is empty, so it defines no workflow', position: start });
    return facts;
  }

  // Past what a parser reads the same on every thread and run, the text alone decides (both paths alike).
  if (textNestingBeyond(file.text, MAX_PARSED_DEPTH) !== undefined || bracketsBeyondWithLoneCr(file.text)) {
    // The same place as when a parser overflows (below): the first bracket too deep, else the first line.
    const deep = firstBracketDeeperThan(file.text, MAX_NESTING_DEPTH) ?? textNestingBeyond(file.text, MAX_NESTING_DEPTH) ?? 0;
    facts.syntaxErrors.push({ message: TOO_DEEP_YAML, position: new PlainTextFile(file.text).positionOfOffsets(deep, deep + 1) });
    return facts;
  }

  // An expression GitHub may reject is for the full parse to judge, never the fast path.
  if (!options.fullParse && isQuiet(file.text) && !hasSuspiciousExpression(file.text)) {
    const quiet = quietFileFacts(facts, file.text);
    if (quiet) return quiet;
  }

  const lineCounter = new LineCounter();
  const source = new SourceFile(file.text, lineCounter);
  // Most workflows are in the plain subset of YAML the common reader builds `yaml`'s nodes for, ten times faster;
  // anything else (and every file, with fullParse) is parsed by `yaml`.
  const contents = (options.fullParse ? undefined : parseCommonYaml(file.text, lineCounter)) ?? parseWithYaml(file.text, lineCounter, source, facts);
  if (contents === undefined) return facts;
  const tooDeep = nodeDeeperThan(contents, MAX_NESTING_DEPTH);
  if (tooDeep) {
    facts.syntaxErrors.push({ message: TOO_DEEP_YAML, position: source.positionOf(tooDeep) });
    return facts;
  }
  const rejected = rejectedExpression(contents, file.text, source);
  if (rejected) {
    facts.syntaxErrors.push(rejected);
    return facts;
  }
  const root = contents;
  if (!isMap(root)) {
    facts.syntaxErrors.push({ message: `the top level is ${describeNode(root as Node | null)}, not a mapping of workflow keys`, position: source.positionOf(root as Node | null) });
    return facts;
  }

  const name = root.get('name');
  if (typeof name === 'string') facts.name = name;
  const triggers = readTriggers(root, source);
  facts.triggers = triggers.triggers;
  if (triggers.onPosition) facts.onPosition = triggers.onPosition;
  facts.listenerProblems = triggers.listenerProblems;
  facts.syntaxErrors.push(...triggers.syntaxErrors);
  if (triggers.repositoryDispatch) facts.repositoryDispatch = triggers.repositoryDispatch;
  if (triggers.workflowDispatch) facts.workflowDispatch = triggers.workflowDispatch;
  if (triggers.workflowCall) facts.workflowCall = triggers.workflowCall;
  if (/\binputs\b/.test(file.text)) facts.inputReads = inputReadsOf(root, source);
  const stub = facts.workflowDispatch && /\bexit\s+[1-9]/.test(file.text) ? failingStep(root, source) : undefined;
  if (stub) facts.alwaysFails = stub;

  const wantSends = SENDER_HINT.test(file.text) || (options.files !== undefined && LOADS_FILES.test(file.text));
  const wantReads = file.text.includes('client_payload') || (facts.repositoryDispatch !== undefined && /github\.event|GITHUB_EVENT_PATH|toJSON\(\s*github\s*\)/i.test(file.text));
  const wantInjections = /github\.event\.(?:client_payload|inputs)|\binputs\b/i.test(file.text);
  if (!wantSends && !wantReads && !wantInjections) return facts;
  new WorkflowWalker(file, root, source, facts, options, wantSends, wantReads, wantInjections).walk();
  // Only a sender's `if:` is weighed against them (dead-dispatch).
  if (facts.sends.length > 0 && Object.keys(triggers.triggerRefKinds).length > 0) facts.triggerRefKinds = triggers.triggerRefKinds;
  return facts;
}

/**
 * A CR not followed by LF ends a line for some readers and not for others, so the text's line structure (what
 * is a comment, a quoted string or a block scalar's text) is not known: textNestingBeyond may then miss flow
 * brackets `yaml` does nest into. For such a file every bracket counts (found by `npm run fuzz`: a [deep-flow,
 * mixed-eol] case that `yaml` read 1,000 levels deep, overflowing the stack in a worker thread but not in the main
 * thread).
 */
function bracketsBeyondWithLoneCr(text: string): boolean {
  return /\r(?!\n)/.test(text) && firstBracketDeeperThan(text, MAX_PARSED_DEPTH) !== undefined;
}

/**
 * The file's top node parsed by `yaml` (the reference reader), or undefined when the file's problems (YAML errors,
 * a billion laughs of aliases) are all there is to report; they are added to `facts`.
 */
function parseWithYaml(text: string, lineCounter: LineCounter, source: SourceFile, facts: WorkflowFacts): Node | null | undefined {
  // `yaml` makes an Error per syntax error, and capturing each one's stack trace made a 1 MB file of `x: }}}`
  // (a million errors) take tens of seconds; only the messages and positions are used.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let parsed;
  try {
    parsed = parseDocumentCapped(text, lineCounter, { keepSourceTokens: false });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const { doc, stoppedCounting } = parsed;
  if (doc.errors.length > 0) {
    // Only the errors that will be listed get positions: a file of a million errors must not cost a million.
    // yaml reports its own stack overflow as RESOURCE_EXHAUSTION; other errors quote the file's text, which may say
    // "call stack" itself.
    if (doc.errors.some((error) => error.code === 'RESOURCE_EXHAUSTION' && isStackOverflow(error))) {
      // `yaml` turns its own stack overflow into an error where the stack ran out, which depends on the machine.
      const deep = firstBracketDeeperThan(text, MAX_NESTING_DEPTH) ?? 0;
      facts.syntaxErrors.push({ message: TOO_DEEP_YAML, position: source.positionOfOffsets(deep, deep + 1) });
      return undefined;
    }
    const listed = doc.errors.slice(0, MAX_PROBLEMS_PER_FILE + 1).map((error) => {
      const [from, to] = error.pos;
      return { message: `invalid YAML: ${firstLine(error.message)}`, position: source.positionOfOffsets(from, Math.max(from, to)) };
    });
    facts.syntaxErrors = capProblems(listed, 'YAML errors', doc.errors.length - listed.length, stoppedCounting);
    return undefined;
  }
  const aliases = resolveAliases(doc);
  for (const problem of aliases.problems) facts.syntaxErrors.push({ message: problem.message, position: source.positionOfOffsets(problem.range[0], problem.range[1]) });
  if (aliases.exhausted) return undefined;
  return doc.contents as Node | null;
}

/**
 * Where every job ends unconditionally in `exit N` (N not 0), the first such step: such a workflow does nothing but
 * fail. Only plain jobs count: any `if:`, `continue-on-error` or reusable-workflow job makes it undecided.
 */
function failingStep(root: YAMLMap, source: SourceFile): Position | undefined {
  const jobs = mapAt(root, 'jobs')?.items ?? [];
  let first: Position | undefined;
  for (const pair of jobs) {
    const job = pair.value;
    if (!isMap(job) || job.has('if') || job.has('uses') || job.has('continue-on-error')) return undefined;
    const steps = seqAt(job, 'steps') ?? [];
    const failing = steps.find((step) => {
      if (!isMap(step) || step.has('if') || step.has('continue-on-error')) return false;
      const run = scalarAt(step, 'run')?.value;
      if (typeof run !== 'string') return false;
      const last = run.split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#')).pop();
      return last !== undefined && /^exit\s+[1-9]\d*$/.test(last);
    });
    if (!isMap(failing)) return undefined;
    first ??= source.positionOf(scalarAt(failing, 'run'));
  }
  return first;
}

/**
 * An expression GitHub's own reader rejects, which makes it reject the whole file: a `${{` that no `}}` closes
 * ("The expression is not closed", @actions/workflow-parser), or one past the expression parser's depth or
 * length limit (@actions/expressions MAX_PARSER_DEPTH, MAX_EXPRESSION_LENGTH). The text is screened first, so
 * only files with a suspicious expression walk their scalars.
 */
function rejectedExpression(root: Node | null, text: string, source: SourceFile): { message: string; position: Position } | undefined {
  if (!hasSuspiciousExpression(text)) return undefined;
  const stack: Node[] = root ? [root] : [];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (isScalar(node)) {
      if (typeof node.value !== 'string') continue;
      const open = unclosedOffset(node.value);
      if (open !== undefined) {
        return { message: 'the expression is not closed: `${{` has no closing `}}`, so GitHub rejects the whole workflow file', position: source.positionInScalar(node, open, open + 3) };
      }
      for (const expression of findExpressions(node.value)) {
        if (!mayExceedParserLimits(expression.source)) continue;
        const parsed = parseExpression(expression.source);
        const limit = parsed.ok ? undefined : /ExceededMaxLength/i.test(parsed.error) ? 'longer than 21,000 characters' : /exceeded max expression depth/i.test(parsed.error) ? 'nested more than 50 levels deep' : undefined;
        if (limit) {
          return { message: `the expression is ${limit}, beyond GitHub's limit, so GitHub rejects the whole workflow file`, position: source.positionInScalar(node, expression.start, expression.end) };
        }
      }
    } else if (isMap(node)) {
      for (const pair of node.items) for (const child of [pair.value, pair.key]) if (child && typeof child === 'object') stack.push(child as Node);
    } else if (isSeq(node)) {
      for (const item of node.items) if (item && typeof item === 'object') stack.push(item as Node);
    }
  }
  return undefined;
}

/** A `${{` left open on its line, or an expression that may be past the parser's limits: worth a closer look. */
function hasSuspiciousExpression(text: string): boolean {
  if (!text.includes('${{')) return false;
  return hasUnclosedExpressionLine(text) || findExpressions(text).some((expression) => mayExceedParserLimits(expression.source));
}

/** True when a line holds a `${{` that no `}}` on that line closes; only the lines with a `${{` are looked at. */
function hasUnclosedExpressionLine(text: string): boolean {
  for (let open = text.indexOf('${{'); open >= 0; ) {
    const lineStart = text.lastIndexOf('\n', open) + 1;
    let lineEnd = text.indexOf('\n', open);
    if (lineEnd < 0) lineEnd = text.length;
    if (unclosedOffset(text.slice(lineStart, lineEnd)) !== undefined) return true;
    open = text.indexOf('${{', lineEnd);
  }
  return false;
}

/** Long, or with enough nesting characters to reach the parser's depth of 50. */
function mayExceedParserLimits(expression: string): boolean {
  if (expression.length > 21_000) return true;
  let nesting = 0;
  for (let i = 0; i < expression.length && nesting < 48; i++) if ('([!.'.includes(expression[i] as string)) nesting++;
  return nesting >= 48;
}

/** The offset of the first `${{` in `text` that no `}}` closes (the runner's rule, see findClose). */
function unclosedOffset(text: string): number | undefined {
  for (let start = text.indexOf('${{'); start >= 0; start = text.indexOf('${{', start)) {
    const close = findClose(text, start + 3);
    if (close < 0) return start;
    start = close + 2;
  }
  return undefined;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** Composite actions within composite actions, and reusable workflows within reusable workflows (GitHub: ten). */
const MAX_LOADED_DEPTH = 10;

/**
 * Where a job's or step's YAML is written: the workflow itself, or a file it loads (a composite action, a
 * reusable workflow), with what that file's `inputs.*` and `secrets.*` are in the caller's terms.
 */
interface Place {
  source: SourceFile;
  root: YAMLMap;
  path: string;
  /** The file's repository, when it is not the workflow's. */
  fileRepo?: string;
  via?: SendVia;
  /** `if:` conditions of the callers: the loaded file's steps run only where they hold. */
  conditions: (Scalar | undefined)[];
  inputTypes: Map<string, string>;
  callerInputs?: Map<string, ValueRef>;
  /** The `inputs` context, resolved in the caller's scope for a matrix combination. */
  inputs?: (combination: Record<string, JsonValue> | undefined) => Record<string, JsonValue>;
  inputsMentionMatrix?: boolean;
  callerSecrets?: Map<string, ValueRef> | 'inherit';
  permissions?: PermissionsFacts;
  /** Files on the way here, against loops. */
  stack: string[];
}

/** What a job's steps share. */
interface JobPlace {
  jobId: string;
  job: YAMLMap;
  workflowScope: Scope;
  combinations: Record<string, JsonValue>[] | undefined;
  jobConditions: ConditionScope;
  conditions: (Scalar | undefined)[];
  rawEnv: Map<string, ValueRef>;
  /** `env:` mappings layered onto the workflow scope, outermost first (the job's; a composite's caller step's). */
  envNodes: (YAMLMap | undefined)[];
  permissions: PermissionsFacts | undefined;
  environment: string | null | undefined;
  jobs: Map<string, JobSource>;
}

/** What one step of a list knows of the others. */
interface StepsPlace {
  appTokenSteps: Map<string, AppTokenFacts>;
  jobSteps: StepSource[];
  /** Lower-case ids of the list's steps (undefined where a step has none), and this step's index among them. */
  stepIds: (string | undefined)[];
  index: number;
}

/** An action's declared inputs with a default, as ValueRefs in the action file. */
function declaredInputs(inputs: YAMLMap | undefined, source: SourceFile, walker: { inputRef(node: Scalar, source: SourceFile): ValueRef }): Map<string, ValueRef> {
  const declared = new Map<string, ValueRef>();
  for (const pair of inputs?.items ?? []) {
    const name = keyOf(pair);
    const fallback = scalarAt(pair.value, 'default');
    if (name !== undefined && fallback) declared.set(name, walker.inputRef(fallback, source));
  }
  return declared;
}

/**
 * An action within an action: `with: token: ${{ inputs.token }}` passes on what the outer action was given, so
 * the inner action's input is the outer caller's value (followed to the workflow that wrote it).
 */
function passedThrough(ref: ValueRef, outer: Map<string, ValueRef> | undefined): ValueRef {
  const only = outer ? singleExpression(ref.text) : undefined;
  const name = only ? /^inputs\.([A-Za-z_][\w-]*)$/.exec(only.source)?.[1] : undefined;
  const passed = name === undefined ? undefined : [...(outer ?? [])].find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1];
  return passed ?? ref;
}

/** The `inputs` context: each passed value resolved in the caller's scope, where it resolves to one value. */
function resolvedInputs(inputs: Map<string, ValueRef>, scope: Scope): Record<string, JsonValue> {
  const context: Record<string, JsonValue> = {};
  for (const [name, ref] of inputs) {
    const values = resolveText(ref.text, scope);
    if (values?.length === 1) context[name] = values[0] as string;
  }
  return context;
}

/** Reads in an `if:` (job or step) that limit event types or test fields, applied to what sits under it. */
interface ConditionScope {
  eventTypes?: string[];
  /** Payload paths (joined with '.') an `if:` tests for presence: reads of them below are optional. */
  testedFields: Set<string>;
}

class WorkflowWalker {
  private readonly declared: DeclaredValues;
  private readonly files: RepositoryFiles | undefined;
  private workflowPermissions: PermissionsFacts | undefined;
  private inputTypes = new Map<string, string>();
  private readonly jobsOf = new WeakMap<YAMLMap, Map<string, JobSource>>();

  constructor(
    private readonly file: WorkflowInputFile,
    private readonly root: YAMLMap,
    private readonly source: SourceFile,
    private readonly facts: WorkflowFacts,
    options: ExtractOptions,
    private readonly wantSends: boolean,
    private readonly wantReads: boolean,
    private readonly wantInjections: boolean,
  ) {
    this.declared = (expression) => options.declared?.(file.repo, expression);
    this.files = options.files && recordingRequests(options.files, (repo, path) => (this.facts.requestedFiles ??= []).push({ repo, path }));
  }

  walk(): void {
    const workflowScope = this.layer({ contexts: { github: githubContext(this.file.repo) }, shellEnv: baseShellEnv(this.file.repo), declared: this.declared }, mapAt(this.root, 'env'));
    const workflowRawEnv = this.rawEnv(new Map(), mapAt(this.root, 'env'));
    this.workflowPermissions = this.permissions(this.root, 'workflow');
    this.inputTypes = new Map((this.facts.workflowDispatch?.inputs ?? []).map((input) => [input.name, input.type]));
    const noConditions: ConditionScope = { testedFields: new Set() };
    if (this.wantReads) {
      for (const pair of this.root.items) {
        const key = keyOf(pair);
        if (key !== 'jobs' && key !== 'on' && pair.key !== null && !(isScalar(pair.key) && pair.key.value === true)) this.readsIn(pair.value as Node, key === 'if', noConditions);
      }
    }
    const jobs = mapAt(this.root, 'jobs');
    for (const pair of jobs?.items ?? []) {
      if (isMap(pair.value)) this.walkJob(keyOf(pair) ?? '?', pair.value, workflowScope, workflowRawEnv);
    }
  }

  private walkJob(jobId: string, job: YAMLMap, workflowScope: Scope, workflowRawEnv: Map<string, ValueRef>, place: Place = this.home()): void {
    const jobConditions = this.conditionScope(scalarAt(job, 'if'), { testedFields: new Set() });
    if (this.wantReads && place.via === undefined) {
      for (const pair of job.items) {
        if (keyOf(pair) !== 'steps') this.readsIn(pair.value as Node, keyOf(pair) === 'if', jobConditions);
      }
    }
    const matrixNode = mapAt(mapAt(job, 'strategy'), 'matrix') ?? (job.getIn(['strategy', 'matrix'], true) as Node | undefined);
    const expansion = expandMatrix(matrixNode ? (matrixNode as Node).toJSON() : undefined);
    if (expansion.kind === 'too-many' && place.via === undefined) {
      this.facts.syntaxErrors.push({
        message: `the matrix of job '${jobId}' makes ${expansion.atLeast === MAX_MATRIX_JOBS + 1 ? 'more than' : 'at least'} ${expansion.atLeast === MAX_MATRIX_JOBS + 1 ? MAX_MATRIX_JOBS : expansion.atLeast} jobs; GitHub runs at most ${MAX_MATRIX_JOBS} per matrix, so the run fails`,
        position: place.source.positionOf(matrixNode as Node),
      });
    }
    const combinations = expansion.kind === 'known' ? expansion.combinations : undefined;
    const uses = scalarAt(job, 'uses');
    if (uses && typeof uses.value === 'string') {
      this.walkReusable(jobId, job, uses, workflowScope, combinations, place);
      return;
    }
    const steps = seqAt(job, 'steps');
    if (!steps) return;
    const context: JobPlace = {
      jobId,
      job,
      workflowScope,
      combinations,
      jobConditions,
      conditions: [scalarAt(job, 'if')],
      rawEnv: this.rawEnv(workflowRawEnv, mapAt(job, 'env'), place.source),
      envNodes: [mapAt(job, 'env')],
      permissions: this.permissions(job, 'job', place.source) ?? (place.via === undefined ? this.workflowPermissions : place.permissions),
      environment: environmentOf(job),
      jobs: this.jobSources(place.root),
    };
    this.walkSteps(steps, context, place);
  }

  /** The steps of a job, or of a composite action within one. */
  private walkSteps(steps: unknown[], job: JobPlace, place: Place): void {
    const stepIds = steps.map((step) => (isMap(step) ? scalarAt(step, 'id')?.value : undefined)).map((id) => (typeof id === 'string' ? id.toLowerCase() : undefined));
    const appTokenSteps = this.appTokenSteps(steps, place.source);
    const jobSteps = stepSources(steps);
    // One place for all the steps, its index moved along: a copy of the job's place per step was a measurable share
    // of extraction. Each step's walk is synchronous and keeps nothing that reads `index` after it returns.
    const stepsPlace: JobPlace & StepsPlace = { ...job, appTokenSteps, jobSteps, stepIds, index: 0 };
    steps.forEach((step, index) => {
      stepsPlace.index = index;
      if (isMap(step)) this.walkStep(step, stepsPlace, place);
    });
  }

  private walkStep(step: YAMLMap, job: JobPlace & StepsPlace, place: Place): void {
    const stepConditions = this.conditionScope(scalarAt(step, 'if'), job.jobConditions);
    const uses = scalarAt(step, 'uses');
    const target = uses && typeof uses.value === 'string' ? usesTarget(uses.value, place.fileRepo ?? this.file.repo) : undefined;
    if (target?.kind === 'composite') {
      this.walkComposite(step, uses as Scalar, target, job, place);
      return;
    }
    let senders: StepSenders | undefined;
    if (this.wantSends || this.wantReads) {
      senders = sendersOfStep({ uses, run: scalarAt(step, 'run'), with: mapAt(step, 'with') }, place.source, { repo: place.fileRepo ?? this.file.repo, readsPayload: this.wantReads, ...(this.files ? { files: this.files } : {}) });
    }
    const home = place.via === undefined;
    if (senders?.opaqueScript) (this.facts.opaqueScripts ??= []).push(place.via?.position ?? senders.opaqueScript);
    if (home && senders?.notes) this.facts.notes.push(...senders.notes);
    // Inside a loaded file, the caller's line is where a user can see what was not read.
    for (const unread of senders?.unread ?? []) (this.facts.unreadSends ??= []).push(home ? unread : { ...unread, position: place.via?.position ?? unread.position });
    if (home && senders?.scriptFacts) this.scriptProblems(senders.scriptFacts);
    if (this.wantReads && home) {
      this.readsIn(step, false, stepConditions);
      if (senders?.scriptFacts) this.scriptReads(senders.scriptFacts, stepConditions);
    }
    // What a loaded file reads of the payload is the caller's event's payload: not followed, so the reads are unknown.
    if (!home && place.via && !this.facts.payloadReadsUnknown && /client_payload|GITHUB_EVENT_PATH/.test(String(scalarAt(step, 'run')?.value ?? '') + JSON.stringify(mapAt(step, 'with')?.toJSON() ?? {}))) {
      this.facts.payloadReadsUnknown = place.via.position;
    }
    if (this.wantInjections && home) this.injectionsIn(step);
    if (!senders || senders.specs.length === 0) return;
    const stepRawEnv = this.rawEnv(job.rawEnv, mapAt(step, 'env'), place.source);
    const stepEnvRefs = [...(mapAt(step, 'env')?.items ?? [])].flatMap((pair) => (isScalar(pair.value) ? [this.inputRef(pair.value, place.source)] : []));
    const conditionScalars = [...place.conditions, ...job.conditions, scalarAt(step, 'if')];
    const conditionTexts = conditionScalars.flatMap((condition) => conditionText(condition) ?? []);
    const events = eventConstraintOf(conditionScalars.flatMap((condition) => parsedCondition(condition)), conditionTexts);
    // What a send sees is the step's, not the command's: built once per matrix combination, so a step of
    // thousands of commands (a 1 MB `&&` chain) does not rebuild the same scope for each.
    const contexts = new Map<Record<string, JsonValue> | undefined, StepContext>();
    const contextFor = (combination: Record<string, JsonValue> | undefined): StepContext => {
      const built = contexts.get(combination);
      if (built) return built;
      const context: StepContext = {
        repo: this.file.repo,
        path: place.path,
        job: job.jobId,
        scope: this.stepScope(step, job, place, combination),
        rawEnv: stepRawEnv,
        // Built only for the rare step that sends: a set per step made long jobs quadratic.
        stepIdsBefore: idsIn(job.stepIds.slice(0, job.index)),
        stepIdsAfter: idsIn(job.stepIds.slice(job.index)),
        appTokenSteps: job.appTokenSteps,
        triggers: this.facts.triggers,
        steps: job.jobSteps,
        jobs: job.jobs,
        conditions: conditionTexts,
        inputTypes: place.inputTypes,
      };
      if (place.fileRepo) context.fileRepo = place.fileRepo;
      if (place.via) context.via = place.via;
      if (place.callerInputs) context.callerInputs = place.callerInputs;
      if (place.callerSecrets) context.callerSecrets = place.callerSecrets;
      if (job.permissions) context.permissions = job.permissions;
      if (events) context.events = events;
      if (job.environment !== undefined) context.environment = job.environment;
      if (combination) context.matrix = combination;
      contexts.set(combination, context);
      return context;
    };
    for (const spec of senders.specs) {
      spec.feedingTexts.push(...stepEnvRefs);
      const scopes: (Record<string, JsonValue> | undefined)[] = !mentionsMatrix(spec) && !place.inputsMentionMatrix ? [job.combinations?.[0]] : job.combinations ?? [undefined];
      const seen = new Set<string>();
      for (const combination of scopes) {
        const context = contextFor(combination);
        for (const send of concretize(spec, context)) {
          const key = sendKey(send);
          if (seen.has(key)) continue;
          seen.add(key);
          this.facts.sends.push(send);
          if (home && send.payload.kind === 'unknown' && send.payload.beyondLimit && seen.size === 1) {
            const what = send.kind === 'repository_dispatch' ? 'client_payload' : 'inputs';
            this.facts.notes.push({ message: `the ${what} of this dispatch was not checked: ${send.payload.reason}, beyond what dispatch-lint reads`, position: send.payload.position });
          }
        }
      }
    }
  }

  /**
   * `uses: ./.github/actions/x`: the action's steps run as part of this job, with `inputs.*` from this step's
   * `with:` (or the action's defaults) and the job's environment and this step's. Its sends are this workflow's.
   * Up to MAX_LOADED_DEPTH actions deep (GitHub's own limit for composite actions is ten), never round a loop.
   */
  private walkComposite(step: YAMLMap, uses: Scalar, target: Extract<UsesTarget, { kind: 'composite' }>, job: JobPlace & StepsPlace, place: Place): void {
    const key = `${target.repo.toLowerCase()}\u0000${target.folder}`;
    if (place.stack.includes(key) || place.stack.length >= MAX_LOADED_DEPTH) return;
    const action = loadAction(this.files, target.repo, target.folder);
    if (!action) return;
    const runs = mapAt(action.root, 'runs');
    if (scalarAt(runs, 'using')?.value !== 'composite') return;
    const steps = seqAt(runs as YAMLMap, 'steps');
    if (!steps) return;
    this.loaded(target.repo, action.path);
    const declared = declaredInputs(mapAt(action.root, 'inputs'), action.source, this);
    const passed = new Map<string, ValueRef>();
    for (const pair of mapAt(step, 'with')?.items ?? []) {
      const name = keyOf(pair);
      if (name !== undefined && isScalar(pair.value)) passed.set(name, passedThrough(this.inputRef(pair.value, place.source), place.callerInputs));
    }
    const callerInputs = new Map([...declared, ...passed]);
    const via: SendVia = place.via ?? { kind: 'composite', path: place.path, position: place.source.positionOf(uses) };
    const callerScope = (combination: Record<string, JsonValue> | undefined) => this.stepScope(step, job, place, combination);
    const inner: Place = {
      source: action.source,
      root: action.root,
      path: action.path,
      via,
      conditions: [...place.conditions, ...job.conditions, scalarAt(step, 'if')],
      inputTypes: new Map(),
      callerInputs,
      inputs: (combination) => resolvedInputs(callerInputs, callerScope(combination)),
      inputsMentionMatrix: [...callerInputs.values()].some((ref) => /matrix\./i.test(ref.text)),
      stack: [...place.stack, key],
    };
    if (target.repo.toLowerCase() !== this.file.repo.toLowerCase()) inner.fileRepo = target.repo;
    if (place.callerSecrets) inner.callerSecrets = place.callerSecrets;
    if (place.permissions) inner.permissions = place.permissions;
    // The action's steps see the job's environment and this step's; their own `env:` comes on top, step by step.
    const rawEnv = this.rawEnv(job.rawEnv, mapAt(step, 'env'), place.source);
    this.walkSteps(steps, { ...job, rawEnv, envNodes: [...job.envNodes, mapAt(step, 'env')], conditions: [], jobs: this.jobSources(action.root) }, inner);
  }

  /**
   * A job that calls a reusable workflow of a scanned repository: the called workflow runs in this workflow's
   * context (its `github.*` and event are this workflow's, `inputs.*` this job's `with:`, `secrets.*` this job's
   * `secrets:` or all of them with `inherit`), so its sends belong to this repository. Followed up to
   * MAX_LOADED_DEPTH calls deep (GitHub allows ten levels of workflows), never round a loop.
   */
  private walkReusable(jobId: string, job: YAMLMap, uses: Scalar, workflowScope: Scope, combinations: Record<string, JsonValue>[] | undefined, place: Place): void {
    const target = usesTarget(String(uses.value), place.fileRepo ?? this.file.repo);
    if (target?.kind !== 'reusable') return;
    const key = `${target.repo.toLowerCase()}\u0000${target.path}`;
    if (place.stack.includes(key) || place.stack.length >= MAX_LOADED_DEPTH) return;
    const called = loadFile(this.files, target.repo, target.path);
    if (!called) return;
    (this.facts.calls ??= []).push({ repo: target.repo, path: target.path });
    this.loaded(target.repo, target.path);
    const callTrigger = readTriggers(called.root, called.source).workflowCall;
    const onNode = findOnPair(called.root)?.value;
    const declared = declaredInputs(mapAt(mapAt(onNode, 'workflow_call'), 'inputs'), called.source, this);
    const passed = new Map<string, ValueRef>();
    for (const pair of mapAt(job, 'with')?.items ?? []) {
      const name = keyOf(pair);
      if (name !== undefined && isScalar(pair.value)) passed.set(name, this.inputRef(pair.value, place.source));
    }
    const callerInputs = new Map([...declared, ...passed]);
    const secretsNode = job.get('secrets', true);
    let callerSecrets: Map<string, ValueRef> | 'inherit';
    if (isScalar(secretsNode) && secretsNode.value === 'inherit') callerSecrets = place.callerSecrets ?? 'inherit';
    else {
      callerSecrets = new Map();
      for (const pair of isMap(secretsNode) ? secretsNode.items : []) {
        const name = keyOf(pair);
        if (name !== undefined && isScalar(pair.value)) callerSecrets.set(name, this.inputRef(pair.value, place.source));
      }
    }
    const inner: Place = {
      source: called.source,
      root: called.root,
      path: called.path,
      via: place.via ?? { kind: 'reusable', path: place.path, position: place.source.positionOf(uses) },
      conditions: [...place.conditions, scalarAt(job, 'if')],
      inputTypes: new Map((callTrigger?.inputs ?? []).map((input) => [input.name, input.type])),
      callerInputs,
      inputs: (combination) => resolvedInputs(callerInputs, this.withMatrix(workflowScope, combination)),
      inputsMentionMatrix: [...callerInputs.values()].some((ref) => /matrix\./i.test(ref.text)),
      stack: [...place.stack, key],
      callerSecrets,
    };
    if (target.repo.toLowerCase() !== this.file.repo.toLowerCase()) inner.fileRepo = target.repo;
    const permissions = this.permissions(job, 'job', place.source);
    if (permissions) inner.permissions = permissions;
    // Its own `env:` and jobs, in this workflow's `github` context; this job's matrix only feeds its inputs.
    const calledScope = this.layer({ contexts: { github: githubContext(this.file.repo) }, shellEnv: baseShellEnv(this.file.repo), declared: this.declared }, mapAt(called.root, 'env'));
    const rawEnv = this.rawEnv(new Map(), mapAt(called.root, 'env'), called.source);
    for (const combination of inner.inputsMentionMatrix ? combinations ?? [undefined] : [combinations?.[0]]) {
      const perCombination: Place = { ...inner, inputs: () => inner.inputs?.(combination) ?? {} };
      for (const pair of mapAt(called.root, 'jobs')?.items ?? []) {
        if (isMap(pair.value)) this.walkJob(`${jobId}/${keyOf(pair) ?? '?'}`, pair.value, calledScope, rawEnv, perCombination);
      }
    }
  }

  /** The workflow file itself, as the place its jobs are written in. */
  private home(): Place {
    return { source: this.source, root: this.root, path: this.file.path, conditions: [], inputTypes: this.inputTypes, stack: [] };
  }

  private loaded(repo: string, path: string): void {
    const files = (this.facts.loadedFiles ??= []);
    if (!files.some((file) => file.repo === repo && file.path === path)) files.push({ repo, path });
  }

  /** Every job's steps and `outputs:` of a workflow, to follow `needs.J.outputs.K` (built once per file). */
  private jobSources(root: YAMLMap): Map<string, JobSource> {
    let jobs = this.jobsOf.get(root);
    if (!jobs) {
      jobs = new Map();
      this.jobsOf.set(root, jobs);
      for (const pair of mapAt(root, 'jobs')?.items ?? []) {
        const id = keyOf(pair);
        if (id === undefined || !isMap(pair.value)) continue;
        const outputs = new Map<string, string>();
        for (const output of mapAt(pair.value, 'outputs')?.items ?? []) {
          const name = keyOf(output);
          if (name !== undefined && isScalar(output.value) && typeof output.value.value === 'string') outputs.set(name, output.value.value);
        }
        jobs.set(id, { steps: stepSources(seqAt(pair.value, 'steps') ?? []), outputs });
      }
    }
    return jobs;
  }

  /** `permissions:` of the workflow or a job: a shorthand (`read-all`, `write-all`) or a mapping of scopes. */
  private permissions(node: YAMLMap, level: PermissionsFacts['level'], source: SourceFile = this.source): PermissionsFacts | undefined {
    const pair = node.items.find((item) => keyOf(item) === 'permissions');
    if (!pair) return undefined;
    const value = pair.value as Node | null;
    const facts: PermissionsFacts = { level, position: source.positionOf(pair.key as Node) };
    if (isScalar(value) && typeof value.value === 'string') facts.shorthand = value.value;
    else if (isMap(value)) {
      facts.scopes = Object.fromEntries(value.items.filter((item) => isScalar(item.value)).map((item) => [keyOf(item) ?? '', String((item.value as Scalar).value)]));
    } else facts.scopes = {};
    return facts;
  }

  /**
   * `${{ github.event.client_payload... }}`, `${{ github.event.inputs... }}` or `${{ inputs... }}` pasted into a
   * run or github-script script. `inputs.x` counts only as a workflow_dispatch input of free text: a choice,
   * boolean, number or environment input holds only what GitHub validated, and a workflow_call input comes from a
   * caller's `with:`, not from a dispatch.
   */
  private injectionsIn(step: YAMLMap): void {
    const run = scalarAt(step, 'run');
    const uses = scalarAt(step, 'uses')?.value;
    const script = typeof uses === 'string' && isGithubScript(uses.trim()) ? scalarAt(mapAt(step, 'with'), 'script') : undefined;
    for (const [scalar, kind] of [[run, 'run'], [script, 'github-script']] as const) {
      if (!scalar || typeof scalar.value !== 'string' || !/github\.event|inputs/i.test(scalar.value)) continue;
      for (const expression of findExpressions(scalar.value)) {
        const parsed = parseExpression(expression.source);
        if (!parsed.ok) continue;
        const reads: Injection['reads'] = [];
        forEachChain(parsed.expr, (chain) => {
          const keys = literalKeys(chain);
          const lowered = keys.map((key) => key.toLowerCase());
          if (chain.root === 'github' && lowered[0] === 'event' && lowered[1] === 'client_payload') reads.push({ kind: 'client_payload', path: keys.slice(2) });
          else if (chain.root === 'github' && lowered[0] === 'event' && lowered[1] === 'inputs' && this.isFreeTextInput(lowered[2]) && (lowered[2] === undefined || this.declaresDispatchInput(lowered[2]))) reads.push({ kind: 'inputs', path: keys.slice(2, 3) });
          else if (chain.root === 'inputs' && this.isFreeTextInput(lowered[0]) && (lowered[0] === undefined || this.declaresDispatchInput(lowered[0]))) reads.push({ kind: 'inputs', path: keys.slice(0, 1) });
        });
        if (reads.length === 0) continue;
        (this.facts.injections ??= []).push({
          expression: expression.source,
          script: kind,
          position: this.source.positionInScalar(scalar, expression.start, expression.end),
          reads,
        });
      }
    }
  }

  /** A workflow_dispatch input that is free text (string, the default type), or all of them (`toJSON(inputs)`). */
  private isFreeTextInput(name: string | undefined): boolean {
    if (name === undefined) return (this.facts.workflowDispatch?.inputs ?? []).some((input) => !CONSTRAINED_INPUT_TYPES.has(input.type));
    return !CONSTRAINED_INPUT_TYPES.has(this.inputType(name) ?? 'string');
  }

  private declaresDispatchInput(name: string): boolean {
    return (this.facts.workflowDispatch?.inputs ?? []).some((input) => input.name.toLowerCase() === name);
  }

  private inputType(name: string | undefined): string | undefined {
    if (name === undefined) return undefined;
    return [...this.inputTypes].find(([input]) => input.toLowerCase() === name)?.[1];
  }

  /** What a step's expressions see for one matrix combination: the workflow's scope, the matrix, the inputs, the job's and step's env. */
  private stepScope(step: YAMLMap, job: JobPlace, place: Place, combination: Record<string, JsonValue> | undefined): Scope {
    let scope = this.withMatrix(job.workflowScope, combination);
    if (place.inputs) scope = { ...scope, contexts: { ...scope.contexts, inputs: place.inputs(combination) } };
    for (const env of [...job.envNodes, mapAt(step, 'env')]) scope = this.layer(scope, env);
    return scope;
  }

  private withMatrix(scope: Scope, combination: Record<string, JsonValue> | undefined): Scope {
    const contexts = { ...scope.contexts };
    if (combination) contexts.matrix = combination;
    else delete contexts.matrix;
    return { ...scope, contexts };
  }

  private layer(scope: Scope, env: YAMLMap | undefined): Scope {
    if (!env) return scope;
    const values: Record<string, string> = {};
    for (const pair of env.items) {
      const key = keyOf(pair);
      if (key !== undefined && isScalar(pair.value)) values[key] = String(pair.value.value ?? '');
    }
    const layered = layerEnv(scope, values, scope.declared);
    return { ...scope, contexts: { ...scope.contexts, env: layered.envContext }, shellEnv: layered.shellEnv };
  }

  private rawEnv(outer: Map<string, ValueRef>, env: YAMLMap | undefined, source: SourceFile = this.source): Map<string, ValueRef> {
    if (!env) return outer;
    const merged = new Map(outer);
    for (const pair of env.items) {
      const key = keyOf(pair);
      if (key !== undefined && isScalar(pair.value)) merged.set(key, this.inputRef(pair.value, source));
    }
    return merged;
  }

  inputRef(node: Scalar, source: SourceFile = this.source): ValueRef {
    return {
      text: String(node.value ?? ''),
      position: source.positionOf(node),
      exact: true,
      shell: false,
      locate: (start, end) => source.positionInScalar(node, start, end),
    };
  }

  private appTokenSteps(steps: unknown[], source: SourceFile = this.source): Map<string, AppTokenFacts> {
    const found = new Map<string, AppTokenFacts>();
    for (const step of steps) {
      if (!isMap(step)) continue;
      const id = scalarAt(step, 'id')?.value;
      const uses = scalarAt(step, 'uses');
      if (typeof id !== 'string' || !uses || typeof uses.value !== 'string' || !isAppTokenAction(uses.value)) continue;
      const facts: AppTokenFacts = { position: source.positionOf(uses) };
      const owner = scalarAt(mapAt(step, 'with'), 'owner')?.value;
      const repositories = scalarAt(mapAt(step, 'with'), 'repositories')?.value;
      if (owner !== undefined && owner !== null) facts.owner = String(owner);
      if (repositories !== undefined && repositories !== null) facts.repositories = String(repositories);
      found.set(id.toLowerCase(), facts);
    }
    return found;
  }

  /** The event types and tested fields an `if:` adds to those of its enclosing scope. */
  private conditionScope(condition: Scalar | undefined, outer: ConditionScope): ConditionScope {
    const expression = condition ? conditionExpression(condition) : undefined;
    if (!expression) return outer;
    const parsed = parseExpression(expression.source);
    if (!parsed.ok) return outer;
    const scope: ConditionScope = { testedFields: new Set(outer.testedFields) };
    const types = eventTypesOfCondition(parsed.expr);
    const eventTypes = types && outer.eventTypes ? types.filter((type) => outer.eventTypes?.includes(type)) : (types ?? outer.eventTypes);
    if (eventTypes) scope.eventTypes = eventTypes;
    for (const read of payloadReadsIn(parsed.expr, expression.source, true).reads) {
      if (read.optional) scope.testedFields.add(read.path.join('.'));
    }
    return scope;
  }

  /** Every `${{ }}` (and bare `if:` condition) in a subtree, for client_payload reads. */
  private readsIn(node: Node | null, isCondition: boolean, conditions: ConditionScope): void {
    if (!node) return;
    if (isScalar(node)) {
      this.readsInScalar(node, isCondition, conditions);
      return;
    }
    this.readsBelow(node, conditions);
  }

  /**
   * readsInScalar on every scalar under `node` in document order, a mapping's scalar values as `if:` where their key
   * is `if` and its keys only where the value is a collection (as yaml's `visit` with a Pair visitor that skips
   * scalar values walked it, without the frozen path array it builds at every node).
   */
  private readsBelow(node: unknown, conditions: ConditionScope): void {
    if (isScalar(node)) {
      this.readsInScalar(node, false, conditions);
    } else if (isPair(node)) {
      if (isScalar(node.value)) {
        this.readsInScalar(node.value, keyOf(node) === 'if', conditions);
        return;
      }
      this.readsBelow(node.key, conditions);
      this.readsBelow(node.value, conditions);
    } else if (isMap(node) || isSeq(node)) {
      for (const item of node.items) this.readsBelow(item, conditions);
    }
  }

  private readsInScalar(scalar: Scalar, isCondition: boolean, conditions: ConditionScope): void {
    if (typeof scalar.value !== 'string') return;
    const text = scalar.value;
    if (!/github|client_payload/i.test(text)) return;
    const bare = isCondition && !text.includes('${{');
    const expressions = bare ? [{ source: text, start: 0, end: text.length }] : findExpressions(text);
    for (const expression of expressions) {
      const parsed = parseExpression(expression.source);
      if (!parsed.ok) continue;
      const bodyStart = bare ? 0 : text.indexOf(expression.source, expression.start + 3);
      const asCondition = isCondition && (bare || singleExpression(text) !== undefined);
      const found = payloadReadsIn(parsed.expr, expression.source, asCondition);
      const wholeExpression = bare ? undefined : this.source.positionInScalar(scalar, expression.start, expression.end);
      for (const read of found.reads) {
        const position = wholeExpression ?? this.source.positionInScalar(scalar, bodyStart + read.start, bodyStart + read.end);
        this.addRead(read.path, position, read.optional, read.usage, conditions);
      }
      if (found.whole.length > 0 && !this.facts.payloadReadsUnknown) {
        this.facts.payloadReadsUnknown = wholeExpression ?? this.source.positionOf(scalar);
      }
      if (found.whole.some((use) => use.payload) && !this.facts.clientPayloadWhole) {
        this.facts.clientPayloadWhole = wholeExpression ?? this.source.positionOf(scalar);
      }
    }
  }

  private scriptReads(script: NonNullable<StepSenders['scriptFacts']>, conditions: ConditionScope): void {
    for (const read of script.facts.payloadReads) {
      const position = this.source.positionInScalar(script.scalar, read.span.start, read.span.end);
      if (read.whole || read.path.length === 0) {
        if (!this.facts.payloadReadsUnknown) this.facts.payloadReadsUnknown = position;
      } else {
        this.addRead(read.path, position, false, undefined, conditions);
      }
    }
  }

  /** What a script parser could not read: the file's notes (workflow-syntax reports them as notes). */
  private scriptProblems(script: NonNullable<StepSenders['scriptFacts']>): void {
    for (const problem of script.facts.problems.slice(0, MAX_PROBLEMS_PER_FILE + 1)) {
      this.facts.notes.push({ message: problem.message, position: this.source.positionInScalar(script.scalar, problem.span.start, problem.span.end) });
    }
  }

  private addRead(path: string[], position: Position, optional: boolean, usage: PayloadRead['usage'], conditions: ConditionScope): void {
    const guarded = conditions.testedFields.has(path.join('.'));
    const read: PayloadRead = { path, position, optional: optional || guarded };
    if (conditions.eventTypes) read.eventTypes = conditions.eventTypes;
    if (usage) read.usage = usage;
    this.facts.payloadReads.push(read);
  }
}

/** The steps that have an `id:`, with what produces their outputs. */
function stepSources(steps: unknown[]): StepSource[] {
  const sources: StepSource[] = [];
  for (const step of steps) {
    const id = isMap(step) ? scalarAt(step, 'id')?.value : undefined;
    if (typeof id !== 'string') continue;
    const source: StepSource = { id };
    const run = scalarAt(step, 'run')?.value;
    const uses = scalarAt(step, 'uses')?.value;
    if (typeof run === 'string') source.run = run;
    if (typeof uses === 'string') source.uses = uses;
    sources.push(source);
  }
  return sources;
}

/** A job's `environment:` (a name, or a mapping with `name:`); null when only known at run time. */
function environmentOf(job: YAMLMap): string | null | undefined {
  const node = job.get('environment', true) as Node | undefined;
  const name = isScalar(node) ? node.value : isMap(node) ? node.get('name') : undefined;
  if (name === undefined || name === null) return undefined;
  const text = String(name);
  return text.includes('${{') ? null : text;
}

function parsedCondition(condition: Scalar | undefined): Expr[] {
  const expression = condition ? conditionExpression(condition) : undefined;
  const parsed = expression ? parseExpression(expression.source) : undefined;
  return parsed?.ok ? [parsed.expr] : [];
}

function conditionText(condition: Scalar | undefined): string | undefined {
  return condition && condition.value !== null && condition.value !== undefined ? String(condition.value) : undefined;
}

/** An `if:` value as an expression: `${{ x }}` or the bare `x` GitHub also accepts. */
function conditionExpression(condition: Scalar): { source: string } | undefined {
  if (typeof condition.value !== 'string') return undefined;
  const single = singleExpression(condition.value);
  if (single) return { source: single.source };
  return condition.value.includes('${{') ? undefined : { source: condition.value };
}

function sendKey(send: Send): string {
  return JSON.stringify([send.kind, send.position, send.target.value ?? send.target.text, send.eventType?.value ?? send.eventType?.text, send.workflow?.value ?? send.workflow?.text]);
}

function keyOf(pair: Pair): string | undefined {
  return isScalar(pair.key) && typeof pair.key.value === 'string' ? pair.key.value : undefined;
}

function mapAt(node: unknown, key: string): YAMLMap | undefined {
  if (!isMap(node)) return undefined;
  const value = node.get(key, true);
  return isMap(value) ? value : undefined;
}

function seqAt(node: YAMLMap, key: string): unknown[] | undefined {
  const value = node.get(key, true);
  return isSeq(value) ? value.items : undefined;
}

function scalarAt(node: unknown, key: string): Scalar | undefined {
  if (!isMap(node)) return undefined;
  const value = node.get(key, true);
  return isScalar(value) ? value : undefined;
}

function idsIn(ids: (string | undefined)[]): Set<string> {
  return new Set(ids.filter((id): id is string => id !== undefined));
}
