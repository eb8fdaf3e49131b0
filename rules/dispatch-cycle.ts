import { mayRunOn } from '../src/extract/conditions.js';
import { baseName } from '../src/graph/index.js';
import type { Position, Send, WorkflowFacts } from '../src/model.js';
import { locate, relate, type Rule } from '../src/rule.js';

/** Loops longer than this are not followed (no real wiring has them, and the search stays small). */
const MAX_LOOP_LENGTH = 8;
const MAX_LOOPS = 100;

interface Step {
  send: Send;
  to: string;
  label: string;
}

/**
 * A workflow whose dispatch, through one or more hops, starts itself again runs until something breaks the
 * loop: dispatches made with GITHUB_TOKEN are no exception (repository_dispatch and workflow_dispatch always
 * start runs). Each loop is reported once, at its first dispatch.
 */
export const dispatchCycle: Rule = {
  id: 'dispatch-cycle',
  defaultSeverity: 'warning',
  description: 'a loop in the dispatch graph: a workflow whose dispatches, through one or more hops, start it again',
  check({ index, report }) {
    const workflows = new Map<string, WorkflowFacts>();
    for (const workflow of index.workflows) workflows.set(nodeKey(workflow), workflow);
    const steps = new Map<string, Step[]>();
    for (const [key, workflow] of workflows) {
      const out: Step[] = [];
      for (const send of workflow.sends) {
        for (const target of targetsOf(send, index)) out.push({ send, to: nodeKey(target), label: send.kind === 'repository_dispatch' ? (send.eventType?.value as string) : `workflow_dispatch` });
      }
      // One step per target: the first dispatch that reaches it.
      const firstPerTarget = new Map<string, Step>();
      for (const step of out.sort((a, b) => a.send.position.line - b.send.position.line || a.send.position.column - b.send.position.column)) {
        if (!firstPerTarget.has(step.to)) firstPerTarget.set(step.to, step);
      }
      steps.set(key, [...firstPerTarget.values()]);
    }

    const order = [...workflows.keys()].sort();
    const rank = new Map(order.map((key, position) => [key, position]));
    let found = 0;
    // Each elementary loop is found once, from its smallest workflow, by walking only through larger ones.
    for (const start of order) {
      const path: Step[] = [];
      const onPath = new Set<string>([start]);
      const walk = (at: string): void => {
        if (found >= MAX_LOOPS || path.length >= MAX_LOOP_LENGTH) return;
        // A workflow reached by a dispatch runs on that dispatch's event; its next dispatch must be able to run then.
        const startedBy = path[path.length - 1]?.send.kind;
        for (const step of steps.get(at) ?? []) {
          if (startedBy && !mayRunOn(step.send.events, startedBy)) continue;
          if (step.to === start) {
            const loop = [...path, step];
            // Closing the loop: the first dispatch must be able to run when the last one starts its workflow.
            if (!mayRunOn(loop[0]?.send.events, step.send.kind)) continue;
            found++;
            reportLoop(loop, start, workflows, report);
          } else if (!onPath.has(step.to) && (rank.get(step.to) ?? -1) > (rank.get(start) ?? 0)) {
            onPath.add(step.to);
            path.push(step);
            walk(step.to);
            path.pop();
            onPath.delete(step.to);
          }
        }
      };
      walk(start);
    }
  },
};

function targetsOf(send: Send, index: Parameters<Rule['check']>[0]['index']): WorkflowFacts[] {
  const target = send.target.value;
  if (target === undefined) return [];
  if (send.kind === 'repository_dispatch') {
    const type = send.eventType?.value;
    return type === undefined ? [] : index.listenersAccepting(target, type);
  }
  const id = send.workflow?.value;
  const workflow = id === undefined ? undefined : index.findWorkflow(target, id, send.workflowByName ?? false, send.workflowAlternatives);
  return workflow?.workflowDispatch ? [workflow] : [];
}

function reportLoop(loop: Step[], start: string, workflows: Map<string, WorkflowFacts>, report: Parameters<Rule['check']>[0]['report']): void {
  const name = (key: string) => {
    const workflow = workflows.get(key) as WorkflowFacts;
    return `${workflow.repo}/${baseName(workflow.path)}`;
  };
  const printed = [name(start), ...loop.map((step) => `--${step.label}--> ${name(step.to)}`)].join(' ');
  const [first, ...rest] = loop;
  if (!first) return;
  report({
    location: locate(first.send, whatIsSent(first.send)),
    identity: [start, ...loop.map((step) => `${step.label}\u0000${step.to}`)],
    message: `dispatch loop: ${printed}; each run starts the next until something fails (break it with a condition or a different event)`,
    related: rest.map((step) => relate(step.send, whatIsSent(step.send), `dispatches ${step.label}`)),
  });
}

/** The event type or workflow a dispatch names: the node that shows the loop. */
function whatIsSent(send: Send): Position {
  return (send.kind === 'repository_dispatch' ? send.eventType?.position : send.workflow?.position) ?? send.position;
}

function nodeKey(workflow: WorkflowFacts): string {
  return `${workflow.repo.toLowerCase()}\u0000${workflow.path}`;
}
