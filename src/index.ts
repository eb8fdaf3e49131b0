/** The programmatic API: `runLint` for scripts and the benchmark; the CLI is in cli.ts. */
import { lint, type LintOptions } from './engine.js';
import type { Report } from './model.js';

export { lint } from './engine.js';
export type { LintOptions, LintResult } from './engine.js';
export type * from './model.js';

/** Lints and returns the JSON report with the exit status the CLI would give (without --max-warnings). */
export async function runLint(options: LintOptions): Promise<{ report: Report; exitCode: number }> {
  const result = await lint(options);
  const exitCode = result.scanErrors.length > 0 ? 2 : result.report.summary.errors > 0 ? 1 : 0;
  return { report: result.report, exitCode };
}
