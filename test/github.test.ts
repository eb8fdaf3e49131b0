/**
 * GitHub mode against a fake GitHub on 127.0.0.1 (real HTTP, the real Octokit client and plugins): the same
 * findings as the same org linted from folders, few requests, a blob cache, local overrides, the REST fallback,
 * secret names, every fault, and a token that never leaks.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../src/model.js';
import { loadOrgFromFolder, startFakeGitHub, type FakeGitHub, type FakeOrg } from './support/fake-github.js';
import { projectRoot, runCliAsync } from './support/lint.js';

const TOKEN = 'ghp_PLANTED0token0that0must0never0leak0000';
const pendingFolder = join(projectRoot, 'fixtures', 'market-data-pending');

let fake: FakeGitHub | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

/** The org as folders hold it, with the dispatch token secrets its workflows use defined on every repository. */
function pendingOrg(folder = pendingFolder, login?: string): FakeOrg {
  const org = loadOrgFromFolder(folder, login);
  for (const repo of org.repos) repo.secrets = ['REPO_DISPATCH_TOKEN', 'REPO_TOKEN'];
  return org;
}

async function serve(orgs: FakeOrg[], options: { graphql?: boolean } = {}): Promise<FakeGitHub> {
  fake = await startFakeGitHub({ orgs, token: TOKEN, ...options });
  return fake;
}

function lintGitHub(args: string[], env: NodeJS.ProcessEnv = {}) {
  const cacheDir = mkdtempSync(join(tmpdir(), 'dispatch-lint-cache-'));
  return {
    cacheDir,
    run: (extra: string[] = []) =>
      runCliAsync([...args, '--github-api-url', (fake as FakeGitHub).url, '--cache-dir', cacheDir, '--format', 'json', ...extra], {
        env: { GITHUB_TOKEN: TOKEN, DISPATCH_LINT_WAIT_UNIT_MS: '5', DISPATCH_LINT_TIMEOUT_MS: '400', ...env },
      }),
  };
}

/** A report with the one field that must differ between sources (local / github) made equal. */
function comparable(text: string): Report {
  const report = JSON.parse(text) as Report;
  return { ...report, repos: report.repos.map((repo) => ({ ...repo, source: 'local' })) };
}

describe('GitHub mode', () => {
  it('audits an org with the same findings as linting it from folders, in few requests', async () => {
    await serve([pendingOrg()]);
    const { run } = lintGitHub(['--github', 'market-data-pending']);
    const remote = await run();
    expect(remote.stderr).toBe('');
    expect(remote.status).toBe(1);
    const local = await runCliAsync([pendingFolder, '--format', 'json']);
    expect(comparable(remote.stdout)).toEqual(comparable(local.stdout));
    expect((JSON.parse(remote.stdout) as Report).repos.every((repo) => repo.source === 'github')).toBe(true);
    // One page lists all six repositories with their blob ids, one query fetches every blob, then secret listings
    // for the four repositories that dispatch with a secret token.
    expect(fake?.counts().graphql).toBe(2);
  });

  it('caches contents by blob id: a warm audit fetches none, a changed file is fetched alone', async () => {
    await serve([pendingOrg()]);
    const { run, cacheDir } = lintGitHub(['--github', 'market-data-pending', '--rule', 'secret-not-defined=off']);
    const cold = await run();
    const cachedAfterCold = listFiles(cacheDir).length;
    expect(cachedAfterCold).toBeGreaterThan(0);
    fake?.resetCounts();
    const warm = await run();
    expect(warm.stdout).toBe(cold.stdout);
    expect(fake?.counts()).toMatchObject({ graphql: 1, rest: 0 });
    fake?.setFile('market-data-pending', 'market-data-ibkr', '.github/workflows/on_core_release.yml', 'on:\n  repository_dispatch:\n    types: [core_release]\njobs:\n  update:\n    runs-on: ubuntu-latest\n    steps:\n      - env:\n          VERSION: ${{ github.event.client_payload.version }}\n          ORIGIN: ${{ github.event.client_payload.origin }}\n        run: echo "$ORIGIN $VERSION"\n');
    fake?.resetCounts();
    const changed = await run();
    expect(fake?.counts()).toMatchObject({ graphql: 2, rest: 0 });
    expect((JSON.parse(changed.stdout) as Report).findings.map((finding) => finding.rule)).not.toContain('event-without-listener');
    expect(listFiles(cacheDir).length).toBe(cachedAfterCold + 1);
  });

  it('lets a local checkout override the same repository fetched from GitHub (the pre-merge view)', async () => {
    await serve([pendingOrg(join(projectRoot, 'fixtures', 'market-data-fixed'), 'market-data-pending')]);
    const { run } = lintGitHub(['--github', 'market-data-pending', join(pendingFolder, 'market-data-pipeline'), '--owner', 'market-data-pending']);
    const result = await run(['--rule', 'secret-not-defined=off']);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.repos.find((repo) => repo.name === 'market-data-pending/market-data-pipeline')?.source).toBe('local');
    // The pending pipeline still uses REPO_TOKEN while the fixed org around it uses REPO_DISPATCH_TOKEN.
    expect(report.findings.map((finding) => `${finding.rule} ${finding.location.repo}`)).toEqual([
      'token-secret-drift market-data-pending/market-data-pipeline',
      'token-secret-drift market-data-pending/market-data-pipeline',
    ]);
  });

  it('falls back to REST where GraphQL is unavailable, with the same report', async () => {
    await serve([pendingOrg()], { graphql: false });
    const rest = await lintGitHub(['--github', 'market-data-pending', '--rule', 'secret-not-defined=off']).run();
    const local = await runCliAsync([pendingFolder, '--format', 'json']);
    expect(rest.stderr).toBe('');
    expect(comparable(rest.stdout)).toEqual(comparable(local.stdout));
  });
});

