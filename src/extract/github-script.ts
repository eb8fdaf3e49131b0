/**
 * Finds repository_dispatch / workflow_dispatch sends and `client_payload` reads in the `script:` body of an
 * `actions/github-script` step.
 *
 * The script is the body of an async function, so top-level `await` and `return` are legal. The runner pastes
 * every `${{ }}` into the text before the script runs; we mask each one with an identifier of the same length
 * (offsets stay true) and give the original `${{ }}` text back wherever a value holds one.
 *
 * Where the shared contract (raw-send.ts) has no exact slot, these are the nearest fits chosen here:
 * - A value taken from a top-level constant (`const repo = 'api'; ... { repo }`) carries the span of the
 *   constant's literal: that is where the value is spelt and where a fix would go.
 * - A payload object literal that is only partly visible (`{ ...defaults, a: 1 }` with `defaults` unknown, or a
 *   computed key) is reported as kind 'unknown', not 'fields': RawPayload has no "these fields, maybe more" form,
 *   and reporting only the visible keys would make the hidden ones look unsent.
 * - A bare `${{ }}` payload (`client_payload: ${{ toJSON(x) }}`) is kind 'json-text': the runner pastes JSON there.
 * - `process.env.X` is `$X` when it is the whole value and `${X}` inside a longer text (so the name's end is
 *   clear). A literal `$` in a JS string cannot be told apart from a variable reference in `RawValue.text`.
 * - A read through destructuring (`const { version } = context.payload.client_payload`) is spanned on the
 *   destructuring property (`version`), since no member expression exists.
 * - `context.payload` used whole counts as a whole read of client_payload (`{ path: [], whole: true }`).
 */
import { parse } from 'acorn';
import type {
  AnyNode,
  CallExpression,
  Expression,
  Identifier,
  ObjectExpression,
  ObjectPattern,
  Pattern,
  Program,
  TemplateLiteral,
  VariableDeclarator,
} from 'acorn';
import { findClose } from '../expressions/template.js';
import { firstBracketDeeperThan, isStackOverflow, MAX_NESTING_DEPTH } from './limits.js';
import type {
  RawField,
  RawPayload,
  RawPayloadRead,
  RawSend,
  RawValue,
  RawValueType,
  ScriptFacts,
  Span,
} from './raw-send.js';

const FORM = 'github-script';

/**
 * Whether parsing `script` can find anything. Every send this reads names `dispatch` (createDispatchEvent,
 * createWorkflowDispatch, a `.../dispatches` route) or sits in a file the script loads (`require`, `import`), and
 * every payload read names `payload`: a script with none of them has nothing to find, and is not parsed (a third of
 * the corpus's scripts; it cannot be unreadable either, since an error in it hides no dispatch). Where payload reads
 * are not wanted, only sends count.
 */
export function mayHoldScriptFacts(script: string, payloadReadsWanted = true): boolean {
  return /dispatch|require|import/i.test(script) || (payloadReadsWanted && /payload/i.test(script));
}

/** Parses one github-script body. Never throws: a script acorn cannot parse gives one problem instead. */
export function parseGithubScript(script: string): ScriptFacts {
  if (!mayHoldScriptFacts(script)) return { sends: [], payloadReads: [], problems: [] };
  try {
    return analyse(script);
  } catch (error) {
    // A bug here (or a pathologically deep script) must not stop the lint run; report it like a parse problem.
    if (isStackOverflow(error)) return tooDeepFacts(script, 0);
    const why = errorMessage(error);
    return {
      sends: [],
      payloadReads: [],
      problems: [{ message: `github-script could not be analysed: ${why}; any dispatch it sends is not checked`, span: { start: 0, end: 0 } }],
      unreadable: true,
    };
  }
}

