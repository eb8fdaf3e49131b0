/** The JSON report v1 (SPEC), byte-stable: the report is already sorted, and keys keep their order. */
import type { Report } from '../model.js';

export function formatJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
