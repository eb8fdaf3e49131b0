import type { PayloadField, PayloadRead, Send, WorkflowFacts } from '../src/model.js';
import { accepts } from '../src/graph/index.js';
import { locate, relate, type Rule } from '../src/rule.js';
import { placeKey, uniqueBy, where } from './support.js';

/** A read of a field nobody sends: GitHub hands the listener an empty string and the run goes on. */
export const payloadFieldMissing: Rule = {
  id: 'payload-field-missing',
  defaultSeverity: 'error',
  description: 'a listener reads github.event.client_payload.F that a sender of that event to its repository never sends',
  check({ index, report }) {
    for (const workflow of index.workflows) {
      if (!workflow.repositoryDispatch || workflow.payloadReads.length === 0) continue;
      const senders = uniqueBy(
        index.sendsTo(workflow.repo).filter((send) => send.kind === 'repository_dispatch' && send.eventType?.value !== undefined && accepts(workflow, send.eventType.value)),
        (send) => placeKey(send, send.position, send.eventType?.value ?? ''),
      );
      if (senders.length === 0) continue;
      for (const read of uniqueBy(workflow.payloadReads, (read) => placeKey(workflow, read.position, read.path.join('.')))) {
        if (read.optional) continue;
        const missing = senders.filter((send) => appliesTo(read, send) && !sends(send, read.path));
        if (missing.length === 0) continue;
        report({
          location: locate(workflow, read.position),
          message: message(workflow, read, missing),
          related: missing.map((send) => relate(send, send.payload.kind === 'object' ? send.payload.position : send.position, `sends: ${sentKeys(send) || 'no client_payload'}`)),
        });
      }
    }
  },
};

function appliesTo(read: PayloadRead, send: Send): boolean {
  return read.eventTypes === undefined || read.eventTypes.includes(send.eventType?.value ?? '');
}

/** Whether the payload carries `path`; a parent sent with an unknown shape may carry anything below it. */
function sends(send: Send, path: string[]): boolean {
  if (send.payload.kind === 'none') return false;
  if (send.payload.kind !== 'object') return true;
  const fields = send.payload.fields;
  for (let depth = 1; depth <= path.length; depth++) {
    const prefix = path.slice(0, depth);
    const field = fields.find((candidate) => samePath(candidate.path, prefix));
    if (!field) return false;
    if (depth < path.length && !hasKnownChildren(fields, field)) return true;
  }
  return true;
}

function hasKnownChildren(fields: PayloadField[], parent: PayloadField): boolean {
  return parent.valueType === 'object' && fields.some((field) => field.path.length === parent.path.length + 1 && samePath(field.path.slice(0, parent.path.length), parent.path));
}

/** Context property lookup ignores case (the runner's dictionaries are case-insensitive). */
function samePath(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((key, index) => key.toLowerCase() === b[index]?.toLowerCase());
}

function sentKeys(send: Send): string {
  return send.payload.kind === 'object' ? send.payload.fields.filter((field) => field.path.length === 1).map((field) => field.path[0]).join(', ') : '';
}

function message(workflow: WorkflowFacts, read: PayloadRead, missing: Send[]): string {
  const field = `client_payload.${read.path.join('.')}`;
  const senders = missing.map((send) => `${send.repo} (${where(send, send.position)}, '${send.eventType?.value}')`).join(', ');
  const whoDoesNot = missing.length === 1 ? `the dispatch from ${senders} does not send it` : `${missing.length} dispatches do not send it: ${senders}`;
  return `${workflow.path} reads ${field}, but ${whoDoesNot}; GitHub gives the workflow an empty string`;
}
