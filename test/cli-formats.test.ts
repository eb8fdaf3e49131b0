/** The formats for GitHub's screens through the built CLI: options, environment, extra outputs and bad usage. */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot, runCli } from './support/lint.js';
import { schemaErrors } from './support/sarif.js';

const pending = 'fixtures/market-data-pending';
/** Nothing of the machine's own Actions environment leaks into these runs. */
const outsideActions = { GITHUB_ACTIONS: undefined, GITHUB_REPOSITORY: undefined, GITHUB_SHA: undefined, GITHUB_REF: undefined, GITHUB_WORKSPACE: undefined, GITHUB_STEP_SUMMARY: undefined, GITHUB_RUN_ID: undefined, GITHUB_SERVER_URL: undefined };

interface Sarif {
  runs: { results: { ruleId: string }[]; originalUriBaseIds: Record<string, { uri: string }> }[];
}

describe('--format github', () => {
  it('annotates files under GITHUB_WORKSPACE and appends the Markdown report to GITHUB_STEP_SUMMARY', () => {
    const summary = join(mkdtempSync(join(tmpdir(), 'dispatch-lint-summary-')), 'summary.md');
    writeFileSync(summary, '# earlier step\n');
    const env = { ...outsideActions, GITHUB_WORKSPACE: projectRoot, GITHUB_STEP_SUMMARY: summary, GITHUB_REPOSITORY: 'acme/audit', GITHUB_RUN_ID: '42' };
    const run = runCli([pending, '--format', 'github'], { env });
    expect(run.status).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^::error file=fixtures\/market-data-pending\/market-data-pipeline\/\.github\/workflows\/auto_release_on_merge\.yml,line=64,col=23,endLine=64,endColumn=35,title=event-without-listener::/);
    expect(lines.at(-1)).toBe("dispatch-lint: 3 problems (1 error, 2 warnings, 0 notes) in 6 repositories; 3 annotations; the full report is in this job's summary (https://github.com/acme/audit/actions/runs/42)");
    const markdown = runCli([pending, '--format', 'markdown'], { env: outsideActions }).stdout;
    expect(readFileSync(summary, 'utf8')).toBe(`# earlier step\n${markdown}\n`);
  });

  it('without a job summary says where the full report is instead', () => {
    const run = runCli([pending, '--format', 'github'], { env: { ...outsideActions, GITHUB_WORKSPACE: '/elsewhere' } });
    expect(run.stdout.startsWith('error: market-data-pending/market-data-pipeline .github/workflows/auto_release_on_merge.yml:64:23: ')).toBe(true);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toContain('0 annotations, 3 plain lines');
    expect(run.stdout.trimEnd().split('\n').at(-1)).toContain('; the full report: --format markdown, json or sarif');
  });
});

describe('--format sarif', () => {
  it('inside Actions keeps the results of GITHUB_REPOSITORY and says on stderr what it left out', () => {
    const env = { ...outsideActions, GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'market-data-pending/market-data-core', GITHUB_SHA: 'c'.repeat(40) };
    const run = runCli([pending, '--format', 'sarif'], { env });
    const log = JSON.parse(run.stdout) as Sarif;
    expect(log.runs[0]?.results).toEqual([]);
    expect(log.runs[0]?.originalUriBaseIds['%SRCROOT%']?.uri).toBe(`https://github.com/market-data-pending/market-data-core/blob/${'c'.repeat(40)}/`);
    expect(run.stderr).toBe('dispatch-lint: note: the SARIF holds the results located in market-data-pending/market-data-core; 3 located in other repositories are left out (--sarif-dir writes one file per repository)\n');
    const pipeline = JSON.parse(runCli([pending, '--format', 'sarif', '--sarif-repo', 'market-data-pending/market-data-pipeline'], { env }).stdout) as Sarif;
    expect(pipeline.runs[0]?.results.map((result) => result.ruleId)).toEqual(['token-secret-drift', 'event-without-listener', 'token-secret-drift']);
  });

  it('outside Actions, over several repositories, keeps them all and says it cannot be uploaded as it is', () => {
    const run = runCli(['fixtures/rules/unknown-target-repo/fail/acme', 'fixtures/market-data-pending', '--format', 'sarif', '--rule', 'unknown-target-repo=error'], { env: outsideActions });
    expect((JSON.parse(run.stdout) as Sarif).runs[0]?.results).toHaveLength(4);
    expect(run.stderr).toContain('the SARIF holds results of 2 repositories; code scanning shows only the uploading repository');
  });

  it('--sarif-dir writes OWNER/NAME.sarif for every scanned repository, with or without results, beside the main output', () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'dispatch-lint-sarif-dir-')), 'sarif');
    const run = runCli([pending, '--format', 'markdown', '--sarif-dir', folder], { env: outsideActions });
    expect(run.stdout).toContain('## dispatch-lint: 1 error, 2 warnings, 0 notes');
    expect(run.stderr).toBe(`dispatch-lint: wrote 6 SARIF files to ${folder}\n`);
    const files = readdirSync(join(folder, 'market-data-pending')).sort();
    expect(files).toEqual(['core', 'ibkr', 'infra', 'orchestrator', 'pipeline', 'store'].map((name) => `market-data-${name}.sarif`));
    const count = (file: string) => (JSON.parse(readFileSync(join(folder, 'market-data-pending', file), 'utf8')) as Sarif).runs[0]?.results.length;
    expect(files.map(count)).toEqual([0, 0, 0, 0, 3, 0]);
    for (const file of files) expect(schemaErrors(JSON.parse(readFileSync(join(folder, 'market-data-pending', file), 'utf8')))).toEqual([]);
  });
});

describe('bad usage of the new options (exit 2)', () => {
  it.each([
    [['--format', 'json', '--sarif-repo', 'acme/api'], '--sarif-repo only applies with --format sarif'],
    [['--format', 'sarif', '--sarif-repo', 'api'], "--sarif-repo expects OWNER/NAME or '*', got 'api'"],
    [['--full-graph'], '--full-graph only applies with --format markdown'],
    [['--format', 'markdown', '--from', 'x'], '--from only applies to `trace`'],
  ])('%j', (args, message) => {
    const run = runCli([pending, ...args]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('graph and trace take no --sarif-dir', () => {
    const folder = join(tmpdir(), 'dispatch-lint-never-written');
    expect(runCli(['graph', pending, '--sarif-dir', folder]).status).toBe(2);
    expect(existsSync(folder)).toBe(false);
  });
});
