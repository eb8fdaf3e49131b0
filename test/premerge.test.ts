/**
 * The pre-merge check (`--base REF`) on throw-away git repositories: a base commit, the head in the work tree.
 * Only what the change introduces is reported, what it fixes is counted, a moved finding is not new, a removed
 * listener is blamed on the change at the sender, a loosened config is reported, and the work tree is untouched.
 */
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lint, type LintOptions } from '../src/engine.js';
import type { Finding, Report } from '../src/model.js';
import { startFakeGitHub, type FakeGitHub } from './support/fake-github.js';
import { gitFolder, type GitFolder } from './support/git.js';
import { runCli } from './support/lint.js';

const sender = (eventType: string, extraSteps = '') => `name: Release

on:
  push:
    tags: ["v*"]

jobs:
  notify:
    runs-on: ubuntu-latest
    steps:${extraSteps}
      - name: Tell acme/deploy
        uses: peter-evans/repository-dispatch@v3
        with:
          token: \${{ secrets.DISPATCH_TOKEN }}
          repository: acme/deploy
          event-type: ${eventType}
          client-payload: '{"version": "\${{ github.ref_name }}"}'
`;

const listener = (types: string) => `name: Deploy

on:
  repository_dispatch:
    types: [${types}]

jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - name: Deploy
        env:
          VERSION: \${{ github.event.client_payload.version }}
        run: ./deploy.sh "$VERSION"
`;

const SENDER = 'acme/api/.github/workflows/release.yml';
const LISTENER = 'acme/deploy/.github/workflows/deploy.yml';

/** The org `acme` (api sends api-released to deploy, which listens for it) committed as the base. */
function acme(extra: Record<string, string> = {}): GitFolder {
  return gitFolder({ [SENDER]: sender('api-released'), [LISTENER]: listener('api-released'), ...extra });
}

async function lintBase(repo: GitFolder, options: Partial<LintOptions> = {}): Promise<Report> {
  const result = await lint({ paths: ['acme'], cwd: repo.root, workers: 0, base: { ref: 'main' }, ...options });
  expect(result.scanErrors).toEqual([]);
  return result.report;
}

const brief = (finding: Finding) => `${finding.rule} ${finding.location.repo}/${finding.location.path}:${finding.location.line}:${finding.location.column}`;

