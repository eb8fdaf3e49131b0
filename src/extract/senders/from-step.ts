/**
 * Recognises the dispatches one workflow step sends, from a marketplace action's `with:` inputs, an
 * `actions/github-script` script, or the commands of a `run:` script, and describes each as a SendSpec.
 */
import { Scalar, type YAMLMap } from 'yaml';
import type { Position } from '../../model.js';
import { PlainTextFile, type SourceFile } from '../../yaml/source.js';
import { normalisePath, type RepositoryFiles } from '../repository-files.js';
import { mayHoldScriptFacts, parseGithubScript } from '../github-script.js';
import type { RawBindingValue, RawPayload, RawSend, RawValue, ScriptFacts } from '../raw-send.js';
import { parseShellScript } from '../shell.js';
import { parseTemplatedJson, type JsonNode } from '../templated-json.js';
import { findActionSender, isGithubScript, isRequestAction, isSlashCommandDispatch, type ActionSender } from './actions.js';
import { requestActionSenders } from './request-action.js';
import { slashCommandSenders } from './slash-command.js';
import { allInputRefs, formOf, inputRef, withInput } from './inputs.js';
import type { PayloadSpec, SendSpec, TokenSpec, ValueRef } from './spec.js';

export interface StepNodes {
  uses?: Scalar;
  run?: Scalar;
  with?: YAMLMap;
}

export interface StepSenders {
  specs: SendSpec[];
  /** A github-script step that runs local code we cannot see, which may dispatch anything. */
  opaqueScript?: Position;
  /** What a script in the step reads of client_payload, with the scalar the offsets refer to. */
  scriptFacts?: { facts: ScriptFacts; scalar: Scalar };
  /** What is wrong in what the step's dispatches depend on (a config file the action cannot parse): the file's notes. */
  notes?: { message: string; position: Position }[];
  /** Why the step's dispatches could not be read (a file out of reach, values computed at run time): unresolved-dispatch notes. */
  unread?: { message: string; position: Position }[];
}

/** Where the step is: its repository, and the repository's other files it may load (a config, a script). */
export interface StepOrigin {
  repo: string;
  files?: RepositoryFiles;
  /**
   * False where the workflow's payload reads are not wanted (it is no listener, and names no client_payload): a
   * github-script body is then parsed only for what it may send.
   */
  readsPayload?: boolean;
}

export function sendersOfStep(step: StepNodes, source: SourceFile, origin?: StepOrigin): StepSenders {
  const uses = step.uses && typeof step.uses.value === 'string' ? step.uses.value.trim() : undefined;
  if (uses) {
    if (isGithubScript(uses)) return githubScriptSenders(step, uses, source, origin);
    if (isSlashCommandDispatch(uses)) return slashCommandSenders(step, uses, uses.slice(uses.indexOf('@') + 1), source, origin);
    if (isRequestAction(uses)) return requestActionSenders(step, uses, source);
    const found = findActionSender(uses);
    if (found) return { specs: [actionSpec(found.sender, found.version, uses, step, source)] };
    return { specs: [] };
  }
  if (step.run && typeof step.run.value === 'string' && mentionsDispatch(step.run.value)) {
    const facts = parseShellScript(step.run.value);
    return { specs: facts.sends.map((raw) => scriptSpec(raw, step.run as Scalar, source, undefined)), scriptFacts: { facts, scalar: step.run } };
  }
  if (step.run && typeof step.run.value === 'string' && step.run.value.includes('GITHUB_EVENT_PATH')) {
    return { specs: [], scriptFacts: { facts: parseShellScript(step.run.value), scalar: step.run } };
  }
  return { specs: [] };
}

/** Cheap test before running the shell parser: every command it recognises names one of these. */
function mentionsDispatch(script: string): boolean {
  return script.includes('dispatches') || /workflow\s+run/.test(script);
}

