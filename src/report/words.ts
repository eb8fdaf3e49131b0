/** Counting words the human-readable formats share. */
import type { Report, Severity } from '../model.js';

export function plural(count: number, word: string, words = `${word}s`): string {
  return `${count} ${count === 1 ? word : words}`;
}

/** "1 error, 2 warnings, 0 notes" */
export function severityCounts(summary: Report['summary']): string {
  return `${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}, ${plural(summary.notes, 'note')}`;
}

export const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, note: 2 };

/** Findings with errors first, then warnings, then notes, each in report order. */
export function bySeverity<T extends { severity: Severity }>(findings: readonly T[]): T[] {
  return [...findings].sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
}
