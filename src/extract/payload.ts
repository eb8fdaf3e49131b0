/**
 * Turns what a sender sends as client_payload (or workflow inputs) into PayloadFacts: the keys and JSON
 * types of its fields, or why they cannot be known, or why GitHub will reject it.
 */
import type { Expr } from '@actions/expressions';
import { FunctionCall, Literal } from '@actions/expressions/ast';
import { TokenType } from '@actions/expressions/lexer';
import type { PayloadFacts, PayloadField, ValueOrigin, ValueType } from '../model.js';
import { splicedJsonType } from '../expressions/evaluate.js';
import { flattenChain, literalKeys, parseExpression } from '../expressions/parse.js';
import { findExpressions, singleExpression } from '../expressions/template.js';
import { resolveText, expressionValues, type Scope } from '../resolve/resolver.js';
import type { PayloadSpec, ValueRef } from './senders/spec.js';
import { MAX_NESTING_DEPTH } from './limits.js';
import { originOfExpression, originOfText, TRUSTED_LITERAL, unreadableOrigin, worstOrigin, type OriginContext } from './value-origin.js';
import { parseTemplatedJson, type JsonNode } from './templated-json.js';

/** Top-level properties of the github context: far more than client_payload's limit of 10. */
const GITHUB_CONTEXT_KEYS = 30;
/** Top-level properties of a push event's payload (ref, before, after, commits, head_commit, ...). */
const PUSH_EVENT_KEYS = 12;

export function payloadFacts(spec: PayloadSpec, scope: Scope, triggers: string[], inputTypes: Map<string, string> = new Map(), origins: OriginContext = { rawEnv: new Map(), inputTypes }): PayloadFacts {
  const facts = payloadFactsOf(spec, scope, triggers, inputTypes, origins);
  // A payload whose keys cannot be seen still has an origin: the expression or text that computes it.
  if (facts.kind === 'unknown' && !facts.origin) {
    facts.origin = spec.kind === 'json' && spec.value.exact ? originOfText(spec.value.text, spec.value.shell, origins) : { trust: 'unknown', source: facts.reason.replace(/^it(?:s)? /, '') };
  }
  return facts;
}

function payloadFactsOf(spec: PayloadSpec, scope: Scope, triggers: string[], inputTypes: Map<string, string>, origins: OriginContext): PayloadFacts {
  switch (spec.kind) {
    case 'none':
      return { kind: 'none' };
    case 'not-object':
      return { kind: spec.kind, reason: spec.reason, position: spec.position };
    case 'unknown':
      return spec.beyondLimit ? { kind: 'unknown', reason: spec.reason, position: spec.position, beyondLimit: true } : { kind: 'unknown', reason: spec.reason, position: spec.position };
    case 'fields':
      if (spec.fields.some((field) => field.path.length > MAX_NESTING_DEPTH)) {
        return { kind: 'unknown', reason: `its keys nest more than ${MAX_NESTING_DEPTH} levels deep`, position: spec.position, beyondLimit: true };
      }
      return {
        kind: 'object',
        position: spec.position,
        ...(spec.builtBy !== undefined ? { builtBy: spec.builtBy } : {}),
        ...(spec.runTimeKeys !== undefined ? { runTimeKeys: spec.runTimeKeys } : {}),
        fields: spec.fields.map((field) => {
          const payloadField: PayloadField = {
            path: field.path,
            valueType: field.valueType as ValueType,
            position: field.keyPosition,
            valuePosition: field.value.position,
            origin: field.value.exact ? originOfText(field.value.text, field.value.shell, origins) : unreadableOrigin(field.value.text),
          };
          const value = field.value.exact ? singleValue(field.value.text, scope, field.value.shell) : undefined;
          if (value !== undefined) payloadField.value = value;
          if (field.valueType === 'string') {
            const looksLike = stringLooksLike(field.value.exact ? field.value.text : undefined, value, inputTypes);
            if (looksLike) payloadField.looksLike = looksLike;
          }
          return payloadField;
        }),
      };
    case 'json':
      return jsonPayloadFacts(spec.value, scope, triggers, inputTypes, origins);
  }
}

/**
 * The type a string's text spells, when it spells one: a literal `"false"` / `"1"`, or the text of one
 * expression of that type (`"${{ inputs.publish }}"` for a boolean input, `"${{ github.event.inputs.flag }}"`).
 */
function stringLooksLike(text: string | undefined, value: string | undefined, inputTypes: Map<string, string>): PayloadField['looksLike'] {
  const literal = value ?? (text !== undefined && !text.includes('${{') && !text.includes('$') ? text : undefined);
  if (literal !== undefined) {
    if (/^(?:true|false)$/i.test(literal.trim())) return 'boolean';
    if (/^-?\d+(?:\.\d+)?$/.test(literal.trim())) return 'number';
    return undefined;
  }
  const only = text === undefined ? undefined : singleExpression(text);
  if (!only) return undefined;
  const parsed = parseExpression(only.source);
  if (!parsed.ok) return undefined;
  const type = expressionType(parsed.expr, inputTypes);
  return type === 'boolean' || type === 'number' ? type : undefined;
}

