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
