/**
 * peter-evans/slash-command-dispatch (and its forks): a chat-ops comment `/deploy env=prod` in an issue or pull
 * request becomes a dispatch from the workflow that runs the action (`on: issue_comment`). Modelled on the
 * action's own files (repository peter-evans/slash-command-dispatch):
 *
 * - `action.yml`: inputs `token` (required, no default), `commands` (required), `permission` (write),
 *   `issue-type` (both), `allow-edits` (false), `repository` (`${{ github.repository }}`), `event-type-suffix`
 *   (`-command`), `static-args`, `dispatch-type` (repository), `config`, `config-from-file`.
 * - `src/command-helper.ts` getCommandsConfig: `config-from-file` wins over `config`, which wins over the inputs.
 *   In JSON configuration each command has its own `repository`, `event_type_suffix`, `static_args`,
 *   `dispatch_type`, `issue_type`, `permission`; absent (or empty) ones take the action's defaults
 *   (commandDefaults), not the step's inputs. configIsValid fails the whole step on an invalid `permission`,
 *   `issue_type` or `dispatch_type`. `src/utils.ts` getStringAsArray splits `commands` and `static-args` on
 *   commas and newlines (v2 on; v1's src/func.js removes all whitespace and splits on commas only).
 * - `src/github-helper.ts` createRepositoryDispatch: event type `<command><event_type_suffix>`; client_payload
 *   `{slash_command, github: <the issue_comment run's github context>, pull_request?}` (src/main.ts; the pull
 *   request only for a comment on one). createWorkflowDispatch: workflow file `<command><suffix>.yml` (v2 to v4:
 *   the file name is the workflow_id, so the API answers 404 for a missing one); from v5 the first workflow
 *   whose path ends in `<command><suffix>.yml` or `.yaml` (docs/updating.md: ".yaml is now supported"). Its
 *   inputs are the named arguments, static ones first, at most 10, `ref` excluded (it picks the ref, else the
 *   default branch); unnamed arguments are dropped (docs/workflow-dispatch.md: the target "must define these
 *   arguments as inputs", else GitHub answers "Unexpected inputs provided").
 * - `getSlashCommandPayload`: `slash_command` is `{command, args: {all, unnamed: {all, arg1...}, named: {...}}}`
 *   from v2 (docs/updating.md); v1 put `args` (a string), `argN` and the named arguments at its top level.
 */
import type { Position } from '../../model.js';
import { findExpressions } from '../../expressions/template.js';
import type { SourceFile } from '../../yaml/source.js';
import { parseTemplatedJson, type JsonNode } from '../templated-json.js';
import type { StepNodes, StepOrigin, StepSenders } from './from-step.js';
import { allInputRefs, fixedRef, formOf, inputRef, withInput } from './inputs.js';
import type { PayloadSpec, SendSpec, TokenSpec, ValueRef } from './spec.js';

const ACTION = 'peter-evans/slash-command-dispatch';
const DEFAULT_SUFFIX = '-command';
/** src/command-helper.ts: NAMED_ARG_REGEX (v2 on). */
const NAMED_ARG = /^([a-zA-Z0-9_-]+)=(.+)$/s;
/** src/github-helper.ts createWorkflowDispatch: "Take max 10 named arguments, excluding 'ref'". */
const MAX_WORKFLOW_INPUTS = 10;
const PERMISSIONS_V1 = ['none', 'read', 'write', 'admin'];
const PERMISSIONS = ['none', 'read', 'triage', 'write', 'maintain', 'admin'];
const ISSUE_TYPES = ['issue', 'pull-request', 'both'];
const DISPATCH_TYPES = ['repository', 'workflow'];

/** What changed between major versions. A SHA or a branch is taken as a current release. */
interface Generation {
  /** v1's slash_command has the arguments at its top level, under names the comment chooses. */
  flatPayload: boolean;
  /** v2 on: `dispatch-type` and `static-args`. */
  workflowDispatch: boolean;
  /** v5 on: a workflow file may end in `.yaml` too. */
  yamlWorkflows: boolean;
}

