/**
 * The programmatic API: `runLint` for scripts and the benchmark, and the formatters by name with the context
 * they take (for a GitHub Action that prints annotations, a job summary and SARIF itself); the CLI is in cli.ts.
 */
import { lint, type LintOptions } from './engine.js';
import type { Report } from './model.js';

export { lint } from './engine.js';
export type { LintOptions, LintResult } from './engine.js';
export type * from './model.js';
export { createFormatContext, type FormatContextOptions } from './format.js';
export { FORMATTERS, formatterFor, LINT_FORMATS, type FormatContext, type Formatter, type RuleInfo } from './report/index.js';
export { sarifPerRepository } from './report/sarif.js';
export { traceDispatch, type Trace } from './graph/trace.js';

/** Lints and returns the JSON report with the exit status the CLI would give (without --max-warnings). */
export async function runLint(options: LintOptions): Promise<{ report: Report; exitCode: number }> {
  const result = await lint(options);
  const exitCode = result.scanErrors.length > 0 ? 2 : result.report.summary.errors > 0 ? 1 : 0;
  return { report: result.report, exitCode };
}
