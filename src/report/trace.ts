/** `dispatch-lint trace` output: the cascade as a tree (text), or the trace as JSON for tools. */
import type { Trace, TracedWorkflow, TraceHop } from '../graph/trace.js';
import { plural } from './words.js';

export const TRACE_FORMATS = ['text', 'json'];

export function formatTrace(trace: Trace, format: string): string {
  if (format === 'json') return `${JSON.stringify(trace, null, 2)}\n`;
  const lines = [`${trace.from} sends ${trace.event}:`];
  trace.hops.forEach((hop, index) => renderHop(hop, '', index === trace.hops.length - 1, lines));
  const { summary } = trace;
  lines.push(
    '',
    `${plural(summary.dispatches, 'dispatch', 'dispatches')} started ${plural(summary.workflows, 'workflow')} in ${plural(summary.repositories, 'repository', 'repositories')}; ` +
      `${plural(summary.deadEnds, 'dead end')}, ${plural(summary.loops, 'loop')}, ${summary.unresolved} unresolved, ${summary.external} outside the scan` +
      (summary.truncated ? `; stopped after ${summary.dispatches} dispatches` : ''),
  );
  return `${lines.join('\n')}\n`;
}

const ENDS: Record<TraceHop['status'], string> = {
  ok: '',
  'no-listener': '  ✗ dead end: nothing there runs on it',
  unresolved: '  ? unresolved: the target or event is known only at run time',
  external: '  → outside the scanned repositories',
  dead: '  ✗ never sent: its if: never holds on its workflow\'s triggers',
};

function renderHop(hop: TraceHop, prefix: string, last: boolean, lines: string[]): void {
  const what = hop.kind === 'repository_dispatch' ? hop.event : `workflow ${hop.event}`;
  lines.push(`${prefix}${last ? '└─ ' : '├─ '}${what} → ${hop.target}  (${hop.from.path}:${hop.from.line})${ENDS[hop.status]}`);
  const inner = `${prefix}${last ? '   ' : '│  '}`;
  hop.workflows.forEach((workflow, index) => renderWorkflow(workflow, inner, index === hop.workflows.length - 1, lines));
}

function renderWorkflow(workflow: TracedWorkflow, prefix: string, last: boolean, lines: string[]): void {
  const name = workflow.name === undefined ? '' : ` ("${workflow.name}")`;
  const stop = workflow.stop === 'loop' ? '  ↻ loop: it already runs earlier in this cascade' : workflow.stop === 'repeat' ? '  (traced above)' : '';
  lines.push(`${prefix}${last ? '└─ ' : '├─ '}runs ${workflow.path}${name}${stop}`);
  const inner = `${prefix}${last ? '   ' : '│  '}`;
  workflow.next.forEach((hop, index) => renderHop(hop, inner, index === workflow.next.length - 1, lines));
}
