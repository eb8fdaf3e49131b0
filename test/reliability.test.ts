/**
 * Issue 7: one odd file or folder costs one finding (or a named exit 2), never the report. Each case here was a
 * reproduction of a defect: a crash that lost every repository's findings, a report of a million findings, an
 * unreadable repository called clean, a report that depended on the order of the PATHs.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractWorkflow } from '../src/extract/workflow.js';
import type { Finding, Report } from '../src/model.js';
import { corpusRoot, projectRoot, runCli } from './support/lint.js';

const LISTENER = 'on:\n  repository_dispatch:\n    types: [deploy]\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "$V"\n        env:\n          V: ${{ github.event.client_payload.version }}\n';
const SENDER = (payload: string) =>
  `on: push\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: peter-evans/repository-dispatch@v3\n        with:\n          token: \${{ secrets.DISPATCH_TOKEN }}\n          repository: acme/deploy\n          event-type: deploy\n          client-payload: '${payload}'\n`;
const GOOD_PAIR = { 'deploy/.github/workflows/deploy.yml': LISTENER, 'api/.github/workflows/release.yml': SENDER('{"version": "1"}') };

function org(files: Record<string, string>, parent = mkdtempSync(join(tmpdir(), 'dispatch-lint-reliability-'))): string {
  const root = join(parent, 'acme');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

function lintJson(args: string[]): { status: number | null; report: Report; stderr: string } {
  const run = runCli([...args, '--format', 'json']);
  expect(run.stderr).not.toMatch(/\n\s+at |internal error/);
  return { status: run.status, report: JSON.parse(run.stdout) as Report, stderr: run.stderr };
}

const summary = (findings: Finding[]) => findings.map((finding) => `${finding.rule} ${finding.severity} ${finding.location.repo}/${finding.location.path}:${finding.location.line}:${finding.location.column} ${finding.message}`);

describe('values nested past the limits cost one finding, not the report', () => {
  const deepJson = `{"a": ${'['.repeat(5000)}${']'.repeat(5000)}}`;

  it('a client-payload nested 5,000 levels deep is a note on its file, and the good pair is still checked', () => {
    const root = org({ ...GOOD_PAIR, 'web/.github/workflows/deep.yml': SENDER(deepJson).replace('acme/deploy', 'acme/deploy') });
    const { status, report } = lintJson([root]);
    expect(status).toBe(0);
    expect(report.repos.map((repo) => repo.name)).toEqual(['acme/api', 'acme/deploy', 'acme/web']);
    expect(summary(report.findings)).toEqual([
      'workflow-syntax note acme/web/.github/workflows/deep.yml:11:27 .github/workflows/deep.yml: the client_payload of this dispatch was not checked: it nests more than 64 levels deep, beyond what dispatch-lint reads',
    ]);
    expect(report.graph.edges).toContainEqual({ from: 'acme/api', to: 'acme/deploy', kind: 'repository_dispatch', event: 'deploy', status: 'ok' });
  });

  it('the same through curl -d and gh api --input: the payload is a note, the event type unresolved, never "empty"', () => {
    const steps = (body: string) => `on: push\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n${body}`;
    const root = org({
      ...GOOD_PAIR,
      'web/.github/workflows/curl.yml': steps(`      - run: |\n          curl -X POST -H "Authorization: token \${{ secrets.DISPATCH_TOKEN }}" https://api.github.com/repos/acme/deploy/dispatches -d '{"event_type": "deploy", "client_payload": ${deepJson}}'\n`),
      'web/.github/workflows/gh-input.yml': steps(`      - run: |\n          gh api repos/acme/deploy/dispatches --input - <<'EOF'\n          {"event_type": "deploy", "client_payload": ${deepJson}}\n          EOF\n        env:\n          GH_TOKEN: \${{ secrets.DISPATCH_TOKEN }}\n`),
    });
    const { status, report } = lintJson([root]);
    expect(status).toBe(0);
    const web = report.findings.filter((finding) => finding.location.repo === 'acme/web');
    expect(web.map((finding) => [finding.location.path, finding.rule, finding.severity])).toEqual([
      ['.github/workflows/curl.yml', 'unresolved-dispatch', 'note'],
      ['.github/workflows/curl.yml', 'workflow-syntax', 'note'],
      ['.github/workflows/gh-input.yml', 'unresolved-dispatch', 'note'],
      ['.github/workflows/gh-input.yml', 'workflow-syntax', 'note'],
    ]);
    expect(web.filter((finding) => finding.rule === 'workflow-syntax').map((finding) => finding.message.split(': ').slice(1).join(': '))).toEqual([
      'the client_payload of this dispatch was not checked: its request body nests more than 64 levels deep, beyond what dispatch-lint reads',
      'the client_payload of this dispatch was not checked: its request body nests more than 64 levels deep, beyond what dispatch-lint reads',
    ]);
  });

  it('the same for deeply nested YAML or JavaScript', () => {
    const steps = (body: string) => `on: push\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n${body}`;
    const root = org({
      ...GOOD_PAIR,
      'web/.github/workflows/yaml.yml': steps(`      - run: echo\n        with: ${'['.repeat(3000)}${']'.repeat(3000)}\n`),
      'web/.github/workflows/script.yml': steps(`      - uses: actions/github-script@v7\n        with:\n          script: |\n            await github.rest.repos.createDispatchEvent({ owner: 'acme', repo: 'deploy', event_type: 'deploy', client_payload: ${'['.repeat(5000)}${']'.repeat(5000)} })\n`),
    });
    const { status, report } = lintJson([root]);
    expect(status).toBe(1);
    expect(summary(report.findings)).toEqual([
      'workflow-syntax note acme/web/.github/workflows/script.yml:9:190 .github/workflows/script.yml: github-script was not analysed: it nests more than 64 levels deep, beyond what dispatch-lint reads; any dispatch it sends is not checked',
      'workflow-syntax error acme/web/.github/workflows/yaml.yml:7:79 .github/workflows/yaml.yml: the file nests YAML more than 64 levels deep, beyond what dispatch-lint reads, so it was not checked',
    ]);
    // The unreadable script may be the listener's sender, so the listener is not called sender-less.
    expect(report.findings.filter((finding) => finding.rule === 'listener-without-sender')).toEqual([]);
    expect(report.repos).toHaveLength(3);
  });

  it('an expression past GitHub\'s depth or length limit makes GitHub reject the file, and says so', () => {
    const deep = `\${{ ${'('.repeat(60)}github.event.client_payload.version${')'.repeat(60)} }}`;
    const long = `\${{ ${Array.from({ length: 800 }, () => 'github.event.client_payload.version').join(' == ')} }}`;
    const root = org({ ...GOOD_PAIR, 'deploy/.github/workflows/deep.yml': LISTENER.replace('${{ github.event.client_payload.version }}', deep), 'deploy/.github/workflows/long.yml': LISTENER.replace('${{ github.event.client_payload.version }}', long) });
    const { report } = lintJson([root]);
    expect(summary(report.findings.filter((finding) => finding.rule === 'workflow-syntax'))).toEqual([
      'workflow-syntax error acme/deploy/.github/workflows/deep.yml:10:14 .github/workflows/deep.yml: the expression is nested more than 50 levels deep, beyond GitHub\'s limit, so GitHub rejects the whole workflow file',
      'workflow-syntax error acme/deploy/.github/workflows/long.yml:10:14 .github/workflows/long.yml: the expression is longer than 21,000 characters, beyond GitHub\'s limit, so GitHub rejects the whole workflow file',
    ]);
  });
});

describe('caps and limits inside one file', () => {
  it('1 MB of `x: }}}…` gives ten syntax findings and one line saying how many more there were', () => {
    const root = org({ ...GOOD_PAIR, 'web/.github/workflows/braces.yml': `x: ${'}'.repeat(1_000_000)}\n` });
    const { status, report } = lintJson([root]);
    expect(status).toBe(1);
    const syntax = report.findings.filter((finding) => finding.rule === 'workflow-syntax');
    expect(syntax).toHaveLength(11);
    expect(syntax[10]?.message).toMatch(/^\.github\/workflows\/braces\.yml: and at least 990 more YAML errors in this file, not listed/);
    expect(report.repos).toHaveLength(3);
  });

  it('thousands of sends naming one 100 kB value keep it once, not once per send (fuzz seed 3, case 76778)', () => {
    const chain = Array.from({ length: 2000 }, () => 'gh api repos/acme/deploy/dispatches -f event_type=deploy').join(' && ');
    const text = `on: push\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n      - env:\n          GH_TOKEN: ${'x '.repeat(50_000)}\n        run: ${chain}\n`;
    const facts = extractWorkflow({ repo: 'acme/web', path: '.github/workflows/chain.yml', text });
    expect(facts.sends).toHaveLength(2000);
    // Facts cross threads and go to the cache as JSON: 2,000 copies of the value made 200 MB of it.
    expect(JSON.stringify(facts).length).toBeLessThan(4_000_000);
    const token = facts.sends[0]?.token;
    expect(token?.kind === 'other' ? token.text : undefined).toBe(`${'x '.repeat(500)}…`);
  });

  it('a matrix past GitHub\'s 256 jobs is one finding, and its 80,000 include entries are not expanded', () => {
    const include = Array.from({ length: 80_000 }, (_, i) => `{r: ${i}}`).join(',');
    const matrix = `on: push\njobs:\n  s:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        include: [${include}]\n    steps:\n      - uses: peter-evans/repository-dispatch@v3\n        with:\n          token: \${{ secrets.DISPATCH_TOKEN }}\n          repository: acme/\${{ matrix.r }}\n          event-type: deploy\n`;
    const root = org({ ...GOOD_PAIR, 'web/.github/workflows/matrix.yml': matrix });
    const { report } = lintJson([root]);
    expect(summary(report.findings.filter((finding) => finding.rule === 'workflow-syntax'))).toEqual([
      "workflow-syntax error acme/web/.github/workflows/matrix.yml:7:9 .github/workflows/matrix.yml: the matrix of job 's' makes more than 256 jobs; GitHub runs at most 256 per matrix, so the run fails",
    ]);
  });

  it('a `!!merge` key inside matrix.include is the merge-key finding, not an internal error (found by the fuzz test)', () => {
    const matrix = `on: push\njobs:\n  s:\n    runs-on: ubuntu-latest\n    strategy:\n      matrix:\n        include:\n          - !!merge a: 1\n            r: deploy\n    steps:\n      - uses: peter-evans/repository-dispatch@v3\n        with:\n          token: \${{ secrets.DISPATCH_TOKEN }}\n          repository: acme/\${{ matrix.r }}\n          event-type: deploy\n`;
    const root = org({ ...GOOD_PAIR, 'web/.github/workflows/merge.yml': matrix });
    const { status, report } = lintJson([root]);
    expect(status).toBe(1);
    expect(summary(report.findings.filter((finding) => finding.location.repo === 'acme/web'))).toEqual([
      'workflow-syntax error acme/web/.github/workflows/merge.yml:8:21 .github/workflows/merge.yml: GitHub Actions does not support YAML merge keys (`<<`): its workflow parser reads `<<` as a key and rejects the file (anchors and aliases are supported; repeat the keys, or use an alias for a whole value)',
    ]);
  });

  it('an unclosed ${{ in event-type makes GitHub reject the file, so it is an error there, not an event named "${{ x"', () => {
    const root = org({ ...GOOD_PAIR, 'web/.github/workflows/unclosed.yml': SENDER('{"version": "1"}').replace('event-type: deploy', 'event-type: ${{ inputs.event') });
    const { report } = lintJson([root]);
    expect(summary(report.findings)).toEqual([
      'workflow-syntax error acme/web/.github/workflows/unclosed.yml:10:23 .github/workflows/unclosed.yml: the expression is not closed: `${{` has no closing `}}`, so GitHub rejects the whole workflow file',
    ]);
  });
});

describe('an unreadable repository is never reported as clean', () => {
  // Root reads anything, so the unreadable cases run the CLI as `nobody` where the suite runs as root.
  const asRoot = process.getuid?.() === 0;
  function runUnprivileged(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const command = asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath] : [process.execPath];
    const run = spawnSync(command[0] as string, [...command.slice(1), join(projectRoot, 'bin', 'dispatch-lint.js'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }
  function worldReadableOrg(files: Record<string, string>): string {
    const parent = mkdtempSync(join(tmpdir(), 'dispatch-lint-unreadable-'));
    chmodSync(parent, 0o755);
    const root = org(files, parent);
    const open = (path: string) => {
      chmodSync(path, 0o755);
      for (const entry of readdirSync(path, { withFileTypes: true })) {
        if (entry.isDirectory()) open(join(path, entry.name));
        else chmodSync(join(path, entry.name), 0o644);
      }
    };
    open(root);
    return root;
  }

  it('a repository whose .github/workflows cannot be read exits 2 and names it, given alone or in an org folder', () => {
    const root = worldReadableOrg(GOOD_PAIR);
    chmodSync(join(root, 'deploy', '.github', 'workflows'), 0o000);
    for (const path of [join(root, 'deploy'), root]) {
      const run = runUnprivileged([path, '--format', 'json']);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`${join(root, 'deploy', '.github', 'workflows')}: cannot be read (EACCES), so its workflows were not scanned`);
      expect(run.stderr).toContain('the scan is incomplete');
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('an org folder with a repository folder that cannot be listed exits 2 and names it', () => {
    const root = worldReadableOrg(GOOD_PAIR);
    chmodSync(join(root, 'deploy'), 0o000);
    const run = runUnprivileged([root, '--format', 'json']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${join(root, 'deploy')}: cannot be read (EACCES), so it was not scanned`);
  });

  it('a workflow file that cannot be read exits 2 and names it', () => {
    const root = worldReadableOrg(GOOD_PAIR);
    chmodSync(join(root, 'deploy', '.github', 'workflows', 'deploy.yml'), 0o000);
    const run = runUnprivileged([root]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`${join(root, 'deploy', '.github', 'workflows', 'deploy.yml')}: cannot be read (EACCES)`);
  });
});

describe('symbolic links and folders named like workflow files', () => {
  it('a symlinked workflow file, or a symlinked workflows folder, is an error: GitHub does not follow links', () => {
    const root = org({ ...GOOD_PAIR, 'web/shared/release.yml': SENDER('{"version": "1"}'), 'infra/shared/workflows/release.yml': SENDER('{"version": "1"}') });
    mkdirSync(join(root, 'web', '.github', 'workflows'), { recursive: true });
    symlinkSync('../../shared/release.yml', join(root, 'web', '.github', 'workflows', 'release.yml'));
    symlinkSync('../../shared/missing.yml', join(root, 'web', '.github', 'workflows', 'broken.yml'));
    mkdirSync(join(root, 'infra', '.github'));
    symlinkSync('../shared/workflows', join(root, 'infra', '.github', 'workflows'));
    const { status, report } = lintJson([root]);
    expect(status).toBe(1);
    expect(summary(report.findings.filter((finding) => finding.rule === 'workflow-syntax'))).toEqual([
      'workflow-syntax error acme/infra/.github/workflows/release.yml:1:1 .github/workflows/release.yml: .github/workflows is a symbolic link; GitHub does not follow symbolic links in a repository, so it does not run this workflow as written (actions/runner#1420, #3195); commit the file itself',
      'workflow-syntax error acme/web/.github/workflows/broken.yml:1:1 .github/workflows/broken.yml: this workflow file is a symbolic link; GitHub does not follow symbolic links in a repository, so it does not run this workflow as written (actions/runner#1420, #3195); commit the file itself',
      'workflow-syntax error acme/web/.github/workflows/release.yml:1:1 .github/workflows/release.yml: this workflow file is a symbolic link; GitHub does not follow symbolic links in a repository, so it does not run this workflow as written (actions/runner#1420, #3195); commit the file itself',
    ]);
    // A linked file sends nothing, as on GitHub.
    expect(report.graph.edges.filter((edge) => edge.from !== 'acme/api')).toEqual([]);
  });

  it('a symlinked .github is an error too; a symlinked repository folder, or workflows that are a file, are not', () => {
    const parent = mkdtempSync(join(tmpdir(), 'dispatch-lint-reliability-'));
    const root = org({ ...GOOD_PAIR, 'shared/github/workflows/release.yml': SENDER('{"version": "1"}'), 'odd/.github/workflows': 'not a folder\n' }, parent);
    mkdirSync(join(root, 'web'));
    symlinkSync('../shared/github', join(root, 'web', '.github'));
    // The deploy repository, linked into the org folder from outside it: scanned under the link's name.
    mkdirSync(join(parent, 'elsewhere', 'ops', '.github', 'workflows'), { recursive: true });
    writeFileSync(join(parent, 'elsewhere', 'ops', '.github', 'workflows', 'ops.yml'), LISTENER);
    symlinkSync(join(parent, 'elsewhere', 'ops'), join(root, 'ops'));
    const { status, report } = lintJson([root]);
    expect(status).toBe(1);
    expect(report.repos).toEqual([
      { name: 'acme/api', source: 'local', workflows: 1 },
      { name: 'acme/deploy', source: 'local', workflows: 1 },
      { name: 'acme/odd', source: 'local', workflows: 0 },
      { name: 'acme/ops', source: 'local', workflows: 1 },
      { name: 'acme/web', source: 'local', workflows: 1 },
    ]);
    expect(summary(report.findings.filter((finding) => finding.rule === 'workflow-syntax'))).toEqual([
      'workflow-syntax error acme/web/.github/workflows/release.yml:1:1 .github/workflows/release.yml: .github is a symbolic link; GitHub does not follow symbolic links in a repository, so it does not run this workflow as written (actions/runner#1420, #3195); commit the file itself',
    ]);
  });

  it('a folder named like a workflow file is skipped with a note on stderr, not silently', () => {
    const root = org({ ...GOOD_PAIR, 'api/.github/workflows/not-a-file.yml/inner.yml': SENDER('{}') });
    const run = runCli([root]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe(`dispatch-lint: note: ${join(root, 'api', '.github', 'workflows', 'not-a-file.yml')}: skipped, it is a folder, and GitHub reads only files as workflows\n`);
  });
});

describe('the report depends only on the repositories, never on the order they are given in', () => {
  it('market-data-pending, its repositories one by one, forwards and backwards', () => {
    const folder = join(projectRoot, 'fixtures', 'market-data-pending');
    const repositories = readdirSync(folder).sort().map((name) => join(folder, name));
    const forwards = runCli([...repositories, '--format', 'json']);
    const backwards = runCli([...repositories.reverse(), '--format', 'json']);
    expect(forwards.status).toBe(1);
    expect(backwards.stdout).toBe(forwards.stdout);
  });

  it.skipIf(!readdirSafe(corpusRoot))('the corpus, owners forwards and backwards', () => {
    const owners = readdirSafe(corpusRoot) as string[];
    const forwards = runCli([...owners, '--format', 'json']);
    const backwards = runCli([...owners.reverse(), '--format', 'json']);
    expect(backwards.stdout).toBe(forwards.stdout);
  });
});

describe('messages a user can act on', () => {
  it('--output into a folder that does not exist says so, with exit 2', () => {
    const run = runCli(['fixtures/market-data-fixed', '--output', '/nonexistent/dir/report.json']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('dispatch-lint: --output /nonexistent/dir/report.json: cannot write the report there: the folder /nonexistent/dir does not exist\n');
  });

  it('a config key that is not a plain word is quoted, and every config error has its line and column', () => {
    const folder = mkdtempSync(join(tmpdir(), 'dispatch-lint-config-'));
    writeFileSync(join(folder, 'bad.yml'), 'repos:\n  ./a: not-a-repo\nrules:\n  nope: error\n');
    writeFileSync(join(folder, 'broken.yml'), 'rules:\n  x: [unclosed\n');
    const bad = runCli(['fixtures/market-data-fixed', '--config', join(folder, 'bad.yml')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      `dispatch-lint: ${join(folder, 'bad.yml')}:2:8: invalid config: repos["./a"]: must be a repository as owner/name, got 'not-a-repo'\n` +
        `dispatch-lint: ${join(folder, 'bad.yml')}:4:3: invalid config: rules.nope: not a rule id (see \`dispatch-lint rules\`)\n`,
    );
    const broken = runCli(['fixtures/market-data-fixed', '--config', join(folder, 'broken.yml')]);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(new RegExp(`^dispatch-lint: ${join(folder, 'broken.yml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:1: not valid YAML: `));
  });
});

function readdirSafe(folder: string): string[] | undefined {
  try {
    return readdirSync(folder, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => join(folder, entry.name)).sort();
  } catch {
    return undefined;
  }
}

