/** The order findings are reported in (SPEC: repo, path, line, column, rule), which occurrence numbers count in. */
import { compareStrings } from './graph/index.js';
import type { Finding } from './model.js';

export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.location.repo.toLowerCase(), b.location.repo.toLowerCase()) ||
    compareStrings(a.location.path, b.location.path) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    compareStrings(a.rule, b.rule) ||
    compareStrings(a.message, b.message)
  );
}
