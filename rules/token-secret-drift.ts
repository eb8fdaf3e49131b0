import type { Send } from '../src/model.js';
import { locate, relate, type Rule } from '../src/rule.js';
import { placeKey, uniqueBy } from './support.js';

type SecretSend = Send & { token: Extract<Send['token'], { kind: 'secret' }> };

/**
 * "Is it REPO_TOKEN or REPO_DISPATCH_TOKEN?": one org, one dispatch token, one secret name. Compared within
 * each owner (two organisations scanned together keep their own conventions), case-insensitively as GitHub
 * compares secret names.
 */
export const tokenSecretDrift: Rule = {
  id: 'token-secret-drift',
  defaultSeverity: 'warning',
  description: 'senders in one organisation use different secret names for their dispatch token',
  check({ index, config, report }) {
    // A dispatch to another owner's repository needs a token for that owner: it is not this org's token.
    const senders = uniqueBy(
      index.sends.filter((send): send is SecretSend => send.token.kind === 'secret' && !toOtherOwner(send)),
      (send) => placeKey(send, send.token.position),
    );
    const byOwner = new Map<string, SecretSend[]>();
    for (const send of senders) {
      const owner = send.repo.split('/')[0]?.toLowerCase() ?? '';
      byOwner.set(owner, [...(byOwner.get(owner) ?? []), send]);
    }
    for (const group of byOwner.values()) {
      const byName = new Map<string, SecretSend[]>();
      for (const send of group) {
        const name = send.token.name.toUpperCase();
        byName.set(name, [...(byName.get(name) ?? []), send]);
      }
      const configured = config.token.secret?.toUpperCase();
      if (!configured && byName.size < 2) continue;
      const ranked = [...byName.entries()].sort(([a, aSends], [b, bSends]) => repoCount(bSends) - repoCount(aSends) || bSends.length - aSends.length || (a < b ? -1 : 1));
      const canonical = configured ?? ranked[0]?.[0] ?? '';
      const owner = group[0]?.repo.split('/')[0] ?? '';
      const inUse = ranked.map(([, sends]) => `${sends[0]?.token.name} in ${plural(repoCount(sends), 'repository', 'repositories')} (${[...new Set(sends.map((send) => send.repo))].join(', ')})`);
      const canonicalSends = byName.get(canonical) ?? [];
      for (const [name, sends] of byName) {
        if (name === canonical) continue;
        for (const send of sends) {
          const why = configured
            ? `the config names ${config.token.secret} as the dispatch token`
            : `most of ${owner}'s dispatching repositories use ${canonicalSends[0]?.token.name}`;
          report({
            location: locate(send, send.token.position),
            identity: [send.token.name.toUpperCase(), canonical],
            message: `${send.repo} dispatches with secret ${send.token.name}, but ${why}; in use: ${inUse.join('; ')}. Use one name for the one token (or set token.secret in the config)`,
            related: uniqueBy(canonicalSends, (other) => other.repo).map((other) => relate(other, other.token.position, `uses ${other.token.name}`)),
          });
        }
      }
    }
  },
};

function toOtherOwner(send: Send): boolean {
  const targetOwner = send.target.value?.split('/')[0]?.toLowerCase();
  return targetOwner !== undefined && targetOwner !== send.repo.split('/')[0]?.toLowerCase();
}

/** Names are ranked by how many repositories use them, so one repository with many steps does not outvote the rest. */
function repoCount(sends: SecretSend[]): number {
  return new Set(sends.map((send) => send.repo.toLowerCase())).size;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
