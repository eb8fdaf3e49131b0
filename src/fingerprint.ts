/**
 * One fingerprint per finding, shared by every feature that must recognise "the same finding" across runs:
 * SARIF's `partialFingerprints`, baselines, and the pre-merge comparison of a change against its base.
 *
 * It is built from what identifies the problem, never from where it is printed: the rule, the repository and
 * file the finding is located in, and the identity its rule gives (the event type, the field, the secret name,
 * the target). Lines and columns are left out, so a finding whose lines merely moved keeps its fingerprint,
 * and so are related locations and message wording, so a change elsewhere in the organisation (another
 * listener added, a count in a message) does not make an old finding look new.
 *
 * Two findings of one rule in one file with the same identity (the same event sent twice from one file)
 * share a fingerprint; consumers that need a unique key add the occurrence number (`occurrenceKeys`).
 */
import { createHash } from 'node:crypto';
import type { Finding } from './model.js';

/** The SARIF `partialFingerprints` key, versioned so a change of scheme is a new key, not a silent mismatch. */
export const FINGERPRINT_KEY = 'dispatchLint/v1';

export interface FingerprintInput {
  rule: string;
  repo: string;
  path: string;
  identity: readonly string[];
}

export function fingerprint(input: FingerprintInput): string {
  const parts = [FINGERPRINT_KEY, input.rule, input.repo.toLowerCase(), input.path, ...input.identity];
  // JSON keeps the parts apart whatever characters they hold; 64 bits are plenty within one organisation.
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

/**
 * `fingerprint:N` for each finding, N counting from 1 among findings that share a fingerprint, in report
 * order (which is sorted by location, so the N-th stays the N-th while the file keeps its order).
 */
export function occurrenceKeys(findings: readonly Pick<Finding, 'fingerprint'>[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((finding) => {
    const count = (seen.get(finding.fingerprint) ?? 0) + 1;
    seen.set(finding.fingerprint, count);
    return `${finding.fingerprint}:${count}`;
  });
}

/**
 * "The same finding" before and after a change, matched as multisets of fingerprints (both lists in report order):
 * with n findings of a fingerprint before and m after, the occurrences after the n-th are `added` (m−n of them) and
 * the occurrences before after the m-th are `removed`. A finding whose lines merely moved keeps its fingerprint and
 * its occurrence number, so it is neither.
 */
export function compareOccurrences<T extends Pick<Finding, 'fingerprint'>>(before: readonly T[], after: readonly T[]): { added: T[]; removed: T[] } {
  const beforeKeys = occurrenceKeys(before);
  const afterKeys = occurrenceKeys(after);
  const beforeSet = new Set(beforeKeys);
  const afterSet = new Set(afterKeys);
  return {
    added: after.filter((_, index) => !beforeSet.has(afterKeys[index] as string)),
    removed: before.filter((_, index) => !afterSet.has(beforeKeys[index] as string)),
  };
}

/**
 * Splits findings (in report order) by recorded counts per fingerprint, as a baseline records them: the first
 * `count` occurrences of a fingerprint are `recorded`, later ones `beyond` (a finding that appears a second time at
 * a new place is new even when one like it is recorded). `unused` is what is left of each count.
 */
export function withinCounts<T extends Pick<Finding, 'fingerprint'>>(findings: readonly T[], counts: ReadonlyMap<string, number>): { recorded: T[]; beyond: T[]; unused: Map<string, number> } {
  const left = new Map(counts);
  const recorded: T[] = [];
  const beyond: T[] = [];
  for (const finding of findings) {
    const remaining = left.get(finding.fingerprint) ?? 0;
    if (remaining > 0) {
      recorded.push(finding);
      left.set(finding.fingerprint, remaining - 1);
    } else beyond.push(finding);
  }
  for (const [key, count] of left) if (count === 0) left.delete(key);
  return { recorded, beyond, unused: left };
}
