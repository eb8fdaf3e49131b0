/** Types for random.js (plain JavaScript, so that the bench needs no TypeScript loader). */
export interface SeededRandom {
  next(): number;
  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  weighted(weights: Record<string, number>): string;
}
export function createRandom(seed: number): SeededRandom;