function actionSpec(sender: ActionSender, version: string, uses: string, step: StepNodes, source: SourceFile): SendSpec {
  const usesPosition = source.positionOf(step.uses);
  const input = (name: string | undefined): ValueRef | undefined => {
    const node = name ? withInput(step, name) : undefined;
    return node ? inputRef(node, source) : undefined;
  };
  const firstInput = (names: string[]): ValueRef | undefined => names.map(input).find((ref) => ref !== undefined);

  let kind: SendSpec['kind'];
  if (typeof sender.kind === 'string') kind = sender.kind;
  else kind = input(sender.kind.input)?.text.trim() === 'repository_dispatch' ? 'repository_dispatch' : input(sender.kind.input)?.text.trim() === 'workflow_dispatch' ? 'workflow_dispatch' : sender.kind.default;

  let target = input(sender.repository);
  const repoInput = input(sender.repo);
  const ownerInput = input(sender.owner);
  if (!target && (ownerInput || repoInput)) target = joinOwnerAndName(ownerInput, repoInput, usesPosition);

  const payloadRef = firstInput(sender.payload);
  const tokenRef = firstInput(sender.token);
  const tokenDefault = typeof sender.tokenDefault === 'function' ? sender.tokenDefault(version) : sender.tokenDefault;
  const token: TokenSpec = tokenRef ? { kind: 'value', value: tokenRef } : { kind: 'default', required: tokenDefault === 'required', position: usesPosition };

  const spec: SendSpec = {
    kind,
    form: formOf(uses),
    position: usesPosition,
    workflowByName: sender.workflowByName ?? false,
    payload: payloadRef ? { kind: 'json', value: payloadRef } : { kind: 'none' },
    token,
    addedInputs: sender.addsInputs ?? [],
    feedingTexts: allInputRefs(step, source),
  };
  if (target) spec.target = target;
  const eventType = kind === 'repository_dispatch' ? input(sender.eventType) : undefined;
  if (eventType) spec.eventType = eventType;
  const workflow = kind === 'workflow_dispatch' ? input(sender.workflow) : undefined;
  if (workflow) spec.workflow = workflow;
  const ref = input(sender.ref);
  if (ref) spec.ref = ref;
  return spec;
}

function joinOwnerAndName(owner: ValueRef | undefined, name: ValueRef | undefined, fallback: Position): ValueRef {
  const ownerText = owner?.text ?? '${{ github.repository_owner }}';
  const nameText = name?.text ?? '${{ github.event.repository.name }}';
  const anchor = name ?? owner;
  return {
    text: `${ownerText}/${nameText}`,
    position: anchor?.position ?? fallback,
    exact: (owner?.exact ?? true) && (name?.exact ?? true),
    shell: (owner?.shell ?? false) || (name?.shell ?? false),
    locate: () => anchor?.position ?? fallback,
  };
}

