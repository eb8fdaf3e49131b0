/**
 * octokit/request-action (and its forks): any REST request, `route: POST /repos/{owner}/{repo}/dispatches` with
 * every other input passed as a request parameter. Modelled on the action's own files (repository
 * octokit/request-action):
 *
 * - `action.yml`: inputs `route` (required) and `mediaType`; every other `with:` key is a parameter (README,
 *   "Inputs": "pass in an input matching the parameter name").
 * - `index.js` getAllInputs: each `INPUT_*` variable, its name lower-cased (the runner upper-cases input names,
 *   so `Event_Type` and `event_type` are one input), is read with `yaml.load`: a JSON or YAML mapping text
 *   becomes an object. `{name}` placeholders of the route are filled from the parameters by @octokit/endpoint;
 *   the first segment after `/repos/` is URL-decoded again, so `/repos/{repository}/...` takes `owner/name`
 *   (issue 71's workaround). Old versions set `:owner` / `:repo` from GITHUB_REPOSITORY; current ones do not, so a
 *   `:owner` route is left unresolved.
 * - The token: README "How it works": "requests are automatically authenticated using the GITHUB_TOKEN
 *   environment variable"; @octokit/auth-action (src/index.ts) also reads `with: GITHUB_TOKEN` (INPUT_GITHUB_TOKEN)
 *   and, in later versions, `with: token`.
 *
 * A route that is not a POST to a dispatches endpoint is not a send.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node, type Scalar, type YAMLMap } from 'yaml';
import { findExpressions, singleExpression } from '../../expressions/template.js';
import type { SourceFile } from '../../yaml/source.js';
import { parseTemplatedJson } from '../templated-json.js';
import type { StepNodes, StepSenders } from './from-step.js';
import { allInputRefs, formOf, inputRef, withInput } from './inputs.js';
import type { PayloadSpec, SendSpec, TokenSpec, ValueRef } from './spec.js';

interface Segment {
  text: string;
  start: number;
  end: number;
}

export function requestActionSenders(step: StepNodes, uses: string, source: SourceFile): StepSenders {
  const input = (name: string): ValueRef | undefined => {
    const node = withInput(step, name, { anyCase: true });
    return node ? inputRef(node, source) : undefined;
  };
  const route = input('route');
  const segments = route ? dispatchSegments(route.text) : undefined;
  if (!route || !segments) return { specs: [] };
  const segmentRef = (segment: Segment) => placeholderRef(route, segment, input);

  // After `repos/`: OWNER/NAME or one `{repository}` segment, then `dispatches` or `actions/workflows/W/dispatches`.
  const names = segments.map((segment) => segment.text);
  const workflowAt = names.length >= 5 && names[names.length - 3] === 'workflows' && names[names.length - 4] === 'actions' ? names.length - 2 : undefined;
  const repoParts = segments.slice(0, workflowAt === undefined ? -1 : -4);
  if (repoParts.length < 1 || repoParts.length > 2) return { specs: [] };
  const target = repoParts.length === 2 ? joined(segmentRef(repoParts[0] as Segment), segmentRef(repoParts[1] as Segment)) : segmentRef(repoParts[0] as Segment);

  const usesPosition = source.positionOf(step.uses);
  const spec: SendSpec = {
    kind: workflowAt === undefined ? 'repository_dispatch' : 'workflow_dispatch',
    form: formOf(uses),
    position: usesPosition,
    target,
    workflowByName: false,
    payload: { kind: 'none' },
    token: tokenOf(input, usesPosition),
    addedInputs: [],
    feedingTexts: allInputRefs(step, source),
  };
  if (workflowAt === undefined) {
    const eventType = input('event_type');
    if (eventType) spec.eventType = eventType;
    const payload = input('client_payload');
    if (payload) spec.payload = parameterPayload(payload);
  } else {
    spec.workflow = segmentRef(segments[workflowAt] as Segment);
    const ref = input('ref');
    if (ref) spec.ref = ref;
    const inputs = input('inputs');
    if (inputs) spec.payload = parameterPayload(inputs);
  }
  return { specs: [spec] };
}

/**
 * The path segments after `/repos/` of a `POST .../dispatches` route, or undefined for any other request.
 * A `${{ }}` is one piece of a segment even when it holds a `/` (its value may be `owner/name`).
 */
function dispatchSegments(route: string): Segment[] | undefined {
  const method = /^\s*([A-Za-z]+)\s+/.exec(route);
  if (!method || (method[1] as string).toUpperCase() !== 'POST') return undefined;
  let from = method[0].length;
  const scheme = /^https?:\/\/[^/\s]+/i.exec(route.slice(from));
  if (scheme) from += scheme[0].length;
  const expressions = findExpressions(route);
  const segments: Segment[] = [];
  let start = from;
  let end = route.length;
  for (let i = from; i < route.length; i++) {
    const inside = expressions.find((expression) => i >= expression.start && i < expression.end);
    if (inside) {
      i = inside.end - 1;
      continue;
    }
    const ch = route[i] as string;
    if (ch === '?' || ch === '#' || /\s/.test(ch)) {
      end = i;
      break;
    }
    if (ch === '/') {
      if (i > start) segments.push({ text: route.slice(start, i), start, end: i });
      start = i + 1;
    }
  }
  if (end > start) segments.push({ text: route.slice(start, end), start, end });
  // GitHub Enterprise Server's `https://HOST/api/v3/repos/...`.
  if (scheme && segments[0]?.text === 'api' && segments[1]?.text === 'v3') segments.splice(0, 2);
  if (segments[0]?.text !== 'repos' || segments[segments.length - 1]?.text !== 'dispatches') return undefined;
  return segments.slice(1);
}

