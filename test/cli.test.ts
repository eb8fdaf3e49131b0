/** The command line as a user meets it: exit codes, formats, options and errors, through the built binary. */
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { runCli } from './support/lint.js';

const pending = 'fixtures/market-data-pending';
const fixed = 'fixtures/market-data-fixed';

function tempOrg(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dispatch-lint-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('exit status', () => {
  it('is 1 with errors, 0 when clean', () => {
    expect(runCli([pending]).status).toBe(1);
    expect(runCli([fixed]).status).toBe(0);
  });

  it('is 2 for a PATH that does not exist, and still reports the rest without calling it clean', () => {
    const run = runCli([fixed, 'no/such/folder']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no/such/folder: no such file or folder');
    expect(run.stderr).toContain('the scan is incomplete');
    expect(run.stdout).toContain('no problems');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('is 2 for a folder with no repository in it', () => {
    const empty = mkdtempSync(join(tmpdir(), 'dispatch-lint-empty-'));
    const run = runCli([empty]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no repository found');
  });

  it('is 2 for bad usage: unknown option, unknown rule, bad severity, bad format', () => {
    expect(runCli(['--nope']).status).toBe(2);
    const unknownRule = runCli([fixed, '--rule', 'no-such-rule=error']);
    expect(unknownRule.status).toBe(2);
    expect(unknownRule.stderr).toContain("unknown rule 'no-such-rule'");
    expect(runCli([fixed, '--rule', 'event-without-listener=loud']).status).toBe(2);
    const format = runCli([fixed, '--format', 'xml']);
    expect(format.status).toBe(2);
    expect(format.stderr).toContain("unknown --format 'xml'");
  });

  it('is 2 for an invalid config file, naming the bad key', () => {
    const org = tempOrg({ '.dispatch-lint.yml': 'rules:\n  event-without-listenr: error\ntokens:\n  secret: X\n' });
    const run = runCli([join(process.cwd(), fixed), '--config', join(org, '.dispatch-lint.yml')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('rules.event-without-listenr: not a rule id');
    expect(run.stderr).toContain('tokens: unknown key');
  });

  it('--rule turns a rule off or down, and --max-warnings fails on too many warnings', () => {
    expect(runCli([pending, '--rule', 'event-without-listener=warning']).status).toBe(0);
    const strict = runCli([pending, '--rule', 'event-without-listener=off', '--max-warnings', '1']);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain('2 warnings, more than --max-warnings 1');
    expect(runCli([pending, '--rule', 'event-without-listener=off', '--max-warnings', '2']).status).toBe(0);
  });

  it('--quiet reports errors only', () => {
    const run = runCli([pending, '--quiet', '--format', 'json']);
    const report = JSON.parse(run.stdout) as { findings: { rule: string }[] };
    expect(report.findings.map((finding) => finding.rule)).toEqual(['event-without-listener']);
  });
});

describe('--max-warnings and --quiet (ESLint semantics)', () => {
  // market-data-pending: 1 error (event-without-listener) and 2 warnings (token-secret-drift).
  const warningsOnly = [pending, '--rule', 'event-without-listener=off'];

  it('--max-warnings N: exit 1 above N warnings, 0 at N; -1 means no limit; notes never count', () => {
    const over = runCli([...warningsOnly, '--max-warnings', '1']);
    expect(over.status).toBe(1);
    expect(over.stderr).toBe('dispatch-lint: 2 warnings, more than --max-warnings 1\n');
    expect(runCli([...warningsOnly, '--max-warnings', '2']).status).toBe(0);
    // parseArgs reads a value starting with '-' only in the --option=value form.
    expect(runCli([...warningsOnly, '--max-warnings=-1']).status).toBe(0);
    expect(runCli([...warningsOnly]).status).toBe(0);
    expect(runCli(['fixtures/rules/unknown-target-repo/fail/acme', '--max-warnings', '0']).status).toBe(0);
  });

  it('errors fail the run whatever --max-warnings allows', () => {
    const run = runCli([pending, '--max-warnings', '10']);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
  });

  it('--quiet: warnings and notes are neither reported nor counted toward --max-warnings', () => {
    const quiet = runCli([...warningsOnly, '--quiet', '--max-warnings', '0']);
    expect(quiet.status).toBe(0);
    expect(quiet.stdout).toBe('6 repositories, 12 workflows: no problems\n');
    const report = JSON.parse(runCli([pending, '--quiet', '--max-warnings', '0', '--format', 'json']).stdout) as { findings: { severity: string }[]; summary: unknown };
    expect(report.findings.map((finding) => finding.severity)).toEqual(['error']);
    expect(report.summary).toEqual({ errors: 1, warnings: 0, notes: 0 });
    expect(runCli([pending, '--quiet']).status).toBe(1);
  });

  it('rejects a --max-warnings that is not a whole number of at least -1', () => {
    for (const value of ['x', '-2', '1.5', '']) {
      const run = runCli([fixed, `--max-warnings=${value}`]);
      expect(run.status).toBe(2);
      expect(run.stderr).toBe(`dispatch-lint: --max-warnings expects a whole number (or -1 for no limit), got '${value}'\n`);
    }
  });
});

describe('output', () => {
  it('json is byte-identical across runs and matches the stored report', () => {
    const first = runCli([pending, '--format', 'json']).stdout;
    expect(runCli([pending, '--format', 'json']).stdout).toBe(first);
    expect(first).toBe(readFileSync('fixtures/market-data-pending.expected.json', 'utf8'));
  });

  it('--output writes the report to a file', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'dispatch-lint-out-')), 'report.json');
    const run = runCli([pending, '--format', 'json', '--output', out]);
    expect(run.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).summary).toEqual({ errors: 1, warnings: 2, notes: 0 });
  });

  it('stylish groups by file, with positions, severities and rule ids, and no colour off a TTY', () => {
    const run = runCli([pending]);
    expect(run.stdout).toContain('fixtures/market-data-pending/market-data-pipeline/.github/workflows/auto_release_on_merge.yml');
    expect(run.stdout).toMatch(/64:23\s+error\s+market-data-pending\/market-data-pipeline sends 'core_release'.*event-without-listener/);
    expect(run.stdout).toContain('3 problems (1 error, 2 warnings, 0 notes)');
    expect(run.stdout).not.toContain('\u001b[');
  });

  it('FORCE_COLOR turns colour on; NO_COLOR wins over it', () => {
    expect(runCli([pending], { env: { FORCE_COLOR: '1' } }).stdout).toContain('\u001b[31m');
    expect(runCli([pending], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } }).stdout).not.toContain('\u001b[');
  });

  it('`rules` lists every rule with its default severity and doc path', () => {
    const run = runCli(['rules']);
    expect(run.status).toBe(0);
    for (const rule of RULES) {
      expect(run.stdout).toContain(rule.id);
      expect(run.stdout).toContain(`docs/rules/${rule.id}.md`);
    }
  });

  it('`graph` prints the edges as mermaid, dot or json', () => {
    const mermaid = runCli(['graph', pending]);
    expect(mermaid.status).toBe(0);
    expect(mermaid.stdout).toMatch(/^flowchart LR/);
    expect(mermaid.stdout).toContain('core_release (no-listener)');
    const json = JSON.parse(runCli(['graph', pending, '--format', 'json']).stdout) as { edges: unknown[] };
    expect(json.edges.length).toBeGreaterThan(0);
    expect(runCli(['graph', pending, '--format', 'dot']).stdout).toContain('digraph dispatch');
  });
});

describe('repository identity', () => {
  it('takes owner/name from the config repos mapping, relative to the config file', () => {
    const org = tempOrg({
      'checkout/.github/workflows/ci.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n',
      '.dispatch-lint.yml': 'repos:\n  checkout: acme/api\n',
    });
    const run = runCli(['checkout', '--format', 'json'], { cwd: org });
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).repos).toEqual([{ name: 'acme/api', source: 'local', workflows: 1 }]);
  });

  it('takes owner/name from the origin remote of a git checkout', () => {
    const org = tempOrg({
      'work/.github/workflows/ci.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n',
      'work/.git/config': '[core]\n\tbare = false\n[remote "origin"]\n\turl = git@github.com:Acme/Deploy.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n',
    });
    const run = runCli(['work', '--format', 'json'], { cwd: org });
    expect(JSON.parse(run.stdout).repos[0].name).toBe('Acme/Deploy');
  });

  it('uses --owner for a repository given on its own', () => {
    const org = tempOrg({ 'solo/.github/workflows/ci.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n' });
    const run = runCli([join(org, 'solo'), '--owner', 'acme', '--format', 'json']);
    expect(JSON.parse(run.stdout).repos[0].name).toBe('acme/solo');
  });
});