function githubScriptSenders(step: StepNodes, uses: string, source: SourceFile, origin: StepOrigin | undefined): StepSenders {
  const script = withInput(step, 'script');
  if (!script || typeof script.value !== 'string') return { specs: [] };
  if (!mayHoldScriptFacts(script.value, origin?.readsPayload !== false)) return { specs: [] };
  const facts = parseGithubScript(script.value);
  const tokenNode = withInput(step, 'github-token');
  const token: TokenSpec = tokenNode
    ? { kind: 'value', value: inputRef(tokenNode, source) }
    : { kind: 'default', required: false, position: source.positionOf(step.uses) };
  const specs = facts.sends.map((raw) => scriptSpec(raw, script, source, token));
  for (const spec of specs) spec.form = formOf(uses);
  const senders: StepSenders = { specs, scriptFacts: { facts, scalar: script } };
  const runsLocalCode = /\b(?:require|import)\s*\(\s*['"`](?:\.|\$\{\{)/.exec(script.value);
  if (runsLocalCode) {
    const at = source.positionInScalar(script, runsLocalCode.index, runsLocalCode.index + runsLocalCode[0].length);
    const loaded = requiredScripts(script.value, origin);
    for (const file of loaded.read) {
      // The file's dispatches are the step's: same token, written in the file, brought in by the require.
      for (const raw of file.facts.sends) {
        const spec = scriptSpec(raw, file.scalar, file.source, token);
        spec.form = formOf(uses);
        spec.file = file.path;
        spec.via = { kind: 'script', path: '', position: at };
        specs.push(spec);
      }
    }
    if (loaded.unread.length > 0 || loaded.read.some((file) => file.facts.unreadable)) {
      senders.opaqueScript = at;
      const names = [...loaded.unread, ...loaded.read.filter((file) => file.facts.unreadable).map((file) => file.path)];
      (senders.unread ??= []).push({
        message: `this github-script runs ${names.map((name) => `\`${name}\``).join(', ')}, which dispatch-lint cannot read, so it assumes that code may dispatch any event type to ${origin?.repo ?? 'this repository'}: listeners there are not reported as having no sender`,
        position: at,
      });
    }
  }
  // A script that could not be read may hold the dispatch a listener waits for.
  else if (facts.unreadable && /dispatch/i.test(script.value)) senders.opaqueScript = source.positionOf(script);
  return senders;
}

interface RequiredScript {
  path: string;
  facts: ScriptFacts;
  source: SourceFile;
  scalar: Scalar;
}

/**
 * The repository's own files a script requires (`require('./.github/scripts/bot.js')`, relative to the
 * workspace, as github-script resolves them), read and parsed where they can be; the rest by name. A path built
 * by an expression is unread.
 */
function requiredScripts(script: string, origin: StepOrigin | undefined): { read: RequiredScript[]; unread: string[] } {
  const found: { read: RequiredScript[]; unread: string[] } = { read: [], unread: [] };
  for (const match of script.matchAll(/\b(?:require|import)\s*\(\s*(['"`])((?:\.|\$\{\{)[^'"`]*)\1/g)) {
    const written = match[2] as string;
    const path = written.startsWith('.') ? normalisePath(written) : undefined;
    const candidates = path === undefined ? [] : /\.[cm]?js$/.test(path) ? [path] : [`${path}.js`, `${path}/index.js`, path];
    const text = origin?.files ? candidates.map((candidate) => ({ candidate, text: origin.files?.read(origin.repo, candidate) })).find((entry) => entry.text !== undefined) : undefined;
    if (!text || text.text === undefined) {
      found.unread.push(written);
      continue;
    }
    const file = new PlainTextFile(text.text);
    const scalar = new Scalar(text.text);
    found.read.push({ path: text.candidate, facts: parseGithubScript(text.text), source: file, scalar });
  }
  return found;
}

/** A value from inside a script, located through the script scalar. */
function scriptRef(raw: RawValue, scalar: Scalar, source: SourceFile, shell: boolean): ValueRef {
  const script = String(scalar.value);
  const written = script.slice(raw.span.start, raw.span.end);
  const inner = written.indexOf(raw.text);
  return {
    text: raw.text,
    position: source.positionInScalar(scalar, raw.span.start, raw.span.end),
    exact: raw.exact,
    shell,
    locate: (start, end) =>
      inner >= 0
        ? source.positionInScalar(scalar, raw.span.start + inner + start, raw.span.start + inner + end)
        : source.positionInScalar(scalar, raw.span.start, raw.span.end),
  };
}

function scriptSpec(raw: RawSend, scalar: Scalar, source: SourceFile, githubScriptToken: TokenSpec | undefined): SendSpec {
  const shell = githubScriptToken === undefined;
  const ref = (value: RawValue | undefined) => (value ? scriptRef(value, scalar, source, shell) : undefined);
  const position = source.positionInScalar(scalar, raw.span.start, raw.span.end);
  const spec: SendSpec = {
    kind: raw.kind,
    form: raw.form,
    position,
    workflowByName: raw.form === 'gh workflow run',
    payload: { kind: 'none' },
    token: githubScriptToken ?? shellToken(raw, scalar, source, position),
    addedInputs: [],
    feedingTexts: [{ text: String(scalar.value).slice(raw.span.start, raw.span.end), position, exact: true, shell, locate: () => position }],
  };
  const target = ref(raw.repository) ?? (raw.owner || raw.repo ? joinOwnerAndName(ref(raw.owner), ref(raw.repo), position) : undefined);
  if (target) spec.target = target;
  const eventType = ref(raw.eventType);
  if (eventType) spec.eventType = eventType;
  const workflow = ref(raw.workflow);
  if (workflow) spec.workflow = workflow;
  const gitRef = ref(raw.ref);
  if (gitRef) spec.ref = gitRef;
  if (raw.payload) spec.payload = rawPayloadSpec(raw.payload, scalar, source, shell);
  if (raw.body) readBody(spec, scriptRef(raw.body, scalar, source, shell));
  if (raw.bindings) {
    spec.bindings = raw.bindings;
    // A loop over `${{ steps.x.outputs.list }}` depends on that step as much as the command does.
    for (const binding of raw.bindings) spec.feedingTexts.push(...bindingRefs(binding.values ?? [], scalar, source));
  }
  return spec;
}

/** The binding values that hold an expression, as refs; a list shared by many sends is read once. */
const bindingRefCache = new WeakMap<RawBindingValue[], ValueRef[]>();
function bindingRefs(values: RawBindingValue[], scalar: Scalar, source: SourceFile): ValueRef[] {
  let refs = bindingRefCache.get(values);
  if (!refs) {
    refs = values.filter((value) => value.text.includes('${{')).map((value) => scriptRef({ ...value, exact: true }, scalar, source, true));
    bindingRefCache.set(values, refs);
  }
  return refs;
}

function shellToken(raw: RawSend, scalar: Scalar, source: SourceFile, position: Position): TokenSpec {
  if (raw.authorization) return { kind: 'value', value: scriptRef(raw.authorization, scalar, source, true) };
  // curl without an Authorization header sends no token at all; gh reads its token from the environment.
  return raw.form === 'curl' ? { kind: 'default', required: true, position } : { kind: 'environment', names: ['GH_TOKEN', 'GITHUB_TOKEN'], position };
}

function rawPayloadSpec(payload: RawPayload, scalar: Scalar, source: SourceFile, shell: boolean): PayloadSpec {
  switch (payload.kind) {
    case 'json-text':
      return { kind: 'json', value: scriptRef(payload.text, scalar, source, shell) };
    case 'fields':
      return {
        kind: 'fields',
        position: source.positionInScalar(scalar, payload.span.start, payload.span.end),
        fields: payload.fields.map((field) => ({
          path: field.path,
          value: scriptRef(field.value, scalar, source, shell),
          valueType: field.valueType,
          keyPosition: source.positionInScalar(scalar, field.keySpan.start, field.keySpan.end),
        })),
      };
    case 'not-object':
    case 'unknown':
      return { kind: payload.kind, reason: payload.reason, position: source.positionInScalar(scalar, payload.span.start, payload.span.end) };
  }
}

/**
 * A whole request body (`curl -d '{...}'`): event_type / client_payload for a repository dispatch,
 * ref / inputs for a workflow dispatch. The payload keeps its own offsets inside the body.
 */
function readBody(spec: SendSpec, body: ValueRef): void {
  const parsed = parseTemplatedJson(body.text, { shellVariables: body.shell });
  if (!parsed.ok && parsed.tooDeep) {
    spec.payload = { kind: 'unknown', reason: `its request body ${parsed.error.replace(/^it /, '')}`, position: body.position, beyondLimit: true };
    if (spec.kind === 'repository_dispatch') spec.eventType = { ...body, exact: false };
    return;
  }
  if (!parsed.ok || parsed.node.type !== 'object') {
    spec.payload = { kind: 'unknown', reason: 'its request body could not be read as JSON', position: body.position };
    // `-d "$BODY"`: the event type is in there somewhere, unknown (unresolved), not missing (empty).
    if (spec.kind === 'repository_dispatch') spec.eventType = { ...body, exact: false };
    return;
  }
  const member = (name: string) => parsed.node.type === 'object' ? parsed.node.entries.find((entry) => entry.key === name)?.value : undefined;
  const stringRef = (node: JsonNode | undefined): ValueRef | undefined => {
    if (!node) return undefined;
    const text = node.type === 'string' ? node.text : node.type === 'expression' ? (node.shell ? node.source : `\${{ ${node.source} }}`) : undefined;
    if (text === undefined) return undefined;
    return { ...body, text, position: body.locate(node.start, node.end) };
  };
  const subRef = (node: JsonNode): ValueRef => ({
    ...body,
    text: body.text.slice(node.start, node.end),
    position: body.locate(node.start, node.end),
    locate: (start, end) => body.locate(node.start + start, node.start + end),
  });
  if (spec.kind === 'repository_dispatch') {
    const eventType = stringRef(member('event_type'));
    if (eventType) spec.eventType = eventType;
    const payload = member('client_payload');
    spec.payload = payload ? { kind: 'json', value: subRef(payload) } : { kind: 'none' };
  } else {
    const ref = stringRef(member('ref'));
    if (ref) spec.ref = ref;
    const inputs = member('inputs');
    spec.payload = inputs ? { kind: 'json', value: subRef(inputs) } : { kind: 'none' };
  }
}
