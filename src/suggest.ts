/** "Did you mean ...?" for event types and workflow names: case-only, separator-only and small-edit misses. */

export function suggest(wanted: string, candidates: Iterable<string>): string | undefined {
  const unique = [...new Set(candidates)].filter((candidate) => candidate !== wanted);
  const lower = wanted.toLowerCase();
  const caseOnly = unique.find((candidate) => candidate.toLowerCase() === lower);
  if (caseOnly) return caseOnly;
  const normalised = normalise(wanted);
  const separatorsOnly = unique.find((candidate) => normalise(candidate) === normalised);
  if (separatorsOnly) return separatorsOnly;
  const allowed = Math.max(2, Math.floor(wanted.length / 4));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of unique) {
    // The distance is at least the difference in length: a candidate that cannot be within `allowed`, or better
    // than the best so far, is not worth the table (a rule asks this of every workflow of a repository).
    const lengthGap = Math.abs(candidate.length - wanted.length);
    if (lengthGap > allowed || lengthGap >= bestDistance) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  if (best !== undefined && bestDistance <= allowed) return best;
  // "Update Engines Version" for "v7 - Update Engines Version": one name inside the other.
  return unique.find((candidate) => candidate.length > 3 && lower.length > 3 && (candidate.toLowerCase().includes(lower) || lower.includes(candidate.toLowerCase())));
}

function normalise(text: string): string {
  return text.toLowerCase().replace(/[-_.\s]+/g, '');
}

export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  // One row of the table, updated in place: `diagonal` holds the previous row's value left of `j`.
  const row = new Uint32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] as number;
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] as number) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] as number;
}
