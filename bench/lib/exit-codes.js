/** Exit statuses that bench/run-lint.js and bench/lint-bench.js agree on. */

/** run-lint.js: dist/src/index.js is missing, so there is nothing to measure yet. */
export const NOT_BUILT = 3;

/** runLint()'s exit code for a scan that broke (unreadable input, an internal error), as opposed to findings. */
export const BROKEN_SCAN = 2;
