/**
 * Expands a job's `strategy.matrix` into its combinations the way GitHub does (see expandMatrix). Keys whose
 * values are only known at run time (`${{ fromJSON(...) }}`) are left out of every combination, so reading them
 * stays unknown.
 */
import type { JsonValue } from '../expressions/evaluate.js';

export type Combination = Record<string, JsonValue>;

/** GitHub's limit: "A matrix will generate a maximum of 256 jobs per workflow run" (docs: using a matrix). */
export const MAX_MATRIX_JOBS = 256;

export type MatrixExpansion =
  | { kind: 'known'; combinations: Combination[] }
  /** Computed at run time (`${{ fromJSON(...) }}`), as a whole or in its include / exclude lists. */
  | { kind: 'unknown' }
  /** More jobs than GitHub runs for one matrix: at least `atLeast` (expansion stops once past the limit). */
  | { kind: 'too-many'; atLeast: number };

/**
 * The combinations in GitHub's order: the cross product of the list-valued keys, minus `exclude`, then each
 * `include` entry extends the combinations it is compatible with or is added as its own ("All include
 * combinations are processed after exclude"). Linear in the size of the matrix: it stops once past the limit.
 */
export function expandMatrix(matrix: unknown): MatrixExpansion {
  if (matrix === undefined || matrix === null) return { kind: 'known', combinations: [{}] };
  if (typeof matrix !== 'object' || Array.isArray(matrix)) return { kind: 'unknown' };
  const record = matrix as Record<string, unknown>;
  const { include, exclude } = record;
  if ((include !== undefined && !Array.isArray(include)) || (exclude !== undefined && !Array.isArray(exclude))) return { kind: 'unknown' };
  const baseEntries = Object.entries(record).filter(([key, values]) => key !== 'include' && key !== 'exclude' && Array.isArray(values)) as [string, JsonValue[]][];
  const baseKeys = baseEntries.map(([key]) => key);

  const crossSize = baseEntries.reduce((size, [, values]) => size * values.length, 1);
  let combinations: Combination[] = [{}];
  if (baseEntries.length > 0) {
    // Exclusions can only bring the cross product down by what they list.
    if (crossSize - (exclude?.length ?? 0) > MAX_MATRIX_JOBS) return { kind: 'too-many', atLeast: crossSize - (exclude?.length ?? 0) };
    for (const [key, values] of baseEntries) {
      const next: Combination[] = [];
      for (const combination of combinations) for (const value of values) next.push({ ...combination, [key]: value });
      combinations = next;
    }
    for (const entry of exclude ?? []) {
      if (entry === null || typeof entry !== 'object') continue;
      combinations = combinations.filter((combination) => !matches(combination, entry as Combination));
    }
  } else {
    combinations = [];
  }
  for (const entry of include ?? []) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) continue;
    if (!extendCompatible(combinations, entry as Combination, baseKeys)) combinations.push({ ...(entry as Combination) });
    if (combinations.length > MAX_MATRIX_JOBS) return { kind: 'too-many', atLeast: combinations.length };
  }
  if (combinations.length === 0) return baseEntries.length === 0 && !include ? { kind: 'known', combinations: [{}] } : { kind: 'unknown' };
  return { kind: 'known', combinations };
}

/**
 * An include entry extends every combination whose original values it overwrites none of; false when it
 * extends none (then it is a combination of its own).
 */
function extendCompatible(combinations: Combination[], entry: Combination, baseKeys: string[]): boolean {
  if (baseKeys.length === 0) return false;
  let extended = false;
  combinations.forEach((combination, index) => {
    if (!baseKeys.every((key) => !(key in entry) || sameValue(entry[key], combination[key]))) return;
    extended = true;
    combinations[index] = { ...combination, ...entry };
  });
  return extended;
}

function matches(combination: Combination, pattern: Combination): boolean {
  return Object.entries(pattern).every(([key, value]) => sameValue(value, combination[key]));
}

function sameValue(left: JsonValue | undefined, right: JsonValue | undefined): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}