describe('GitHub mode faults', () => {
  const transient = ['primary-rate-limit', 'secondary-rate-limit-403', 'secondary-rate-limit-429', 'server-error', 'timeout', 'malformed-body'] as const;
  for (const kind of transient) {
    it(`retries a ${kind} and completes with the same report`, async () => {
      await serve([pendingOrg()]);
      const baseline = await lintGitHub(['--github', 'market-data-pending']).run();
      fake?.resetCounts();
      fake?.addFault({ kind, times: 1, match: (request) => request.path === '/graphql' });
      const retried = await lintGitHub(['--github', 'market-data-pending']).run();
      expect(retried.status).toBe(1);
      expect(retried.stdout).toBe(baseline.stdout);
      // The failed attempt and its retry both reached the server (a malformed body comes with status 200).
      const firstStatus = fake?.requests.filter((request) => request.path === '/graphql')[0]?.status;
      if (kind !== 'malformed-body') expect(firstStatus).not.toBe(200);
      expect(fake?.counts().graphql).toBe(3);
    });
  }

  it('exits 2 naming the repositories whose workflows cannot be read, never reporting a partial scan as clean', async () => {
    await serve([pendingOrg()]);
    fake?.addFault({ kind: 'server-error', match: (request) => request.path === '/graphql' && (request.graphql ?? '').includes('object(oid') });
    const run = await lintGitHub(['--github', 'market-data-pending']).run();
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('market-data-pending/market-data-core: could not read its workflows (HTTP 502');
    expect(run.stderr).toContain('the scan is incomplete');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 naming an org that cannot be listed (forbidden), and one that does not exist', async () => {
    await serve([pendingOrg()]);
    fake?.addFault({ kind: 'forbidden', match: (request) => request.path === '/graphql' });
    const forbidden = await lintGitHub(['--github', 'market-data-pending']).run();
    expect(forbidden.status).toBe(2);
    expect(forbidden.stderr).toContain('market-data-pending: could not list its repositories (HTTP 403: Resource not accessible by integration)');
    fake?.clearFaults();
    const missing = await lintGitHub(['--github', 'no-such-org']).run();
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no-such-org: could not list its repositories (no GitHub user or organisation named no-such-org)');
  });

  it('exits 2 when every attempt times out', async () => {
    await serve([pendingOrg()]);
    fake?.addFault({ kind: 'timeout', match: (request) => request.path === '/graphql' });
    const run = await lintGitHub(['--github', 'market-data-pending']).run();
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('market-data-pending: could not list its repositories (the request timed out)');
  });
});

