/**
 * GitHub mode against a fake GitHub on 127.0.0.1 (real HTTP, the real Octokit client and plugins): the same
 * findings as the same org linted from folders, few requests, a blob cache, local overrides, the REST fallback,
 * secret names, every fault, and a token that never leaks.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Report } from '../src/model.js';
import { maskToken, serverText } from '../src/sources/github/faults.js';
import { gitBlobOid, loadOrgFromFolder, startFakeGitHub, type FakeGitHub, type FakeOrg } from './support/fake-github.js';
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

/**
 * Runs the CLI against the fake. `--github-timeout 20` (each request gets a quarter of it) keeps a fault test
 * short without a hidden knob; DISPATCH_LINT_WAIT_UNIT_MS (test-only) turns the waits between retries from
 * seconds into milliseconds.
 */
function lintGitHub(args: string[], env: NodeJS.ProcessEnv = {}) {
  const cacheDir = mkdtempSync(join(tmpdir(), 'dispatch-lint-cache-'));
  return {
    cacheDir,
    run: (extra: string[] = []) =>
      runCliAsync([...args, '--github-api-url', (fake as FakeGitHub).url, '--cache-dir', cacheDir, '--format', 'json', '--github-timeout', '20', ...extra], {
        env: { GITHUB_TOKEN: TOKEN, DISPATCH_LINT_WAIT_UNIT_MS: '5', ...env },
      }),
  };
}

/** A report with the one field that must differ between sources (local / github) made equal. */
function comparable(text: string): Report {
  const report = JSON.parse(text) as Report;
  return { ...report, repos: report.repos.map((repo) => ({ ...repo, source: 'local' })) };
}

