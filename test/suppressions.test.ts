/**
 * Inline suppressions: each form suppresses what it names where it says, the suppressed findings are counted and
 * listed with their reason, and a comment that cannot work (no reason, unknown rule id, misplaced, stale, an
 * unknown directive) is reported at the comment instead of being silently ignored.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/config.js';
import { lint } from '../src/engine.js';
import type { Finding, Report } from '../src/model.js';
import { scanSuppressions } from '../src/suppressions.js';
import { runCli } from './support/lint.js';

/** acme/api sends `api-released` twice (two files) to acme/deploy, which listens for something else. */
const release = (comments: { top?: string; beforeType?: string } = {}) => `${comments.top ?? ''}name: Release

on:
  push:
    tags: ["v*"]

jobs:
  notify:
    runs-on: ubuntu-latest
    steps:
      - uses: peter-evans/repository-dispatch@v3
        with:
          token: \${{ secrets.DISPATCH_TOKEN }}
          repository: acme/deploy
${comments.beforeType ?? ''}          event-type: api-released
`;

const deploy = `on:
  repository_dispatch:
    types: [api-deployed]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: ./deploy.sh
`;

function org(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dispatch-lint-suppress-'));
  for (const [path, text] of Object.entries({ 'acme/deploy/.github/workflows/deploy.yml': deploy, ...files })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

async function reportOf(files: Record<string, string>, rules: Record<string, 'off' | 'note' | 'warning' | 'error'> = {}): Promise<Report> {
  const root = org(files);
  const config = defaultConfig();
  config.rules = { 'listener-without-sender': 'off', ...rules };
  const result = await lint({ paths: [join(root, 'acme')], cwd: root, config, workers: 0 });
  expect(result.scanErrors).toEqual([]);
  return result.report;
}

const brief = (finding: Finding) => `${finding.rule} ${finding.location.path}:${finding.location.line}:${finding.location.column}`;
const API = 'acme/api/.github/workflows/release.yml';
const NEXT_LINE = '          # dispatch-lint-disable-next-line event-without-listener -- the release bot consumes it\n';

describe('dispatch-lint-disable-next-line', () => {
  it('suppresses the finding on the next line, lists it with its reason, and counts it', async () => {
    const report = await reportOf({ [API]: release({ beforeType: NEXT_LINE }) });
    expect(report.findings).toEqual([]);
    expect(report.summary).toEqual({ errors: 0, warnings: 0, notes: 0, suppressed: 1 });
    expect(report.suppressed).toHaveLength(1);
    expect(report.suppressed?.[0]).toMatchObject({
      rule: 'event-without-listener',
      severity: 'error',
      location: { repo: 'acme/api', path: '.github/workflows/release.yml', line: 16, column: 23 },
      suppression: { kind: 'next-line', reason: 'the release bot consumes it', location: { repo: 'acme/api', path: '.github/workflows/release.yml', line: 15, column: 11 } },
    });
  });

  it('takes several rule ids, and skips over other suppression comments stacked above the line', async () => {
    const stacked = '          # dispatch-lint-disable-next-line payload-field-unread, event-without-listener -- the bot consumes it\n          # dispatch-lint-disable-next-line unknown-target-repo -- also fine\n';
    const report = await reportOf({ [API]: release({ beforeType: stacked }) });
    expect(report.suppressed?.map(brief)).toEqual(['event-without-listener .github/workflows/release.yml:17:23']);
    // payload-field-unread and unknown-target-repo have nothing on line 17: each is named as suppressing nothing.
    expect(report.findings.map((finding) => `${brief(finding)} ${finding.message}`)).toEqual([
      'unused-suppression .github/workflows/release.yml:15:45 this suppression of payload-field-unread suppresses nothing: no payload-field-unread finding starts on line 17 (remove it, or move it to the line before the finding)',
      'unused-suppression .github/workflows/release.yml:16:45 this suppression of unknown-target-repo suppresses nothing: no unknown-target-repo finding starts on line 17 (remove it, or move it to the line before the finding)',
    ]);
  });

  it('works as a shell comment inside a run: block, on the line before the send', async () => {
    const gh = `on: push
jobs:
  notify:
    runs-on: ubuntu-latest
    steps:
      - env:
          GH_TOKEN: \${{ secrets.DISPATCH_TOKEN }}
        run: |
          # dispatch-lint-disable-next-line event-without-listener -- consumed by the deploy app
          gh api repos/acme/deploy/dispatches -f event_type=api-released
`;
    const report = await reportOf({ [API]: gh });
    expect(report.findings).toEqual([]);
    expect(report.suppressed?.map(brief)).toEqual(['event-without-listener .github/workflows/release.yml:10:61']);
  });

  it('is reported, and suppresses nothing, when a blank line separates it from the finding (misplaced)', async () => {
    const report = await reportOf({ [API]: release({ beforeType: `${NEXT_LINE}\n` }) });
    expect(report.findings.map(brief)).toEqual(['unused-suppression .github/workflows/release.yml:15:45', 'event-without-listener .github/workflows/release.yml:17:23']);
    expect(report.findings[0]?.message).toBe('this suppression of event-without-listener suppresses nothing: no event-without-listener finding starts on line 16 (remove it, or move it to the line before the finding)');
    expect(report.summary).toEqual({ errors: 1, warnings: 0, notes: 1 });
  });
});

describe('dispatch-lint-disable (file)', () => {
  it('suppresses its rules anywhere in the file when it is among the leading comments', async () => {
    const report = await reportOf({ [API]: release({ top: '# Release workflow.\n#\n# dispatch-lint-disable event-without-listener -- acme/deploy is being rebuilt (DEPLOY-42)\n\n' }) });
    expect(report.findings).toEqual([]);
    expect(report.suppressed?.[0]?.suppression).toEqual({ kind: 'file', reason: 'acme/deploy is being rebuilt (DEPLOY-42)', location: { repo: 'acme/api', path: '.github/workflows/release.yml', line: 3, column: 1 } });
  });

  it('is reported as misplaced after the first line of YAML, and suppresses nothing', async () => {
    const text = release().replace('jobs:\n', 'jobs:\n# dispatch-lint-disable event-without-listener -- too late\n');
    const report = await reportOf({ [API]: text });
    expect(report.findings.map(brief)).toEqual(['unused-suppression .github/workflows/release.yml:8:1', 'event-without-listener .github/workflows/release.yml:16:23']);
    expect(report.findings[0]?.message).toBe("'dispatch-lint-disable' works only among the file's leading comments, so this one suppresses nothing: move it to the top of the file, or put '# dispatch-lint-disable-next-line event-without-listener -- reason' on the line before the finding");
  });

  it('is reported when stale: nothing of its rule in the file', async () => {
    const report = await reportOf({ [API]: release({ top: '# dispatch-lint-disable payload-injection -- legacy\n' }) });
    expect(report.findings.map((finding) => `${brief(finding)} ${finding.message}`)).toContainEqual('unused-suppression .github/workflows/release.yml:1:25 this suppression of payload-injection suppresses nothing: no payload-injection finding in this file (remove it)');
  });
});

describe('suppressions that cannot work are reported', () => {
  it('without a reason: reported, and the finding stays', async () => {
    const report = await reportOf({ [API]: release({ beforeType: '          # dispatch-lint-disable-next-line event-without-listener\n' }) });
    expect(report.findings.map(brief)).toEqual(['suppression-without-reason .github/workflows/release.yml:15:11', 'event-without-listener .github/workflows/release.yml:16:23']);
    expect(report.findings[0]?.severity).toBe('note');
    expect(report.findings[0]?.message).toContain("gives no reason, so it suppresses nothing: add ' -- ' and why");
    expect(report.suppressed).toBeUndefined();
    const empty = await reportOf({ [API]: release({ beforeType: '          # dispatch-lint-disable-next-line event-without-listener --   \n' }) });
    expect(empty.findings.map((finding) => finding.rule)).toEqual(['suppression-without-reason', 'event-without-listener']);
  });

  it('an unknown rule id, named with the nearest real one', async () => {
    const report = await reportOf({ [API]: release({ beforeType: '          # dispatch-lint-disable-next-line event-without-listner -- typo\n' }) });
    expect(report.findings.map((finding) => `${brief(finding)} ${finding.message}`)).toEqual([
      "unused-suppression .github/workflows/release.yml:15:45 'event-without-listner' is not a dispatch-lint rule id, so nothing is suppressed for it (did you mean 'event-without-listener'?)",
      expect.stringMatching(/^event-without-listener .*:16:23 /),
    ]);
  });

  it('an unknown directive, and one that names no rule', async () => {
    const text = release({ beforeType: '          event-type-note: x # dispatch-lint-disable-line event-without-listener -- no such form\n          # dispatch-lint-disable-next-line -- no rule\n' });
    const report = await reportOf({ [API]: text });
    expect(report.findings.filter((finding) => finding.rule === 'unused-suppression').map((finding) => `${brief(finding)} ${finding.message}`)).toEqual([
      "unused-suppression .github/workflows/release.yml:15:30 'dispatch-lint-disable-line' is not a dispatch-lint directive, so it suppresses nothing: use '# dispatch-lint-disable-next-line RULE -- reason' on the line before the finding, or '# dispatch-lint-disable RULE -- reason' among the file's leading comments",
      "unused-suppression .github/workflows/release.yml:16:11 'dispatch-lint-disable-next-line' names no rule, so it suppresses nothing: write the rule ids it is for (`dispatch-lint rules` lists them), then ' -- ' and why",
    ]);
  });

  it('but not for a rule that did not run: off, or GitHub-only in a local lint', async () => {
    const comments = '          # dispatch-lint-disable-next-line secret-not-defined -- set in the org\n          # dispatch-lint-disable-next-line payload-field-unread -- off here\n';
    const report = await reportOf({ [API]: release({ beforeType: comments }) }, { 'payload-field-unread': 'off' });
    expect(report.findings.map((finding) => finding.rule)).toEqual(['event-without-listener']);
  });

  it('the notes follow the config like any rule: off, or raised to error so stale suppressions fail', async () => {
    const stale = { [API]: release({ top: '# dispatch-lint-disable payload-injection -- legacy\n' }) };
    expect((await reportOf(stale, { 'unused-suppression': 'off' })).findings.map((finding) => finding.rule)).toEqual(['event-without-listener']);
    const strict = await reportOf(stale, { 'unused-suppression': 'error' });
    expect(strict.findings.find((finding) => finding.rule === 'unused-suppression')?.severity).toBe('error');
  });

  it('a suppression note itself cannot be suppressed by a comment', async () => {
    const text = release({ top: '# dispatch-lint-disable unused-suppression -- quiet please\n# dispatch-lint-disable payload-injection -- legacy\n' });
    const report = await reportOf({ [API]: text });
    expect(report.findings.filter((finding) => finding.rule === 'unused-suppression').map(brief)).toEqual(['unused-suppression .github/workflows/release.yml:1:25', 'unused-suppression .github/workflows/release.yml:2:25']);
  });
});

describe('through the CLI', () => {
  it('a suppressed error does not fail the run; stylish counts it; --quiet keeps only suppressed errors', () => {
    const root = org({ [API]: release({ beforeType: NEXT_LINE }) });
    const run = runCli(['acme', '--rule', 'listener-without-sender=off'], { cwd: root });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('2 repositories, 2 workflows: no problems (1 suppressed)\n');
    const json = JSON.parse(runCli(['acme', '--rule', 'listener-without-sender=off', '--format', 'json', '--quiet'], { cwd: root }).stdout) as Report;
    expect(json.summary).toEqual({ errors: 0, warnings: 0, notes: 0, suppressed: 1 });
  });
});

describe('scanSuppressions', () => {
  it('reads nothing from a file that never mentions dispatch-lint', () => {
    expect(scanSuppressions(release())).toBeUndefined();
  });

  it('records each comment with its rules, reason, position and target line', () => {
    const found = scanSuppressions('# dispatch-lint-disable a, b -- why\non: push\n  # dispatch-lint-disable-next-line c -- because -- really\n  # dispatch-lint-disable-next-line d -- too\n\nkey: value\n');
    expect(found?.malformed).toEqual([]);
    expect(found?.comments).toEqual([
      {
        kind: 'file',
        rules: [
          { id: 'a', position: { line: 1, column: 25, endLine: 1, endColumn: 26 } },
          { id: 'b', position: { line: 1, column: 28, endLine: 1, endColumn: 29 } },
        ],
        reason: 'why',
        position: { line: 1, column: 1, endLine: 1, endColumn: 36 },
      },
      { kind: 'next-line', rules: [{ id: 'c', position: { line: 3, column: 37, endLine: 3, endColumn: 38 } }], reason: 'because -- really', position: { line: 3, column: 3, endLine: 3, endColumn: 59 }, targetLine: 5 },
      { kind: 'next-line', rules: [{ id: 'd', position: { line: 4, column: 37, endLine: 4, endColumn: 38 } }], reason: 'too', position: { line: 4, column: 3, endLine: 4, endColumn: 45 }, targetLine: 5 },
    ]);
  });

  it('counts a document start (---) among the leading lines, not as the first line of YAML', () => {
    const found = scanSuppressions('---\n# dispatch-lint-disable a -- why\non: push\n# dispatch-lint-disable b -- late\n');
    expect(found?.comments.map((comment) => comment.rules[0]?.id)).toEqual(['a']);
    expect(found?.malformed.map((malformed) => `${malformed.problem} ${malformed.position.line}`)).toEqual(['misplaced 4']);
  });

  it('leaves a next-line comment on the last line without a target, and reads CRLF files', () => {
    const found = scanSuppressions('on: push\r\n# dispatch-lint-disable-next-line x -- y\r\n');
    expect(found?.comments[0]?.targetLine).toBe(3);
    expect(scanSuppressions('on: push\n# dispatch-lint-disable-next-line x -- y')?.comments[0]?.targetLine).toBeUndefined();
  });
});
