/**
 * The dispatch graph as one model (repositories as nodes, one edge per event type or target workflow), drawn
 * as Mermaid, Graphviz dot or JSON. `dispatch-lint graph` draws all of it; the Markdown report draws the part
 * around the findings, since a whole organisation is unreadable and Mermaid refuses very large diagrams.
 */
import type { Edge, EdgeStatus, Report } from '../model.js';

export const GRAPH_FORMATS = ['mermaid', 'dot', 'json'];

export type NodeKind = 'scanned' | 'external' | 'unresolved';

export interface GraphNode {
  /** `r0`, `r1`, ...: safe as a Mermaid or dot id whatever the repository name or expression. */
  id: string;
  name: string;
  kind: NodeKind;
}

export interface GraphEdge {
  from: GraphNode;
  to: GraphNode;
  edge: Edge;
  label: string;
}

export interface DispatchGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** How much of the whole graph is drawn. */
  total: { nodes: number; edges: number };
  /** 'findings': only repositories in a finding and their neighbours are drawn. */
  scope: 'all' | 'findings';
}

/** Mermaid's default limits (maxEdges, maxTextSize); a diagram past them renders as an error. */
export const MERMAID_MAX_EDGES = 500;
export const MERMAID_MAX_TEXT = 50_000;

export function dispatchGraph(report: Report, scope: 'all' | 'findings' = 'all'): DispatchGraph {
  const all = allNodes(report);
  const key = (name: string) => name.toLowerCase();
  let drawn: Set<string>;
  if (scope === 'all') {
    drawn = new Set(all.keys());
  } else {
    const involved = new Set(report.findings.flatMap((finding) => [finding.location.repo, ...(finding.related ?? []).map((related) => related.repo)]).map(key));
    drawn = new Set(involved);
    for (const edge of report.graph.edges) {
      if (involved.has(key(edge.from))) drawn.add(key(edge.to));
      if (involved.has(key(edge.to))) drawn.add(key(edge.from));
    }
  }
  const nodes: GraphNode[] = [];
  const byKey = new Map<string, GraphNode>();
  for (const [nodeKey, node] of all) {
    if (!drawn.has(nodeKey)) continue;
    const numbered = { ...node, id: `r${nodes.length}` };
    nodes.push(numbered);
    byKey.set(nodeKey, numbered);
  }
  const edges: GraphEdge[] = [];
  for (const edge of report.graph.edges) {
    const from = byKey.get(key(edge.from));
    const to = byKey.get(key(edge.to));
    if (from && to) edges.push({ from, to, edge, label: edgeLabel(edge) });
  }
  return { nodes, edges, total: { nodes: all.size, edges: report.graph.edges.length }, scope };
}

/** Scanned repositories in report order, then the targets outside them in the order edges name them. */
function allNodes(report: Report): Map<string, Omit<GraphNode, 'id'>> {
  const nodes = new Map<string, Omit<GraphNode, 'id'>>();
  for (const repo of report.repos) nodes.set(repo.name.toLowerCase(), { name: repo.name, kind: 'scanned' });
  for (const edge of report.graph.edges) {
    for (const name of [edge.from, edge.to]) {
      if (nodes.has(name.toLowerCase())) continue;
      // A target that stayed an expression is not a repository; one that resolved is outside the scan.
      nodes.set(name.toLowerCase(), { name, kind: /^[\w.-]+\/[\w.-]+$/.test(name) ? 'external' : 'unresolved' });
    }
  }
  return nodes;
}

export function edgeLabel(edge: Edge): string {
  const what = edge.kind === 'repository_dispatch' ? edge.event : `workflow ${edge.event}`;
  return edge.status === 'ok' ? what : `${what} (${edge.status})`;
}

