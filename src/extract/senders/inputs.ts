/** Reading a step's `with:` inputs as ValueRefs: the text of each input and where it is written. */
import { isScalar, type Node, type Scalar } from 'yaml';
import type { Position } from '../../model.js';
import type { SourceFile } from '../../yaml/source.js';
import type { StepNodes } from './from-step.js';
import type { ValueRef } from './spec.js';

/** The scalar of input `name` (as written: the runner matches input names case-insensitively, see byName). */
export function withInput(step: StepNodes, name: string, options: { anyCase?: boolean } = {}): Scalar | undefined {
  const wanted = options.anyCase ? name.toLowerCase() : name;
  const node = step.with?.items.find((pair) => isScalar(pair.key) && (options.anyCase ? String(pair.key.value).toLowerCase() : pair.key.value) === wanted)?.value as Node | undefined;
  return isScalar(node) ? node : undefined;
}

export function inputRef(node: Scalar, source: SourceFile): ValueRef {
  return {
    text: node.value === null || node.value === undefined ? '' : String(node.value),
    position: source.positionOf(node),
    exact: true,
    shell: false,
    locate: (start, end) => source.positionInScalar(node, start, end),
  };
}

/** A value the workflow does not spell: the action's own default, pointed at `position`. */
export function fixedRef(text: string, position: Position, exact = true): ValueRef {
  return { text, position, exact, shell: false, locate: () => position };
}

/** Every `with:` scalar, for the `steps.X.outputs.Y` reads that feed the dispatch. */
export function allInputRefs(step: StepNodes, source: SourceFile): ValueRef[] {
  return (step.with?.items ?? []).flatMap((pair) => (isScalar(pair.value) ? [inputRef(pair.value, source)] : []));
}

/** `owner/name@v4` → `owner/name@v4`, with a 40-character commit SHA shown short. */
export function formOf(uses: string): string {
  const at = uses.indexOf('@');
  if (at < 0) return uses;
  const version = uses.slice(at + 1);
  return `${uses.slice(0, at)}@${/^[0-9a-f]{40}$/i.test(version) ? version.slice(0, 7) : version}`;
}
