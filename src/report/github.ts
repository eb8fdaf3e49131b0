/**
 * GitHub Actions workflow commands (`::error file=…,line=…::message`): annotations on the files of a pull
 * request or a run. GitHub drops an annotation whose file is not under GITHUB_WORKSPACE, so findings in other
 * repositories print as plain lines, and it shows only 10 error and 10 warning annotations per step (and 50 per
 * job): errors come first, those past the limit print as plain lines, and a last line gives the totals.
 */
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Finding, Report } from '../model.js';
import type { FormatContext } from './context.js';
import { bySeverity, plural, severityCounts } from './words.js';

type Command = 'error' | 'warning' | 'notice';

/** GitHub's documented per-step limits for errors and warnings; notices are assumed to have the same. */
export const ANNOTATIONS_PER_STEP: Record<Command, number> = { error: 10, warning: 10, notice: 10 };
/** Related places listed under a finding; a token drift across a large organisation names many. */
const MAX_RELATED_LINES = 5;

export function formatGithub(report: Report, context: FormatContext): string {
  const shown: Record<Command, number> = { error: 0, warning: 0, notice: 0 };
  let annotations = 0;
  const lines: string[] = [];
  for (const finding of bySeverity(report.findings)) {
    const command: Command = finding.severity === 'note' ? 'notice' : finding.severity;
    const file = workspaceFile(finding, context);
    const text = [finding.message, ...relatedLines(finding)].join('\n');
    if (file !== undefined && shown[command] < ANNOTATIONS_PER_STEP[command]) {
      shown[command]++;
      annotations++;
      const { line, column, endLine, endColumn } = finding.location;
      const properties = { file, line, col: column, endLine, endColumn, title: finding.rule };
      const list = Object.entries(properties).map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',');
      lines.push(`::${command} ${list}::${escapeData(text)}`);
    } else {
      const where = `${finding.location.repo} ${finding.location.path}:${finding.location.line}:${finding.location.column}`;
      lines.push(`${finding.severity}: ${where}: ${text.replace(/\n/g, '\n    ')}  (${finding.rule})`);
    }
  }
  const plain = report.findings.length - annotations;
  const total = report.findings.length;
  const tally = total === 0 ? 'no problems' : `${plural(total, 'problem')} (${severityCounts(report.summary)})`;
  const how = total === 0 ? '' : `; ${plural(annotations, 'annotation')}${plain > 0 ? `, ${plural(plain, 'plain line')} (outside the workspace, or past GitHub's 10 errors and 10 warnings a step)` : ''}`;
  const hint = context.fullReportHint ? `; ${context.fullReportHint}` : '';
  lines.push(`dispatch-lint: ${tally} in ${plural(report.repos.length, 'repository', 'repositories')}${how}${hint}`);
  return `${lines.join('\n')}\n`;
}

function relatedLines(finding: Finding): string[] {
  const related = finding.related ?? [];
  const lines = related.slice(0, MAX_RELATED_LINES).map((place) => `${place.repo} ${place.path}:${place.line}: ${place.message}`);
  if (related.length > MAX_RELATED_LINES) lines.push(`and ${related.length - MAX_RELATED_LINES} more`);
  return lines;
}

/** The finding's file relative to the workspace, with `/`; undefined when it is not a checkout under it. */
function workspaceFile(finding: Finding, context: FormatContext): string | undefined {
  const root = context.roots.get(finding.location.repo);
  if (root === undefined) return undefined;
  const path = relative(context.workspace, join(root, finding.location.path));
  if (path === '' || path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path)) return undefined;
  return path.split(sep).join('/');
}

/** As `@actions/core` escapes a command's message. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** As `@actions/core` escapes a command's property values. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
