/**
 * Baselines (--baseline FILE, --update-baseline), on the model of ESLint's bulk suppressions: written sorted and
 * stable with counts per repository, file, rule and fingerprint; recorded findings stay recorded when their lines
 * move; a finding beyond a count is new; entries that match nothing are reported, fail the run on request, and
 * are pruned by the next update.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../src/engine.js';
import type { Report, SeveritySetting } from '../src/model.js';
import { gitFolder } from './support/git.js';
import { expectedText, projectRoot, runCli } from './support/lint.js';

const PIPELINE = 'market-data-pending/market-data-pipeline/.github/workflows/auto_release_on_merge.yml';

/** A copy of the market-data-pending org (1 error, 2 warnings of one fingerprint, in one file) in a fresh folder. */
function pending(): string {
  const root = mkdtempSync(join(tmpdir(), 'dispatch-lint-baseline-'));
  cpSync(join(projectRoot, 'fixtures', 'market-data-pending'), join(root, 'market-data-pending'), { recursive: true });
  return root;
}

function edit(root: string, path: string, change: (text: string) => string): void {
  writeFileSync(join(root, path), change(readFileSync(join(root, path), 'utf8')));
}

const json = (stdout: string) => JSON.parse(stdout) as Report;

/** The engine's report for `dispatch-lint PATHS --baseline baseline.json [--update-baseline]` in `root`. */
async function lintWithBaseline(root: string, paths: string[], options: { update?: boolean; rules?: Record<string, SeveritySetting> } = {}): Promise<Report> {
  const result = await lint({ paths, cwd: root, workers: 0, baseline: { file: 'baseline.json', update: options.update ?? false }, ...(options.rules ? { ruleOverrides: options.rules } : {}) });
  expect(result.scanErrors).toEqual([]);
  return result.report;
}

describe('--update-baseline', () => {
  it('writes every finding, sorted, with counts per fingerprint; the same lint writes the same bytes', () => {
    const root = pending();
    const write = runCli(['market-data-pending', '--baseline', 'baseline.json', '--update-baseline'], { cwd: root });
    expect(write.status).toBe(0);
    expect(write.stderr).toBe('dispatch-lint: wrote baseline.json: 3 findings recorded (3 new, 0 pruned)\n');
    expect(write.stdout).toBe('6 repositories, 12 workflows: no problems (3 in the baseline)\n');
    const text = readFileSync(join(root, 'baseline.json'), 'utf8');
    expect(text).toBe(expectedText(join(projectRoot, 'test', 'baseline', 'market-data-pending.baseline.json'), text));
    runCli(['market-data-pending', '--baseline', 'baseline.json', '--update-baseline'], { cwd: root });
    expect(readFileSync(join(root, 'baseline.json'), 'utf8')).toBe(text);
  });

  it('does not write from an incomplete scan', () => {
    const root = pending();
    const run = runCli(['market-data-pending', 'no-such-folder', '--baseline', 'baseline.json', '--update-baseline'], { cwd: root });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('dispatch-lint: did not write baseline.json: the scan is incomplete\n');
    expect(() => readFileSync(join(root, 'baseline.json'))).toThrow();
  });
});

