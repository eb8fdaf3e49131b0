import { locate, type Rule } from '../src/rule.js';
import { placeKey, uniqueBy } from './support.js';

const MAX_LENGTH = 100;

/** GitHub requires event_type to be 1 to 100 characters. */
export const eventTypeInvalid: Rule = {
  id: 'event-type-invalid',
  defaultSeverity: 'error',
  description: 'a repository_dispatch event type that is empty or longer than 100 characters',
  check({ index, report }) {
    for (const send of uniqueBy(index.sends, (send) => placeKey(send, send.eventType?.position ?? send.position, send.eventType?.value ?? ''))) {
      const type = send.eventType?.value;
      if (send.kind !== 'repository_dispatch' || type === undefined || !send.eventType) continue;
      if (type === '') {
        report({ location: locate(send, send.eventType.position), identity: ['empty', send.target.value?.toLowerCase() ?? send.target.text], message: `${send.repo} sends a repository_dispatch with an empty event type; GitHub requires 1 to ${MAX_LENGTH} characters` });
      } else if (type.length > MAX_LENGTH) {
        report({ location: locate(send, send.eventType.position), identity: ['too-long', type], message: `the event type ${send.repo} sends is ${type.length} characters long; GitHub allows at most ${MAX_LENGTH}` });
      }
    }
  },
};
