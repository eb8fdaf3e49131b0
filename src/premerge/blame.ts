/**
 * A change that removes or renames what another repository still sends to (a listener, an event type, a
 * workflow, its workflow_dispatch trigger, a declared input) breaks that sender without touching it. The head lint
 * already reports the break where it shows, at the sender, under the rule that owns it (event-without-listener,
 * workflow-dispatch-target, workflow-dispatch-inputs); the finding is new against the base, so --base reports it.
 * This module finds, for such a finding, what the base had and the head lacks, says in the message that this
 * change broke it, and points at the removed place at the base as a related location. The reverse, a change that
 * removes the last sender of a listener elsewhere (listener-without-sender), is explained the same way.
 *
 * It reads each rule's finding identity (see the rule files for their layout); test/premerge.test.ts holds every
 * case, so a change of layout shows there.
 */
import type { DispatchIndex } from '../graph/index.js';
import type { Finding, RelatedLocation, WorkflowFacts } from '../model.js';
import { relate } from '../rule.js';

interface Cause {
  /** Appended to the message: "; this change broke it: ...". */
  clause: string;
  related: RelatedLocation[];
}

export function blameOnChange(finding: Finding, identity: readonly string[], base: DispatchIndex, ref: string): Finding {
  const cause = causeOf(finding, identity, base, ref);
  if (!cause) return finding;
  // Same key order as every finding (fingerprint last), so the JSON report keeps its shape.
  return {
    rule: finding.rule,
    severity: finding.severity,
    message: `${finding.message}; ${cause.clause}`,
    location: finding.location,
    related: [...(finding.related ?? []), ...cause.related],
    fingerprint: finding.fingerprint,
  };
}

function causeOf(finding: Finding, identity: readonly string[], base: DispatchIndex, ref: string): Cause | undefined {
  switch (finding.rule) {
    case 'event-without-listener': {
      // identity: [target, event type]
      const [target, type] = identity;
      if (target === undefined || type === undefined) return undefined;
      const listeners = base.listenersAccepting(target, type);
      if (listeners.length === 0) return undefined;
      return {
        clause: `this change broke it: at ${ref}, ${places(listeners)} listened for '${type}'`,
        related: listeners.map((workflow) => {
          const entry = workflow.repositoryDispatch?.types?.find((candidate) => candidate.value === type);
          return relate(workflow, entry?.position ?? workflow.repositoryDispatch!.position, `listened for '${type}' at ${ref} (removed by this change)`);
        }),
      };
    }
    case 'workflow-dispatch-target': {
      // identity: ['missing' | 'no-trigger', target, workflow]
      const [, target, id] = identity;
      const workflow = target !== undefined && id !== undefined ? dispatchable(base, target, id) : undefined;
      if (!workflow?.workflowDispatch) return undefined;
      return {
        clause: `this change broke it: at ${ref}, ${place(workflow)} had a workflow_dispatch trigger`,
        related: [relate(workflow, workflow.workflowDispatch.position, `workflow_dispatch at ${ref} (removed by this change)`)],
      };
    }
    case 'workflow-dispatch-inputs': {
      // identity: [kind, target, workflow, input, (choice value)]
      const [kind, target, id, name, value] = identity;
      const workflow = target !== undefined && id !== undefined ? dispatchable(base, target, id) : undefined;
      const trigger = workflow?.workflowDispatch;
      if (!workflow || !trigger || name === undefined) return undefined;
      const input = trigger.inputs.find((candidate) => candidate.name.toLowerCase() === name.toLowerCase());
      if ((kind === 'undeclared' || kind === 'added') && input) {
        return {
          clause: `this change broke it: at ${ref}, ${place(workflow)} declared input '${input.name}'`,
          related: [relate(workflow, input.position, `input '${input.name}' at ${ref} (removed by this change)`)],
        };
      }
      if (kind === 'required' && (!input || !input.required || input.hasDefault)) {
        return {
          clause: `this change broke it: at ${ref}, ${place(workflow)} ${input ? `did not require input '${input.name}'` : `had no input '${name}'`}`,
          related: [relate(workflow, input?.position ?? trigger.inputsPosition ?? trigger.position, input ? `input '${input.name}' at ${ref}, optional` : `inputs at ${ref}`)],
        };
      }
      if (kind === 'choice' && input?.options && value !== undefined && input.options.includes(value)) {
        return {
          clause: `this change broke it: at ${ref}, '${value}' was one of the options of '${input.name}' in ${place(workflow)}`,
          related: [relate(workflow, input.position, `options at ${ref}: ${input.options.join(', ')}`)],
        };
      }
      return undefined;
    }
    case 'listener-without-sender': {
      // identity: [event type], or ['*'] for a listener of every type; the finding is located at the listener.
      const [type] = identity;
      const repo = finding.location.repo;
      const senders = base.sendsTo(repo).filter((send) => send.kind === 'repository_dispatch' && send.eventType?.value !== undefined && (type === '*' || send.eventType.value === type));
      if (senders.length === 0) return undefined;
      const sent = type === '*' ? 'a repository_dispatch' : `'${type}'`;
      return {
        clause: `this change removed its sender: at ${ref}, ${[...new Set(senders.map((send) => `${send.repo}/${send.path}`))].join(', ')} sent ${sent} to ${repo}`,
        related: senders.map((send) => relate(send, send.eventType?.position ?? send.position, `sent ${sent} at ${ref} (removed by this change)`)),
      };
    }
    default:
      return undefined;
  }
}

/** The base's workflow a workflow_dispatch named, found as the sender would (by file name, else by `name:`). */
function dispatchable(index: DispatchIndex, target: string, id: string): WorkflowFacts | undefined {
  return index.findWorkflow(target, id, false) ?? index.findWorkflow(target, id, true);
}

function place(workflow: WorkflowFacts): string {
  return `${workflow.repo}/${workflow.path}`;
}

function places(workflows: WorkflowFacts[]): string {
  return workflows.map(place).join(', ');
}