/** The JSON type an expression evaluates to where the workflow shows it: comparisons, contains(), typed inputs. */
function expressionType(expr: Expr, inputTypes: Map<string, string>): ValueType {
  const chain = flattenChain(expr);
  if (chain) {
    const keys = literalKeys(chain).map((key) => key.toLowerCase());
    const inputName = chain.root === 'inputs' && keys.length === 1 ? keys[0] : chain.root === 'github' && keys.length === 3 && keys[0] === 'event' && keys[1] === 'inputs' ? keys[2] : undefined;
    const declared = inputName === undefined ? undefined : [...inputTypes].find(([name]) => name.toLowerCase() === inputName)?.[1];
    if (declared === 'boolean') return 'boolean';
    if (declared === 'number') return 'number';
    return 'unknown';
  }
  return splicedJsonType(expr);
}

function jsonPayloadFacts(ref: ValueRef, scope: Scope, triggers: string[], inputTypes: Map<string, string>, origins: OriginContext): PayloadFacts {
  if (!ref.exact) return { kind: 'unknown', reason: `it is computed by \`${ref.text}\``, position: ref.position };
  if (ref.text.trim() === '') return { kind: 'none' };
  const whole = singleExpression(ref.text);
  if (whole) return wholeExpressionPayload(whole.source, ref, scope, triggers, inputTypes, origins);
  const parsed = parseTemplatedJson(ref.text, { shellVariables: ref.shell });
  if (!parsed.ok && parsed.tooDeep) return { kind: 'unknown', reason: parsed.error, position: ref.position, beyondLimit: true };
  if (!parsed.ok) {
    if (failureNearExpression(ref.text, parsed.offset)) {
      return { kind: 'unknown', reason: 'an expression supplies part of its JSON structure', position: ref.position };
    }
    return {
      kind: 'not-object',
      reason: `it is not valid JSON: ${parsed.error}`,
      position: ref.locate(parsed.offset, Math.min(parsed.offset + 1, ref.text.length)),
    };
  }
  const originOfNode = (node: JsonNode): ValueOrigin => originOfText(ref.text.slice(node.start, node.end), ref.shell, origins);
  return nodePayload(parsed.node, ref, scope, (source) => expressionJsonType(source, inputTypes), inputTypes, originOfNode);
}

/** A payload given as one `${{ }}`: a forwarded payload, a `format()` template, or a value we may resolve. */
function wholeExpressionPayload(source: string, ref: ValueRef, scope: Scope, triggers: string[], inputTypes: Map<string, string>, origins: OriginContext): PayloadFacts {
  const parsed = parseExpression(source);
  if (!parsed.ok) return { kind: 'unknown', reason: `its expression does not parse (${parsed.error})`, position: ref.position };
  const expr = parsed.expr;
  if (expr instanceof FunctionCall) {
    const name = expr.functionName.lexeme.toLowerCase();
    const [first, ...rest] = expr.args;
    if (name === 'tojson' && first) return toJsonPayload(first, ref, triggers);
    if (name === 'format' && first instanceof Literal && first.token.type === TokenType.STRING) {
      const template = formatTemplate(first.literal.coerceString(), rest.length);
      if (template !== undefined) {
        const parsedTemplate = parseTemplatedJson(template);
        const atExpression: ValueRef = { ...ref, locate: () => ref.position };
        if (parsedTemplate.ok) {
          return nodePayload(
            parsedTemplate.node,
            atExpression,
            scope,
            (argSource) => {
              const index = /^__dl_arg(\d+)$/.exec(argSource)?.[1];
              const arg = index === undefined ? undefined : rest[Number(index)];
              return arg ? expressionType(arg, inputTypes) : 'unknown';
            },
            inputTypes,
            // A value of the template is filled from the arguments its placeholders name.
            (node) => worstOrigin([...template.slice(node.start, node.end).matchAll(/__dl_arg(\d+)/g)].map((match) => {
              const arg = rest[Number(match[1])];
              return arg ? originOfExpression(arg, origins) : TRUSTED_LITERAL;
            })),
          );
        }
      }
    }
  }
  const values = expressionValues(source, scope);
  if (values && values.length === 1) {
    const resolved: ValueRef = { ...ref, text: values[0] as string, locate: () => ref.position };
    if (singleExpression(resolved.text) === undefined) return jsonPayloadFacts(resolved, scope, triggers, inputTypes, origins);
  }
  return { kind: 'unknown', reason: `it is computed at run time by \`\${{ ${source} }}\``, position: ref.position };
}

