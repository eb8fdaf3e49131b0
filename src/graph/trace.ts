/**
 * The cascade one dispatch sets off, hop by hop: the workflows a dispatch starts, the dispatches those send
 * next (only the ones that can run on the event that started them), and so on, ending at loops, dead ends (no
 * listener), and hops that are unresolved or leave the scanned repositories.
 */
import { mayRunOn } from '../extract/conditions.js';
import type { EdgeStatus, Send, WorkflowFacts } from '../model.js';
import { baseName, compareStrings, repoKey, type DispatchIndex } from './index.js';

export interface TraceHop {
  kind: Send['kind'];
  /** The event type, or the workflow a workflow_dispatch names (as written where it stays an expression). */
  event: string;
  /** Where the dispatch is sent from. */
  from: { repo: string; path: string; line: number; column: number };
  target: string;
  status: EdgeStatus;
  workflows: TracedWorkflow[];
}

export interface TracedWorkflow {
  repo: string;
  path: string;
  name?: string;
  /** 'loop': the workflow already runs earlier in this branch of the cascade; 'repeat': traced earlier, shown there. */
  stop?: 'loop' | 'repeat';
  next: TraceHop[];
}

export interface Trace {
  version: 1;
  event: string;
  from: string;
  hops: TraceHop[];
  summary: { dispatches: number; workflows: number; repositories: number; deadEnds: number; loops: number; unresolved: number; external: number; truncated: boolean };
}

/** Hops followed before the trace stops (an organisation-wide fan-out stays printable). */
export const MAX_TRACE_HOPS = 1000;

/** The cascade of `event` sent from the scanned repository `from`; undefined when `from` is not scanned. */
export function traceDispatch(index: DispatchIndex, event: string, from: string): Trace | undefined {
  const repository = index.repository(from);
  if (!repository) return undefined;
  const visited = new Set<string>();
  const started = new Set<string>();
  const summary: Trace['summary'] = { dispatches: 0, workflows: 0, repositories: 0, deadEnds: 0, loops: 0, unresolved: 0, external: 0, truncated: false };

  const hopsFrom = (sends: Send[], path: ReadonlySet<string>): TraceHop[] =>
    distinct(sends).map((send) => {
      if (summary.dispatches >= MAX_TRACE_HOPS) summary.truncated = true;
      summary.dispatches++;
      const status = index.edgeStatus(send);
      if (status === 'no-listener') summary.deadEnds++;
      if (status === 'unresolved') summary.unresolved++;
      if (status === 'external') summary.external++;
      const position = (send.kind === 'repository_dispatch' ? send.eventType?.position : send.workflow?.position) ?? send.position;
      const hop: TraceHop = {
        kind: send.kind,
        event: eventOf(send),
        from: { repo: send.repo, path: send.path, line: position.line, column: position.column },
        target: send.target.value ?? send.target.text,
        status,
        workflows: [],
      };
      if (status !== 'ok' || summary.truncated) return hop;
      const workflows = [...index.workflowsStartedBy(send)].sort((a, b) => compareStrings(a.path, b.path));
      hop.workflows = workflows.map((workflow) => {
        const key = workflowKey(workflow);
        const traced: TracedWorkflow = { repo: workflow.repo, path: workflow.path, next: [] };
        if (workflow.name !== undefined) traced.name = workflow.name;
        started.add(key);
        if (path.has(key)) {
          summary.loops++;
          traced.stop = 'loop';
        } else if (visited.has(key)) {
          traced.stop = 'repeat';
        } else {
          visited.add(key);
          // Started by this dispatch, the workflow runs on its event: only sends that can run then follow.
          traced.next = hopsFrom(
            workflow.sends.filter((next) => mayRunOn(next.events, send.kind)),
            new Set([...path, key]),
          );
        }
        return traced;
      });
      return hop;
    });

  const roots = repository.workflows.flatMap((workflow) => workflow.sends.filter((send) => sends(send, event)).map((send) => ({ send, workflow })));
  const hops = roots.length === 0 ? [] : hopsFrom(roots.map(({ send }) => send), new Set(roots.map(({ workflow }) => workflowKey(workflow))));
  summary.workflows = started.size;
  summary.repositories = new Set([...started].map((key) => key.split('\u0000')[0])).size;
  return { version: 1, event, from: repository.name, hops, summary };
}

/** The event types and workflows `repo` sends, for a message when the asked one is not among them. */
export function eventsSentBy(index: DispatchIndex, repo: string): string[] {
  const repository = index.repository(repo);
  return [...new Set((repository?.workflows ?? []).flatMap((workflow) => workflow.sends.map(eventOf)))].sort(compareStrings);
}

function sends(send: Send, event: string): boolean {
  const name = eventOf(send);
  return name === event || (send.kind === 'workflow_dispatch' && baseName(name) === event);
}

function eventOf(send: Send): string {
  const value = send.kind === 'repository_dispatch' ? send.eventType : send.workflow;
  return value?.value ?? value?.text ?? '';
}

/** One hop per dispatch step and target (matrix combinations that agree are one hop), in file order. */
function distinct(sends: Send[]): Send[] {
  const seen = new Map<string, Send>();
  for (const send of sends) {
    const key = JSON.stringify([repoKey(send.repo), send.path, send.position.line, send.position.column, send.kind, send.target.value ?? send.target.text, eventOf(send)]);
    if (!seen.has(key)) seen.set(key, send);
  }
  return [...seen.values()].sort(
    (a, b) =>
      compareStrings(a.path, b.path) ||
      a.position.line - b.position.line ||
      a.position.column - b.position.column ||
      compareStrings((a.target.value ?? a.target.text).toLowerCase(), (b.target.value ?? b.target.text).toLowerCase()),
  );
}

function workflowKey(workflow: WorkflowFacts): string {
  return `${repoKey(workflow.repo)}\u0000${workflow.path}`;
}
