/**
 * "Did you mean ...?" (src/suggest.ts): the one-row edit distance and the candidates skipped by length give the
 * answers of the plain full-table version they replaced, kept here as the reference.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../bench/lib/random.js';
import { editDistance, suggest } from '../src/suggest.js';

function referenceDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
    }
    previous = current;
  }
  return previous[b.length] as number;
}

function referenceSuggest(wanted: string, candidates: string[]): string | undefined {
  const unique = [...new Set(candidates)].filter((candidate) => candidate !== wanted);
  const lower = wanted.toLowerCase();
  const normalise = (text: string) => text.toLowerCase().replace(/[-_.\s]+/g, '');
  const caseOnly = unique.find((candidate) => candidate.toLowerCase() === lower);
  if (caseOnly) return caseOnly;
  const separatorsOnly = unique.find((candidate) => normalise(candidate) === normalise(wanted));
  if (separatorsOnly) return separatorsOnly;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of unique) {
    const distance = referenceDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best !== undefined && bestDistance <= Math.max(2, Math.floor(wanted.length / 4))) return best;
  return unique.find((candidate) => candidate.length > 3 && lower.length > 3 && (candidate.toLowerCase().includes(lower) || lower.includes(candidate.toLowerCase())));
}

describe('suggest', () => {
  const random = createRandom(7);
  const word = () => Array.from({ length: random.int(0, 14) }, () => 'abcdeE-_ '[random.int(0, 8)]).join('');

  it('measures the edit distance the full table measures', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('deploy.yml', 'deploy.yaml')).toBe(1);
    for (let index = 0; index < 3000; index++) {
      const [a, b] = [word(), word()];
      expect(editDistance(a, b), `${a} / ${b}`).toBe(referenceDistance(a, b));
    }
  });

  it('suggests what the full search suggests, skipping candidates too far apart in length', () => {
    expect(suggest('downstream-release', ['downstream_release', 'other'])).toBe('downstream_release');
    expect(suggest('relase.yml', ['release.yml', 'ci.yml'])).toBe('release.yml');
    expect(suggest('Update Engines Version', ['v7 - Update Engines Version'])).toBe('v7 - Update Engines Version');
    for (let index = 0; index < 3000; index++) {
      const wanted = word();
      const candidates = Array.from({ length: random.int(0, 6) }, word);
      expect(suggest(wanted, candidates), `${wanted} / ${candidates.join('|')}`).toBe(referenceSuggest(wanted, candidates));
    }
  });
});
