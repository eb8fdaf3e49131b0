/**
 * Resolves a SendSpec in the scope of one matrix combination into concrete Sends: target repository,
 * event type or workflow, payload, token, and the step outputs it depends on.
 */
import type { AppTokenFacts, EventConstraint, PermissionsFacts, Position, ResolvedValue, Send, SendVia, StepOutputRef, TokenFacts } from '../../model.js';
import type { JsonValue } from '../../expressions/evaluate.js';
import { forEachChain, literalKeys, parseExpression } from '../../expressions/parse.js';
import { findExpressions, singleExpression } from '../../expressions/template.js';
import { resolveText, type Scope } from '../../resolve/resolver.js';
import { bindingScopes, withoutVariables } from '../../resolve/shell-bindings.js';
import { clipText } from '../limits.js';
import { payloadFacts } from '../payload.js';
import type { JobSource, StepSource } from '../step-outputs.js';
import type { RawBindingValue } from '../raw-send.js';
import type { SendSpec, TokenSpec, ValueList, ValueRef } from './spec.js';

export interface StepContext {
  repo: string;
  path: string;
  /** The file's repository, where it is not `repo` (a reusable workflow of another repository). */
  fileRepo?: string;
  via?: SendVia;
  /**
   * `inputs.*` inside a composite action or a reusable workflow: what the caller's `with:` passes (as written, in
   * the caller's file), or the declared default. Followed for tokens and for who controls a payload value.
   */
  callerInputs?: Map<string, ValueRef>;
  /** `secrets.*` inside a reusable workflow: the caller's `secrets:` mapping, or 'inherit'. */
  callerSecrets?: Map<string, ValueRef> | 'inherit';
  job: string;
  scope: Scope;
  /** Environment variables as written (workflow, job and step `env:` merged), for following tokens. */
  rawEnv: Map<string, ValueRef>;
  /** Lower-case ids of the steps before and after this one in its job. */
  stepIdsBefore: Set<string>;
  stepIdsAfter: Set<string>;
  /** Lower-case step id → the create-github-app-token step it names. */
  appTokenSteps: Map<string, AppTokenFacts>;
  triggers: string[];
  matrix?: Record<string, JsonValue>;
  permissions?: PermissionsFacts;
  /** The job's and step's `if:` conditions, as written. */
  conditions: string[];
  events?: EventConstraint;
  environment?: string | null;
  /** Declared workflow_dispatch input types of the sending workflow, for typing `${{ inputs.x }}`. */
  inputTypes: Map<string, string>;
  /** The job's steps and the workflow's jobs, to follow `steps.X.outputs.Y` / `needs.J.outputs.K` to their source. */
  steps?: StepSource[];
  jobs?: Map<string, JobSource>;
}

/** Beyond this many concrete sends from one step (declared values × matrix), keep the step unresolved. */
export const MAX_SENDS_PER_STEP = 64;

export function concretize(spec: SendSpec, context: StepContext): Send[] {
  if (spec.perValue) return concretizeEach(spec.perValue, context);
  const token = tokenFacts(spec.token, context);
  const stepOutputRefs = stepOutputs(spec.feedingTexts, context);
  if (!spec.bindings) return sendsInScope(spec, context, context.scope, token, stepOutputRefs);
  // One set of sends per combination of the script's own variables (a loop's values, an assignment).
  const scopes = bindingScopes(spec.bindings, context.scope, MAX_SENDS_PER_STEP);
  const sends = scopes?.flatMap((scope) => sendsInScope(spec, context, scope, token, stepOutputRefs));
  if (sends && sends.length <= MAX_SENDS_PER_STEP) return sends;
  // Too many: one send, with whatever reads those variables unresolved.
  return sendsInScope(spec, context, withoutVariables(context.scope, spec.bindings.map((binding) => binding.name)), token, stepOutputRefs);
}

