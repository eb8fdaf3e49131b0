import { locate, type Rule } from '../src/rule.js';
import { placeKey, uniqueBy } from './support.js';

/** A field nobody reads is often a renamed one: the reader looks for `tag`, the sender sends `version`. */
export const payloadFieldUnread: Rule = {
  id: 'payload-field-unread',
  defaultSeverity: 'note',
  description: 'a sender sends a client_payload field that no listener of that event reads (only where every listener\'s reads are known)',
  check({ index, report }) {
    const sends = uniqueBy(
      index.sends.filter((send) => send.kind === 'repository_dispatch' && send.payload.kind === 'object'),
      (send) => placeKey(send, send.position, send.target.value ?? '', send.eventType?.value ?? ''),
    );
    for (const send of sends) {
      const target = send.target.value;
      const type = send.eventType?.value;
      if (target === undefined || type === undefined || send.payload.kind !== 'object') continue;
      const listeners = index.listenersAccepting(target, type);
      if (listeners.length === 0 || listeners.some((workflow) => workflow.payloadReadsUnknown !== undefined)) continue;
      const read = new Set(
        listeners.flatMap((workflow) => workflow.payloadReads.filter((entry) => entry.eventTypes === undefined || entry.eventTypes.includes(type)).map((entry) => entry.path[0]?.toLowerCase())),
      );
      for (const field of send.payload.fields) {
        if (field.path.length !== 1 || read.has(field.path[0]?.toLowerCase())) continue;
        report({
          location: locate(send, field.position),
          message: `${send.repo} sends client_payload.${field.path[0]} with '${type}' to ${target}, but no workflow there that listens for it reads that field`,
        });
      }
    }
  },
};