/** How each edge status is drawn, in Mermaid and dot alike, so the legend fits both. */
export const EDGE_STYLES: Record<EdgeStatus, { colour: string; colourName: string; dashed: boolean; meaning: string }> = {
  ok: { colour: '#1f883d', colourName: 'green', dashed: false, meaning: 'a workflow there listens' },
  'no-listener': { colour: '#cf222e', colourName: 'red', dashed: true, meaning: 'no workflow listens, so nothing runs' },
  unresolved: { colour: '#bf8700', colourName: 'amber', dashed: true, meaning: 'target or event known only at run time' },
  external: { colour: '#6e7781', colourName: 'grey', dashed: true, meaning: 'target outside the scanned repositories' },
  dead: { colour: '#8250df', colourName: 'purple', dashed: true, meaning: "the sender's if: never holds on its workflow's triggers (dead-dispatch)" },
};

export function formatGraph(report: Report, format: string): string {
  const graph = dispatchGraph(report, 'all');
  if (format === 'json') return graphJson(graph, report);
  if (format === 'dot') return graphDot(graph);
  return graphMermaid(graph);
}

function graphJson(graph: DispatchGraph, report: Report): string {
  const json = {
    version: 1,
    repos: report.repos.map((repo) => repo.name),
    nodes: graph.nodes.map((node) => ({ name: node.name, kind: node.kind })),
    edges: graph.edges.map((edge) => edge.edge),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

export function graphMermaid(graph: DispatchGraph): string {
  const lines = ['flowchart LR'];
  for (const node of graph.nodes) lines.push(`  ${node.id}["${mermaidText(node.name)}"]`);
  const styled = new Map<EdgeStatus, number[]>();
  graph.edges.forEach((edge, index) => {
    const status = edge.edge.status;
    lines.push(`  ${edge.from.id} ${EDGE_STYLES[status].dashed ? '-.->' : '-->'}|"${mermaidText(edge.label)}"| ${edge.to.id}`);
    styled.set(status, [...(styled.get(status) ?? []), index]);
  });
  for (const kind of ['external', 'unresolved'] as const) {
    const ids = graph.nodes.filter((node) => node.kind === kind).map((node) => node.id);
    if (ids.length === 0) continue;
    lines.push(`  classDef ${kind} stroke:${kind === 'external' ? EDGE_STYLES.external.colour : EDGE_STYLES.unresolved.colour},stroke-dasharray:4 3`);
    lines.push(`  class ${ids.join(',')} ${kind}`);
  }
  for (const [status, indexes] of styled) {
    const style = EDGE_STYLES[status];
    lines.push(`  linkStyle ${indexes.join(',')} stroke:${style.colour},stroke-width:${status === 'ok' ? 1.5 : 2}px${style.dashed ? ',stroke-dasharray:6 4' : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Text inside a quoted Mermaid label: quotes, `#` and angle brackets as Mermaid's `#NN;` entity codes (so a
 * label can neither end the string nor inject HTML), line breaks as spaces.
 */
export function mermaidText(text: string): string {
  return text.replace(/[#"<>\r\n]/g, (char) => (char === '\r' || char === '\n' ? ' ' : `#${char.charCodeAt(0)};`));
}

function graphDot(graph: DispatchGraph): string {
  const lines = ['digraph dispatch {', '  rankdir=LR;', '  node [shape=box];'];
  for (const node of graph.nodes) {
    const style = node.kind === 'scanned' ? '' : `, style=dashed, color=${JSON.stringify(EDGE_STYLES[node.kind].colour)}`;
    lines.push(`  ${node.id} [label=${dotString(node.name)}${style}];`);
  }
  for (const edge of graph.edges) {
    const style = EDGE_STYLES[edge.edge.status];
    lines.push(`  ${edge.from.id} -> ${edge.to.id} [label=${dotString(edge.label)}, color=${JSON.stringify(style.colour)}${style.dashed ? ', style=dashed' : ''}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** A dot quoted string: only `"` and `\` need escaping. */
function dotString(text: string): string {
  return `"${text.replace(/[\\"]/g, (char) => `\\${char}`).replace(/\r?\n/g, ' ')}"`;
}