function generationOf(version: string): Generation {
  const major = /^v?(\d+)/.exec(version)?.[1];
  const n = major === undefined ? Number.POSITIVE_INFINITY : Number(major);
  return { flatPayload: n < 2, workflowDispatch: n >= 2, yamlWorkflows: n >= 5 };
}

/** One command's configuration, as the action builds it for each registered command. */
interface CommandConfig {
  repository?: ValueRef;
  suffix: ValueRef;
  dispatchType: 'repository' | 'workflow';
  staticArgs: ValueRef[];
  /** Whether a pull request's comment may run it (then `pull_request` is in the payload). */
  onPullRequests: boolean;
}

interface Context {
  step: StepNodes;
  source: SourceFile;
  uses: string;
  generation: Generation;
  usesPosition: Position;
  token: TokenSpec;
}

export function slashCommandSenders(step: StepNodes, uses: string, version: string, source: SourceFile, origin?: StepOrigin): StepSenders {
  const tokenNode = withInput(step, 'token');
  const usesPosition = source.positionOf(step.uses);
  const context: Context = {
    step,
    source,
    uses,
    generation: generationOf(version),
    usesPosition,
    // src/main.ts: "Missing required input 'token'" fails the step; no version has a default.
    token: tokenNode ? { kind: 'value', value: inputRef(tokenNode, source) } : { kind: 'default', required: true, position: usesPosition },
  };
  const fromFile = withInput(step, 'config-from-file');
  if (fromFile && String(fromFile.value ?? '') !== '') return fileConfigSenders(context, inputRef(fromFile, source), origin);
  const inline = withInput(step, 'config');
  if (inline && String(inline.value ?? '') !== '') return jsonConfigSenders(context, inputRef(inline, source), 'the config input');
  return inputConfigSenders(context);
}

/** Configuration from the step's inputs: every command shares one repository, suffix and dispatch type. */
function inputConfigSenders(context: Context): StepSenders {
  const input = (name: string) => {
    const node = withInput(context.step, name);
    return node ? inputRef(node, context.source) : undefined;
  };
  const commands = input('commands');
  if (!commands) return { specs: [] };
  const problem = invalidSetting('permission', input('permission'), context.generation.flatPayload ? PERMISSIONS_V1 : PERMISSIONS) ?? invalidSetting('issue-type', input('issue-type'), ISSUE_TYPES);
  if (problem) return { specs: [], notes: [problem] };
  const dispatchInput = context.generation.workflowDispatch ? input('dispatch-type') : undefined;
  const dispatchProblem = invalidSetting('dispatch-type', dispatchInput, DISPATCH_TYPES);
  if (dispatchProblem) return { specs: [], notes: [dispatchProblem] };
  const staticArgs = context.generation.workflowDispatch ? input('static-args') : undefined;
  const config: CommandConfig = {
    suffix: input('event-type-suffix') ?? fixedRef(DEFAULT_SUFFIX, context.usesPosition),
    dispatchType: dispatchInput?.text.trim() === 'workflow' ? 'workflow' : 'repository',
    staticArgs: staticArgs ? splitList(staticArgs.text).map((item) => subRef(staticArgs, item)) : [],
    onPullRequests: input('issue-type')?.text.trim() !== 'issue',
  };
  const repository = input('repository');
  if (repository) config.repository = repository;
  if (dispatchInput && findExpressions(dispatchInput.text).length > 0) {
    return { specs: [unresolvedSpec(context, config, fixedRef(dispatchInput.text, dispatchInput.position, false))] };
  }
  const base = unresolvedSpec(context, config, commands);
  base.perValue = {
    list: commands,
    split: (text) => (context.generation.workflowDispatch ? splitList(text) : splitV1(text)),
    specFor: (command, at) => commandSpec(context, config, at.text === command ? at : { ...at, text: command }),
    unresolved: () => unresolvedSpec(context, config, commands),
  };
  return { specs: [base] };
}

