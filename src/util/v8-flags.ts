/**
 * V8 settings for a lint, set by the process's entry point (the CLI, the benchmark's runner), never by the library,
 * whose host owns its VM. They are flags set at run time, which V8 reads as it goes; where a V8 does not honour
 * one, only speed or memory changes.
 *
 * The heap: how far V8 lets the heap grow past what was live at its last full collection. By default it picks a factor of up
 * to 4 from how fast the program allocates, and extraction allocates fast (a parse tree per file, garbage a moment
 * later) while what stays live grows slowly (the facts): a lint of bench's corpus-shaped org of 30,000 files,
 * 119 MB live at the end, peaked at 520 MB of resident memory. A factor of 1.5 keeps the heap near what is live.
 *
 * Measured on these 2-core machines (node --heap-growing-percent=N bench/run-lint.js DIR, idle): the 30,000-file
 * org without a cache, default 17.5 s and 499 MB, 100 % 18.1 s and 359 MB, 50 % 19.0 s and 300 MB, 25 % 19.6 s
 * and 272 MB; the 10,000-file org with an empty cache, default 7.2-7.7 s and 326-333 MB, 50 % 7.6 s and 233 MB.
 *
 * Optimising: V8 optimises a function once it has run through an "interrupt budget" of bytecode, and again after
 * each deoptimisation. Extraction is a lot of code run over files of many shapes, so it was optimised and
 * deoptimised over and over: on the 10,000-file corpus-shaped org, optimising compilation took 2.7 s of CPU beside a
 * 7 s lint (node --single-threaded --no-concurrent-recompilation made the lint 2.7 s slower), on V8's background
 * threads, and on two cores those threads are what a second extraction thread would need. A budget of 600,000 (about
 * nine times Node 20's default of 67,584) optimises only what is really hot. Measured (runLint, no cache, the heap setting above, alternating):
 * one thread, 7.6-8.2 s wall and 11.5-12.4 s CPU by default, 7.4-7.9 s and 9.5-10.6 s with 300,000 or 600,000;
 * two threads, 7.3-7.6 s and 14.0-14.4 s by default, 5.9-6.3 s and 11.1-11.9 s with 300,000 to 1,200,000.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;
export const INTERRUPT_BUDGET = 600_000;

export function tuneV8ForLint(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
}
