/**
 * Extracts the dispatch facts of one workflow file, parsing it once: its triggers and listeners, the
 * dispatches its steps send (one per resolved matrix combination), and what it reads of client_payload.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { AppTokenFacts, Injection, PayloadRead, PermissionsFacts, Position, Send, WorkflowFacts } from '../model.js';
import type { JsonValue } from '../expressions/evaluate.js';
import { forEachChain, literalKeys, parseExpression } from '../expressions/parse.js';
import { findClose, findExpressions, singleExpression } from '../expressions/template.js';
import { capProblems, firstBracketDeeperThan, isStackOverflow, MAX_NESTING_DEPTH, MAX_PROBLEMS_PER_FILE } from './limits.js';
import { expandMatrix, MAX_MATRIX_JOBS } from '../resolve/matrix.js';
import { baseShellEnv, githubContext, layerEnv, type DeclaredValues, type Scope } from '../resolve/resolver.js';
import { resolveAliases } from '../yaml/aliases.js';
import { SourceFile } from '../yaml/source.js';
import type { RepositoryFiles } from './repository-files.js';
import type { JobSource, StepSource } from './step-outputs.js';
import { eventTypesOfCondition, payloadReadsIn } from './payload-reads.js';
import { isAppTokenAction, isGithubScript } from './senders/actions.js';
import { concretize, mentionsMatrix, type StepContext } from './senders/concretize.js';
import { sendersOfStep, type StepSenders } from './senders/from-step.js';
import type { ValueRef } from './senders/spec.js';
import type { Expr } from '@actions/expressions';
import { eventConstraintOf } from './conditions.js';
import { inputReadsOf } from './input-reads.js';
import { isQuiet, quietFileFacts } from './quiet-file.js';
import { describeNode, readTriggers } from './triggers.js';

export interface WorkflowInputFile {
  repo: string;
  path: string;
  text: string;
  /** The file's size when it is known apart from `text` (the API does not serve the text of a huge blob). */
  byteSize?: number;
  /** Set when GitHub will not run the file as it is (a symbolic link): it is reported, not read. */
  rejectedBecause?: string;
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

  if (!options.fullParse && isQuiet(file.text)) {
    const quiet = quietFileFacts(facts, file.text);
    if (quiet) return quiet;
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(file.text, { lineCounter, prettyErrors: false, keepSourceTokens: false });
  const source = new SourceFile(file.text, lineCounter);
  if (doc.errors.length > 0) {
    // Only the errors that will be listed get positions: a file of a million errors must not cost a million.
    if (doc.errors.some((error) => isStackOverflow(error))) {
      // `yaml` turns its own stack overflow into an error where the stack ran out, which depends on the machine.
      const deep = firstBracketDeeperThan(file.text, MAX_NESTING_DEPTH) ?? 0;
      facts.syntaxErrors.push({ message: TOO_DEEP_YAML, position: source.positionOfOffsets(deep, deep + 1) });
      return facts;
    }
    const listed = doc.errors.slice(0, MAX_PROBLEMS_PER_FILE + 1).map((error) => {
      const [from, to] = error.pos;
      return { message: `invalid YAML: ${firstLine(error.message)}`, position: source.positionOfOffsets(from, Math.max(from, to)) };
    });
    facts.syntaxErrors = capProblems(listed, 'YAML errors', doc.errors.length - listed.length);
    return facts;
  }
  const aliases = resolveAliases(doc);
  for (const problem of aliases.problems) facts.syntaxErrors.push({ message: problem.message, position: source.positionOfOffsets(problem.range[0], problem.range[1]) });
  if (aliases.exhausted) return facts;
  const tooDeep = nodeDeeperThan(doc.contents as Node | null, MAX_NESTING_DEPTH);
  if (tooDeep) {
    facts.syntaxErrors.push({ message: TOO_DEEP_YAML, position: source.positionOf(tooDeep) });
    return facts;
  }
  const rejected = rejectedExpression(doc.contents as Node | null, file.text, source);
  if (rejected) {
    facts.syntaxErrors.push(rejected);
    return facts;
  }
  const root = doc.contents;
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

  const wantSends = SENDER_HINT.test(file.text);
  const wantReads = file.text.includes('client_payload') || (facts.repositoryDispatch !== undefined && /github\.event|GITHUB_EVENT_PATH|toJSON\(\s*github\s*\)/i.test(file.text));
  const wantInjections = /github\.event\.(?:client_payload|inputs)|\binputs\b/i.test(file.text);
  if (!wantSends && !wantReads && !wantInjections) return facts;
  new WorkflowWalker(file, root, source, facts, options, wantSends, wantReads, wantInjections).walk();
  // Only a sender's `if:` is weighed against them (dead-dispatch).
  if (facts.sends.length > 0 && Object.keys(triggers.triggerRefKinds).length > 0) facts.triggerRefKinds = triggers.triggerRefKinds;
  return facts;
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

/** The first node found below `root` at more than `limit` levels of nesting, without recursion. */
function nodeDeeperThan(root: Node | null, limit: number): Node | undefined {
  const stack: [Node, number][] = root ? [[root, 1]] : [];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [Node, number];
    if (depth > limit) return node;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (pair.key && typeof pair.key === 'object') stack.push([pair.key as Node, depth + 1]);
        if (pair.value && typeof pair.value === 'object') stack.push([pair.value as Node, depth + 1]);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) if (item && typeof item === 'object') stack.push([item as Node, depth + 1]);
    }
  }
  return undefined;
}