/** `config-from-file`: read from the scanned repository where its files are at hand, never guessed. */
function fileConfigSenders(context: Context, path: ValueRef, origin: StepOrigin | undefined): StepSenders {
  const name = path.text.trim();
  const text = findExpressions(name).length === 0 && origin?.files ? origin.files.read(origin.repo, name) : undefined;
  if (text === undefined) {
    const why = findExpressions(name).length > 0
      ? 'its path is only known at run time'
      : origin?.files
        ? 'that file is not in the repository'
        : 'dispatch-lint was not given the repository\'s other files';
    return {
      specs: [],
      // Its commands may be the sender a listener of this repository waits for.
      opaqueScript: path.position,
      unread: [{ message: `the slash commands this step dispatches are configured in '${name}', and ${why}, so they are not checked`, position: path.position }],
    };
  }
  // Positions inside another file cannot be shown in this one: everything points at the `config-from-file:` value.
  // The action reads the file as it is: a `${{ }}` in it is not expanded, so such a value stays unknown.
  const fileRef: ValueRef = { ...path, text, locate: () => path.position };
  return jsonConfigSenders(context, fileRef, `'${name}'`, true);
}

/** JSON configuration: an array of commands, each with its own settings. */
function jsonConfigSenders(context: Context, json: ValueRef, where: string, fromFile = false): StepSenders {
  const parsed = parseTemplatedJson(json.text);
  const hasExpressions = findExpressions(json.text).length > 0;
  if (!parsed.ok || parsed.node.type !== 'array') {
    if (hasExpressions && !fromFile) return { specs: [], opaqueScript: json.position, unread: [{ message: `the slash commands in ${where} are computed at run time, so they are not checked`, position: json.position }] };
    const why = parsed.ok ? `it is a JSON ${parsed.node.type}, not an array of commands` : `it is not valid JSON: ${parsed.error}`;
    return { specs: [], notes: [{ message: `the slash-command configuration in ${where} cannot be read by the action (${why}), so the step fails before it dispatches anything`, position: parsed.ok || fromFile ? json.position : json.locate(parsed.offset, parsed.offset + 1) }] };
  }
  const specs: SendSpec[] = [];
  for (const item of parsed.node.items) {
    if (item.type !== 'object') continue;
    const member = (key: string) => item.entries.find((entry) => entry.key === key)?.value;
    const text = (key: string) => nodeRef(json, member(key), fromFile);
    const invalid =
      invalidSetting('permission', text('permission'), context.generation.flatPayload ? PERMISSIONS_V1 : PERMISSIONS) ??
      invalidSetting('issue_type', text('issue_type'), ISSUE_TYPES) ??
      (context.generation.workflowDispatch ? invalidSetting('dispatch_type', text('dispatch_type'), DISPATCH_TYPES) : undefined);
    // configIsValid checks every command before any is dispatched: one bad entry stops them all.
    if (invalid) return { specs: [], notes: [invalid] };
    const command = text('command');
    // Without a command the entry never matches a comment (`cmd.command == commandTokens[0]`).
    if (!command || command.text === '') continue;
    const staticArgs = member('static_args');
    const dispatchType = context.generation.workflowDispatch ? text('dispatch_type') : undefined;
    const config: CommandConfig = {
      suffix: nonEmpty(text('event_type_suffix')) ?? fixedRef(DEFAULT_SUFFIX, command.position),
      dispatchType: dispatchType?.text === 'workflow' ? 'workflow' : 'repository',
      staticArgs:
        context.generation.workflowDispatch && staticArgs?.type === 'array'
          ? staticArgs.items.flatMap((arg) => {
              const ref = nodeRef(json, arg, fromFile);
              return ref ? [ref] : [];
            })
          : [],
      onPullRequests: text('issue_type')?.text !== 'issue',
    };
    const repository = nonEmpty(text('repository'));
    if (repository) config.repository = repository;
    if (dispatchType && findExpressions(dispatchType.text).length > 0) specs.push(unresolvedSpec(context, config, { ...dispatchType, exact: false }));
    else specs.push(commandSpec(context, config, command));
  }
  return { specs };
}

