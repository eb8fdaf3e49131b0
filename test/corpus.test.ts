/**
 * The real-world corpus (../shared/corpus): every workflow read without a crash, and the findings equal the
 * stored report, each of which was checked by hand against the files and the owners' NOTES.md. A clone without
 * ../shared skips this with a visible message; under CI the corpus must be there.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/model.js';
import { corpusRoot, expectedText, jsonReport, projectRoot } from './support/lint.js';

const available = existsSync(join(corpusRoot, 'MANIFEST.tsv'));
if (!available && process.env.CI) throw new Error(`the corpus is missing at ${corpusRoot}: CI must read it`);
if (!available) console.warn(`SKIPPED: corpus tests (no corpus at ${corpusRoot})`);

describe.skipIf(!available)('real-world corpus', () => {
  const owners = available ? readdirSync(corpusRoot, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => join(corpusRoot, entry.name)).sort() : [];

  it('reads every workflow in MANIFEST.tsv, and its report matches the stored, hand-checked one', async () => {
    const { text, scanErrors } = await jsonReport(owners);
    expect(scanErrors).toEqual([]);
    const report = JSON.parse(text) as Report;

    const manifest = readFileSync(join(corpusRoot, 'MANIFEST.tsv'), 'utf8').trim().split('\n').slice(1);
    const expectedCounts = new Map<string, number>();
    for (const row of manifest) {
      const [owner, repo] = row.split('\t');
      const name = `${owner}/${repo}`;
      expectedCounts.set(name, (expectedCounts.get(name) ?? 0) + 1);
    }
    expect(new Map(report.repos.map((repo) => [repo.name, repo.workflows]))).toEqual(expectedCounts);
    expect(report.findings.filter((finding) => finding.rule === 'workflow-syntax')).toEqual([]);

    expect(text).toBe(expectedText(join(projectRoot, 'test', 'corpus', 'expected-report.json'), text));
  });
});
