/** Types for mutate.js (plain JavaScript, so that `npm run fuzz` needs no TypeScript loader). */
export interface CorpusFile {
  /** OWNER/REPO/.github/workflows/NAME, relative to the corpus root. */
  source: string;
  text: string;
}
export interface FuzzCase {
  /** The mutations applied, in order. */
  kinds: string[];
  text: string;
  source: string;
}
export interface Random {
  next(): number;
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** The bound createFuzzer was given for huge strings and long chains. */
  maxBytes: number;
}
export function corpusWorkflows(root: string): { files: CorpusFile[]; missing?: string };
export const MUTATIONS: Record<string, (text: string, random: Random) => string>;
export function createFuzzer(options: { seed: number; files: CorpusFile[]; maxBytes?: number }): { next(): FuzzCase };
export function quadraticShapes(bytes?: number): Record<string, string>;
