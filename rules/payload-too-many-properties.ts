import { locate, type Rule } from '../src/rule.js';
import { placeKey, topLevelKeys, uniqueBy } from './support.js';

const GITHUB_LIMIT = 10;

/** GitHub answers 422 "No more than 10 properties are allowed" for a larger client_payload. */
export const payloadTooManyProperties: Rule = {
  id: 'payload-too-many-properties',
  defaultSeverity: 'error',
  description: 'a client_payload with more than 10 top-level properties, GitHub\'s limit',
  check({ index, report }) {
    for (const send of uniqueBy(index.sends, (send) => placeKey(send, send.position))) {
      if (send.kind !== 'repository_dispatch') continue;
      const payload = send.payload;
      if (payload.kind === 'object') {
        const topLevel = topLevelKeys(payload.fields);
        if (topLevel.length <= GITHUB_LIMIT) continue;
        report({
          location: locate(send, payload.position),
          identity: ['keys', send.eventType?.value ?? send.eventType?.text ?? ''],
          message: `client_payload has ${topLevel.length} top-level properties; GitHub allows at most ${GITHUB_LIMIT} and answers 422 "No more than 10 properties are allowed" (group some under one nested object)`,
        });
      } else if (payload.kind === 'unknown' && (payload.topLevelKeysAtLeast ?? 0) > GITHUB_LIMIT) {
        report({
          location: locate(send, payload.position),
          identity: ['computed', payload.reason],
          message: `client_payload ${payload.reason.replace(/^it /, '')}, which has more than ${GITHUB_LIMIT} top-level properties; GitHub answers 422 (send only the fields the listener needs)`,
        });
      }
    }
  },
};
