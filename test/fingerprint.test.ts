/**
 * The finding fingerprint (src/fingerprint.ts) is what baselines, SARIF and the pre-merge check match on: it
 * must survive line shifts and unrelated edits, and must change when the problem itself changes.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprint, occurrenceKeys } from '../src/fingerprint.js';
import type { Report } from '../src/model.js';
import { jsonReport, projectRoot } from './support/lint.js';

const scratch = mkdtempSync(join(tmpdir(), 'dispatch-lint-fingerprint-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function reportOf(org: string): Promise<Report> {
  return JSON.parse((await jsonReport([org])).text) as Report;
}

function copyOrg(name: string): string {
  const target = join(scratch, name, 'market-data-pending');
  cpSync(join(projectRoot, 'fixtures', 'market-data-pending'), target, { recursive: true });
  return target;
}

function editWorkflows(org: string, edit: (text: string) => string): void {
  for (const repo of readdirSync(org)) {
    const folder = join(org, repo, '.github', 'workflows');
    for (const file of readdirSync(folder)) writeFileSync(join(folder, file), edit(readFileSync(join(folder, file), 'utf8')));
  }
}

describe('finding fingerprints', () => {
  it('stay the same when every line moves and a comment is added inside the jobs', async () => {
    const original = await reportOf(join(projectRoot, 'fixtures', 'market-data-pending'));
    const shifted = copyOrg('shifted');
    editWorkflows(shifted, (text) => `# a comment that moves every line\n\n\n${text.replace(/\njobs:\n/, '\njobs:\n  # an unrelated comment inside the jobs\n')}`);
    const moved = await reportOf(shifted);
    expect(original.findings.length).toBeGreaterThan(0);
    expect(moved.findings.map((finding) => finding.location.line)).not.toEqual(original.findings.map((finding) => finding.location.line));
    expect(moved.findings.map((finding) => [finding.rule, finding.fingerprint])).toEqual(original.findings.map((finding) => [finding.rule, finding.fingerprint]));
  });

  it('change when what identifies the problem changes (the event type sent)', async () => {
    const original = await reportOf(join(projectRoot, 'fixtures', 'market-data-pending'));
    const renamed = copyOrg('renamed');
    const file = join(renamed, 'market-data-pipeline', '.github', 'workflows', 'auto_release_on_merge.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('event-type: core_release', 'event-type: core_released'));
    const after = await reportOf(renamed);
    const missing = (report: Report) => report.findings.filter((finding) => finding.rule === 'event-without-listener').map((finding) => finding.fingerprint);
    expect(missing(after)).toHaveLength(1);
    expect(missing(after)).not.toEqual(missing(original));
  });

  it('are 16 hex digits, depend on every part, and ignore the repository name case', () => {
    const base = { rule: 'event-without-listener', repo: 'acme/api', path: '.github/workflows/release.yml', identity: ['acme/deploy', 'deploy'] };
    expect(fingerprint(base)).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint({ ...base, repo: 'ACME/Api' })).toBe(fingerprint(base));
    for (const changed of [{ rule: 'listener-without-sender' }, { repo: 'acme/web' }, { path: '.github/workflows/other.yml' }, { identity: ['acme/deploy', 'deployed'] }, { identity: ['acme/deploy\u0000deploy'] }]) {
      expect(fingerprint({ ...base, ...changed })).not.toBe(fingerprint(base));
    }
  });

  it('number repeated fingerprints in report order', () => {
    expect(occurrenceKeys([{ fingerprint: 'a' }, { fingerprint: 'b' }, { fingerprint: 'a' }])).toEqual(['a:1', 'b:1', 'a:2']);
  });
});
