/** "Did you mean ...?" for event types and workflow names: case-only, separator-only and small-edit misses. */

export function suggest(wanted: string, candidates: Iterable<string>): string | undefined {
  const unique = [...new Set(candidates)].filter((candidate) => candidate !== wanted);
  const lower = wanted.toLowerCase();
  const caseOnly = unique.find((candidate) => candidate.toLowerCase() === lower);
  if (caseOnly) return caseOnly;
  const normalised = normalise(wanted);
  const separatorsOnly = unique.find((candidate) => normalise(candidate) === normalised);
  if (separatorsOnly) return separatorsOnly;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of unique) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(2, Math.floor(wanted.length / 4));
  if (best !== undefined && bestDistance <= allowed) return best;
  // "Update Engines Version" for "v7 - Update Engines Version": one name inside the other.
  return unique.find((candidate) => candidate.length > 3 && lower.length > 3 && (candidate.toLowerCase().includes(lower) || lower.includes(candidate.toLowerCase())));
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[-_.\s]+/g, '');
}

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
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