describe('--baseline FILE', () => {
  it('reports nothing the baseline records, even after every line moved', async () => {
    const root = pending();
    await lintWithBaseline(root, ['market-data-pending'], { update: true });
    edit(root, PIPELINE, (text) => `# moved\n\n\n${text}`);
    const report = await lintWithBaseline(root, ['market-data-pending']);
    expect(report.findings).toEqual([]);
    expect(report.summary).toEqual({ errors: 0, warnings: 0, notes: 0 });
    expect(report.baseline).toEqual({ file: 'baseline.json', matched: 3, unmatched: [] });
  });

  it('reports a new finding, and one that appears a second time at a new place though one like it is recorded', async () => {
    const root = pending();
    await lintWithBaseline(root, ['market-data-pending'], { update: true });
    // The same unheard event sent from a second step of the same file: same rule, file and identity as the recorded one.
    edit(root, PIPELINE, (text) => {
      const step = /\n( {6}- name: [^\n]*\n(?: {8}[^\n]*\n)*? {10}event-type: core_release\n(?: {10}[^\n]*\n)*)/.exec(text)?.[1];
      if (!step) throw new Error('the fixture changed: no core_release step');
      return `${text.trimEnd()}\n${step.replace('- name: ', '- name: Again ')}`;
    });
    const report = await lintWithBaseline(root, ['market-data-pending']);
    const full = (await lint({ paths: ['market-data-pending'], cwd: root, workers: 0 })).report;
    // The copied step sends the unheard event again, with the drifting token secret again: a third drift, a second miss.
    const unheard = full.findings.filter((finding) => finding.rule === 'event-without-listener');
    const drift = full.findings.filter((finding) => finding.rule === 'token-secret-drift');
    expect(unheard).toHaveLength(2);
    expect(drift).toHaveLength(3);
    expect(new Set(unheard.map((finding) => finding.fingerprint)).size).toBe(1);
    // Drift to ibkr (twice now) and to infra: two fingerprints, the one to ibkr recorded once.
    expect(new Set(drift.map((finding) => finding.fingerprint)).size).toBe(2);
    // The recorded counts cover the first occurrences; the later ones are new.
    expect(report.findings).toEqual([drift[2], unheard[1]]);
    expect(report.baseline?.matched).toBe(3);
  });

  it('reports entries that match nothing (a note, or exit 1 with --fail-on-unpruned-baseline), and the next update prunes them', () => {
    const root = pending();
    runCli(['market-data-pending', '--baseline', 'baseline.json', '--update-baseline'], { cwd: root });
    edit(root, PIPELINE, (text) => text.replaceAll('secrets.REPO_TOKEN', 'secrets.REPO_DISPATCH_TOKEN'));
    const run = runCli(['market-data-pending', '--baseline', 'baseline.json', '--format', 'json'], { cwd: root });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('dispatch-lint: note: 2 findings recorded in baseline.json no longer occur; prune them with --update-baseline\n');
    expect(json(run.stdout).baseline).toEqual({
      file: 'baseline.json',
      matched: 1,
      unmatched: [1, 2].map(() => ({ repo: 'market-data-pending/market-data-pipeline', path: '.github/workflows/auto_release_on_merge.yml', rule: 'token-secret-drift', fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/), count: 1 })),
    });
    expect(runCli(['market-data-pending', '--baseline', 'baseline.json', '--fail-on-unpruned-baseline'], { cwd: root }).status).toBe(1);

    const prune = runCli(['market-data-pending', '--baseline', 'baseline.json', '--update-baseline'], { cwd: root });
    expect(prune.stderr).toBe('dispatch-lint: wrote baseline.json: 1 finding recorded (0 new, 2 pruned)\n');
    expect(readFileSync(join(root, 'baseline.json'), 'utf8')).not.toContain('token-secret-drift');
    expect(runCli(['market-data-pending', '--baseline', 'baseline.json', '--fail-on-unpruned-baseline'], { cwd: root }).status).toBe(0);
  });

  it('leaves alone entries it could not have matched: repositories not scanned, rules that did not run', async () => {
    const root = pending();
    cpSync(join(projectRoot, 'fixtures', 'rules', 'event-without-listener', 'fail', 'acme'), join(root, 'acme'), { recursive: true });
    await lintWithBaseline(root, ['market-data-pending', 'acme'], { update: true });
    const both = readFileSync(join(root, 'baseline.json'), 'utf8');
    expect(both).toContain('"acme/api"');
    const one = await lintWithBaseline(root, ['market-data-pending'], { rules: { 'token-secret-drift': 'off' } });
    expect(one.baseline).toEqual({ file: 'baseline.json', matched: 1, unmatched: [] });
    await lintWithBaseline(root, ['market-data-pending'], { update: true, rules: { 'token-secret-drift': 'off' } });
    expect(readFileSync(join(root, 'baseline.json'), 'utf8')).toBe(both);
  });

  it('exits 2 for a baseline file that is missing or not a baseline', () => {
    const root = pending();
    const missing = runCli(['market-data-pending', '--baseline', 'nope.json'], { cwd: root });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('dispatch-lint: nope.json: no such baseline file (write it with --update-baseline)\n');
    writeFileSync(join(root, 'bad.json'), '{"version": 1, "findings": {"acme/api": {"x.yml": {"rule": {"zz": {"count": 0}}}}}}');
    const bad = runCli(['market-data-pending', '--baseline', 'bad.json'], { cwd: root });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^dispatch-lint: bad\.json: not a dispatch-lint baseline: .+\(write one with --update-baseline\)\n$/);
    expect(runCli(['market-data-pending', '--update-baseline'], { cwd: root }).stderr).toContain('--update-baseline only applies with --baseline FILE');
  });

  it('with --base, matches against everything the head has, so findings --base leaves out are not "unmatched"', () => {
    const repo = gitFolder({});
    cpSync(join(projectRoot, 'fixtures', 'market-data-pending'), join(repo.root, 'market-data-pending'), { recursive: true });
    repo.commit('the org');
    runCli(['market-data-pending', '--baseline', 'baseline.json', '--update-baseline'], { cwd: repo.root });
    edit(repo.root, PIPELINE, (text) => text.replace('event-type: core_release', 'event-type: core_released'));
    const run = runCli(['market-data-pending', '--base', 'main', '--baseline', 'baseline.json', '--format', 'json'], { cwd: repo.root });
    const report = json(run.stdout);
    expect(report.findings.map((finding) => finding.rule)).toEqual(['event-without-listener']);
    expect(report.summary.fixed).toBe(1);
    expect(report.baseline).toMatchObject({ matched: 2, unmatched: [{ rule: 'event-without-listener', count: 1 }] });
    expect(run.status).toBe(1);
  });
});
