/** ESLint's "stylish" shape: findings grouped under their file, then a one-line summary. */
import { relative, join } from 'node:path';
import type { Finding, Report } from '../model.js';
import type { FormatContext } from './context.js';
import { plural, severityCounts } from './words.js';

/** What stylish reads of the context: colours, and local folders to print paths a terminal can open. */
export type StylishOptions = Pick<FormatContext, 'palette' | 'roots' | 'cwd'>;

export function formatStylish(report: Report, options: StylishOptions): string {
  const { palette: c } = options;
  const groups = new Map<string, Finding[]>();
  for (const finding of report.findings) {
    const file = fileLabel(finding, options);
    groups.set(file, [...(groups.get(file) ?? []), finding]);
  }
  const lines: string[] = [];
  for (const [file, findings] of groups) {
    lines.push('', c.underline(file));
    const positionWidth = Math.max(...findings.map((finding) => `${finding.location.line}:${finding.location.column}`.length));
    for (const finding of findings) {
      const position = `${finding.location.line}:${finding.location.column}`.padEnd(positionWidth);
      const severity = finding.severity === 'error' ? c.red('error  ') : finding.severity === 'warning' ? c.yellow('warning') : c.blue('note   ');
      lines.push(`  ${c.dim(position)}  ${severity}  ${finding.message}  ${c.dim(finding.rule)}`);
    }
  }
  const { errors, warnings, notes } = report.summary;
  const total = errors + warnings + notes;
  const context = summaryContext(report);
  if (total === 0) {
    lines.push(`${plural(report.repos.length, 'repository', 'repositories')}, ${plural(report.repos.reduce((sum, repo) => sum + repo.workflows, 0), 'workflow')}: no ${report.base ? 'new ' : ''}problems${context}`);
  } else {
    const mark = errors > 0 ? c.red(c.bold('✖')) : warnings > 0 ? c.yellow(c.bold('⚠')) : c.blue(c.bold('ℹ'));
    lines.push('', `${mark} ${c.bold(`${plural(total, report.base ? 'new problem' : 'problem', report.base ? 'new problems' : 'problems')} (${severityCounts(report.summary)})`)} in ${plural(report.repos.length, 'repository', 'repositories')}${context}`);
  }
  return `${lines.join('\n').replace(/^\n/, '')}\n`;
}

/** " against origin/main; the change fixes 1 (2 suppressed, 3 in the baseline)", or nothing. */
function summaryContext(report: Report): string {
  const parts: string[] = [];
  if (report.base) parts.push(`against ${report.base.ref}; the change fixes ${report.base.fixed.length}`);
  const aside: string[] = [];
  if (report.summary.suppressed) aside.push(`${report.summary.suppressed} suppressed`);
  if (report.baseline && report.baseline.matched > 0) aside.push(`${report.baseline.matched} in the baseline`);
  return `${parts.length > 0 ? ` ${parts.join('')}` : ''}${aside.length > 0 ? ` (${aside.join(', ')})` : ''}`;
}

function fileLabel(finding: Finding, options: StylishOptions): string {
  const root = options.roots.get(finding.location.repo);
  if (!root) return `${finding.location.repo}/${finding.location.path}`;
  const path = relative(options.cwd, join(root, finding.location.path));
  return `${path}  ${`(${finding.location.repo})`}`;
}