function toJsonPayload(arg: Expr, ref: ValueRef, triggers: string[]): PayloadFacts {
  const chain = flattenChain(arg);
  const keys = chain && chain.root === 'github' && literalKeys(chain).length === chain.keys.length ? literalKeys(chain).map((key) => key.toLowerCase()) : undefined;
  if (keys?.length === 0) {
    return { kind: 'unknown', reason: 'it is the whole github context', position: ref.position, topLevelKeysAtLeast: GITHUB_CONTEXT_KEYS };
  }
  if (keys?.length === 1 && keys[0] === 'event') {
    const onlyPush = triggers.length > 0 && triggers.every((trigger) => trigger === 'push');
    return onlyPush
      ? { kind: 'unknown', reason: 'it is the whole push event', position: ref.position, topLevelKeysAtLeast: PUSH_EVENT_KEYS }
      : { kind: 'unknown', reason: 'it is the whole triggering event', position: ref.position };
  }
  if (keys?.length === 2 && keys[0] === 'event' && keys[1] === 'client_payload') {
    return { kind: 'unknown', reason: 'it forwards the client_payload this workflow received', position: ref.position };
  }
  return { kind: 'unknown', reason: 'it is built at run time by toJSON()', position: ref.position };
}

/** `format('{{"tag":{0}}}', x)` as JSON text with `${{ __dl_argN }}` standing for each argument. */
function formatTemplate(format: string, argCount: number): string | undefined {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if ((ch === '{' || ch === '}') && format[i + 1] === ch) {
      out += ch;
      i++;
    } else if (ch === '{') {
      const close = format.indexOf('}', i);
      const index = Number(format.slice(i + 1, close));
      if (close < 0 || !Number.isInteger(index) || index >= argCount) return undefined;
      out += `\${{ __dl_arg${index} }}`;
      i = close;
    } else out += ch;
  }
  return out;
}

function nodePayload(
  node: JsonNode,
  ref: ValueRef,
  scope: Scope,
  typeOfExpression: (source: string) => ValueType,
  inputTypes: Map<string, string>,
  originOfNode: (node: JsonNode) => ValueOrigin,
): PayloadFacts {
  if (node.type !== 'object') {
    if (node.type === 'expression') return { kind: 'unknown', reason: 'it is computed at run time', position: ref.position };
    const what = node.type === 'array' ? 'a JSON array' : `a JSON ${node.type}`;
    return { kind: 'not-object', reason: `it is ${what}, not an object`, position: ref.locate(node.start, node.end) };
  }
  const fields: PayloadField[] = [];
  const collect = (object: Extract<JsonNode, { type: 'object' }>, prefix: string[]): boolean => {
    for (const entry of object.entries) {
      if (entry.keyIsTemplated) return false;
      const path = [...prefix, entry.key];
      const field: PayloadField = {
        path,
        valueType: jsonType(entry.value, typeOfExpression),
        position: ref.locate(entry.keyStart, entry.keyEnd),
        valuePosition: ref.locate(entry.value.start, entry.value.end),
        origin: originOfNode(entry.value),
      };
      const value = literalValue(entry.value, scope, ref.shell);
      if (value !== undefined) field.value = value;
      if (entry.value.type === 'string') {
        const looksLike = stringLooksLike(entry.value.text, value, inputTypes);
        if (looksLike) field.looksLike = looksLike;
      }
      fields.push(field);
      if (entry.value.type === 'object' && !collect(entry.value, path)) return false;
    }
    return true;
  };
  if (!collect(node, [])) return { kind: 'unknown', reason: 'some of its keys are computed at run time', position: ref.position };
  return { kind: 'object', fields, position: ref.position };
}

function jsonType(node: JsonNode, typeOfExpression: (source: string) => ValueType): ValueType {
  if (node.type === 'expression') return node.shell ? 'unknown' : typeOfExpression(node.source);
  return node.type;
}

function literalValue(node: JsonNode, scope: Scope, shell: boolean): string | undefined {
  switch (node.type) {
    case 'string':
      return node.templated ? singleValue(node.text, scope, shell) : node.text;
    case 'number':
    case 'boolean':
      return String(node.value);
    default:
      return undefined;
  }
}

function singleValue(text: string, scope: Scope, shell: boolean): string | undefined {
  const values = resolveText(text, scope, { shell });
  return values?.length === 1 ? values[0] : undefined;
}

function expressionJsonType(source: string, inputTypes: Map<string, string>): ValueType {
  const parsed = parseExpression(source);
  return parsed.ok ? expressionType(parsed.expr, inputTypes) : 'unknown';
}

/** True when a JSON syntax error sits at or just after an expression: the expression may supply the syntax. */
function failureNearExpression(text: string, offset: number): boolean {
  return findExpressions(text).some((expression) => offset >= expression.start - 2 && offset <= expression.end + 2);
}