describe('GitHub mode', () => {
  it('calls a repository unread, exit 2, when a file its workflows load cannot be fetched', async () => {
    await serve([loadOrgFromFolder(join(projectRoot, 'fixtures', 'shared-workflows'), 'shared-workflows', { allFiles: true })]);
    fake?.addFault({ match: (request) => request.graphql?.includes('HEAD:.github/actions/notify/action.yml') === true, kind: 'server-error' });
    const run = await lintGitHub(['--github', 'shared-workflows', '--rule', 'secret-not-defined=off']).run();
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^dispatch-lint: shared-workflows\/api: could not read \.github\/actions\/notify\/action\.yml, which a workflow loads \(.*502/m);
  });

  it.each(['shared-workflows', 'chatops-bot'])('fetches the composite actions, reusable workflows and scripts that %s loads, and reports as from folders', async (name) => {
    const folder = join(projectRoot, 'fixtures', name);
    await serve([loadOrgFromFolder(folder, name, { allFiles: true })]);
    const remote = await lintGitHub(['--github', name, '--rule', 'secret-not-defined=off']).run();
    expect(remote.stderr).toBe('');
    const local = await runCliAsync([folder, '--owner', name, '--format', 'json', '--rule', 'secret-not-defined=off']);
    expect(comparable(remote.stdout)).toEqual(comparable(local.stdout));
    expect(remote.status).toBe(local.status);
  });

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
      // --github-timeout 6: the request that never answers is abandoned after 1.5 s and retried.
      const retried = await lintGitHub(['--github', 'market-data-pending']).run(kind === 'timeout' ? ['--github-timeout', '6'] : []);
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
    expect(problemLines(run.stderr)).toContain(
      'dispatch-lint: market-data-pending/market-data-core: could not read its workflows (POST /graphql, workflow file contents, answered HTTP 502 (an HTML page), 4 attempts); GitHub (or a proxy) is failing: try again later',
    );
    expect(run.stderr).toContain('the scan is incomplete');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 naming an org that cannot be listed (forbidden), and one that does not exist', async () => {
    await serve([pendingOrg()]);
    fake?.addFault({ kind: 'forbidden', match: (request) => request.path === '/graphql' });
    const forbidden = await lintGitHub(['--github', 'market-data-pending']).run();
    expect(forbidden.status).toBe(2);
    expect(problemLines(forbidden.stderr)).toEqual([
      'dispatch-lint: market-data-pending: could not list its repositories (POST /graphql, page 1 of the repository listing, answered HTTP 403: Resource not accessible by integration); check the name, and that the token may read it',
    ]);
    fake?.clearFaults();
    const missing = await lintGitHub(['--github', 'no-such-org']).run();
    expect(missing.status).toBe(2);
    expect(problemLines(missing.stderr)).toEqual([
      'dispatch-lint: no-such-org: could not list its repositories (no GitHub user or organisation named no-such-org); check the name given to --github, and that the token can see it',
    ]);
  });

  it('ends a run against a server that never answers within --github-timeout, naming what timed out', { timeout: 20_000 }, async () => {
    await serve([pendingOrg()]);
    fake?.addFault({ kind: 'timeout', match: () => true });
    const run = await lintGitHub(['--github', 'market-data-pending']).run(['--github-timeout', '2']);
    expect(run.status).toBe(2);
    const [problem] = problemLines(run.stderr);
    expect(problem).toMatch(/^dispatch-lint: market-data-pending: could not list its repositories \(POST \/graphql, page 1 of the repository listing, /);
    expect(problem).toContain('--github-timeout of 2 s');
    expect(problem).toMatch(/raise --github-timeout/);
    // Each attempt waits a quarter of the deadline: a few attempts, never a request retried again and again.
    expect(fake?.requests.length).toBeLessThanOrEqual(4);
  });

  it('ends a run whose secret listing never answers, naming the repository', { timeout: 20_000 }, async () => {
    await serve([pendingOrg()]);
    fake?.addFault({ kind: 'timeout', match: (request) => request.path.includes('/actions/secrets') });
    const run = await lintGitHub(['--github', 'market-data-pending']).run(['--github-timeout', '2']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^dispatch-lint: market-data-pending\/market-data-\w+: could not list its secret names \(GET \/repos\/market-data-pending\/market-data-\w+\/actions\/secrets .*--github-timeout of 2 s/m);
  });

  it('shares one retry budget across the run: a failing endpoint is not retried for every repository', async () => {
    const sender = 'on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: peter-evans/repository-dispatch@v3\n        with:\n          token: ${{ secrets.DISPATCH_TOKEN }}\n          repository: acme/hub\n          event-type: ping\n';
    const repos = Array.from({ length: 30 }, (_, i) => ({ name: `svc-${String(i).padStart(2, '0')}`, files: { '.github/workflows/ping.yml': sender } }));
    await serve([{ login: 'acme', repos: [...repos, { name: 'hub', files: { '.github/workflows/on-ping.yml': 'on:\n  repository_dispatch:\n    types: [ping]\njobs: {}\n' } }] }]);
    fake?.addFault({ kind: 'server-error', match: (request) => /^\/repos\/acme\/svc-\d+\/actions\/secrets$/.test(request.path) });
    const run = await lintGitHub(['--github', 'acme']).run();
    expect(run.status).toBe(2);
    const secretProblems = problemLines(run.stderr).filter((line) => /^dispatch-lint: acme\/svc-\d+: could not list its secret names \(GET \/repos\/acme\/svc-\d+\/actions\/secrets answered HTTP 502 \(an HTML page\)/.test(line));
    expect(secretProblems).toHaveLength(30);
    expect(secretProblems.filter((line) => /, and the run's \d+ retries are spent\); GitHub or the network keeps failing: try again later$/.test(line))).not.toHaveLength(0);
    // 3 retries for each of 30 repositories would be 120 requests; the run's budget stops far sooner.
    const secretRequests = fake?.requests.filter((request) => request.path.endsWith('/actions/secrets')).length ?? 0;
    expect(secretRequests).toBeGreaterThanOrEqual(30);
    expect(secretRequests).toBeLessThan(60);
  });
});

describe('GitHub mode: pages that never end', () => {
  const bigOrg = (): FakeOrg => ({ login: 'big', repos: Array.from({ length: 250 }, (_, i) => ({ name: `repo-${String(i).padStart(3, '0')}`, files: { '.github/workflows/ci.yml': 'on: push\njobs: {}\n' } })) });
  const listing = (request: { graphql?: string }) => (request.graphql ?? '').includes('repositoryOwner');

  it('GraphQL: a cursor seen twice ends the run with exit 2', async () => {
    await serve([bigOrg()]);
    fake?.addFault({ kind: 'repeat-cursor', match: listing });
    const run = await lintGitHub(['--github', 'big']).run();
    expect(run.status).toBe(2);
    expect(problemLines(run.stderr)[0]).toMatch(/^dispatch-lint: big: could not list its repositories \(POST \/graphql, page 2 of the repository listing: the API gave the same page cursor .* twice/);
    expect(fake?.requests.filter((request) => request.path === '/graphql').length).toBeLessThanOrEqual(4);
  });

  it('GraphQL: more pages than the listed total allows ends the run with exit 2', async () => {
    await serve([pendingOrg()]);
    fake?.addFault({ kind: 'endless-pages', match: listing });
    const run = await lintGitHub(['--github', 'market-data-pending']).run();
    expect(run.status).toBe(2);
    expect(problemLines(run.stderr)[0]).toMatch(/^dispatch-lint: market-data-pending: could not list its repositories \(POST \/graphql, page 1 of the repository listing: the API claims another page, but the 6 repositories it counts fit in 1 page\)/);
  });

  it('REST: a next link seen twice, or more pages than the listing allows, ends the run with exit 2', async () => {
    await serve([pendingOrg()], { graphql: false });
    fake?.addFault({ kind: 'repeat-cursor', match: (request) => request.path === '/orgs/market-data-pending/repos' });
    const repeated = await lintGitHub(['--github', 'market-data-pending']).run();
    expect(repeated.status).toBe(2);
    expect(problemLines(repeated.stderr)[0]).toMatch(/^dispatch-lint: market-data-pending: could not list its repositories \(GET \/orgs\/market-data-pending\/repos, page 1: its Link header names a page already fetched as the next one\)/);
    fake?.clearFaults();
    fake?.addFault({ kind: 'endless-pages', match: (request) => request.path === '/orgs/market-data-pending/repos' });
    const endless = await lintGitHub(['--github', 'market-data-pending']).run();
    expect(endless.status).toBe(2);
    expect(problemLines(endless.stderr)[0]).toMatch(/^dispatch-lint: market-data-pending: could not list its repositories \(GET \/orgs\/market-data-pending\/repos, page 2: an empty page that links a next one\)/);
  });

  it('REST: pages past the Link header\'s last page end the run with exit 2', async () => {
    await serve([bigOrg()], { graphql: false });
    fake?.addFault({ kind: 'endless-pages', match: (request) => request.path === '/orgs/big/repos' });
    const run = await lintGitHub(['--github', 'big']).run();
    expect(run.status).toBe(2);
    expect(problemLines(run.stderr)[0]).toMatch(/^dispatch-lint: big: could not list its repositories \(GET \/orgs\/big\/repos, page 3: it links a page 4, but page 1 said page 3 is the last\)/);
  });
});

describe('GitHub mode: answers that are not what the API promises', () => {
  it('a non-JSON REST body: one line that says what, where and what to do', async () => {
    await serve([pendingOrg()], { graphql: false });
    fake?.addFault({ kind: 'non-json', match: (request) => request.path === '/orgs/market-data-pending/repos' });
    const run = await lintGitHub(['--github', 'market-data-pending']).run();
    expect(run.status).toBe(2);
    expect(run.stderr).not.toContain("Cannot use 'in' operator");
    expect(problemLines(run.stderr)[0]).toBe(
      'dispatch-lint: market-data-pending: could not list its repositories (GET /orgs/market-data-pending/repos answered HTTP 200 with text/html, not JSON, 4 attempts); ' +
        'check --github-api-url: it must be the API (https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server), and nothing on the way may answer in its place (a proxy sign-in page?)',
    );
  });

  it('a non-JSON GraphQL body', async () => {
    await serve([pendingOrg()]);
    fake?.addFault({ kind: 'non-json', match: (request) => request.path === '/graphql' });
    const run = await lintGitHub(['--github', 'market-data-pending']).run();
    expect(run.status).toBe(2);
    expect(problemLines(run.stderr)[0]).toMatch(/^dispatch-lint: market-data-pending: could not list its repositories \(POST \/graphql, page 1 of the repository listing, answered HTTP 200 with text\/html, not JSON, 4 attempts\); check --github-api-url/);
  });

  it('GraphQL errors: printed, with what to do', async () => {
    await serve([pendingOrg()]);
    fake?.addFault({ kind: 'graphql-errors', match: (request) => request.path === '/graphql' });
    const run = await lintGitHub(['--github', 'market-data-pending']).run();
    expect(run.status).toBe(2);
    const [problem] = problemLines(run.stderr);
    expect(problem).toMatch(/^dispatch-lint: market-data-pending: could not list its repositories \(POST \/graphql, page 1 of the repository listing, answered GraphQL errors: INSUFFICIENT_SCOPES: Your token has not been granted the required scopes/);
    expect(problem).toContain("['read:org']");
    expect(problem).toMatch(/\); give the token the access the error names$/);
  });

  it('a GraphQL rate limit that resets after --github-timeout is not waited for', async () => {
    await serve([pendingOrg()]);
    fake?.addFault({ kind: 'graphql-errors', errors: [{ type: 'RATE_LIMITED', message: 'API rate limit exceeded for user ID 1.' }], match: (request) => request.path === '/graphql' });
    const run = await lintGitHub(['--github', 'market-data-pending']).run(['--github-timeout', '5']);
    expect(run.status).toBe(2);
    // The fake's limit resets in an hour: 3,600 waits of DISPATCH_LINT_WAIT_UNIT_MS (5 ms) are 18 s, beyond the 5 s.
    expect(problemLines(run.stderr)[0]).toMatch(
      /^dispatch-lint: market-data-pending: could not list its repositories \(POST \/graphql, page 1 of the repository listing, answered GraphQL errors: RATE_LIMITED: API rate limit exceeded for user ID 1\.; it resets in 36\d\d s, after the --github-timeout of 5 s runs out\); wait for the rate limit to reset, or raise --github-timeout so that dispatch-lint can wait for it$/,
    );
    expect(fake?.requests).toHaveLength(1);
  });

  it('a token-less run reads anonymously through REST (github.com\'s GraphQL needs a token), and says so', async () => {
    fake = await startFakeGitHub({ orgs: [pendingOrg()] }); // no token required, as for public repositories
    fake.addFault({ kind: 'unauthenticated', match: (request) => request.path === '/graphql' });
    const run = await lintGitHub(['--github', 'market-data-pending', '--rule', 'secret-not-defined=off'], { GITHUB_TOKEN: '' }).run();
    expect(run.stderr).toBe('dispatch-lint: note: no GITHUB_TOKEN or GH_TOKEN; reading GitHub without a token (low rate limit, public repositories only)\n');
    expect(run.status).toBe(1);
    const local = await runCliAsync([pendingFolder, '--format', 'json']);
    expect(comparable(run.stdout)).toEqual(comparable(local.stdout));
    expect(fake.tokensSeen).toEqual([]);
  });

  it('a token-less run against an API that needs a token exits 2, naming what it could not read', async () => {
    await serve([pendingOrg()]);
    const run = await lintGitHub(['--github', 'market-data-pending'], { GITHUB_TOKEN: '' }).run();
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('dispatch-lint: note: no GITHUB_TOKEN or GH_TOKEN; reading GitHub without a token');
    expect(problemLines(run.stderr)).toEqual([
      'dispatch-lint: market-data-pending: could not list its repositories (GET /orgs/market-data-pending/repos answered HTTP 401: Bad credentials); set GITHUB_TOKEN or GH_TOKEN: this API needs a token',
    ]);
  });
});

describe('GitHub mode: blobs must match their ids', () => {
  it('a fetched blob that does not match its id is a scan error naming the repository and file, and is not cached', async () => {
    await serve([pendingOrg()]);
    fake?.addFault({ kind: 'corrupt-blob', match: () => true });
    const { run, cacheDir } = lintGitHub(['--github', 'market-data-pending', '--rule', 'secret-not-defined=off']);
    const result = await run();
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /^dispatch-lint: market-data-pending\/market-data-core: could not read \.github\/workflows\/ci\.yml \(the content served for it does not match its blob id [0-9a-f]{12}: something between dispatch-lint and the API changed it\); check the proxies and caches on the way to --github-api-url, then run again$/m,
    );
    expect(listBlobs(cacheDir)).toEqual([]);
  });

  it('a GraphQL text that does not match its id is fetched again as bytes (REST) and used when those match', async () => {
    await serve([pendingOrg()]);
    const baseline = await lintGitHub(['--github', 'market-data-pending']).run();
    fake?.addFault({ kind: 'corrupt-blob', match: (request) => request.path === '/graphql' });
    fake?.resetCounts();
    const { run, cacheDir } = lintGitHub(['--github', 'market-data-pending']);
    const result = await run();
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(baseline.stdout);
    expect(fake?.requests.some((request) => request.path.includes('/git/blobs/'))).toBe(true);
    for (const file of listBlobs(cacheDir)) expect(gitBlobOid(readFileSync(file))).toBe(file.split(/[\\/]/).slice(-2).join(''));
  });

  it('a cache entry that does not match its id is ignored and fetched again, never trusted', async () => {
    await serve([pendingOrg()]);
    const { run, cacheDir } = lintGitHub(['--github', 'market-data-pending', '--rule', 'secret-not-defined=off']);
    const cold = await run();
    const entries = listBlobs(cacheDir);
    expect(entries.length).toBeGreaterThan(0);
    // Plant wrong content under every blob id (what a disk fault or a tampered cache would leave).
    for (const file of entries) writeFileSync(file, 'on:\n  repository_dispatch:\njobs: {}\n');
    fake?.resetCounts();
    const warm = await run();
    expect(warm.stdout).toBe(cold.stdout);
    expect(fake?.counts()).toMatchObject({ graphql: 2 });
    for (const file of listBlobs(cacheDir)) expect(gitBlobOid(readFileSync(file))).toBe(file.split(/[\\/]/).slice(-2).join(''));
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
    expect(report.findings[0]?.message).toMatch(/^secret-not-defined was skipped for 4 repositories \(acme\/api, acme\/cron, acme\/web, acme\/worker\): the token may not list the secrets of acme\/\w+ \(GET \/repos\/acme\/\w+\/actions\/secrets answered HTTP 403: Resource not accessible by integration\)$/);
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

describe('GitHub mode: the token never reaches the output, whole or in part', () => {
  /** Every 8-character piece of the token: none may appear anywhere. */
  const tokenPieces = Array.from({ length: TOKEN.length - 7 }, (_, i) => TOKEN.slice(i, i + 8));
  const offsets = Array.from({ length: 81 }, (_, i) => 150 + i); // around the 200-character cut
  const targets = offsets.flatMap((offset) => ['--github', `org${offset}`]);

  for (const graphql of [true, false]) {
    it(`masks a token echoed in long error text at every offset around the cut (${graphql ? 'GraphQL errors' : 'REST 422'})`, { timeout: 30_000 }, async () => {
      await serve([pendingOrg()], { graphql });
      // Without GraphQL, /graphql must still answer 404 so that the run falls back to REST, where the echo waits.
      fake?.addFault({ kind: 'echo-token', offsets, match: (request) => graphql || request.path !== '/graphql' });
      const run = await lintGitHub(targets).run(['--format', 'stylish']);
      expect(run.status).toBe(2);
      const via = graphql ? 'POST /graphql, page 1 of the repository listing, answered GraphQL errors: UNPROCESSABLE: ' : 'GET /orgs/org\\d+/repos answered HTTP 422: ';
      expect(problemLines(run.stderr).filter((line) => new RegExp(`^dispatch-lint: org\\d+: could not list its repositories \\(${via}The credential`).test(line))).toHaveLength(offsets.length);
      for (const piece of tokenPieces) {
        expect(run.stderr).not.toContain(piece);
        expect(run.stdout).not.toContain(piece);
      }
    });
  }
});

describe('maskToken and serverText', () => {
  const pieces = (token: string) => Array.from({ length: token.length - 7 }, (_, i) => token.slice(i, i + 8));
  const filler = 'x'.repeat(400);

  it('masks the token at every offset around the cut, before cutting', () => {
    for (let offset = 0; offset <= 260; offset++) {
      const text = serverText(`${filler.slice(0, offset)}${TOKEN}${filler}`, { token: TOKEN });
      expect(text.length).toBeLessThanOrEqual(200);
      for (const piece of pieces(TOKEN)) expect(text).not.toContain(piece);
    }
  });

  it('masks any piece of 8 or more characters (a token cut short elsewhere), and nothing shorter', () => {
    for (let length = 8; length <= TOKEN.length; length++) {
      expect(maskToken(`at the end: ${TOKEN.slice(0, length)}`, TOKEN)).toBe('at the end: ***');
      expect(maskToken(`${TOKEN.slice(-length)} at the start`, TOKEN)).toBe('*** at the start');
    }
    expect(maskToken(`a ${TOKEN.slice(3, 10)} b`, TOKEN)).toBe(`a ${TOKEN.slice(3, 10)} b`);
    expect(maskToken(`${TOKEN} and ${TOKEN.slice(5, 30)}`, TOKEN)).toBe('*** and ***');
    expect(maskToken('nothing to hide', TOKEN)).toBe('nothing to hide');
  });

  it('masks the URL-encoded form', () => {
    const token = 'v1.abc/def+ghi=jkl0123456789';
    expect(maskToken(`?access_token=${encodeURIComponent(token)}&x=1`, token)).toBe('?access_token=***&x=1');
  });
});

/** The problem lines on stderr (without the note about a missing token and the closing summary). */
function problemLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.startsWith('dispatch-lint: ') && !line.startsWith('dispatch-lint: note: ') && !line.includes('the scan is incomplete'));
}

/** The blob cache's files (the facts cache keeps its own beside them, in facts/). */
function listBlobs(cacheDir: string): string[] {
  const blobs = join(cacheDir, 'blobs');
  return existsSync(blobs) ? listFiles(blobs) : [];
}

function listFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((entry) => {
    const path = join(folder, entry);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
