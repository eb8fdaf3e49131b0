import type { PayloadRead, Send, WorkflowFacts } from '../src/model.js';
import { topLevelKeys } from './support.js';
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
        index.sendsStarting(workflow),
        (send) => placeKey(send, send.position, send.eventType?.value ?? ''),
      );
      if (senders.length === 0) continue;
      for (const read of uniqueBy(workflow.payloadReads, (read) => placeKey(workflow, read.position, read.path.join('.')))) {
        if (read.optional) continue;
        const missing = senders.filter((send) => appliesTo(read, send) && !sends(send, read.path));
        if (missing.length === 0) continue;
        report({
          location: locate(workflow, read.position),
          identity: read.path.map((key) => key.toLowerCase()),
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

/**
 * Whether the payload carries `path`. A key is sent when a field has it or lies below it
 * (`gh api -f 'client_payload[a][b]=x'` sends `a` as an object with only `b` listed); a field whose value has
 * an unknown shape may carry anything below it.
 */
function sends(send: Send, path: string[]): boolean {
  if (send.payload.kind === 'none') return false;
  if (send.payload.kind !== 'object') return true;
  const fields = send.payload.fields;
  for (let depth = 1; depth <= path.length; depth++) {
    const prefix = path.slice(0, depth);
    if (!fields.some((field) => startsWith(field.path, prefix))) return false;
    const exact = fields.find((field) => samePath(field.path, prefix));
    const hasChildren = fields.some((field) => field.path.length > depth && startsWith(field.path, prefix));
    if (depth < path.length && exact && exact.valueType !== 'object' && !hasChildren) return true;
  }
  return true;
}

function startsWith(path: string[], prefix: string[]): boolean {
  return path.length >= prefix.length && samePath(path.slice(0, prefix.length), prefix);
}

/** Context property lookup ignores case (the runner's dictionaries are case-insensitive). */
function samePath(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((key, index) => key.toLowerCase() === b[index]?.toLowerCase());
}

function sentKeys(send: Send): string {
  return send.payload.kind === 'object' ? topLevelKeys(send.payload.fields).join(', ') : '';
}

function message(workflow: WorkflowFacts, read: PayloadRead, missing: Send[]): string {
  const field = `client_payload.${read.path.join('.')}`;
  const senders = missing.map((send) => `${send.repo} (${where(send, send.position)}, '${send.eventType?.value}')`).join(', ');
  const whoDoesNot = missing.length === 1 ? `the dispatch from ${senders} does not send it` : `${missing.length} dispatches do not send it: ${senders}`;
  return `${workflow.path} reads ${field}, but ${whoDoesNot}; GitHub gives the workflow an empty string`;
}