describe('GitHub mode secrets', () => {
  const sender = (secret: string, environment?: string) =>
    `on: push\njobs:\n  notify:\n    runs-on: ubuntu-latest\n${environment ? `    environment: ${environment}\n` : ''}    steps:\n      - uses: peter-evans/repository-dispatch@v3\n        with:\n          token: \${{ secrets.${secret} }}\n          repository: acme/deploy\n          event-type: deploy\n`;
  const listener = 'on:\n  repository_dispatch:\n    types: [deploy]\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make deploy\n';
  const org = (): FakeOrg => ({
    login: 'acme',
    repos: [
      { name: 'api', files: { '.github/workflows/release.yml': sender('DISPATCH_TOKEN') } },
      { name: 'web', private: true, files: { '.github/workflows/release.yml': sender('DISPATCH_TOKEN') } },
      { name: 'worker', files: { '.github/workflows/release.yml': sender('DISPATCH_TOKEN', 'production') }, environments: { production: ['DISPATCH_TOKEN'] } },
      { name: 'cron', files: { '.github/workflows/release.yml': sender('DISPATCH_TOKEN') }, secrets: ['dispatch_token'] },
      { name: 'deploy', files: { '.github/workflows/deploy.yml': listener } },
    ],
    secrets: [{ name: 'DISPATCH_TOKEN', visibility: 'private' }],
  });

  it('reports a token secret defined nowhere the job can see: repository, visible org secrets, environment', async () => {
    await serve([org()]);
    const run = await lintGitHub(['--github', 'acme']).run();
    const report = JSON.parse(run.stdout) as Report;
    // api is public, so the org's private-only secret is not visible to it; web is private; worker's environment
    // and cron's own secret (names compare without case) define it.
    expect(report.findings.map((finding) => `${finding.rule} ${finding.location.repo} ${finding.message}`)).toEqual([
      'secret-not-defined acme/api secret DISPATCH_TOKEN is not defined in acme/api or its organisation (visible to it), so the dispatch sends an empty token and fails',
    ]);
  });

  it('says once that the rule was skipped where the token may not list secrets', async () => {
    await serve([org()]);
    fake?.addFault({ kind: 'forbidden', match: (request) => request.path.endsWith('/actions/secrets') && request.path.startsWith('/repos/') });
    const report = JSON.parse((await lintGitHub(['--github', 'acme']).run()).stdout) as Report;
    expect(report.findings.map((finding) => [finding.rule, finding.severity])).toEqual([['secret-not-defined', 'note']]);
    expect(report.findings[0]?.message).toMatch(/^secret-not-defined was skipped for 4 repositories \(acme\/api, acme\/cron, acme\/web, acme\/worker\): the token may not list the secrets of acme\/\w+ \(HTTP 403/);
  });
});

describe('GitHub mode selection and the token', () => {
  it('skips archived repositories and forks unless asked, and filters by --repos', async () => {
    const org = pendingOrg();
    (org.repos.find((repo) => repo.name === 'market-data-ibkr') as FakeOrg['repos'][number]).archived = true;
    (org.repos.find((repo) => repo.name === 'market-data-infra') as FakeOrg['repos'][number]).fork = true;
    await serve([org]);
    const names = async (extra: string[]) => (JSON.parse((await lintGitHub(['--github', 'market-data-pending', ...extra]).run()).stdout) as Report).repos.map((repo) => repo.name.split('/')[1]);
    expect(await names([])).toEqual(['market-data-core', 'market-data-orchestrator', 'market-data-pipeline', 'market-data-store']);
    expect(await names(['--include-archived', '--include-forks'])).toHaveLength(6);
    expect(await names(['--repos', '*-store', '--repos', 'market-data-pending/market-data-core'])).toEqual(['market-data-core', 'market-data-store']);
  });

  it('never prints, reports or caches the token', async () => {
    await serve([pendingOrg()]);
    const { run, cacheDir } = lintGitHub(['--github', 'market-data-pending']);
    const ok = await run();
    fake?.addFault({ kind: 'forbidden', match: () => true });
    const failed = await run(['--format', 'stylish']);
    expect(fake?.tokensSeen).toEqual([TOKEN]);
    expect(failed.status).toBe(2);
    for (const text of [ok.stdout, ok.stderr, failed.stdout, failed.stderr, ...listFiles(cacheDir).map((file) => readFileSync(file, 'utf8'))]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(TOKEN.slice(4, 20));
    }
  });
});

function listFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((entry) => {
    const path = join(folder, entry);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
