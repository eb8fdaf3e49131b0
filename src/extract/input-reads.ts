/**
 * What a workflow reads of its inputs: `${{ inputs.x }}` and `${{ github.event.inputs.x }}` anywhere outside
 * `on:` (a bare `if:` condition included), for the rules about inputs read but never declared, and declared but
 * never read. A use that could read any input (`toJSON(inputs)`, `inputs[matrix.name]`, the event file, a
 * github-script that reads `context.payload.inputs`) is recorded without a name: then every input counts as read.
 */
import { isMap, isScalar, isSeq, type Node, type Scalar, type YAMLMap } from 'yaml';
import type { InputRead } from '../model.js';
import { forEachChain, literalKeys, parseExpression } from '../expressions/parse.js';
import { findExpressions, singleExpression } from '../expressions/template.js';
import type { SourceFile } from '../yaml/source.js';

export function inputReadsOf(root: YAMLMap, source: SourceFile): InputRead[] {
  const reads: InputRead[] = [];
  const stack: { node: Node; condition: boolean }[] = [];
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? pair.key.value : undefined;
    if (key === 'on' || key === true || !pair.value || typeof pair.value !== 'object') continue;
    stack.push({ node: pair.value as Node, condition: false });
  }
  while (stack.length > 0) {
    const { node, condition } = stack.pop() as { node: Node; condition: boolean };
    if (isScalar(node)) readsInScalar(node, condition, source, reads);
    else if (isMap(node)) {
      for (const pair of node.items) {
        if (pair.value && typeof pair.value === 'object') stack.push({ node: pair.value as Node, condition: isScalar(pair.key) && pair.key.value === 'if' });
      }
    } else if (isSeq(node)) {
      for (const item of node.items) if (item && typeof item === 'object') stack.push({ node: item as Node, condition: false });
    }
  }
  return reads.sort((a, b) => a.position.line - b.position.line || a.position.column - b.position.column);
}

function readsInScalar(scalar: Scalar, condition: boolean, source: SourceFile, reads: InputRead[]): void {
  if (typeof scalar.value !== 'string' || !/inputs|GITHUB_EVENT_PATH|event_path/.test(scalar.value)) return;
  const text = scalar.value;
  // The event file holds the inputs too; what a script reads of it is not followed.
  const eventFile = /GITHUB_EVENT_PATH|github\.event_path/.exec(text);
  if (eventFile && /\binputs\b/.test(text)) reads.push({ position: source.positionInScalar(scalar, eventFile.index, eventFile.index + eventFile[0].length) });
  const payloadInputs = /\bpayload\.inputs\b/.exec(text);
  if (payloadInputs) reads.push({ position: source.positionInScalar(scalar, payloadInputs.index, payloadInputs.index + payloadInputs[0].length) });
  const bare = condition && !text.includes('${{') && singleExpression(text) === undefined;
  const expressions = bare ? [{ source: text, start: 0, end: text.length }] : findExpressions(text);
  for (const expression of expressions) {
    if (!/inputs/.test(expression.source)) continue;
    const parsed = parseExpression(expression.source);
    if (!parsed.ok) continue;
    const position = source.positionInScalar(scalar, expression.start, expression.end);
    forEachChain(parsed.expr, (chain) => {
      const keys = literalKeys(chain);
      const lowered = keys.map((key) => key.toLowerCase());
      const named = chain.root === 'inputs' ? { at: 0 } : chain.root === 'github' && lowered[0] === 'event' && lowered[1] === 'inputs' ? { at: 2 } : undefined;
      if (!named) {
        // `github.event` or `github` whole: it holds the inputs.
        if (chain.root === 'github' && (lowered.length === 0 || (lowered.length === 1 && lowered[0] === 'event'))) reads.push({ position });
        return;
      }
      const name = keys[named.at];
      reads.push(name === undefined ? { position } : { name, position, via: chain.root === 'inputs' ? 'inputs' : 'github.event.inputs' });
    });
  }
}
