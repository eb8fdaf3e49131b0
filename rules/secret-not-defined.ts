import type { Send } from '../src/model.js';
import { locate, type Rule } from '../src/rule.js';
import { placeKey, uniqueBy } from './support.js';

type SecretSend = Send & { token: Extract<Send['token'], { kind: 'secret' }> };

/**
 * An unset secret is an empty string: the dispatch goes out with no token and fails. GitHub mode lists the
 * secret names the sending job can see (repository, organisation secrets visible to it, its environment's);
 * where the token may not list them, the rule says once that it was skipped.
 */
export const secretNotDefined: Rule = {
  id: 'secret-not-defined',
  defaultSeverity: 'error',
  requires: 'github',
  description: '(GitHub mode) a dispatch token secret that is defined neither in the repository, its organisation nor the job\'s environment',
  check({ index, report }) {
    const skipped: { send: SecretSend; reason: string }[] = [];
    const sends = uniqueBy(
      index.sends.filter((send): send is SecretSend => send.token.kind === 'secret'),
      (send) => placeKey(send, send.token.position),
    );
    for (const send of sends) {
      const scope = index.repository(send.repo)?.secrets;
      if (!scope) continue;
      if (scope.unreadable) {
        skipped.push({ send, reason: scope.unreadable });
        continue;
      }
      const environmentSecrets = send.environment === undefined ? [] : send.environment === null ? null : (scope.environments[send.environment] ?? null);
      if (environmentSecrets === null) continue;
      const visible = new Set([...scope.names, ...environmentSecrets].map((name) => name.toUpperCase()));
      if (visible.has(send.token.name.toUpperCase())) continue;
      const where = send.environment ? `${send.repo}, its organisation (visible to it) or the environment '${send.environment}'` : `${send.repo} or its organisation (visible to it)`;
      report({
        location: locate(send, send.token.position),
        identity: [send.token.name.toUpperCase(), send.environment ?? ''],
        message: `secret ${send.token.name} is not defined in ${where}, so the dispatch sends an empty token and fails`,
      });
    }
    const first = skipped[0];
    if (first) {
      const repositories = [...new Set(skipped.map((entry) => entry.send.repo))];
      report({
        location: locate(first.send, first.send.token.position),
        identity: ['skipped'],
        message: `secret-not-defined was skipped for ${repositories.length === 1 ? repositories[0] : `${repositories.length} repositories (${repositories.join(', ')})`}: ${first.reason}`,
        asNote: true,
      });
    }
  },
};