function analyse(script: string): ScriptFacts {
  const masked = maskExpressions(script);
  // acorn and the walks below recurse; past the limit the script is not read (at the same place on every machine).
  const deep = firstBracketDeeperThan(masked.text, MAX_NESTING_DEPTH);
  if (deep !== undefined) return tooDeepFacts(script, deep);
  const parsed = parseMasked(masked.text);
  if ('error' in parsed) return parseFailureFacts(script, parsed.error, parsed.offset);

  const tree = indexTree(parsed.program);
  const model: Model = { script, masked, tree, bindings: collectBindings(tree), aliasCache: new Map() };
  return {
    sends: findSends(model),
    payloadReads: dedupeReads([...findPayloadReads(model), ...findLocalScriptLoads(model)]),
    problems: [],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// `${{ }}` masking

interface MaskedScript {
  /** The script with every `${{ ... }}` replaced by an identifier of exactly the same length. */
  text: string;
  /** Placeholder identifier -> the `${{ ... }}` text it stands for. */
  expressions: Map<string, string>;
  /** Matches any placeholder; undefined when there are none. */
  placeholderPattern: RegExp | undefined;
}

function maskExpressions(script: string): MaskedScript {
  const expressions = new Map<string, string>();
  let text = '';
  let copiedUpTo = 0;
  let searchFrom = 0;
  for (;;) {
    const start = script.indexOf('${{', searchFrom);
    if (start < 0) break;
    const end = findExpressionEnd(script, start + 3);
    if (end < 0) break; // unterminated: leave the rest as written
    const original = script.slice(start, end);
    const placeholder = makePlaceholder(expressions.size, original.length);
    if (placeholder !== undefined) {
      text += script.slice(copiedUpTo, start) + placeholder;
      copiedUpTo = end;
      expressions.set(placeholder, original);
    }
    searchFrom = end;
  }
  text += script.slice(copiedUpTo);
  const placeholderPattern =
    expressions.size === 0 ? undefined : new RegExp([...expressions.keys()].map(escapeRegExp).join('|'), 'g');
  return { text, expressions, placeholderPattern };
}

/** The offset just past the `}}` that closes an expression whose body starts at `from`, or -1 (see findClose). */
function findExpressionEnd(script: string, from: number): number {
  const close = findClose(script, from);
  return close < 0 ? -1 : close + 2;
}

/**
 * A valid JS identifier of exactly `length` characters, unique per index. The `_` right after the index keeps
 * one placeholder from being a prefix of another (`__dlx1_` vs `__dlx10_`). The short form serves `${{x}}`.
 */
function makePlaceholder(index: number, length: number): string | undefined {
  for (const base of [`__dlx${index}_`, `_$${index}_`]) {
    if (base.length <= length) return base.padEnd(length, '_');
  }
  return undefined;
}

/** Puts the original `${{ }}` text back into a value read from the masked script. */
function restoreExpressions(masked: MaskedScript, text: string): string {
  if (masked.placeholderPattern === undefined) return text;
  return text.replace(masked.placeholderPattern, (placeholder) => masked.expressions.get(placeholder) ?? placeholder);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing

type ParseResult = { program: Program } | { error: string; offset: number };

function parseMasked(text: string): ParseResult {
  try {
    const program = parse(text, {
      ecmaVersion: 'latest',
      // github-script runs the text as an async function body, not as a module.
      sourceType: 'script',
      allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: true,
      allowHashBang: true,
    });
    return { program };
  } catch (error) {
    const offset = errorOffset(error);
    return { error: errorMessage(error), offset: Math.min(Math.max(offset, 0), text.length) };
  }
}

function errorOffset(error: unknown): number {
  if (typeof error === 'object' && error !== null && 'pos' in error && typeof error.pos === 'number') return error.pos;
  return 0;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function tooDeepFacts(script: string, offset: number): ScriptFacts {
  return {
    sends: [],
    payloadReads: wholeReadIfMentioned(script),
    problems: [{ message: `github-script was not analysed: it nests more than ${MAX_NESTING_DEPTH} levels deep, beyond what dispatch-lint reads; any dispatch it sends is not checked`, span: { start: offset, end: offset + 1 } }],
    unreadable: true,
  };
}

function wholeReadIfMentioned(script: string): RawPayloadRead[] {
  const mention = script.indexOf('client_payload');
  return mention >= 0 ? [{ path: [], span: { start: mention, end: mention + 'client_payload'.length }, whole: true }] : [];
}

/** No sends can be trusted; but if the text names client_payload, its reads are unknown rather than absent. */
function parseFailureFacts(script: string, message: string, offset: number): ScriptFacts {
  const payloadReads = wholeReadIfMentioned(script);
  const span = { start: offset, end: Math.min(offset + 1, script.length) };
  return {
    sends: [],
    payloadReads,
    problems: [{ message: `github-script could not be parsed: ${message} at offset ${offset}; any dispatch it sends is not checked`, span }],
    unreadable: true,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Tree index: parents and pre-order node list (acorn nodes carry no parent links)

interface ScriptTree {
  program: Program;
  nodes: AnyNode[];
  parents: Map<AnyNode, AnyNode>;
}

function indexTree(program: Program): ScriptTree {
  const nodes: AnyNode[] = [];
  const parents = new Map<AnyNode, AnyNode>();
  // An explicit stack: deeply nested scripts must not overflow the call stack.
  const stack: AnyNode[] = [program];
  while (stack.length > 0) {
    const node = stack.pop() as AnyNode;
    nodes.push(node);
    const children = childNodes(node);
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i] as AnyNode;
      parents.set(child, node);
      stack.push(child);
    }
  }
  return { program, nodes, parents };
}

function childNodes(node: AnyNode): AnyNode[] {
  const children: AnyNode[] = [];
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) children.push(item);
    } else if (isNode(value)) {
      children.push(value);
    }
  }
  return children;
}

function isNode(value: unknown): value is AnyNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string' &&
    typeof (value as { start?: unknown }).start === 'number'
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Bindings: which names we can follow to their one initialiser

/** One step from a destructured value to a name: a key, or undefined for an array element or a rest. */
type AccessStep = string | undefined;

interface Binding {
  declarator: VariableDeclarator;
  /** How the name is reached inside the declarator's pattern: [] for `const x = ...`, ['a'] for `const { a } = ...`. */
  access: AccessStep[];
  topLevel: boolean;
}

interface Bindings {
  /** Names declared exactly once in the whole script and never assigned again: safe to follow. */
  tracked: Map<string, Binding>;
  /** Identifier nodes that declare or assign a name rather than read it. */
  bindingSites: Set<AnyNode>;
}

/**
 * No scope analysis: a name is followed only when the whole script declares it once and never reassigns it,
 * so shadowing and reassignment simply turn the tracking off.
 */
function collectBindings(tree: ScriptTree): Bindings {
  const declarations = new Map<string, number>();
  const assigned = new Set<string>();
  const declarators = new Map<string, Binding>();
  const bindingSites = new Set<AnyNode>();
  const declare = (site: Identifier): void => {
    declarations.set(site.name, (declarations.get(site.name) ?? 0) + 1);
    bindingSites.add(site);
  };
  const assign = (pattern: Pattern): void => {
    for (const { site } of patternNames(pattern, [])) {
      assigned.add(site.name);
      bindingSites.add(site);
    }
  };

  for (const node of tree.nodes) {
    switch (node.type) {
      case 'VariableDeclarator': {
        const topLevel = tree.parents.get(tree.parents.get(node) as AnyNode) === tree.program;
        for (const { site, access } of patternNames(node.id, [])) {
          declare(site);
          declarators.set(site.name, { declarator: node, access, topLevel });
        }
        break;
      }
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        if (node.id) declare(node.id);
        for (const param of node.params) for (const { site } of patternNames(param, [])) declare(site);
        break;
      case 'ClassDeclaration':
      case 'ClassExpression':
        if (node.id) declare(node.id);
        break;
      case 'CatchClause':
        if (node.param) for (const { site } of patternNames(node.param, [])) declare(site);
        break;
      case 'AssignmentExpression':
        assign(node.left);
        break;
      case 'UpdateExpression':
        if (node.argument.type === 'Identifier') assign(node.argument);
        break;
      case 'ForInStatement':
      case 'ForOfStatement':
        if (node.left.type !== 'VariableDeclaration') assign(node.left);
        break;
      default:
        break;
    }
  }

  const tracked = new Map<string, Binding>();
  for (const [name, binding] of declarators) {
    if (declarations.get(name) === 1 && !assigned.has(name)) tracked.set(name, binding);
  }
  return { tracked, bindingSites };
}

/** Every name a pattern binds, with how it is reached from the pattern's value. */
function patternNames(pattern: Pattern, access: AccessStep[]): { site: Identifier; access: AccessStep[] }[] {
  switch (pattern.type) {
    case 'Identifier':
      return [{ site: pattern, access }];
    case 'ObjectPattern':
      return pattern.properties.flatMap((property) =>
        property.type === 'RestElement'
          ? patternNames(property.argument, [...access, undefined])
          : patternNames(property.value, [...access, staticKeyOf(property.key, property.computed)]),
      );
    case 'ArrayPattern':
      return pattern.elements.flatMap((element) => (element ? patternNames(element, [...access, undefined]) : []));
    case 'AssignmentPattern':
      return patternNames(pattern.left, access);
    case 'RestElement':
      return patternNames(pattern.argument, [...access, undefined]);
    default:
      return []; // a MemberExpression target binds no name
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The model every finder works on

interface Model {
  script: string;
  masked: MaskedScript;
  tree: ScriptTree;
  bindings: Bindings;
  /** Memo for payloadAliasOf; null marks "not an alias" and "being computed" (breaks cycles). */
  aliasCache: Map<string, PayloadRef | null>;
}

function spanOf(node: AnyNode): Span {
  return { start: node.start, end: node.end };
}

/** The node's text in the original script, with `${{ }}` as written. */
function sourceOf(model: Model, node: AnyNode): string {
  return model.script.slice(node.start, node.end);
}

function parentOf(model: Model, node: AnyNode): AnyNode | undefined {
  return model.tree.parents.get(node);
}

/** The key of `a.b`, `a['b']`, `{ b: 1 }`, `{ 'b': 1 }`; undefined when it is computed from a non-literal. */
function staticKeyOf(key: AnyNode, computed: boolean): string | undefined {
  if (!computed && key.type === 'Identifier') return key.name;
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) {
    return String(key.value);
  }
  if (computed && key.type === 'TemplateLiteral' && key.expressions.length === 0) {
    return key.quasis[0]?.value.cooked ?? undefined;
  }
  return undefined;
}

/** `a.b.c` as base `a` and keys ['b', 'c'], when every step is static; optional chaining is looked through. */
function staticMemberPath(node: AnyNode): { base: string; keys: string[] } | undefined {
  const keys: string[] = [];
  let current: AnyNode = node.type === 'ChainExpression' ? node.expression : node;
  while (current.type === 'MemberExpression') {
    const key = staticKeyOf(current.property, current.computed);
    if (key === undefined) return undefined;
    keys.unshift(key);
    current = current.object;
  }
  return current.type === 'Identifier' ? { base: current.name, keys } : undefined;
}

/** The initialiser of a top-level `const`/`let x = ...` that is never reassigned. */
function constantInitOf(model: Model, name: string): Expression | undefined {
  const binding = model.bindings.tracked.get(name);
  if (!binding || !binding.topLevel || binding.access.length > 0) return undefined;
  return binding.declarator.init ?? undefined;
}

function constantObjectOf(model: Model, node: AnyNode): ObjectExpression | undefined {
  if (node.type === 'ObjectExpression') return node;
  if (node.type !== 'Identifier') return undefined;
  const init = constantInitOf(model, node.name);
  return init?.type === 'ObjectExpression' ? init : undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Values

/** Recursion guard for constants defined through other constants. */
const MAX_RESOLVE_DEPTH = 8;

function valueOf(model: Model, node: AnyNode, depth = 0): RawValue {
  switch (node.type) {
    case 'Literal':
      return literalValue(model, node) ?? inexact(model, node);
    case 'TemplateLiteral':
      return templateValue(model, node, depth);
    case 'Identifier':
      return identifierValue(model, node, depth);
    case 'MemberExpression':
    case 'ChainExpression':
      return wellKnownValue(model, node) ?? inexact(model, node);
    default:
      return inexact(model, node);
  }
}

function inexact(model: Model, node: AnyNode): RawValue {
  return { text: sourceOf(model, node), span: spanOf(node), exact: false };
}

function literalValue(model: Model, node: AnyNode & { type: 'Literal' }): RawValue | undefined {
  const { value } = node;
  if (typeof value === 'string') return { text: restoreExpressions(model.masked, value), span: spanOf(node), exact: true };
  if (typeof value === 'number' || typeof value === 'boolean') {
    return { text: String(value), span: spanOf(node), exact: true };
  }
  return undefined; // null, regex, bigint: not a name anyone dispatches to
}

/** Exact when every `${}` part is itself exact (a `${{ }}` placeholder, a constant, context.repo.owner, ...). */
function templateValue(model: Model, node: TemplateLiteral, depth: number): RawValue {
  let text = '';
  let exact = true;
  node.quasis.forEach((quasi, i) => {
    text += restoreExpressions(model.masked, quasi.value.cooked ?? quasi.value.raw);
    const expression = node.expressions[i];
    if (!expression) return;
    const part = valueOf(model, expression, depth + 1);
    if (part.exact) {
      text += embedded(part.text);
    } else {
      exact = false;
      text += '${' + sourceOf(model, expression) + '}';
    }
  });
  return { text, span: spanOf(node), exact };
}

/** `$X` alone becomes `${X}` inside a longer text, so the variable name's end stays clear. */
function embedded(text: string): string {
  const env = /^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(text);
  return env ? '${' + env[1] + '}' : text;
}

function identifierValue(model: Model, node: Identifier, depth: number): RawValue {
  const expression = model.masked.expressions.get(node.name);
  if (expression !== undefined) return { text: expression, span: spanOf(node), exact: true };
  const init = depth < MAX_RESOLVE_DEPTH ? constantInitOf(model, node.name) : undefined;
  if (init) {
    const value = valueOf(model, init, depth + 1);
    if (value.exact) return value;
  }
  return inexact(model, node);
}

/** github-script's `context` fields that have an exact `${{ }}` twin. */
const CONTEXT_FIELDS: Record<string, string> = {
  'repo.owner': 'github.repository_owner',
  'repo.repo': 'github.event.repository.name',
  ref: 'github.ref',
  sha: 'github.sha',
  eventName: 'github.event_name',
  actor: 'github.actor',
  workflow: 'github.workflow',
  job: 'github.job',
  runId: 'github.run_id',
  runNumber: 'github.run_number',
  serverUrl: 'github.server_url',
  apiUrl: 'github.api_url',
};

/** `context.repo.owner`, `context.payload.x.y`, `process.env.X`: values the caller can resolve. */
function wellKnownValue(model: Model, node: AnyNode): RawValue | undefined {
  const path = staticMemberPath(node);
  if (!path) return undefined;
  const text = path.base === 'context' ? contextExpression(path.keys) : envReference(path.base, path.keys);
  return text === undefined ? undefined : { text, span: spanOf(node), exact: true };
}

function contextExpression(keys: string[]): string | undefined {
  const field = CONTEXT_FIELDS[keys.join('.')];
  if (field) return '${{ ' + field + ' }}';
  if (keys[0] === 'payload' && keys.length > 1) return '${{ ' + expressionPath('github.event', keys.slice(1)) + ' }}';
  return undefined;
}

/** `github.event` + keys in expression syntax: `.key` when it is a plain name, `['key']` otherwise. */
function expressionPath(base: string, keys: string[]): string {
  return keys.reduce(
    (path, key) => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${path}.${key}` : `${path}['${key.replace(/'/g, "''")}']`),
    base,
  );
}

function envReference(base: string, keys: string[]): string | undefined {
  const [env, name] = keys;
  return base === 'process' && env === 'env' && keys.length === 2 && name !== undefined ? '$' + name : undefined;
}

/** The JSON type a value will have once sent, as far as the code shows it. */
function valueTypeOf(model: Model, node: AnyNode, depth = 0): RawValueType {
  switch (node.type) {
    case 'Literal':
      if (node.value === null) return 'null';
      if (typeof node.value === 'string') return 'string';
      if (typeof node.value === 'boolean') return 'boolean';
      if (typeof node.value === 'number') return 'number';
      return 'unknown';
    case 'TemplateLiteral':
      return 'string';
    case 'ObjectExpression':
      return 'object';
    case 'ArrayExpression':
      return 'array';
    case 'Identifier': {
      const init = depth < MAX_RESOLVE_DEPTH ? constantInitOf(model, node.name) : undefined;
      return init ? valueTypeOf(model, init, depth + 1) : 'unknown';
    }
    case 'BinaryExpression':
      if (['==', '!=', '===', '!==', '<', '<=', '>', '>=', 'in', 'instanceof'].includes(node.operator)) return 'boolean';
      // '' + x and x + `...` are strings whatever x is
      if (node.operator === '+' && [node.left, node.right].some((side) => valueTypeOf(model, side, depth + 1) === 'string')) {
        return 'string';
      }
      return 'unknown';
    case 'UnaryExpression':
      return node.operator === '!' ? 'boolean' : node.operator === 'typeof' ? 'string' : 'unknown';
    case 'CallExpression':
      return isStringProducingCall(node) ? 'string' : 'unknown';
    default:
      return 'unknown';
  }
}

/** String(x), JSON.stringify(x), x.toString(), x.join(...): common ways to turn a value into an input string. */
function isStringProducingCall(node: CallExpression): boolean {
  const { callee } = node;
  if (callee.type === 'Identifier') return callee.name === 'String';
  const path = staticMemberPath(callee);
  if (path?.base === 'JSON' && path.keys.join('.') === 'stringify') return true;
  const last = callee.type === 'MemberExpression' ? staticKeyOf(callee.property, callee.computed) : undefined;
  return last === 'toString' || last === 'join';
}

// ---------------------------------------------------------------------------------------------------------------
// Payloads (client_payload / inputs)

function payloadOf(model: Model, node: AnyNode): RawPayload {
  const span = spanOf(node);
  if (node.type === 'Identifier' && model.masked.expressions.has(node.name)) {
    // `client_payload: ${{ toJSON(x) }}`: the runner pastes JSON text, which JS reads as an object literal.
    return { kind: 'json-text', text: identifierValue(model, node, 0) };
  }
  const object = constantObjectOf(model, node);
  if (object) return fieldsPayload(model, object);
  const type = valueTypeOf(model, node);
  if (type !== 'object' && type !== 'unknown') {
    return { kind: 'not-object', span, reason: `the payload is a ${type} (${sourceOf(model, node)}), not an object` };
  }
  return { kind: 'unknown', span, reason: `the payload is computed: ${sourceOf(model, node)}` };
}

function fieldsPayload(model: Model, object: ObjectExpression): RawPayload {
  const fields: RawField[] = [];
  const hidden = collectFields(model, object, [], fields, 0);
  if (hidden) return { kind: 'unknown', span: spanOf(object), reason: hidden };
  return { kind: 'fields', fields, span: spanOf(object) };
}

/**
 * Adds one field per key of `object`, and per key of nested object literals. Returns why some keys cannot be
 * seen (a spread of an unknown value, a computed key), or undefined when all of them are visible.
 */
function collectFields(model: Model, object: ObjectExpression, prefix: string[], out: RawField[], depth: number): string | undefined {
  for (const property of object.properties) {
    if (property.type === 'SpreadElement') {
      const spread = depth < MAX_RESOLVE_DEPTH ? constantObjectOf(model, property.argument) : undefined;
      if (!spread || spread === object) return `the payload spreads ${sourceOf(model, property.argument)}`;
      const hidden = collectFields(model, spread, prefix, out, depth + 1);
      if (hidden) return hidden;
      continue;
    }
    const key = staticKeyOf(property.key, property.computed);
    if (key === undefined) return `the payload has a computed key ${sourceOf(model, property.key)}`;
    const path = [...prefix, key];
    out.push({
      path,
      value: valueOf(model, property.value),
      valueType: valueTypeOf(model, property.value),
      keySpan: spanOf(property.key),
    });
    if (property.value.type === 'ObjectExpression') {
      const hidden = collectFields(model, property.value, path, out, depth + 1);
      if (hidden) return hidden;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Sends

/** The request parameters object of an Octokit call, as far as it can be seen. */
interface Params {
  /** Parameter name -> its value node, or a value fixed by a known spread (`...context.repo`). */
  entries: Map<string, AnyNode | RawValue>;
  /** The argument or spread whose properties cannot be seen: any missing parameter may come from it. */
  opaque: AnyNode | undefined;
}

function findSends(model: Model): RawSend[] {
  const sends: RawSend[] = [];
  for (const node of model.tree.nodes) {
    if (node.type !== 'CallExpression') continue;
    const send = octokitMethodSend(model, node) ?? requestSend(model, node);
    if (send) sends.push(send);
  }
  return sends;
}

/** `<anything>.repos.createDispatchEvent({...})` and `<anything>.actions.createWorkflowDispatch({...})`. */
function octokitMethodSend(model: Model, call: CallExpression): RawSend | undefined {
  const names = trailingPropertyNames(call.callee);
  const method = names.slice(-2).join('.');
  if (method !== 'repos.createDispatchEvent' && method !== 'actions.createWorkflowDispatch') return undefined;
  const params = paramsOf(model, call.arguments[0]);
  const send: RawSend = {
    kind: method === 'repos.createDispatchEvent' ? 'repository_dispatch' : 'workflow_dispatch',
    form: FORM,
    span: spanOf(call),
  };
  assignIfDefined(send, 'owner', paramValue(model, params, 'owner'));
  assignIfDefined(send, 'repo', paramValue(model, params, 'repo'));
  if (send.kind === 'workflow_dispatch') assignIfDefined(send, 'workflow', paramValue(model, params, 'workflow_id'));
  addBodyParams(model, send, params);
  return send;
}

/** event_type + client_payload, or ref + inputs: the same names in both the method and the request forms. */
function addBodyParams(model: Model, send: RawSend, params: Params): void {
  if (send.kind === 'repository_dispatch') {
    assignIfDefined(send, 'eventType', paramValue(model, params, 'event_type'));
    assignIfDefined(send, 'payload', paramPayload(model, params, 'client_payload'));
  } else {
    assignIfDefined(send, 'ref', paramValue(model, params, 'ref'));
    assignIfDefined(send, 'payload', paramPayload(model, params, 'inputs'));
  }
}

function assignIfDefined<K extends keyof RawSend>(send: RawSend, key: K, value: RawSend[K] | undefined): void {
  if (value !== undefined) send[key] = value;
}

/** The non-computed property names at the end of a callee: `github.rest.repos.x` gives ['rest', 'repos', 'x']. */
function trailingPropertyNames(callee: AnyNode): string[] {
  const names: string[] = [];
  let current: AnyNode = callee.type === 'ChainExpression' ? callee.expression : callee;
  while (current.type === 'MemberExpression' && !current.computed && current.property.type === 'Identifier') {
    names.unshift(current.property.name);
    current = current.object;
  }
  return names;
}

function paramsOf(model: Model, argument: AnyNode | undefined): Params {
  const params: Params = { entries: new Map(), opaque: undefined };
  if (argument) addParams(model, params, argument, 0);
  return params;
}

function addParams(model: Model, params: Params, node: AnyNode, depth: number): void {
  const object = depth < MAX_RESOLVE_DEPTH ? constantObjectOf(model, node) : undefined;
  if (!object) {
    params.opaque = node;
    return;
  }
  for (const property of object.properties) {
    if (property.type === 'SpreadElement') {
      addSpreadParams(model, params, property.argument, depth);
      continue;
    }
    const key = staticKeyOf(property.key, property.computed);
    if (key === undefined) params.opaque = property;
    else params.entries.set(key, property.value);
  }
}

/** `...context.repo` gives owner and repo; a spread of a constant object gives its properties. */
function addSpreadParams(model: Model, params: Params, argument: AnyNode, depth: number): void {
  const path = staticMemberPath(argument);
  if (path?.base === 'context' && path.keys.join('.') === 'repo') {
    const span = spanOf(argument);
    params.entries.set('owner', { text: '${{ ' + CONTEXT_FIELDS['repo.owner'] + ' }}', span, exact: true });
    params.entries.set('repo', { text: '${{ ' + CONTEXT_FIELDS['repo.repo'] + ' }}', span, exact: true });
    return;
  }
  addParams(model, params, argument, depth + 1);
}

function isRawValue(entry: AnyNode | RawValue): entry is RawValue {
  return 'exact' in entry;
}

function paramValue(model: Model, params: Params, name: string): RawValue | undefined {
  const entry = params.entries.get(name);
  if (entry) return isRawValue(entry) ? entry : valueOf(model, entry);
  return params.opaque ? inexact(model, params.opaque) : undefined;
}

function paramPayload(model: Model, params: Params, name: string): RawPayload | undefined {
  const entry = params.entries.get(name);
  if (entry && !isRawValue(entry)) return payloadOf(model, entry);
  if (entry) return { kind: 'unknown', span: entry.span, reason: `${name} comes from ${entry.text}` };
  if (params.opaque) {
    return { kind: 'unknown', span: spanOf(params.opaque), reason: `${name} may come from ${sourceOf(model, params.opaque)}` };
  }
  return undefined;
}

// --- github.request('POST /repos/{owner}/{repo}/dispatches', {...})

/** One character of a route, after the JS quoting is removed; a `${}` part is one character standing for its node. */
interface RouteChar {
  ch: string;
  span: Span;
  expression?: Expression;
}

/** Stands for a `${}` part of a template route; cannot occur in a route's text. */
const EXPRESSION_CHAR = '\u0000';

const DISPATCH_ROUTE =
  /^\s*(?:([A-Za-z]+)\s+)?(?:https:\/\/api\.github\.com)?\/repos\/([^/]+(?:\/[^/]+)?)\/(?:dispatches|actions\/workflows\/([^/]+)\/dispatches)\/?\s*$/d;

function requestSend(model: Model, call: CallExpression): RawSend | undefined {
  if (trailingPropertyNames(call.callee).at(-1) !== 'request') return undefined;
  const [routeNode, paramsNode] = call.arguments;
  if (!routeNode) return undefined;
  const chars = routeCharsOf(model, routeNode);
  if (!chars) return undefined;
  const match = DISPATCH_ROUTE.exec(chars.map((c) => c.ch).join(''));
  if (!match?.indices) return undefined;

  const params = paramsOf(model, paramsNode);
  const method = match[1] ?? paramValue(model, params, 'method')?.text;
  if (method?.toUpperCase() !== 'POST') return undefined; // GET on .../dispatches dispatches nothing

  const send: RawSend = {
    kind: match[3] === undefined ? 'repository_dispatch' : 'workflow_dispatch',
    form: FORM,
    span: spanOf(call),
  };
  const [repoStart, repoEnd] = match.indices[2] ?? [0, 0];
  const repoSegments = splitSegments(chars.slice(repoStart, repoEnd));
  const [first, second] = repoSegments.map((segment) => segmentValue(model, segment, params));
  if (first && second) {
    send.owner = first;
    send.repo = second;
  } else {
    send.repository = first; // `${{ github.repository }}` or `${fullName}`: owner/name in one part
  }
  const workflowRange = match.indices[3];
  if (workflowRange) send.workflow = segmentValue(model, chars.slice(workflowRange[0], workflowRange[1]), params);
  addBodyParams(model, send, params);
  return send;
}

/**
 * A route's characters with the source span of each. The span is exact for a literal without escapes; when
 * escapes shift offsets, each character is given the whole literal's span (close enough for a message).
 */
function routeCharsOf(model: Model, node: AnyNode): RouteChar[] | undefined {
  if (node.type === 'Literal' && typeof node.value === 'string') {
    return textChars(node.value, model.masked.text.slice(node.start + 1, node.end - 1), node.start + 1, spanOf(node));
  }
  if (node.type === 'TemplateLiteral') {
    const chars: RouteChar[] = [];
    node.quasis.forEach((quasi, i) => {
      const cooked = quasi.value.cooked ?? quasi.value.raw;
      chars.push(...textChars(cooked, quasi.value.raw, quasi.start, spanOf(quasi)));
      const expression = node.expressions[i];
      if (expression) chars.push({ ch: EXPRESSION_CHAR, span: spanOf(expression), expression });
    });
    return chars;
  }
  return undefined;
}

function textChars(cooked: string, raw: string, start: number, fallback: Span): RouteChar[] {
  const offsetsExact = cooked === raw;
  return [...cooked].map((ch, i) => ({
    ch,
    span: offsetsExact ? { start: start + i, end: start + i + 1 } : fallback,
  }));
}

function splitSegments(chars: RouteChar[]): RouteChar[][] {
  const segments: RouteChar[][] = [[]];
  for (const c of chars) {
    if (c.ch === '/' && !c.expression) segments.push([]);
    else segments[segments.length - 1]?.push(c);
  }
  return segments;
}

/** A route segment: `{name}` is filled from the parameters, `${expr}` is that expression's value, text is text. */
function segmentValue(model: Model, chars: RouteChar[], params: Params): RawValue {
  const span: Span = { start: chars[0]?.span.start ?? 0, end: chars.at(-1)?.span.end ?? 0 };
  const literal = chars.every((c) => !c.expression) ? chars.map((c) => c.ch).join('') : undefined;
  const routeParam = literal === undefined ? undefined : /^\{(\w+)\}$/.exec(literal)?.[1];
  if (routeParam) return paramValue(model, params, routeParam) ?? { text: literal ?? '', span, exact: false };
  if (chars.length === 1 && chars[0]?.expression) return valueOf(model, chars[0].expression);

  let text = '';
  let exact = true;
  let pendingText = '';
  for (const c of chars) {
    if (!c.expression) {
      pendingText += c.ch;
      continue;
    }
    text += restoreExpressions(model.masked, pendingText);
    pendingText = '';
    const part = valueOf(model, c.expression);
    exact &&= part.exact;
    text += part.exact ? embedded(part.text) : '${' + sourceOf(model, c.expression) + '}';
  }
  text += restoreExpressions(model.masked, pendingText);
  return { text, span, exact };
}

// ---------------------------------------------------------------------------------------------------------------
// Payload reads

/** What a JS expression denotes inside the event: `context.payload` itself, or a path below client_payload. */
interface PayloadRef {
  root: 'event' | 'client_payload';
  path: string[];
}

function extendRef(ref: PayloadRef, key: string): PayloadRef {
  if (ref.root === 'event' && ref.path.length === 0 && key === 'client_payload') return { root: 'client_payload', path: [] };
  return { root: ref.root, path: [...ref.path, key] };
}

/** The event path an expression denotes: `context.payload...`, or a followed alias of one. */
function payloadRefOf(model: Model, node: AnyNode): PayloadRef | undefined {
  switch (node.type) {
    case 'ChainExpression':
      return payloadRefOf(model, node.expression);
    case 'Identifier':
      return isReference(model, node) ? payloadAliasOf(model, node.name) : undefined;
    case 'MemberExpression': {
      const key = staticKeyOf(node.property, node.computed);
      if (key === undefined) return undefined;
      if (node.object.type === 'Identifier' && node.object.name === 'context' && key === 'payload') {
        return { root: 'event', path: [] };
      }
      const base = payloadRefOf(model, node.object);
      return base && extendRef(base, key);
    }
    default:
      return undefined;
  }
}

/** `const p = context.payload.client_payload`, `const { client_payload: p } = context.payload`, `... || {}`. */
function payloadAliasOf(model: Model, name: string): PayloadRef | undefined {
  const cached = model.aliasCache.get(name);
  if (cached !== undefined) return cached ?? undefined;
  model.aliasCache.set(name, null); // a cycle through this name resolves to "not an alias"

  const binding = model.bindings.tracked.get(name);
  const init = binding?.declarator.init;
  let ref = init ? payloadRefOf(model, withoutEmptyDefault(init)) : undefined;
  for (const step of binding?.access ?? []) {
    ref = ref && step !== undefined ? extendRef(ref, step) : undefined;
  }
  model.aliasCache.set(name, ref ?? null);
  return ref;
}

/** `x || {}` and `x ?? {}` stand for x as far as reads go. */
function withoutEmptyDefault(node: AnyNode): AnyNode {
  if (
    node.type === 'LogicalExpression' &&
    (node.operator === '||' || node.operator === '??') &&
    (node.right.type === 'ObjectExpression' || node.right.type === 'ArrayExpression')
  ) {
    return node.left;
  }
  return node;
}

/** Whether an Identifier reads a variable (not a property key, a declaration or a label). */
function isReference(model: Model, node: Identifier): boolean {
  if (model.bindings.bindingSites.has(node)) return false;
  const parent = parentOf(model, node);
  if (!parent) return true;
  switch (parent.type) {
    case 'MemberExpression':
      return parent.object === node || parent.computed;
    case 'Property':
    case 'MethodDefinition':
    case 'PropertyDefinition':
      return parent.key !== node || parent.computed;
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
    case 'MetaProperty':
      return false;
    default:
      return true;
  }
}

function findPayloadReads(model: Model): RawPayloadRead[] {
  const reads: RawPayloadRead[] = [];
  for (const node of model.tree.nodes) {
    if (isContextPayload(node)) {
      readsFromOccurrence(model, node, { root: 'event', path: [] }, false, reads);
    } else if (node.type === 'Identifier' && isReference(model, node)) {
      const alias = payloadAliasOf(model, node.name);
      if (alias) readsFromOccurrence(model, node, alias, true, reads);
    } else if (node.type === 'VariableDeclarator' && node.id.type === 'ObjectPattern' && node.init) {
      readsFromDestructuring(model, node.id, node.init, reads);
    } else if (node.type === 'AssignmentExpression' && node.left.type === 'ObjectPattern') {
      readsFromDestructuring(model, node.left, node.right, reads);
    }
  }
  return reads;
}

function isContextPayload(node: AnyNode): boolean {
  return (
    node.type === 'MemberExpression' &&
    node.object.type === 'Identifier' &&
    node.object.name === 'context' &&
    staticKeyOf(node.property, node.computed) === 'payload'
  );
}

/**
 * Follows one occurrence of `context.payload` (or of an alias) outwards through `.key` / `['key']` steps and
 * records what it reads. A method call ends the walk (`p.args.split()` reads args, not args.split).
 */
function readsFromOccurrence(model: Model, start: AnyNode, startRef: PayloadRef, viaAlias: boolean, reads: RawPayloadRead[]): void {
  let node = start;
  let ref = startRef;
  let extended = false;
  for (;;) {
    const parent = parentOf(model, node);
    if (parent?.type !== 'MemberExpression' || parent.object !== node || isCallee(model, parent)) break;
    const key = staticKeyOf(parent.property, parent.computed);
    if (key === undefined) {
      // p[name]: some key below this path, we cannot tell which
      if (reachesClientPayload(ref)) reads.push({ path: ref.path, span: spanOf(parent), whole: true });
      return;
    }
    ref = extendRef(ref, key);
    node = parent;
    extended = true;
  }
  if (ref.root === 'client_payload' && ref.path.length > 0) {
    // An alias to a non-empty path was already recorded where it was declared.
    if (!viaAlias || extended) reads.push({ path: ref.path, span: spanOf(node), whole: false });
    return;
  }
  if (reachesClientPayload(ref) && isUsedWhole(model, node)) reads.push({ path: [], span: spanOf(node), whole: true });
}

/** `context.payload` itself or client_payload at any depth: using it whole may read any client_payload key. */
function reachesClientPayload(ref: PayloadRef): boolean {
  return ref.root === 'client_payload' || ref.path.length === 0;
}

function isCallee(model: Model, member: AnyNode): boolean {
  const parent = parentOf(model, member);
  return parent?.type === 'CallExpression' && parent.callee === member;
}

/**
 * Whether a value flows somewhere we do not follow (a call, an assignment, a return, a spread...). Tests,
 * comparisons and followed aliases only look at it.
 */
function isUsedWhole(model: Model, start: AnyNode): boolean {
  let node = start;
  let parent = parentOf(model, node);
  // These pass the value itself on: look at where their result goes.
  while (parent && isValuePassThrough(parent, node)) {
    node = parent;
    parent = parentOf(model, node);
  }
  if (!parent) return true;
  switch (parent.type) {
    case 'IfStatement':
    case 'WhileStatement':
    case 'DoWhileStatement':
    case 'ForStatement':
    case 'ConditionalExpression': // only as the test: consequent/alternate passed through above
    case 'SwitchStatement':
    case 'SwitchCase':
    case 'UnaryExpression':
    case 'BinaryExpression':
    case 'ExpressionStatement':
    case 'TemplateLiteral': // `${p}` is "[object Object]"
    case 'MemberExpression': // a method call on it, e.g. p.hasOwnProperty('x')
      return false;
    case 'VariableDeclarator':
      return !isFollowedDeclarator(model, parent);
    case 'AssignmentExpression':
      return !(parent.right === node && parent.left.type === 'ObjectPattern');
    default:
      return true;
  }
}

function isValuePassThrough(parent: AnyNode, child: AnyNode): boolean {
  switch (parent.type) {
    case 'ChainExpression':
    case 'LogicalExpression':
    case 'AwaitExpression':
    case 'ParenthesizedExpression':
      return true;
    case 'ConditionalExpression':
      return parent.test !== child;
    case 'SequenceExpression':
      return parent.expressions.at(-1) === child;
    default:
      return false;
  }
}

/** A declaration whose value we keep following: a tracked alias, or a destructuring handled by its own reads. */
function isFollowedDeclarator(model: Model, declarator: VariableDeclarator): boolean {
  if (declarator.id.type === 'ObjectPattern') return declarator.init ? destructuredRefOf(model, declarator.init) !== undefined : false;
  return declarator.id.type === 'Identifier' && payloadAliasOf(model, declarator.id.name) !== undefined;
}

function destructuredRefOf(model: Model, init: AnyNode): PayloadRef | undefined {
  return payloadRefOf(model, withoutEmptyDefault(init));
}

/** `const { version, tag } = context.payload.client_payload` reads version and tag; `...rest` reads anything. */
function readsFromDestructuring(model: Model, pattern: ObjectPattern, init: AnyNode, reads: RawPayloadRead[]): void {
  const ref = destructuredRefOf(model, init);
  if (ref) readsFromPattern(pattern, ref, reads);
}

function readsFromPattern(pattern: ObjectPattern, ref: PayloadRef, reads: RawPayloadRead[]): void {
  for (const property of pattern.properties) {
    if (property.type === 'RestElement') {
      if (reachesClientPayload(ref)) reads.push({ path: ref.path, span: spanOf(property), whole: true });
      continue;
    }
    const key = staticKeyOf(property.key, property.computed);
    if (key === undefined) {
      if (reachesClientPayload(ref)) reads.push({ path: ref.path, span: spanOf(property), whole: true });
      continue;
    }
    const sub = extendRef(ref, key);
    const target = property.value.type === 'AssignmentPattern' ? property.value.left : property.value;
    if (target.type === 'ObjectPattern') {
      readsFromPattern(target, sub, reads);
    } else if (sub.root === 'client_payload' && sub.path.length > 0) {
      reads.push({ path: sub.path, span: spanOf(property), whole: false });
    }
    // `{ client_payload: p }` out of context.payload: p is an alias, its uses are followed where they occur.
  }
}

/**
 * `require('./.github/scripts/x.js')` or `import(...)` of anything but a package: that script gets `context`
 * and may read any client_payload key, so the reads are unknown.
 */
function findLocalScriptLoads(model: Model): RawPayloadRead[] {
  const reads: RawPayloadRead[] = [];
  for (const node of model.tree.nodes) {
    let specifier: AnyNode | undefined;
    if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'require') {
      specifier = node.arguments[0];
    } else if (node.type === 'ImportExpression') {
      specifier = node.source;
    }
    if (specifier && !isPackageSpecifier(model, specifier)) reads.push({ path: [], span: spanOf(node), whole: true });
  }
  return reads;
}

/** 'fs', 'node:path', '@actions/core', 'lodash/fp': a package, not a file of the repository. */
function isPackageSpecifier(model: Model, node: AnyNode): boolean {
  if (node.type !== 'Literal' || typeof node.value !== 'string') return false;
  // Restored first: '${{ github.workspace }}/x.js' is a file, though its placeholder looks like a package name.
  const specifier = restoreExpressions(model.masked, node.value);
  return /^(?:node:)?(?:@[\w.-]+\/)?\w[\w.-]*(?:\/[\w./-]*)?$/.test(specifier);
}

function dedupeReads(reads: RawPayloadRead[]): RawPayloadRead[] {
  const seen = new Set<string>();
  return reads
    .filter((read) => {
      const key = `${read.span.start}:${read.span.end}:${read.whole}:${read.path.join('\u0000')}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
}
