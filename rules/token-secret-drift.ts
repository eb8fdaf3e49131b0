import type { RelatedLocation, Send } from '../src/model.js';
import { locate, relate, type Rule } from '../src/rule.js';
import { placeKey, uniqueBy, viaRelated } from './support.js';

type SecretSend = Send & { token: Extract<Send['token'], { kind: 'secret' }> };

/**
 * "Is it REPO_TOKEN or REPO_DISPATCH_TOKEN?": one token under several names. A separate secret per target is
 * least privilege, not drift, so names are compared where they should agree:
 * 1. with `token.secret` in the config, every dispatch token is that one;
 * 2. senders reaching the same target repository use one name;
 * 3. a name that differs from the one a clear majority of the owner's dispatching repositories use (more than
 *    half of them, and at least two) is drift; a tie is not.
 * Compared within each owner (another owner's repository needs that owner's token), without dispatches of a
 * repository to itself, and case-insensitively, as GitHub compares secret names. Each dispatch is reported once, by the first reason that applies.
 */
export const tokenSecretDrift: Rule = {
  id: 'token-secret-drift',
  defaultSeverity: 'warning',
  description: 'one dispatch token under several secret names: senders reaching one repository, or against the clear majority of the organisation or the config',
  check({ index, config, report }) {
    const senders = uniqueBy(
      index.sends.filter((send): send is SecretSend => send.token.kind === 'secret' && send.target.value !== undefined && !toOtherOwner(send) && !toItself(send)),
      (send) => placeKey(send, send.token.position, (send.target.value as string).toLowerCase()),
    );
    const byOwner = groupBy(senders, (send) => ownerOf(send.repo));
    const configured = config.token.secret;
    for (const group of byOwner.values()) {
      const reported = new Set<SecretSend>();
      const emitAll = (sends: SecretSend[], canonical: string, why: string, related: RelatedLocation[]) => {
        for (const send of sends) emit(send, canonical, why, related);
      };
      const emit = (send: SecretSend, canonical: string, why: string, related: RelatedLocation[]) => {
        if (reported.has(send)) return;
        reported.add(send);
        report({
          location: locate(send, send.token.position),
          identity: [nameKey(send.token.name), canonical.toUpperCase(), (send.target.value as string).toLowerCase()],
          message: `${send.repo} dispatches to ${send.target.value} with secret ${send.token.name}, but ${why}: one token under several names is the drift the next rotation misses (use ${canonical}${configured ? '' : ', or set token.secret in the config'})`,
          related: [...viaRelated(send), ...related],
        });
      };

      if (configured) {
        for (const send of group) {
          if (nameKey(send.token.name) !== nameKey(configured)) emit(send, configured, `the config names ${configured} as the dispatch token`, []);
        }
        continue;
      }

      const majority = majorityName(group);
      // 2. Per target: the senders that reach one repository should agree.
      for (const sends of groupBy(group, (send) => (send.target.value as string).toLowerCase()).values()) {
        const names = groupBy(sends, (send) => nameKey(send.token.name));
        if (names.size < 2) continue;
        const canonical = mostRepositories(names) ?? (majority && names.has(majority.key) ? majority.key : undefined);
        const target = sends[0]?.target.value as string;
        for (const [key, named] of names) {
          if (key === canonical) continue;
          const others = [...names.entries()].filter(([other]) => other !== key);
          const related = others.flatMap(([, otherSends]) => uniqueBy(otherSends, (other) => other.repo.toLowerCase()).map((other) => relate(other, other.token.position, `reaches ${target} with ${other.token.name}`)));
          const canonicalName = canonical ? (names.get(canonical)?.[0]?.token.name as string) : `one name for all of ${[...names.values()].map((list) => list[0]?.token.name).sort().join(', ')}`;
          emitAll(named, canonicalName, describeOthers(others, target), related);
        }
      }
      // 3. Against a clear majority of the owner's dispatching repositories.
      if (!majority) continue;
      for (const send of group) {
        if (nameKey(send.token.name) === majority.key) continue;
        const related = uniqueBy(majority.sends, (other) => other.repo.toLowerCase()).map((other) => relate(other, other.token.position, `uses ${other.token.name}`));
        emit(send, majority.name, `${majority.repositories} of the ${majority.of} repositories of ${ownerOf(send.repo)} that dispatch with a secret use ${majority.name}`, related);
      }
    }
  },
};

interface Majority {
  key: string;
  name: string;
  sends: SecretSend[];
  repositories: number;
  of: number;
}

/** The name more than half of the owner's dispatching repositories use, when at least two do. */
function majorityName(group: SecretSend[]): Majority | undefined {
  const repositories = new Set(group.map((send) => send.repo.toLowerCase()));
  for (const [key, sends] of groupBy(group, (send) => nameKey(send.token.name))) {
    const using = repoCount(sends);
    if (using >= 2 && using * 2 > repositories.size) return { key, name: sends[0]?.token.name as string, sends, repositories: using, of: repositories.size };
  }
  return undefined;
}

/** The name used by the most repositories, or undefined on a tie. */
function mostRepositories(names: Map<string, SecretSend[]>): string | undefined {
  const ranked = [...names.entries()].map(([key, sends]) => [key, repoCount(sends)] as const).sort((a, b) => b[1] - a[1]);
  return ranked.length > 1 && ranked[0]?.[1] === ranked[1]?.[1] ? undefined : ranked[0]?.[0];
}

/** `acme/web reaches acme/deploy with DISPATCH_PAT`, for each other name in use towards the target. */
function describeOthers(others: [string, SecretSend[]][], target: string): string {
  return others
    .map(([, sends]) => {
      const repos = [...new Set(sends.map((send) => send.repo))].sort();
      const who = repos.length === 1 ? `${repos[0]} reaches` : `${repos.slice(0, -1).join(', ')} and ${repos[repos.length - 1]} reach`;
      return `${who} ${target} with ${sends[0]?.token.name}`;
    })
    .sort()
    .join('; ');
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function nameKey(name: string): string {
  return name.toUpperCase();
}

function ownerOf(repo: string): string {
  return repo.split('/')[0]?.toLowerCase() ?? '';
}

/**
 * A repository's dispatch to itself needs no token that reaches other repositories (GITHUB_TOKEN would do), so a
 * secret of its own there is a choice about that repository, not the organisation's dispatch token.
 */
function toItself(send: Send): boolean {
  return send.target.value?.toLowerCase() === send.repo.toLowerCase();
}

function toOtherOwner(send: Send): boolean {
  const targetOwner = send.target.value?.split('/')[0]?.toLowerCase();
  return targetOwner !== undefined && targetOwner !== ownerOf(send.repo);
}

/** Names are counted by repositories, so one repository with many steps does not outvote the rest. */
function repoCount(sends: SecretSend[]): number {
  return new Set(sends.map((send) => send.repo.toLowerCase())).size;
}
