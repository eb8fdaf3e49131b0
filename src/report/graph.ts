/** The dispatch graph as Mermaid, Graphviz dot, or JSON, for `dispatch-lint graph`. */
import type { Edge, Report } from '../model.js';

export const GRAPH_FORMATS = ['mermaid', 'dot', 'json'];

export function formatGraph(report: Report, format: string): string {
  const edges = report.graph.edges;
  if (format === 'json') return `${JSON.stringify({ version: 1, repos: report.repos.map((repo) => repo.name), edges }, null, 2)}\n`;
  if (format === 'dot') return dot(edges);
  return mermaid(report.repos.map((repo) => repo.name), edges);
}

function mermaid(repos: string[], edges: Edge[]): string {
  const ids = new Map<string, string>();
  const id = (name: string) => {
    if (!ids.has(name)) ids.set(name, `r${ids.size}`);
    return ids.get(name) as string;
  };
  const lines = ['flowchart LR'];
  for (const repo of repos) lines.push(`  ${id(repo)}["${repo}"]`);
  for (const edge of edges) {
    if (!ids.has(edge.to)) lines.push(`  ${id(edge.to)}["${edge.to.replace(/"/g, "'")}"]`);
    const arrow = edge.status === 'ok' ? '-->' : '-.->';
    lines.push(`  ${id(edge.from)} ${arrow}|"${label(edge).replace(/"/g, "'")}"| ${id(edge.to)}`);
  }
  return `${lines.join('\n')}\n`;
}

function dot(edges: Edge[]): string {
  const lines = ['digraph dispatch {', '  rankdir=LR;'];
  for (const edge of edges) {
    const style = edge.status === 'ok' ? '' : ', style=dashed, color=red';
    lines.push(`  ${JSON.stringify(edge.from)} -> ${JSON.stringify(edge.to)} [label=${JSON.stringify(label(edge))}${style}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function label(edge: Edge): string {
  const what = edge.kind === 'repository_dispatch' ? edge.event : `workflow ${edge.event}`;
  return edge.status === 'ok' ? what : `${what} (${edge.status})`;
}