describe('--base REF', () => {
  it('reports a broken dispatch the change introduces, and not one that was already broken', async () => {
    // acme/web sends an event nobody listens for: already broken at the base.
    const repo = acme({ 'acme/web/.github/workflows/ci.yml': sender('web-built') });
    repo.write({ 'acme/api/.github/workflows/hotfix.yml': sender('api-hotfix') });
    const report = await lintBase(repo);
    expect(report.findings.map(brief)).toEqual(['event-without-listener acme/api/.github/workflows/hotfix.yml:16:23']);
    expect(report.findings[0]?.message).toContain("sends 'api-hotfix' to acme/deploy");
    expect(report.summary).toEqual({ errors: 1, warnings: 0, notes: 0, fixed: 0 });
    // The head lint alone reports both: the old one is filtered out, not missed.
    const full = (await lint({ paths: ['acme'], cwd: repo.root, workers: 0 })).report;
    expect(full.findings.filter((finding) => finding.rule === 'event-without-listener').map(brief)).toEqual([
      'event-without-listener acme/api/.github/workflows/hotfix.yml:16:23',
      'event-without-listener acme/web/.github/workflows/ci.yml:16:23',
    ]);
  });

  it('counts what the change fixes, and lists it where it was at the base', async () => {
    const repo = gitFolder({ [SENDER]: sender('api-release'), [LISTENER]: listener('api-released') });
    repo.write({ [SENDER]: sender('api-released') });
    const report = await lintBase(repo);
    expect(report.findings).toEqual([]);
    expect(report.summary).toEqual({ errors: 0, warnings: 0, notes: 0, fixed: 2 });
    expect(report.base?.ref).toBe('main');
    expect(report.base?.fixed.map(brief).sort()).toEqual([
      'event-without-listener acme/api/.github/workflows/release.yml:16:23',
      'listener-without-sender acme/deploy/.github/workflows/deploy.yml:5:13',
    ]);
    const run = runCli(['acme', '--base', 'main'], { cwd: repo.root });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('2 repositories, 2 workflows: no new problems against main; the change fixes 2\n');
  });

  it('does not call a finding new when only its lines moved', async () => {
    const repo = gitFolder({ [SENDER]: sender('api-release'), [LISTENER]: listener('api-released') });
    const step = '\n      - name: Build\n        run: make build\n      - name: Test\n        run: make test';
    repo.write({ [SENDER]: `# Releases the API.\n\n${sender('api-release', step)}` });
    const report = await lintBase(repo);
    const moved = (await lint({ paths: ['acme'], cwd: repo.root, workers: 0 })).report.findings.find((finding) => finding.rule === 'event-without-listener');
    expect(moved?.location.line).toBe(22);
    expect(report.findings).toEqual([]);
    expect(report.summary.fixed).toBe(0);
  });

  it('with n findings of one fingerprint at the base and m at the head, reports m - n', async () => {
    const twice = (type: string) => sender(type).replace(/(\n {6}- name: Tell acme\/deploy[\s\S]*)$/, '$1$1');
    const repo = gitFolder({ [SENDER]: sender('api-release'), [LISTENER]: listener('api-released') });
    repo.write({ [SENDER]: twice('api-release') });
    const report = await lintBase(repo);
    expect(report.findings.map(brief)).toEqual(['event-without-listener acme/api/.github/workflows/release.yml:24:23']);
  });

  it('blames a removed listener on the change, at the sender in another repository, with the removed place', async () => {
    const repo = acme();
    repo.write({ [LISTENER]: listener('api-deployed') });
    const report = await lintBase(repo);
    const finding = report.findings.find((candidate) => candidate.rule === 'event-without-listener');
    expect(finding && brief(finding)).toBe('event-without-listener acme/api/.github/workflows/release.yml:16:23');
    expect(finding?.message).toMatch(/; this change broke it: at main, acme\/deploy\/\.github\/workflows\/deploy\.yml listened for 'api-released'$/);
    expect(finding?.related).toContainEqual({ repo: 'acme/deploy', path: '.github/workflows/deploy.yml', line: 5, column: 13, message: "listened for 'api-released' at main (removed by this change)" });
    // The listener's new type has no sender: the change introduced that too.
    expect(report.findings.map(brief)).toEqual([
      'event-without-listener acme/api/.github/workflows/release.yml:16:23',
      'listener-without-sender acme/deploy/.github/workflows/deploy.yml:5:13',
    ]);
  });

  it('blames a deleted listener file the same way, with the sender in a plain folder outside git (as it is)', async () => {
    const repo = gitFolder({ '.github/workflows/deploy.yml': listener('api-released') });
    repo.git('remote', 'add', 'origin', 'git@github.com:acme/deploy.git');
    const plain = mkdtempSync(join(tmpdir(), 'dispatch-lint-plain-'));
    const api = join(plain, 'acme', 'api');
    mkdirSync(join(api, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(api, '.github', 'workflows', 'release.yml'), sender('api-released'));
    repo.write({ '.github/workflows/deploy.yml': null, '.github/workflows/ci.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n' });
    const result = await lint({ paths: [api, repo.root], cwd: repo.root, owner: 'acme', workers: 0, base: { ref: 'main' } });
    expect(result.scanErrors).toEqual([]);
    const deployName = 'acme/deploy';
    expect(result.report.findings.map(brief)).toEqual([`event-without-listener acme/api/.github/workflows/release.yml:16:23`]);
    expect(result.report.findings[0]?.message).toContain(`; this change broke it: at main, ${deployName}/.github/workflows/deploy.yml listened for 'api-released'`);
    expect(result.report.findings[0]?.related).toEqual([{ repo: deployName, path: '.github/workflows/deploy.yml', line: 5, column: 13, message: "listened for 'api-released' at main (removed by this change)" }]);
  });

  it('blames a renamed workflow, a removed workflow_dispatch input and a newly required one on the change', async () => {
    const dispatcher = (inputs: string) => `on: push
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - env:
          GH_TOKEN: \${{ secrets.DISPATCH_TOKEN }}
        run: gh workflow run deploy.yml -R acme/deploy ${inputs}
`;
    const target = (inputs: string) => `on:
  workflow_dispatch:
    inputs:
${inputs}
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: ./deploy.sh "$INPUTS"
        env:
          INPUTS: \${{ toJSON(inputs) }}
`;
    const repo = gitFolder({
      'acme/api/.github/workflows/release.yml': dispatcher('-f version=1 -f dry_run=true'),
      'acme/deploy/.github/workflows/deploy.yml': target('      version:\n        required: true\n      dry_run:\n        type: boolean\n      region:\n        required: false'),
      'acme/web/.github/workflows/release.yml': dispatcher('-f version=2').replace('deploy.yml', 'web.yml'),
      'acme/deploy/.github/workflows/web.yml': target('      version:\n        required: true'),
    });
    repo.write({
      'acme/deploy/.github/workflows/deploy.yml': target('      version:\n        required: true\n      region:\n        required: true'),
      'acme/deploy/.github/workflows/web.yml': null,
      'acme/deploy/.github/workflows/web-deploy.yml': target('      version:\n        required: true'),
    });
    const report = await lintBase(repo);
    expect(report.findings.map((finding) => [brief(finding), finding.message.replace(/^.*; this change broke it: /, ''), finding.related?.at(-1)])).toEqual([
      [
        'workflow-dispatch-inputs acme/api/.github/workflows/release.yml:8:30',
        "at main, acme/deploy/.github/workflows/deploy.yml did not require input 'region'",
        { repo: 'acme/deploy', path: '.github/workflows/deploy.yml', line: 8, column: 7, message: "input 'region' at main, optional" },
      ],
      [
        'workflow-dispatch-inputs acme/api/.github/workflows/release.yml:8:72',
        "at main, acme/deploy/.github/workflows/deploy.yml declared input 'dry_run'",
        { repo: 'acme/deploy', path: '.github/workflows/deploy.yml', line: 6, column: 7, message: "input 'dry_run' at main (removed by this change)" },
      ],
      [
        'workflow-dispatch-target acme/web/.github/workflows/release.yml:8:30',
        'at main, acme/deploy/.github/workflows/web.yml had a workflow_dispatch trigger',
        { repo: 'acme/deploy', path: '.github/workflows/web.yml', line: 2, column: 3, message: 'workflow_dispatch at main (removed by this change)' },
      ],
    ]);
  });

  it('blames a removed sender for the listener it leaves without one', async () => {
    const repo = acme();
    repo.write({ [SENDER]: null, 'acme/api/.github/workflows/ci.yml': 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n' });
    const report = await lintBase(repo);
    expect(report.findings.map(brief)).toEqual(['listener-without-sender acme/deploy/.github/workflows/deploy.yml:5:13']);
    expect(report.findings[0]?.message).toContain("; this change removed its sender: at main, acme/api/.github/workflows/release.yml sent 'api-released' to acme/deploy");
    expect(report.findings[0]?.related).toEqual([{ repo: 'acme/api', path: '.github/workflows/release.yml', line: 16, column: 23, message: "sent 'api-released' at main (removed by this change)" }]);
  });

  it('lists a new finding that a suppression comment silences as suppressed, not as new', async () => {
    const repo = acme();
    const suppressed = sender('api-nightly').replace('          event-type:', '          # dispatch-lint-disable-next-line event-without-listener -- consumed by the release bot\n          event-type:');
    repo.write({ 'acme/api/.github/workflows/nightly.yml': suppressed });
    const report = await lintBase(repo);
    expect(report.findings).toEqual([]);
    expect(report.suppressed?.map((finding) => [brief(finding), finding.suppression])).toEqual([
      [
        'event-without-listener acme/api/.github/workflows/nightly.yml:17:23',
        { kind: 'next-line', reason: 'consumed by the release bot', location: { repo: 'acme/api', path: '.github/workflows/nightly.yml', line: 16, column: 11 } },
      ],
    ]);
    expect(report.summary).toEqual({ errors: 0, warnings: 0, notes: 0, suppressed: 1, fixed: 0 });
  });

  it('reads the base from git objects only: the work tree and the index are untouched', async () => {
    const repo = acme();
    repo.write({ [LISTENER]: listener('api-deployed'), 'acme/api/.github/workflows/new.yml': sender('api-new') });
    const status = repo.git('status', '--porcelain');
    // `git status` may refresh the index itself: measure around the lint alone.
    const index = readFileSync(join(repo.root, '.git', 'index'));
    const indexTime = statSync(join(repo.root, '.git', 'index')).mtimeMs;
    const listenerText = readFileSync(join(repo.root, LISTENER), 'utf8');
    await lintBase(repo);
    expect(statSync(join(repo.root, '.git', 'index')).mtimeMs).toBe(indexTime);
    expect(readFileSync(join(repo.root, '.git', 'index'))).toEqual(index);
    expect(readFileSync(join(repo.root, LISTENER), 'utf8')).toBe(listenerText);
    expect(repo.git('status', '--porcelain')).toBe(status);
  });

  it('treats a repository the change adds (absent at the base) as all new', async () => {
    const repo = acme();
    repo.write({ 'acme/web/.github/workflows/ci.yml': sender('web-built') });
    const report = await lintBase(repo);
    expect(report.findings.map(brief)).toEqual(['event-without-listener acme/web/.github/workflows/ci.yml:16:23']);
  });

  it('exits 2 with one clear line for a REF that does not exist or a PATH that is not a git checkout', () => {
    const repo = acme();
    const missing = runCli(['acme', '--base', 'no-such-branch'], { cwd: repo.root });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`dispatch-lint: --base: no commit 'no-such-branch' in the git repository ${repo.root}\n`);
    expect(missing.stdout).toBe('');

    const plain = mkdtempSync(join(tmpdir(), 'dispatch-lint-plain-'));
    mkdirSync(join(plain, 'acme', 'api', '.github', 'workflows'), { recursive: true });
    writeFileSync(join(plain, 'acme', 'api', '.github', 'workflows', 'release.yml'), sender('api-released'));
    const notGit = runCli(['acme', '--base', 'main'], { cwd: plain });
    expect(notGit.status).toBe(2);
    expect(notGit.stderr).toContain('dispatch-lint: --base main: no PATH is in a git checkout');
    expect(notGit.stderr).not.toMatch(/\n\s+at /);

    expect(runCli(['acme', '--config-from-base'], { cwd: repo.root }).stderr).toContain('--config-from-base only applies with --base REF');
    expect(runCli(['acme', '--base', '--quiet'], { cwd: repo.root }).status).toBe(2);
  });

  it('exits 1 on a new error through the CLI, and says how many it fixes', () => {
    const repo = gitFolder({ [SENDER]: sender('api-release'), [LISTENER]: listener('api-released'), 'acme/web/.github/workflows/ci.yml': sender('web-built') });
    repo.write({ [SENDER]: sender('api-released'), 'acme/web/.github/workflows/ci.yml': sender('web-build') });
    const run = runCli(['acme', '--base', 'main'], { cwd: repo.root });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("acme/web sends 'web-build' to acme/deploy");
    expect(run.stdout).toContain('✖ 1 new problem (1 error, 0 warnings, 0 notes) in 3 repositories against main; the change fixes 3');
  });
});

describe('--base and the config file', () => {
  const config = (rules: string) => `rules:\n${rules}`;
  /** The org kept in one repository, acme/platform, with the config at its top. */
  const platform = (files: Record<string, string> = {}) => {
    const repo = acme(files);
    repo.git('remote', 'add', 'origin', 'https://github.com/acme/platform.git');
    return repo;
  };
  const described = (finding: Finding) => `${brief(finding)} ${finding.severity}: ${finding.message}`;
  const keep = 'to keep the check as it is at main, lint with --config-from-base';

  it('reports a config that switches off or loosens the check that gates the change, at the changed key', async () => {
    const repo = platform({ '.dispatch-lint.yml': config('  payload-field-unread: off\n') });
    repo.write({
      [LISTENER]: listener('api-deployed'),
      '.dispatch-lint.yml': `${config('  payload-field-unread: off\n  event-without-listener: off\n  listener-without-sender: note\n')}ignore:\n  - acme/legacy-*\n`,
    });
    const report = await lintBase(repo);
    expect(report.findings.map(described)).toEqual([
      `listener-without-sender acme/deploy/.github/workflows/deploy.yml:5:13 note: .github/workflows/deploy.yml listens for 'api-deployed', but no scanned workflow sends it to acme/deploy (if it comes from outside the scanned workflows, declare it under events.fromOutside in the config)`,
      `config-loosened acme/platform/.dispatch-lint.yml:3:3 note: this change to .dispatch-lint.yml switches off event-without-listener (error at the base); ${keep}`,
      `config-loosened acme/platform/.dispatch-lint.yml:4:3 note: this change to .dispatch-lint.yml lowers listener-without-sender from warning to note; ${keep}`,
      `config-loosened acme/platform/.dispatch-lint.yml:6:5 note: this change to .dispatch-lint.yml ignores 'acme/legacy-*', which leaves what it matches out of the scan; ${keep}`,
    ]);
    // Notes do not fail the run: the gate is open, and the report says so where the change is reviewed.
    expect(runCli(['acme', '--base', 'main'], { cwd: repo.root }).status).toBe(0);
  });

  it('with --config-from-base lints with the base config: the gate holds, and the change to the config is still named', async () => {
    const repo = platform();
    repo.write({ [LISTENER]: listener('api-deployed'), '.dispatch-lint.yml': config('  event-without-listener: off\n  config-loosened: off\n') });
    const report = await lintBase(repo, { base: { ref: 'main', configFromBase: true } });
    expect(report.findings.map(brief)).toEqual([
      'event-without-listener acme/api/.github/workflows/release.yml:16:23',
      'listener-without-sender acme/deploy/.github/workflows/deploy.yml:5:13',
      'config-loosened acme/platform/.dispatch-lint.yml:2:3',
      'config-loosened acme/platform/.dispatch-lint.yml:3:3',
    ]);
    expect(report.findings[2]?.message).toBe('this change to .dispatch-lint.yml switches off event-without-listener (error at the base); this lint used the config as it is at main (--config-from-base)');
    // The change switches config-loosened itself off: the base's config decides its severity, so it is still reported.
    expect(report.findings[3]?.message).toContain('switches off config-loosened (note at the base)');
    expect(runCli(['acme', '--base', 'main', '--config-from-base'], { cwd: repo.root }).status).toBe(1);
    expect(runCli(['acme', '--base', 'main'], { cwd: repo.root }).status).toBe(0);
  });

  it('says nothing of a config change that only tightens the check', async () => {
    const repo = platform({ '.dispatch-lint.yml': config('  listener-without-sender: note\n') });
    repo.write({ '.dispatch-lint.yml': config('  listener-without-sender: error\n') });
    expect((await lintBase(repo)).findings).toEqual([]);
  });

  it('compares a deleted config with the defaults, and an added exemption with the base', async () => {
    const repo = platform({ '.dispatch-lint.yml': 'events:\n  toOutside:\n    - types: [api-released]\n' });
    repo.write({ '.dispatch-lint.yml': null });
    expect((await lintBase(repo)).findings).toEqual([]);
    repo.write({ '.dispatch-lint.yml': 'events:\n  toOutside:\n    - types: [api-released]\n    - repo: acme/deploy\n      types: [api-gone]\n' });
    expect((await lintBase(repo)).findings.map(described)).toEqual([
      `config-loosened acme/platform/.dispatch-lint.yml:4:7 note: this change to .dispatch-lint.yml declares 'api-gone' for acme/deploy under events.toOutside, which exempts it from event-without-listener and unknown-target-repo; ${keep}`,
    ]);
  });

  it('exits 2 for a base config that is not valid, saying it is the one at REF', () => {
    const repo = platform({ '.dispatch-lint.yml': 'rules:\n  no-such-rule: off\n' });
    repo.write({ '.dispatch-lint.yml': config('  event-without-listener: error\n') });
    const run = runCli(['acme', '--base', 'main'], { cwd: repo.root });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^dispatch-lint: .*\.dispatch-lint\.yml:2:3: invalid config: rules\.no-such-rule: not a rule id .*\(the config as it is at main\)\n$/);
  });
});

describe('--base with repositories from GitHub', () => {
  let fake: FakeGitHub | undefined;
  afterEach(async () => {
    await fake?.stop();
    fake = undefined;
  });

  it('lints the local checkout at REF against the other repositories as GitHub has them', async () => {
    const deploy = gitFolder({ '.github/workflows/deploy.yml': listener('api-released') });
    deploy.git('remote', 'add', 'origin', 'https://github.com/acme/deploy.git');
    deploy.write({ '.github/workflows/deploy.yml': listener('api_released') });
    fake = await startFakeGitHub({ orgs: [{ login: 'acme', repos: [{ name: 'api', files: { '.github/workflows/release.yml': sender('api-released') } }] }] });
    const result = await lint({
      paths: [deploy.root],
      cwd: deploy.root,
      workers: 0,
      base: { ref: 'main' },
      github: { targets: ['acme'], apiUrl: fake.url, repoGlobs: [], includeArchived: false, includeForks: false, cacheDir: null },
    });
    expect(result.scanErrors).toEqual([]);
    expect(result.report.repos.map((entry) => `${entry.name} ${entry.source}`)).toEqual(['acme/api github', 'acme/deploy local']);
    expect(result.report.findings.map(brief)).toEqual([
      'event-without-listener acme/api/.github/workflows/release.yml:16:23',
      'listener-without-sender acme/deploy/.github/workflows/deploy.yml:5:13',
    ]);
    expect(result.report.findings[0]?.message).toContain("(did you mean 'api_released'?); this change broke it: at main, acme/deploy/.github/workflows/deploy.yml listened for 'api-released'");
  });
});