/** A configuration value the action rejects, which fails the whole step: a note (no rule owns it). */
function invalidSetting(name: string, value: ValueRef | undefined, allowed: string[]): { message: string; position: Position } | undefined {
  if (!value || !value.exact || findExpressions(value.text).length > 0 || allowed.includes(value.text.trim())) return undefined;
  // The action's inputs take their default when empty (command-helper.ts getInputs, commandDefaults).
  if (value.text.trim() === '') return undefined;
  return { message: `'${value.text.trim()}' is not a valid '${name}' for ${ACTION} (${allowed.join(', ')}), so the step fails before it dispatches anything`, position: value.position };
}

/** The dispatch of one command. `command` is where the command is written (or the list it came from). */
function commandSpec(context: Context, config: CommandConfig, command: ValueRef): SendSpec {
  const name = composed(command, config.suffix);
  const spec = baseSpec(context, config);
  if (config.dispatchType === 'workflow') {
    spec.kind = 'workflow_dispatch';
    spec.workflow = { ...name, text: `${name.text}.yml` };
    if (context.generation.yamlWorkflows) spec.workflowAlternatives = (file) => (file.endsWith('.yml') ? [`${file.slice(0, -'.yml'.length)}.yaml`] : []);
    workflowInputs(spec, config, context);
  } else {
    spec.eventType = name;
    spec.payload = repositoryPayload(context, config, command);
  }
  return spec;
}

/** The dispatch of commands that cannot be known: its event type (or workflow) stays unresolved. */
function unresolvedSpec(context: Context, config: CommandConfig, commands: ValueRef): SendSpec {
  const spec = baseSpec(context, config);
  const name = { ...composed(commands, config.suffix), exact: false };
  if (config.dispatchType === 'workflow') {
    spec.kind = 'workflow_dispatch';
    spec.workflow = { ...name, text: `${name.text}.yml` };
    spec.payload = { kind: 'unknown', reason: 'its inputs are the named arguments of a chat-ops comment', position: commands.position };
  } else {
    spec.eventType = name;
    spec.payload = repositoryPayload(context, config, { ...commands, exact: false });
  }
  return spec;
}

function baseSpec(context: Context, config: CommandConfig): SendSpec {
  const spec: SendSpec = {
    kind: 'repository_dispatch',
    form: formOf(context.uses),
    position: context.usesPosition,
    workflowByName: false,
    payload: { kind: 'none' },
    token: context.token,
    addedInputs: [],
    feedingTexts: allInputRefs(context.step, context.source),
  };
  if (config.repository) spec.target = config.repository;
  return spec;
}

/**
 * The client_payload the action builds: `slash_command` (its inner keys from the comment where they depend on
 * it, so those are of unknown shape), `github` (the whole context of the issue_comment run) and, for a comment
 * on a pull request, `pull_request` (the pull request as the API returns it).
 */
function repositoryPayload(context: Context, config: CommandConfig, command: ValueRef): PayloadSpec {
  const at = context.usesPosition;
  const field = (path: string[], valueType: string, value?: ValueRef) => ({ path, valueType, value: value ?? fixedRef('', at, false), keyPosition: at });
  const fields = context.generation.flatPayload
    ? [field(['slash_command'], 'unknown')]
    : [
        field(['slash_command'], 'object'),
        field(['slash_command', 'command'], 'string', { ...command, position: at, locate: () => at }),
        field(['slash_command', 'args'], 'object'),
        field(['slash_command', 'args', 'all'], 'string'),
        // `unnamed.all` always, `arg1`... and every `named` key as the comment has them.
        field(['slash_command', 'args', 'unnamed'], 'unknown'),
        field(['slash_command', 'args', 'named'], 'unknown'),
      ];
  fields.push(field(['github'], 'unknown'));
  if (config.onPullRequests) fields.push(field(['pull_request'], 'unknown'));
  return { kind: 'fields', fields, position: at, builtBy: ACTION };
}

/**
 * workflow_dispatch inputs: the named static arguments (the comment's own named arguments come at run time, so
 * more inputs may be sent); a static `ref=` picks the ref instead.
 */
