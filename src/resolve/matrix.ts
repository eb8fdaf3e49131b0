/**
 * Expands a job's `strategy.matrix` into its combinations the way GitHub does: the cross product of the
 * list-valued keys, then `include` entries (extending matching combinations, or added as their own), then
 * `exclude`. Keys whose values are only known at run time (`${{ fromJSON(...) }}`) are left out of every
 * combination, so reading them stays unknown.
 */
import type { JsonValue } from '../expressions/evaluate.js';

export type Combination = Record<string, JsonValue>;

/** Past this many combinations the matrix is treated as unknown (GitHub's own limit is 256). */
const MAX_COMBINATIONS = 256;

/** The combinations, or undefined when the matrix as a whole is computed at run time. */
export function expandMatrix(matrix: unknown): Combination[] | undefined {
  if (matrix === undefined || matrix === null) return [{}];
  if (typeof matrix !== 'object' || Array.isArray(matrix)) return undefined;
  const entries = Object.entries(matrix as Record<string, unknown>);
  let combinations: Combination[] = [{}];
  for (const [key, values] of entries) {
    if (key === 'include' || key === 'exclude') continue;
    if (!Array.isArray(values)) continue;
    const next: Combination[] = [];
    for (const combination of combinations) {
      for (const value of values) next.push({ ...combination, [key]: value as JsonValue });
    }
    combinations = next;
    if (combinations.length > MAX_COMBINATIONS) return undefined;
  }
  const baseKeys = entries.filter(([key, values]) => key !== 'include' && key !== 'exclude' && Array.isArray(values)).map(([key]) => key);
  const hasBase = baseKeys.length > 0;

  const include = (matrix as Record<string, unknown>).include;
  if (Array.isArray(include)) {
    for (const entry of include) {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) continue;
      combinations = applyInclude(combinations, entry as Combination, baseKeys, hasBase);
    }
  } else if (typeof include === 'string') {
    return undefined;
  }
  const exclude = (matrix as Record<string, unknown>).exclude;
  if (Array.isArray(exclude)) {
    for (const entry of exclude) {
      if (entry === null || typeof entry !== 'object') continue;
      combinations = combinations.filter((combination) => !matches(combination, entry as Combination));
    }
  }
  if (combinations.length === 0 || combinations.length > MAX_COMBINATIONS) return undefined;
  return combinations;
}

function applyInclude(combinations: Combination[], entry: Combination, baseKeys: string[], hasBase: boolean): Combination[] {
  if (!hasBase) {
    // A matrix of `include` only: each entry is a combination of its own (the first replaces the empty one).
    const existing = combinations.length === 1 && Object.keys(combinations[0] ?? {}).length === 0 ? [] : combinations;
    return [...existing, { ...entry }];
  }
  let extended = false;
  const next = combinations.map((combination) => {
    // An include entry extends a combination when it overwrites none of the combination's original values.
    const compatible = baseKeys.every((key) => !(key in entry) || sameValue(entry[key], combination[key]));
    if (!compatible) return combination;
    extended = true;
    return { ...combination, ...entry };
  });
  return extended ? next : [...next, { ...entry }];
}

function matches(combination: Combination, pattern: Combination): boolean {
  return Object.entries(pattern).every(([key, value]) => sameValue(value, combination[key]));
}

function sameValue(left: JsonValue | undefined, right: JsonValue | undefined): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}