function sendsInScope(spec: SendSpec, context: StepContext, scope: Scope, token: TokenFacts, stepOutputRefs: StepOutputRef[]): Send[] {
  const targets = spec.target ? resolveRef(spec.target, scope) : [context.repo];
  const named = spec.kind === 'repository_dispatch' ? spec.eventType : spec.workflow;
  // A missing event type or workflow is an empty one: the action or API rejects it.
  const names = named ? resolveRef(named, scope) : [''];
  const targetValues: (string | undefined)[] = targets ?? [undefined];
  const nameValues: (string | undefined)[] = names ?? [undefined];
  if (targetValues.length * nameValues.length > MAX_SENDS_PER_STEP) return [];

  const payload = payloadFacts(spec.payload, scope, context.triggers, context.inputTypes, {
    rawEnv: context.rawEnv,
    inputTypes: context.inputTypes,
    ...(context.steps ? { steps: context.steps } : {}),
    ...(context.jobs ? { jobs: context.jobs } : {}),
    ...(context.callerInputs ? { callerInputs: context.callerInputs } : {}),
  });
  const sends: Send[] = [];
  for (const target of targetValues) {
    for (const name of nameValues) {
      const send: Send = {
        kind: spec.kind,
        form: spec.form,
        repo: context.repo,
        path: spec.file ?? context.path,
        job: context.job,
        position: spec.position,
        target: resolvedValue(spec.target ?? { text: '${{ github.repository }}', position: spec.position }, target),
        payload,
        token,
        stepOutputRefs,
        conditions: context.conditions,
      };
      if (context.fileRepo) send.fileRepo = context.fileRepo;
      const via = spec.via ? { ...spec.via, path: context.via?.path ?? context.path, position: context.via?.position ?? spec.via.position } : context.via;
      if (via) send.via = via;
      if (context.permissions) send.permissions = context.permissions;
      if (context.events) send.events = context.events;
      if (context.environment !== undefined) send.environment = context.environment;
      if (spec.kind === 'repository_dispatch') {
        send.eventType = resolvedValue(spec.eventType ?? { text: '', position: spec.position }, name);
      } else {
        send.workflow = resolvedValue(spec.workflow ?? { text: '', position: spec.position }, name);
        if (spec.workflowByName) send.workflowByName = true;
        const alternatives = name !== undefined && spec.workflowAlternatives ? spec.workflowAlternatives(name) : [];
        if (alternatives.length > 0) send.workflowAlternatives = alternatives;
      }
      if (spec.addedInputs.length > 0) send.addedInputs = spec.addedInputs;
      if (spec.ref) send.ref = resolvedValue(spec.ref, firstValue(spec.ref, scope));
      if (context.matrix && Object.keys(context.matrix).length > 0 && mentionsMatrix(spec)) {
        send.matrix = Object.fromEntries(Object.entries(context.matrix).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]));
      }
      sends.push(send);
    }
  }
  return sends;
}

/**
 * One spec per value of the list, each concretized in turn. The list may choose its text on a condition only
 * known at run time (`cond && env.A || env.B`): every text it can take counts. A value written literally in the
 * list is located there; one that came through an expression is located at the whole list.
 */
function concretizeEach(each: ValueList, context: StepContext): Send[] {
  const list = each.list;
  const texts = list.exact ? resolveText(list.text, context.scope, { shell: list.shell, alternatives: true }) : undefined;
  if (!texts) return concretize(each.unresolved(), context);
  const literal = findExpressions(list.text).length === 0 && !(list.shell && list.text.includes('$'));
  const sends: Send[] = [];
  const seen = new Set<string>();
  for (const text of texts) {
    for (const item of each.split(text)) {
      if (seen.has(item.value)) continue;
      seen.add(item.value);
      const at: ValueRef = literal
        ? { ...list, text: item.value, position: list.locate(item.start, item.end), locate: (start, end) => list.locate(item.start + start, item.start + end) }
        : { ...list, text: item.value, locate: () => list.position };
      sends.push(...concretize(each.specFor(item.value, at), context));
      if (sends.length > MAX_SENDS_PER_STEP) return [];
    }
  }
  return sends;
}

function resolveRef(ref: ValueRef, scope: Scope): string[] | undefined {
  if (!ref.exact) return undefined;
  const values = resolveText(ref.text, scope, { shell: ref.shell });
  return values?.map((value) => value.trim());
}

function firstValue(ref: ValueRef, scope: Scope): string | undefined {
  const values = resolveRef(ref, scope);
  return values?.length === 1 ? values[0] : undefined;
}

function resolvedValue(ref: Pick<ValueRef, 'text' | 'position'>, value: string | undefined): ResolvedValue {
  const resolved: ResolvedValue = { text: clipText(ref.text), position: ref.position };
  if (value !== undefined) resolved.value = value;
  return resolved;
}

export function mentionsMatrix(spec: SendSpec): boolean {
  const texts = [spec.target, spec.eventType, spec.workflow, spec.ref, spec.perValue?.list].filter((ref): ref is ValueRef => ref !== undefined).map((ref) => ref.text);
  return texts.some((text) => /matrix\./i.test(text)) || (spec.bindings ?? []).some((binding) => bindingMentionsMatrix(binding.values));
}

/** Whether a binding's values read `matrix`; a list shared by many sends is scanned once. */
const matrixMentions = new WeakMap<RawBindingValue[], boolean>();
function bindingMentionsMatrix(values: RawBindingValue[] | undefined): boolean {
  if (!values) return false;
  let mentions = matrixMentions.get(values);
  if (mentions === undefined) {
    mentions = values.some((value) => /matrix\./i.test(value.text));
    matrixMentions.set(values, mentions);
  }
  return mentions;
}

