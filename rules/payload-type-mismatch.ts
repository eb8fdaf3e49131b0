import type { PayloadField, PayloadRead, Send } from '../src/model.js';
import { locate, relate, type Rule } from '../src/rule.js';
import { placeKey, uniqueBy } from './support.js';

/**
 * The payload keeps JSON types, and Actions expressions coerce: the string "false" is true in an `if:`, and a
 * boolean never equals the string 'true'. A known type on both sides is required; unknown never reports.
 */
export const payloadTypeMismatch: Rule = {
  id: 'payload-type-mismatch',
  defaultSeverity: 'warning',
  description: 'a payload field sent as a string is used as a boolean or number by the listener, or a boolean is compared with a string',
  check({ index, report }) {
    for (const workflow of index.workflows) {
      if (!workflow.repositoryDispatch) continue;
      const reads = uniqueBy(workflow.payloadReads.filter((read) => read.usage !== undefined), (read) => placeKey(workflow, read.position, read.path.join('.')));
      if (reads.length === 0) continue;
      const senders = uniqueBy(
        index.sendsStarting(workflow),
        (send) => placeKey(send, send.position, send.eventType?.value ?? ''),
      );
      for (const read of reads) {
        // One finding per read and kind of mismatch, naming every sender that sends it so.
        const byProblem = new Map<string, { send: Send; field: PayloadField }[]>();
        for (const send of senders) {
          if (read.eventTypes && !read.eventTypes.includes(send.eventType?.value ?? '')) continue;
          const field = fieldAt(send, read.path);
          const problem = field && mismatch(field, read);
          if (!field || !problem) continue;
          byProblem.set(problem, [...(byProblem.get(problem) ?? []), { send, field }]);
        }
        for (const [problem, sending] of byProblem) {
          const repos = [...new Set(sending.map(({ send }) => send.repo))];
          report({
            location: locate(workflow, read.position),
            identity: [...read.path.map((key) => key.toLowerCase()), read.usage ?? '', problem],
            message: `${workflow.path} ${problem} (sent so by ${repos.length === 1 ? repos[0] : `${repos.slice(0, -1).join(', ')} and ${repos[repos.length - 1]}`})`,
            related: sending.map(({ send, field }) => relate(send, field.valuePosition ?? field.position, `sends client_payload.${read.path.join('.')} as ${describeSent(field)}`)),
          });
        }
      }
    }
  },
};

function fieldAt(send: Send, path: string[]): PayloadField | undefined {
  if (send.payload.kind !== 'object') return undefined;
  return send.payload.fields.find((field) => field.path.length === path.length && field.path.every((key, index) => key.toLowerCase() === path[index]?.toLowerCase()));
}

function mismatch(field: PayloadField, read: PayloadRead): string | undefined {
  const name = `client_payload.${read.path.join('.')}`;
  if (field.valueType === 'string' && field.looksLike) {
    const sent = field.value !== undefined ? `the string "${field.value}"` : `a string (its text is a ${field.looksLike})`;
    if (read.usage === 'truthy') return `tests ${name} for truth, but it arrives as ${sent}, and every non-empty string is true (send a JSON ${field.looksLike}, or compare with '${field.value ?? 'true'}')`;
    if (read.usage === 'boolean') return `compares ${name} with a boolean, but it arrives as ${sent}, which never equals one (send a JSON boolean, or compare with a string)`;
  }
  if (field.valueType === 'boolean' && read.usage === 'string') {
    return `compares ${name} with a string, but it arrives as a JSON boolean, which never equals a string such as 'true' (compare with true or false)`;
  }
  return undefined;
}

function describeSent(field: PayloadField): string {
  if (field.valueType === 'string') return field.value !== undefined ? `the string "${field.value}"` : 'a string';
  return `a JSON ${field.valueType}`;
}