/**
 * An expression GitHub's own reader rejects, which makes it reject the whole file: a `${{` that no `}}` closes
 * ("The expression is not closed", @actions/workflow-parser), or one past the expression parser's depth or
 * length limit (@actions/expressions MAX_PARSER_DEPTH, MAX_EXPRESSION_LENGTH). The text is screened first, so
 * only files with a suspicious expression walk their scalars.
 */
function rejectedExpression(root: Node | null, text: string, source: SourceFile): { message: string; position: Position } | undefined {
  if (!text.includes('${{')) return undefined;
  const suspicious = text.split('\n').some((line) => unclosedOffset(line) !== undefined) || findExpressions(text).some((expression) => mayExceedParserLimits(expression.source));
  if (!suspicious) return undefined;
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
  private jobs: Map<string, JobSource> | undefined;

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
    this.files = options.files;
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

  private walkJob(jobId: string, job: YAMLMap, workflowScope: Scope, workflowRawEnv: Map<string, ValueRef>): void {
    const jobConditions = this.conditionScope(scalarAt(job, 'if'), { testedFields: new Set() });
    if (this.wantReads) {
      for (const pair of job.items) {
        if (keyOf(pair) !== 'steps') this.readsIn(pair.value as Node, keyOf(pair) === 'if', jobConditions);
      }
    }
    const steps = seqAt(job, 'steps');
    if (!steps) return;
    const stepIds = steps.map((step) => (isMap(step) ? scalarAt(step, 'id')?.value : undefined)).map((id) => (typeof id === 'string' ? id.toLowerCase() : undefined));
    const appTokenSteps = this.appTokenSteps(steps);
    const jobRawEnv = this.rawEnv(workflowRawEnv, mapAt(job, 'env'));
    const matrixNode = mapAt(mapAt(job, 'strategy'), 'matrix') ?? (job.getIn(['strategy', 'matrix'], true) as Node | undefined);
    const expansion = expandMatrix(matrixNode ? (matrixNode as Node).toJSON() : undefined);
    if (expansion.kind === 'too-many') {
      this.facts.syntaxErrors.push({
        message: `the matrix of job '${jobId}' makes ${expansion.atLeast === MAX_MATRIX_JOBS + 1 ? 'more than' : 'at least'} ${expansion.atLeast === MAX_MATRIX_JOBS + 1 ? MAX_MATRIX_JOBS : expansion.atLeast} jobs; GitHub runs at most ${MAX_MATRIX_JOBS} per matrix, so the run fails`,
        position: this.source.positionOf(matrixNode as Node),
      });
    }
    const combinations = expansion.kind === 'known' ? expansion.combinations : undefined;
    const permissions = this.permissions(job, 'job') ?? this.workflowPermissions;
    const jobCondition = conditionText(scalarAt(job, 'if'));
    const environment = environmentOf(job);
    const jobSteps = stepSources(steps);

    steps.forEach((step, index) => {
      if (!isMap(step)) return;
      const stepConditions = this.conditionScope(scalarAt(step, 'if'), jobConditions);
      let senders: StepSenders | undefined;
      if (this.wantSends || this.wantReads) {
        senders = sendersOfStep({ uses: scalarAt(step, 'uses'), run: scalarAt(step, 'run'), with: mapAt(step, 'with') }, this.source, { repo: this.file.repo, ...(this.files ? { files: this.files } : {}) });
      }
      if (senders?.opaqueScript) (this.facts.opaqueScripts ??= []).push(senders.opaqueScript);
      if (senders?.notes) this.facts.notes.push(...senders.notes);
      if (senders?.scriptFacts) this.scriptProblems(senders.scriptFacts);
      if (this.wantReads) {
        this.readsIn(step, false, stepConditions);
        if (senders?.scriptFacts) this.scriptReads(senders.scriptFacts, stepConditions);
      }
      if (this.wantInjections) this.injectionsIn(step);
      if (!senders || senders.specs.length === 0) return;
      const stepRawEnv = this.rawEnv(jobRawEnv, mapAt(step, 'env'));
      const stepEnvRefs = [...(mapAt(step, 'env')?.items ?? [])].flatMap((pair) => (isScalar(pair.value) ? [this.inputRef(pair.value)] : []));
      const before = new Set(stepIds.slice(0, index).filter((id): id is string => id !== undefined));
      const after = new Set(stepIds.slice(index).filter((id): id is string => id !== undefined));
      for (const spec of senders.specs) {
        spec.feedingTexts.push(...stepEnvRefs);
        const scopes: (Record<string, JsonValue> | undefined)[] = !mentionsMatrix(spec) ? [combinations?.[0]] : combinations ?? [undefined];
        const seen = new Set<string>();
        for (const combination of scopes) {
          const jobScope = this.layer(this.withMatrix(workflowScope, combination), mapAt(job, 'env'));
          const stepScope = this.layer(jobScope, mapAt(step, 'env'));
          const context: StepContext = {
            repo: this.file.repo,
            path: this.file.path,
            job: jobId,
            scope: stepScope,
            rawEnv: stepRawEnv,
            stepIdsBefore: before,
            stepIdsAfter: after,
            appTokenSteps,
            triggers: this.facts.triggers,
            steps: jobSteps,
            jobs: this.jobSources(),
            conditions: [jobCondition, conditionText(scalarAt(step, 'if'))].filter((text): text is string => text !== undefined),
            inputTypes: this.inputTypes,
          };
          if (permissions) context.permissions = permissions;
          const conditionScalars = [scalarAt(job, 'if'), scalarAt(step, 'if')];
          const events = eventConstraintOf(conditionScalars.flatMap((condition) => parsedCondition(condition)), conditionScalars.flatMap((condition) => conditionText(condition) ?? []));
          if (events) context.events = events;
          if (environment !== undefined) context.environment = environment;
          if (combination) context.matrix = combination;
          for (const send of concretize(spec, context)) {
            const key = sendKey(send);
            if (seen.has(key)) continue;
            seen.add(key);
            this.facts.sends.push(send);
            if (send.payload.kind === 'unknown' && send.payload.beyondLimit && seen.size === 1) {
              const what = send.kind === 'repository_dispatch' ? 'client_payload' : 'inputs';
              this.facts.notes.push({ message: `the ${what} of this dispatch was not checked: ${send.payload.reason}, beyond what dispatch-lint reads`, position: send.payload.position });
            }
          }
        }
      }
    });
  }

  /** Every job's steps and `outputs:`, to follow `needs.J.outputs.K` (built once per workflow, when asked). */
  private jobSources(): Map<string, JobSource> {
    if (!this.jobs) {
      this.jobs = new Map();
      for (const pair of mapAt(this.root, 'jobs')?.items ?? []) {
        const id = keyOf(pair);
        if (id === undefined || !isMap(pair.value)) continue;
        const outputs = new Map<string, string>();
        for (const output of mapAt(pair.value, 'outputs')?.items ?? []) {
          const name = keyOf(output);
          if (name !== undefined && isScalar(output.value) && typeof output.value.value === 'string') outputs.set(name, output.value.value);
        }
        this.jobs.set(id, { steps: stepSources(seqAt(pair.value, 'steps') ?? []), outputs });
      }
    }
    return this.jobs;
  }

  /** `permissions:` of the workflow or a job: a shorthand (`read-all`, `write-all`) or a mapping of scopes. */
  private permissions(node: YAMLMap, level: PermissionsFacts['level']): PermissionsFacts | undefined {
    const pair = node.items.find((item) => keyOf(item) === 'permissions');
    if (!pair) return undefined;
    const value = pair.value as Node | null;
    const facts: PermissionsFacts = { level, position: this.source.positionOf(pair.key as Node) };
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

  private rawEnv(outer: Map<string, ValueRef>, env: YAMLMap | undefined): Map<string, ValueRef> {
    if (!env) return outer;
    const merged = new Map(outer);
    for (const pair of env.items) {
      const key = keyOf(pair);
      if (key !== undefined && isScalar(pair.value)) merged.set(key, this.inputRef(pair.value));
    }
    return merged;
  }

  private inputRef(node: Scalar): ValueRef {
    return {
      text: String(node.value ?? ''),
      position: this.source.positionOf(node),
      exact: true,
      shell: false,
      locate: (start, end) => this.source.positionInScalar(node, start, end),
    };
  }

  private appTokenSteps(steps: unknown[]): Map<string, AppTokenFacts> {
    const found = new Map<string, AppTokenFacts>();
    for (const step of steps) {
      if (!isMap(step)) continue;
      const id = scalarAt(step, 'id')?.value;
      const uses = scalarAt(step, 'uses');
      if (typeof id !== 'string' || !uses || typeof uses.value !== 'string' || !isAppTokenAction(uses.value)) continue;
      const facts: AppTokenFacts = { position: this.source.positionOf(uses) };
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
    visit(node, {
      Pair: (_key, pair) => {
        if (isScalar(pair.value)) {
          this.readsInScalar(pair.value, keyOf(pair) === 'if', conditions);
          return visit.SKIP;
        }
        return undefined;
      },
      Scalar: (_key, scalar) => {
        this.readsInScalar(scalar, false, conditions);
      },
    });
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