/** Follows a token to its origin: a secret, GITHUB_TOKEN, an app-token step, through env variables. */
function tokenFacts(spec: TokenSpec, context: StepContext): TokenFacts {
  if (spec.kind === 'default') {
    return spec.required ? { kind: 'missing', position: spec.position } : { kind: 'github-token', explicit: false, position: spec.position };
  }
  if (spec.kind === 'environment') {
    for (const name of spec.names) {
      const value = context.rawEnv.get(name);
      if (value) return tokenOfRef(value, context, 0);
    }
    return { kind: 'missing', position: spec.position };
  }
  return tokenOfRef(spec.value, context, 0);
}

function tokenOfRef(ref: ValueRef, context: StepContext, depth: number): TokenFacts {
  const text = ref.text.trim();
  const other: TokenFacts = { kind: 'other', text: clipText(text), position: ref.position };
  if (depth > 4) return other;
  const variable = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(text);
  if (variable && ref.shell) {
    const value = context.rawEnv.get(variable[1] as string);
    return value ? tokenOfRef(value, context, depth + 1) : other;
  }
  // The credential may sit inside a larger string ("token ${{ secrets.X }}"), so use its one expression.
  const expressions = findExpressions(text);
  const only = singleExpression(text) ?? (expressions.length === 1 ? expressions[0] : undefined);
  if (!only) return other;
  const position = ref.locate(only.start, only.end);
  const parsed = parseExpression(only.source);
  if (!parsed.ok) return other;
  let result: TokenFacts = other;
  let chains = 0;
  forEachChain(parsed.expr, (chain) => {
    chains++;
    const keys = literalKeys(chain);
    if (chain.root === 'secrets' && keys.length === 1) {
      const name = keys[0] as string;
      const passed = context.callerSecrets instanceof Map ? [...context.callerSecrets].find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1] : undefined;
      if (name.toUpperCase() === 'GITHUB_TOKEN') result = { kind: 'github-token', explicit: true, position };
      // In a reusable workflow a secret is what the caller passes; one it does not pass is empty.
      else if (context.callerSecrets instanceof Map) result = passed ? atUse(tokenOfRef(passed, inCallerTerms(context), depth + 1), position) : { kind: 'missing', position };
      else result = { kind: 'secret', name, position };
    } else if (chain.root === 'inputs' && keys.length === 1 && context.callerInputs) {
      const passed = [...context.callerInputs].find(([key]) => key.toLowerCase() === (keys[0] as string).toLowerCase())?.[1];
      if (passed) result = atUse(tokenOfRef(passed, inCallerTerms(context), depth + 1), position);
    } else if (chain.root === 'github' && keys.length === 1 && keys[0]?.toLowerCase() === 'token') {
      result = { kind: 'github-token', explicit: true, position };
    } else if (chain.root === 'steps' && keys.length === 3 && keys[1]?.toLowerCase() === 'outputs') {
      const stepId = keys[0] as string;
      const facts: TokenFacts = { kind: 'step-output', stepId, output: keys[2] as string, position };
      const app = context.appTokenSteps.get(stepId.toLowerCase());
      if (app) facts.appToken = app;
      result = facts;
    } else if (chain.root === 'env' && keys.length === 1) {
      const value = context.rawEnv.get(keys[0] as string);
      if (value) result = tokenOfRef(value, context, depth + 1);
    }
  });
  // `secrets.A || secrets.B` and the like: more than one source, so no single answer.
  return chains === 1 ? result : other;
}

/** The caller's text is read in the caller's terms: its `inputs` and `secrets` are its own workflow's. */
function inCallerTerms(context: StepContext): StepContext {
  const { callerInputs: _inputs, callerSecrets: _secrets, ...caller } = context;
  return caller;
}

/**
 * A token followed into the caller's `with:` or `secrets:` is reported where it is used (the loaded file's
 * `${{ inputs.token }}`), since findings about a send are located in the send's file.
 */
function atUse(token: TokenFacts, position: Position): TokenFacts {
  return { ...token, position };
}

function stepOutputs(texts: ValueRef[], context: StepContext): StepOutputRef[] {
  const refs = new Map<string, StepOutputRef>();
  for (const ref of texts) {
    for (const expression of findExpressions(ref.text)) {
      const parsed = parseExpression(expression.source);
      if (!parsed.ok) continue;
      forEachChain(parsed.expr, (chain) => {
        const keys = literalKeys(chain);
        if (chain.root !== 'steps' || keys.length < 3 || keys[1]?.toLowerCase() !== 'outputs') return;
        const stepId = keys[0] as string;
        const position = ref.locate(expression.start, expression.end);
        const key = `${stepId}\u0000${keys[2]}\u0000${position.line}:${position.column}`;
        if (refs.has(key)) return;
        refs.set(key, {
          stepId,
          output: keys[2] as string,
          definedBefore: context.stepIdsBefore.has(stepId.toLowerCase()),
          definedAfter: context.stepIdsAfter.has(stepId.toLowerCase()),
          position,
        });
      });
    }
  }
  return [...refs.values()];
}
