import { locate, type Rule } from '../src/rule.js';
import { placeKey, uniqueBy } from './support.js';

/** client_payload and inputs must be JSON objects: anything else is an HTTP 422 at run time. */
export const payloadNotObject: Rule = {
  id: 'payload-not-object',
  defaultSeverity: 'error',
  description: 'a client_payload or inputs that is not a JSON object (GitHub answers 422)',
  check({ index, report }) {
    for (const send of uniqueBy(index.sends, (send) => placeKey(send, send.position))) {
      if (send.payload.kind !== 'not-object') continue;
      const what = send.kind === 'repository_dispatch' ? 'client_payload' : 'inputs';
      report({
        location: locate(send, send.payload.position),
        identity: [send.kind, send.form, send.payload.reason],
        message: `the ${what} ${send.repo} sends with ${send.form} is not a JSON object: ${send.payload.reason}${/\b422\b/.test(send.payload.reason) ? '' : '; GitHub answers 422'}`,
      });
    }
  },
};
