/**
 * How far V8 lets the heap grow past what was live at its last full collection. By default it picks a factor of up
 * to 4 from how fast the program allocates, and extraction allocates fast (a parse tree per file, garbage a moment
 * later) while what stays live grows slowly (the facts): a lint of bench's corpus-shaped org of 30,000 files,
 * 119 MB live at the end, peaked at 520 MB of resident memory. A factor of 1.5 keeps the heap near what is live.
 *
 * Measured on these 2-core machines (node --heap-growing-percent=N bench/run-lint.js DIR, idle): the 30,000-file
 * org without a cache, default 17.5 s and 499 MB, 100 % 18.1 s and 359 MB, 50 % 19.0 s and 300 MB, 25 % 19.6 s
 * and 272 MB; the 10,000-file org with an empty cache, default 7.2-7.7 s and 326-333 MB, 50 % 7.6 s and 233 MB.
 *
 * It is a V8 flag set at run time, which V8 reads at each collection; the process's entry point sets it (the CLI,
 * the benchmark's runner), never the library, whose host owns its heap. Where a V8 does not honour it, nothing but
 * memory changes.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;

export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