function workflowInputs(spec: SendSpec, config: CommandConfig, context: Context): void {
  const fields: Extract<PayloadSpec, { kind: 'fields' }>['fields'] = [];
  for (const arg of config.staticArgs) {
    const named = NAMED_ARG.exec(arg.text);
    if (!named || findExpressions(named[1] as string).length > 0) continue;
    const key = named[1] as string;
    const valueStart = key.length + 1;
    const raw = named[2] as string;
    // stripQuotes: a value written "like this" loses its quotes.
    const quoted = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"');
    const value: ValueRef = {
      ...arg,
      text: quoted ? raw.slice(1, -1) : raw,
      position: arg.locate(valueStart, arg.text.length),
      locate: (start, end) => arg.locate(valueStart + (quoted ? 1 : 0) + start, valueStart + (quoted ? 1 : 0) + end),
    };
    if (key === 'ref') {
      spec.ref = value;
      continue;
    }
    if (fields.length === MAX_WORKFLOW_INPUTS || fields.some((field) => field.path[0] === key)) continue;
    fields.push({ path: [key], value, valueType: 'string', keyPosition: arg.locate(0, key.length) });
  }
  spec.payload = { kind: 'fields', fields, position: config.staticArgs[0]?.position ?? context.usesPosition, runTimeKeys: 'the named arguments of the chat-ops comment' };
}

/** `deploy` + `-command`: the event type (or workflow file stem) as one ValueRef, pointed at the command. */
function composed(command: ValueRef, suffix: ValueRef): ValueRef {
  return { ...command, text: `${command.text}${suffix.text}`, exact: command.exact && suffix.exact };
}

/** getStringAsArray (src/utils.ts): split on commas and newlines, trimmed, empty items dropped. */
export function splitList(text: string): { value: string; start: number; end: number }[] {
  const items: { value: string; start: number; end: number }[] = [];
  const expressions = findExpressions(text);
  let from = 0;
  const push = (end: number) => {
    const raw = text.slice(from, end);
    const value = raw.trim();
    const start = from + raw.indexOf(value);
    if (value !== '') items.push({ value, start, end: start + value.length });
  };
  for (let i = 0; i < text.length; i++) {
    const inside = expressions.find((expression) => i >= expression.start && i < expression.end);
    if (inside) {
      i = inside.end - 1;
      continue;
    }
    if (text[i] === ',' || text[i] === '\n') {
      push(i);
      from = i + 1;
    }
  }
  push(text.length);
  return items;
}

/** v1 (src/func.js getCommandsConfigFromInputs): `commands.replace(/\s+/g, '').split(',')`. */
function splitV1(text: string): { value: string; start: number; end: number }[] {
  const items: { value: string; start: number; end: number }[] = [];
  let from = 0;
  for (const part of text.split(',')) {
    const value = part.replace(/\s+/g, '');
    const lead = part.length - part.trimStart().length;
    // Whitespace inside a v1 item is removed, so `deploy\nbuild` is the one command `deploybuild`.
    if (value !== '') items.push({ value, start: from + lead, end: from + part.trimEnd().length });
    from += part.length + 1;
  }
  return items;
}

function subRef(list: ValueRef, item: { value: string; start: number; end: number }): ValueRef {
  return { ...list, text: item.value, position: list.locate(item.start, item.end), locate: (start, end) => list.locate(item.start + start, item.start + end) };
}

/** A JSON string (or bare expression) of the configuration as a ValueRef; undefined for other values. */
function nodeRef(json: ValueRef, node: JsonNode | undefined, fromFile: boolean): ValueRef | undefined {
  if (!node) return undefined;
  const position = json.locate(node.start, node.end);
  if (node.type === 'string') {
    return { ...json, text: node.text, position, exact: json.exact && !(fromFile && node.templated), locate: () => position };
  }
  if (node.type === 'expression') return { ...json, text: `\${{ ${node.source} }}`, position, exact: json.exact && !fromFile, locate: () => position };
  if (node.type === 'boolean' || node.type === 'number') return { ...json, text: String(node.value), position, locate: () => position };
  return undefined;
}

function nonEmpty(ref: ValueRef | undefined): ValueRef | undefined {
  return ref && ref.text !== '' ? ref : undefined;
}