/**
 * A route segment with its `{name}` placeholders filled from the inputs of that name. A placeholder with no
 * input, or a legacy `:name`, leaves it unresolved. A segment that is one placeholder points at its input.
 */
function placeholderRef(route: ValueRef, segment: Segment, input: (name: string) => ValueRef | undefined): ValueRef {
  const position = route.locate(segment.start, segment.end);
  const whole = /^\{[+#./;?&]?([A-Za-z0-9_]+)\}$/.exec(segment.text);
  if (whole) {
    const value = input(whole[1] as string);
    if (value) return value;
  }
  let exact = route.exact && !segment.text.startsWith(':');
  const text = segment.text.replace(/\{[+#./;?&]?([A-Za-z0-9_]+)\}/g, (placeholder, name: string) => {
    const value = input(name);
    if (!value || !value.exact) exact = false;
    return value ? value.text : placeholder;
  });
  return { ...route, text, position, exact, locate: () => position };
}

function joined(owner: ValueRef, name: ValueRef): ValueRef {
  return { ...name, text: `${owner.text}/${name.text}`, exact: owner.exact && name.exact, shell: false, locate: () => name.position };
}

/** `with: GITHUB_TOKEN` (or `token`), else the `GITHUB_TOKEN` environment variable of the step. */
function tokenOf(input: (name: string) => ValueRef | undefined, position: SendSpec['position']): TokenSpec {
  const given = input('github_token') ?? input('token');
  return given ? { kind: 'value', value: given } : { kind: 'environment', names: ['GITHUB_TOKEN'], position };
}

/**
 * `client_payload` / `inputs` as the action reads them: `yaml.load` of the text after the runner expanded its
 * `${{ }}`. JSON text is read as JSON; other text as YAML, where a value that holds an expression has whatever
 * type its expanded text has (so: unknown).
 */
export function parameterPayload(ref: ValueRef): PayloadSpec {
  const text = ref.text;
  if (text.trim() === '') return { kind: 'none' };
  if (singleExpression(text) || parseTemplatedJson(text).ok) return { kind: 'json', value: ref };
  const expressions = findExpressions(text);
  // Same-length stand-ins keep every offset, so keys point into the workflow file.
  let masked = text;
  for (const expression of expressions) masked = masked.slice(0, expression.start) + 'x'.repeat(expression.end - expression.start) + masked.slice(expression.end);
  const templated = (node: Node) => node.range !== undefined && node.range !== null && expressions.some((expression) => expression.start < (node.range as number[])[1]! && expression.end > (node.range as number[])[0]!);
  const doc = parseDocument(masked, { prettyErrors: false });
  if (doc.errors.length > 0) return { kind: 'unknown', reason: 'it could not be read as JSON or YAML', position: ref.position };
  const root = doc.contents as Node | null;
  if (!isMap(root)) {
    if (expressions.length > 0) return { kind: 'unknown', reason: 'an expression supplies part of its structure', position: ref.position };
    const what = isSeq(root) ? 'a YAML list' : isScalar(root) ? `the YAML ${root.value === null ? 'null' : typeof root.value} ${JSON.stringify(root.value)}` : 'empty';
    return { kind: 'not-object', reason: `it is ${what}, not an object`, position: ref.position };
  }
  const fields: Extract<PayloadSpec, { kind: 'fields' }>['fields'] = [];
  const collect = (map: YAMLMap, prefix: string[]): boolean => {
    for (const pair of map.items) {
      const key = pair.key as Node | null;
      if (!isScalar(key) || templated(key)) return false;
      const path = [...prefix, String(key.value)];
      const keyRange = key.range as [number, number, number];
      const value = pair.value as Node | null;
      const field = { path, keyPosition: ref.locate(keyRange[0], keyRange[1]), valueType: 'null', value: { ...ref, text: '', exact: false } as ValueRef };
      if (isMap(value)) field.valueType = 'object';
      else if (isSeq(value)) field.valueType = 'array';
      else if (isScalar(value)) {
        field.value = scalarRef(ref, value, text);
        field.valueType = templated(value) ? 'unknown' : value.value === null ? 'null' : typeof value.value === 'string' ? 'string' : typeof value.value === 'number' ? 'number' : typeof value.value === 'boolean' ? 'boolean' : 'unknown';
      }
      fields.push(field);
      if (isMap(value) && !collect(value, path)) return false;
    }
    return true;
  };
  if (!collect(root, [])) return { kind: 'unknown', reason: 'some of its keys are computed at run time', position: ref.position };
  return { kind: 'fields', fields, position: ref.position };
}

/** A YAML scalar of the parameter as a ValueRef: its text as written (quotes removed), located in the file. */
function scalarRef(ref: ValueRef, scalar: Scalar, original: string): ValueRef {
  const [start, end] = scalar.range as [number, number, number];
  const quoted = scalar.type === 'QUOTE_DOUBLE' || scalar.type === 'QUOTE_SINGLE';
  const from = quoted ? start + 1 : start;
  const to = quoted ? end - 1 : end;
  const written = original.slice(from, to).trim();
  return {
    ...ref,
    text: findExpressions(written).length > 0 ? written : String(scalar.value ?? ''),
    position: ref.locate(start, end),
    locate: (s, e) => ref.locate(from + s, from + e),
  };
}
