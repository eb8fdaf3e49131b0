/**
 * Markdown for job summaries and pull-request comments: a headline with counts, a table of findings linked to
 * their rule docs and files, and the dispatch graph as Mermaid (which GitHub renders), drawn around the
 * findings unless `fullGraph` asks for all of it.
 */
import type { Finding, Report } from '../model.js';
import type { FormatContext } from './context.js';
import { dispatchGraph, EDGE_STYLES, graphMermaid, MERMAID_MAX_EDGES, MERMAID_MAX_TEXT } from './graph.js';
import { bySeverity, plural, severityCounts } from './words.js';

/** Rows in the findings table; a pull-request comment holds at most 65,536 characters. */
export const MAX_TABLE_ROWS = 100;
const MAX_RELATED_PER_ROW = 3;
const SEVERITY_LABEL = { error: '❌ error', warning: '⚠️ warning', note: 'ℹ️ note' } as const;

export function formatMarkdown(report: Report, context: FormatContext): string {
  const { summary } = report;
  const total = report.findings.length;
  const workflows = report.repos.reduce((sum, repo) => sum + repo.workflows, 0);
  const broken = report.graph.edges.filter((edge) => edge.status !== 'ok').length;
  const out: string[] = [];
  out.push(`## dispatch-lint: ${total === 0 ? 'no problems' : severityCounts(summary)}`, '');
  out.push(`${plural(report.repos.length, 'repository', 'repositories')} and ${plural(workflows, 'workflow')} scanned; ${plural(report.graph.edges.length, 'dispatch edge')}, ${broken === 0 ? 'none' : broken} broken.`, '');

  if (total > 0) {
    const rows = bySeverity(report.findings).slice(0, MAX_TABLE_ROWS);
    out.push('| Severity | Rule | Location | Message |', '| --- | --- | --- | --- |');
    for (const finding of rows) out.push(`| ${SEVERITY_LABEL[finding.severity]} | ${ruleLink(finding, context)} | ${locationLink(finding, context)} | ${messageCell(finding, context)} |`);
    if (total > rows.length) out.push('', `${total - rows.length} more findings are not shown here (the least severe); the JSON and SARIF reports hold them all.`);
    out.push('');
  }
  out.push(...graphSection(report, context));
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

function graphSection(report: Report, context: FormatContext): string[] {
  if (report.graph.edges.length === 0) return [];
  const graph = dispatchGraph(report, context.fullGraph ? 'all' : 'findings');
  const lines = ['### Dispatch graph', ''];
  const shown = `${graph.nodes.length} of ${plural(graph.total.nodes, 'repository', 'repositories')}`;
  if (graph.scope === 'findings') {
    const left = graph.total.nodes - graph.nodes.length;
    lines.push(
      graph.nodes.length === 0
        ? `No repository takes part in a finding, so no graph is drawn (${plural(graph.total.nodes, 'repository', 'repositories')}; \`--full-graph\` draws them all).`
        : `Showing ${shown}: those in a finding and their neighbours${left > 0 ? `; ${left} left out (\`--full-graph\` draws them all)` : ''}.`,
      '',
    );
  }
  if (graph.edges.length === 0) return lines;
  const mermaid = graphMermaid(graph);
  if (graph.edges.length > MERMAID_MAX_EDGES || mermaid.length > MERMAID_MAX_TEXT) {
    lines.push(`The graph has ${plural(graph.edges.length, 'edge')}, more than Mermaid draws (${MERMAID_MAX_EDGES} edges, ${MERMAID_MAX_TEXT} characters); \`dispatch-lint graph --format dot\` prints it for Graphviz.`);
    return lines;
  }
  lines.push('```mermaid', mermaid.trimEnd(), '```', '');
  const legend = (['ok', 'no-listener', 'unresolved', 'external'] as const).map((status) => {
    const style = EDGE_STYLES[status];
    return `${style.dashed ? 'dashed' : 'solid'} ${style.colourName}${status === 'ok' ? '' : ` \`(${status})\``}: ${style.meaning}`;
  });
  lines.push(`**Legend:** ${legend.join(' · ')}. Dashed boxes: repositories outside the scan (grey) and targets that stay an expression (amber).`);
  return lines;
}

function ruleLink(finding: Finding, context: FormatContext): string {
  const rule = context.rules.find((candidate) => candidate.id === finding.rule);
  return rule ? `[${cell(rule.id)}](${rule.docsUrl})` : cell(finding.rule);
}

function locationLink(finding: Finding, context: FormatContext): string {
  const { repo, path, line } = finding.location;
  return `[${cell(`${repo}: ${path}:${line}`)}](${context.links.blobUrl(repo, path, line)})`;
}

function messageCell(finding: Finding, context: FormatContext): string {
  const related = finding.related ?? [];
  const lines = [cell(finding.message)];
  for (const place of related.slice(0, MAX_RELATED_PER_ROW)) {
    lines.push(`↳ [${cell(`${place.repo}: ${place.path}:${place.line}`)}](${context.links.blobUrl(place.repo, place.path, place.line)}) ${cell(place.message)}`);
  }
  if (related.length > MAX_RELATED_PER_ROW) lines.push(`↳ and ${related.length - MAX_RELATED_PER_ROW} more`);
  return lines.join('<br>');
}

/** Text in a table cell: Markdown and HTML characters escaped, so a message shows as written and stays in its cell. */
export function cell(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*[\]|~]/g, (char) => `\\${char}`)
    // An underscore emphasises only at a word's edge; inside `client_payload` it is plain text.
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    .replace(/\r?\n/g, '<br>');
}
