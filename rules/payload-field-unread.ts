import type { PayloadField, Send } from '../src/model.js';
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
    // One finding per sent field, naming every target where it goes unread (a matrix fan-out sends it to many).
    const unread = new Map<string, { send: Send; field: PayloadField; type: string; targets: string[] }>();
    for (const send of sends) {
      const target = send.target.value;
      const type = send.eventType?.value;
      if (target === undefined || type === undefined || send.payload.kind !== 'object') continue;
      // A payload the action builds (slash-command-dispatch's) is not the author's to trim: nothing to report.
      if (send.payload.builtBy !== undefined) continue;
      const listeners = index.listenersAccepting(target, type);
      if (listeners.length === 0 || listeners.some((workflow) => workflow.payloadReadsUnknown !== undefined)) continue;
      const reads = listeners.flatMap((workflow) => workflow.payloadReads.filter((entry) => entry.eventTypes === undefined || entry.eventTypes.includes(type)));
      // Listeners that ignore the payload altogether (a rebuild on any event) are not missing a field.
      if (reads.length === 0) continue;
      const read = new Set(reads.map((entry) => entry.path[0]?.toLowerCase()));
      // Each top-level key once, at the first field that spells it (a nested-only key has no field of its own).
      const firstOfEachKey = uniqueBy(send.payload.fields, (field) => (field.path[0] as string).toLowerCase());
      for (const field of firstOfEachKey) {
        if (read.has(field.path[0]?.toLowerCase())) continue;
        const key = placeKey(send, field.position, type);
        const entry = unread.get(key) ?? { send, field, type, targets: [] };
        entry.targets.push(index.repository(target)?.name ?? target);
        unread.set(key, entry);
      }
    }
    for (const { send, field, type, targets } of unread.values()) {
      const where = targets.length === 1 ? targets[0] : `${targets.slice(0, -1).join(', ')} and ${targets[targets.length - 1]}`;
      report({
        location: locate(send, field.position),
        identity: [type, (field.path[0] as string).toLowerCase()],
        message: `${send.repo} sends client_payload.${field.path[0]} with '${type}' to ${where}, but no workflow there that listens for it reads that field`,
      });
    }
  },
};
