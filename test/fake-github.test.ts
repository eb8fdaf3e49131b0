/**
 * The fake GitHub API the GitHub-mode tests run against: the real Octokit (no plugins) must get from it what
 * it would get from api.github.com, and each fault must look like GitHub's.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGitHub, type FakeOrg, gitBlobOid, loadOrgFromFolder, startFakeGitHub } from './support/fake-github.js';
import { projectRoot } from './support/lint.js';

const TOKEN = 'test-token-123';
const CI = 'name: CI\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n';
const RELEASE = 'name: Release\non:\n  repository_dispatch:\n    types: [core-released]\njobs: {}\n';
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]);

const acme: FakeOrg = {
  login: 'acme',
  repos: [
    {
      name: 'api',
      files: {
        '.github/workflows/ci.yml': CI,
        '.github/workflows/release.yaml': RELEASE,
        '.github/workflows/shared/notes.md': 'notes\n',
        '.github/workflows/logo.png': PNG,
        'README.md': '# api\n',
      },
      secrets: ['NPM_TOKEN', 'PAT', 'SLACK_WEBHOOK'],
      environments: { production: ['DEPLOY_KEY'] },
    },
    { name: 'web', fork: true, files: { '.github/workflows/ci.yml': 'name: web\n' } },
    { name: 'old', archived: true, private: true, defaultBranch: 'master', files: { '.github/workflows/ci.yml': CI } },
    { name: 'empty', files: {} },
  ],
  secrets: [
    { name: 'ORG_ALL', visibility: 'all' },
    { name: 'ORG_SELECTED', visibility: 'selected', selectedRepos: ['api', 'web'] },
  ],
};
const big: FakeOrg = {
  login: 'big',
  repos: Array.from({ length: 250 }, (_, i) => ({ name: `repo-${String(i).padStart(3, '0')}`, files: { '.github/workflows/ci.yml': `name: ci ${i}\n` } })),
};
const alice: FakeOrg = { login: 'alice', kind: 'User', repos: [{ name: 'dotfiles', files: { '.github/workflows/ci.yml': CI } }] };

/** The real Octokit, without plugins, quiet (it logs every 4xx). */
const client = (baseUrl: string, auth?: string) =>
  new Octokit({ baseUrl, ...(auth ? { auth } : {}), log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} } });

let fake: FakeGitHub;
let octokit: Octokit;

beforeAll(async () => {
  fake = await startFakeGitHub({ orgs: [acme, big, alice], token: TOKEN });
  octokit = client(fake.url, TOKEN);
});
afterAll(() => fake.stop());
afterEach(() => fake.clearFaults());

/** A plain fetch, for status, headers and bodies Octokit would throw on or parse away. */
const get = (path: string, headers: Record<string, string> = { authorization: `token ${TOKEN}` }, signal?: AbortSignal) =>
  fetch(`${fake.url}${path}`, { headers, ...(signal ? { signal } : {}) });
const decode = (content: string) => Buffer.from(content, 'base64');

describe('helpers', () => {
  it('gitBlobOid is git hash-object', () => {
    expect(gitBlobOid('hello\n')).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(gitBlobOid(Buffer.from('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('loadOrgFromFolder reads an org folder as local mode does', async () => {
    const folder = join(projectRoot, 'fixtures', 'market-data-pending');
    const org = loadOrgFromFolder(folder);
    expect(org.login).toBe('market-data-pending');
    expect(org.repos).toHaveLength(6);
    const store = org.repos.find((repo) => repo.name === 'market-data-store');
    expect(Object.keys(store?.files ?? {}).sort()).toEqual(['.github/workflows/ci.yml', '.github/workflows/on_core_release.yml']);
    expect(loadOrgFromFolder(folder, 'other').login).toBe('other');

    const served = await startFakeGitHub({ orgs: [org] });
    try {
      const servedClient = client(served.url);
      const { data } = await servedClient.rest.repos.getContent({ owner: 'market-data-pending', repo: 'market-data-store', path: '.github/workflows/ci.yml' });
      const onDisk = readFileSync(join(folder, 'market-data-store', '.github', 'workflows', 'ci.yml'));
      expect(data).toMatchObject({ sha: gitBlobOid(onDisk), encoding: 'base64' });
      expect('content' in data && decode(data.content).equals(onDisk)).toBe(true);
    } finally {
      await served.stop();
    }
  });
});

describe('REST', () => {
  it('lists 250 repositories in 3 pages of 100, following Link', async () => {
    fake.resetCounts();
    const repos = await octokit.paginate(octokit.rest.repos.listForOrg, { org: 'big', per_page: 100 });
    expect(repos).toHaveLength(250);
    expect(repos[249]).toMatchObject({ name: 'repo-249', full_name: 'big/repo-249', owner: { login: 'big' }, archived: false, fork: false, default_branch: 'main' });
    expect(fake.counts()).toMatchObject({ total: 3, rest: 3, graphql: 0, byPath: { '/orgs/big/repos': 3 } });

    const first = await octokit.rest.repos.listForOrg({ org: 'big', per_page: 100 });
    expect(first.headers.link).toBe(
      `<${fake.url}/orgs/big/repos?per_page=100&page=2>; rel="next", <${fake.url}/orgs/big/repos?per_page=100&page=3>; rel="last"`,
    );
    const defaultPage = await octokit.rest.repos.listForOrg({ org: 'big' });
    expect(defaultPage.data).toHaveLength(30);
  });

  it('serves repositories of orgs and users, with their flags', async () => {
    const { data } = await octokit.rest.repos.listForOrg({ org: 'acme' });
    expect(data.map((repo) => [repo.name, repo.fork, repo.archived, repo.private, repo.default_branch])).toEqual([
      ['api', false, false, false, 'main'],
      ['web', true, false, false, 'main'],
      ['old', false, true, true, 'master'],
      ['empty', false, false, false, 'main'],
    ]);
    expect((await octokit.rest.repos.listForOrg({ org: 'acme', type: 'forks' })).data.map((repo) => repo.name)).toEqual(['web']);
    expect((await octokit.rest.repos.listForUser({ username: 'alice' })).data.map((repo) => repo.full_name)).toEqual(['alice/dotfiles']);
    await expect(octokit.rest.repos.listForOrg({ org: 'alice' })).rejects.toMatchObject({ status: 404 });
    expect((await octokit.rest.repos.get({ owner: 'ACME', repo: 'Api' })).data).toMatchObject({ full_name: 'acme/api', owner: { login: 'acme' } });
    await expect(octokit.rest.repos.get({ owner: 'acme', repo: 'nope' })).rejects.toMatchObject({ status: 404, response: { data: { message: 'Not Found' } } });
  });

  it('contents: a folder lists, a file decodes, a missing path or ref is 404', async () => {
    const folder = await octokit.rest.repos.getContent({ owner: 'acme', repo: 'api', path: '.github/workflows', ref: 'main' });
    expect(folder.data).toEqual([
      expect.objectContaining({ name: 'ci.yml', path: '.github/workflows/ci.yml', type: 'file', sha: gitBlobOid(CI), size: CI.length }),
      expect.objectContaining({ name: 'logo.png', type: 'file', sha: gitBlobOid(PNG) }),
      expect.objectContaining({ name: 'release.yaml', type: 'file', sha: gitBlobOid(RELEASE) }),
      expect.objectContaining({ name: 'shared', path: '.github/workflows/shared', type: 'dir' }),
    ]);
    const file = await octokit.rest.repos.getContent({ owner: 'acme', repo: 'api', path: '.github/workflows/ci.yml' });
    expect(file.data).toMatchObject({ type: 'file', encoding: 'base64', sha: gitBlobOid(CI) });
    expect('content' in file.data && decode(file.data.content).toString('utf8')).toBe(CI);
    await expect(octokit.rest.repos.getContent({ owner: 'acme', repo: 'api', path: '.github/workflows/nope.yml' })).rejects.toMatchObject({ status: 404 });
    await expect(octokit.rest.repos.getContent({ owner: 'acme', repo: 'api', path: 'README.md', ref: 'develop' })).rejects.toMatchObject({ status: 404 });
    await expect(octokit.rest.repos.getContent({ owner: 'acme', repo: 'empty', path: '' })).rejects.toMatchObject({ status: 404 });
  });

  it('trees and blobs: `main:.github/workflows`, `main?recursive=1`, a blob by id; ids are the ids git computes', async () => {
    const tree = await octokit.rest.git.getTree({ owner: 'acme', repo: 'api', tree_sha: 'main:.github/workflows' });
    expect(tree.data.truncated).toBe(false);
    expect(tree.data.tree.map((entry) => [entry.path, entry.type, entry.mode])).toEqual([
      ['ci.yml', 'blob', '100644'],
      ['logo.png', 'blob', '100644'],
      ['release.yaml', 'blob', '100644'],
      ['shared', 'tree', '040000'],
    ]);
    const all = await octokit.rest.git.getTree({ owner: 'acme', repo: 'api', tree_sha: 'main', recursive: '1' });
    expect(all.data.tree.map((entry) => entry.path)).toEqual([
      '.github',
      '.github/workflows',
      '.github/workflows/ci.yml',
      '.github/workflows/logo.png',
      '.github/workflows/release.yaml',
      '.github/workflows/shared',
      '.github/workflows/shared/notes.md',
      'README.md',
    ]);
    const byId = await octokit.rest.git.getTree({ owner: 'acme', repo: 'api', tree_sha: tree.data.sha });
    expect(byId.data.tree).toEqual(tree.data.tree);

    const ciSha = tree.data.tree[0]?.sha ?? '';
    const blob = await octokit.rest.git.getBlob({ owner: 'acme', repo: 'api', file_sha: ciSha });
    expect(blob.data).toMatchObject({ sha: gitBlobOid(CI), size: CI.length, encoding: 'base64' });
    expect(decode(blob.data.content).toString('utf8')).toBe(CI);
    const png = await octokit.rest.git.getBlob({ owner: 'acme', repo: 'api', file_sha: gitBlobOid(PNG) });
    expect(decode(png.data.content).equals(PNG)).toBe(true);
    await expect(octokit.rest.git.getBlob({ owner: 'acme', repo: 'web', file_sha: ciSha })).rejects.toMatchObject({ status: 404 });

    // The tree ids are the ones git itself gives the same files.
    if (spawnSync('git', ['--version']).status !== 0) return;
    const checkout = mkdtempSync(join(tmpdir(), 'fake-github-'));
    try {
      for (const [path, content] of Object.entries(acme.repos[0]?.files ?? {})) {
        mkdirSync(dirname(join(checkout, path)), { recursive: true });
        writeFileSync(join(checkout, path), content);
      }
      const git = (...args: string[]) => spawnSync('git', args, { cwd: checkout, encoding: 'utf8' }).stdout.trim();
      git('init', '-q');
      git('add', '-A');
      expect(git('write-tree')).toBe(all.data.sha);
      expect(git('rev-parse', `${git('write-tree')}:.github/workflows`)).toBe(tree.data.sha);
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  });

  it('secrets: repository (paginated), organisation with visibility and selected repositories, environment', async () => {
    const repoSecrets = await octokit.paginate(octokit.rest.actions.listRepoSecrets, { owner: 'acme', repo: 'api', per_page: 2 });
    expect(repoSecrets.map((secret) => secret.name)).toEqual(['NPM_TOKEN', 'PAT', 'SLACK_WEBHOOK']);
    const page = await octokit.rest.actions.listRepoSecrets({ owner: 'acme', repo: 'api', per_page: 2 });
    expect(page.data.total_count).toBe(3);
    expect(page.data.secrets[0]).toEqual({ name: 'NPM_TOKEN', created_at: expect.any(String), updated_at: expect.any(String) });

    const org = await octokit.rest.actions.listOrgSecrets({ org: 'acme' });
    expect(org.data.secrets).toEqual([
      expect.objectContaining({ name: 'ORG_ALL', visibility: 'all' }),
      expect.objectContaining({ name: 'ORG_SELECTED', visibility: 'selected', selected_repositories_url: `${fake.url}/orgs/acme/actions/secrets/ORG_SELECTED/repositories` }),
    ]);
    const selected = await octokit.rest.actions.listSelectedReposForOrgSecret({ org: 'acme', secret_name: 'ORG_SELECTED' });
    expect(selected.data.total_count).toBe(2);
    expect(selected.data.repositories.map((repo) => repo.full_name)).toEqual(['acme/api', 'acme/web']);

    const environment = await octokit.request('GET /repos/{owner}/{repo}/environments/{environment_name}/secrets', { owner: 'acme', repo: 'api', environment_name: 'production' });
    expect(environment.data.secrets.map((secret) => secret.name)).toEqual(['DEPLOY_KEY']);
    await expect(
      octokit.request('GET /repos/{owner}/{repo}/environments/{environment_name}/secrets', { owner: 'acme', repo: 'api', environment_name: 'staging' }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('anything else is 404 with a documentation_url', async () => {
    const response = await get('/repos/acme/api/pulls');
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  });
});

describe('GraphQL', () => {
  const REPOS_PAGE = /* GraphQL */ `
    query ($org: String!, $cursor: String) {
      organization(login: $org) {
        repositories(first: 2, after: $cursor, isFork: false, orderBy: { field: NAME, direction: ASC }) {
          totalCount
          pageInfo { hasNextPage endCursor }
          nodes {
            name nameWithOwner isArchived isFork isPrivate isEmpty
            owner { login }
            defaultBranchRef { name target { oid ... on Commit { oid } } }
            workflows: object(expression: "HEAD:.github/workflows") {
              ... on Tree { oid entries { name path type mode oid object { ... on Blob { byteSize isBinary } } } }
            }
            ci: object(expression: "main:.github/workflows/ci.yml") { ... on Blob { oid text } }
          }
        }
      }
      rateLimit { limit cost remaining used resetAt }
    }`;

  interface ReposPage {
    organization: {
      repositories: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: {
          name: string;
          isArchived: boolean;
          defaultBranchRef: { name: string; target: { oid: string } } | null;
          workflows: { oid: string; entries: { name: string; path: string; type: string; mode: number; oid: string; object: { byteSize: number; isBinary: boolean } }[] } | null;
          ci: { oid: string; text: string } | null;
        }[];
      };
    };
    rateLimit: { cost: number; remaining: number };
  }

  it('answers a valid query: repositories paged by cursor, tree entries, a blob text by alias', async () => {
    fake.resetCounts();
    const first = await octokit.graphql<ReposPage>(REPOS_PAGE, { org: 'acme' });
    const page = first.organization.repositories;
    expect(page.totalCount).toBe(3);
    expect(page.nodes.map((repo) => repo.name)).toEqual(['api', 'empty']);
    expect(page.pageInfo.hasNextPage).toBe(true);
    const [api, empty] = page.nodes;
    expect(api?.ci).toEqual({ oid: gitBlobOid(CI), text: CI });
    expect(api?.workflows?.entries.map((entry) => [entry.path, entry.type, entry.mode])).toEqual([
      ['.github/workflows/ci.yml', 'blob', 0o100644],
      ['.github/workflows/logo.png', 'blob', 0o100644],
      ['.github/workflows/release.yaml', 'blob', 0o100644],
      ['.github/workflows/shared', 'tree', 0o40000],
    ]);
    expect(api?.workflows?.entries[1]?.object).toEqual({ byteSize: PNG.length, isBinary: true });
    expect(empty).toMatchObject({ defaultBranchRef: null, workflows: null, ci: null });
    expect(first.rateLimit.cost).toBe(1);

    const second = await octokit.graphql<ReposPage>(REPOS_PAGE, { org: 'acme', cursor: page.pageInfo.endCursor });
    expect(second.organization.repositories.nodes.map((repo) => [repo.name, repo.isArchived, repo.defaultBranchRef?.name])).toEqual([['old', true, 'master']]);
    expect(second.organization.repositories.pageInfo.hasNextPage).toBe(false);
    expect(second.rateLimit.remaining).toBe(first.rateLimit.remaining - 1);
    expect(fake.counts()).toMatchObject({ total: 2, graphql: 2, byPath: { '/graphql': 2 } });
  });

  it('looks up blobs by id in a batch of aliased repository lookups', async () => {
    const result = await octokit.graphql<Record<string, { object: { oid: string; text: string | null } | null }>>(`{
      b0: repository(owner: "acme", name: "api") { object(oid: "${gitBlobOid(CI)}") { ... on Blob { oid text } } }
      b1: repository(owner: "acme", name: "api") { object(oid: "${gitBlobOid(PNG)}") { ... on Blob { oid text } } }
      b2: repository(owner: "acme", name: "web") { object(oid: "${gitBlobOid(CI)}") { ... on Blob { oid text } } }
    }`);
    expect(result).toEqual({ b0: { object: { oid: gitBlobOid(CI), text: CI } }, b1: { object: { oid: gitBlobOid(PNG), text: null } }, b2: { object: null } });
  });

  it('answers repositoryOwner through its interface, and user for a user', async () => {
    const result = await octokit.graphql<{ a: { __typename: string; login: string }; b: { __typename: string }; c: null; viewer: { login: string } }>(`{
      a: repositoryOwner(login: "acme") { __typename login }
      b: repositoryOwner(login: "alice") { __typename ... on User { repositories(first: 10) { totalCount } } }
      c: repositoryOwner(login: "nobody") { login }
      viewer { login }
    }`);
    expect(result).toMatchObject({ a: { __typename: 'Organization', login: 'acme' }, b: { __typename: 'User', repositories: { totalCount: 1 } }, c: null });
  });

  it('rejects an invalid query (a misspelt field) with errors and HTTP 200, as github.com does', async () => {
    fake.resetCounts();
    await expect(octokit.graphql('{ repository(owner: "acme", name: "api") { nmae } }')).rejects.toMatchObject({
      errors: [{ message: expect.stringContaining('nmae') }],
    });
    await expect(octokit.graphql('{ repository(owner: "acme"')).rejects.toMatchObject({ errors: [{ message: expect.stringContaining('Syntax Error') }] });
    expect(fake.requests).toEqual([
      { method: 'POST', path: '/graphql', kind: 'graphql', status: 200 },
      { method: 'POST', path: '/graphql', kind: 'graphql', status: 200 },
    ]);
  });

  it('answers GitHub-style errors: NOT_FOUND with partial data, more than 100 a page, no page size', async () => {
    await expect(octokit.graphql('{ repository(owner: "acme", name: "gone") { name } viewer { login } }')).rejects.toMatchObject({
      errors: [{ type: 'NOT_FOUND', path: ['repository'], message: "Could not resolve to a Repository with the name 'acme/gone'." }],
      data: { repository: null, viewer: { login: 'fake-viewer' } },
    });
    await expect(octokit.graphql('{ organization(login: "big") { repositories(first: 101) { totalCount } } }')).rejects.toMatchObject({
      errors: [{ message: expect.stringContaining('exceeds the `first` limit of 100 records') }],
    });
    await expect(octokit.graphql('{ organization(login: "big") { repositories { totalCount } } }')).rejects.toMatchObject({
      errors: [{ message: expect.stringContaining('You must provide a `first` or `last` value') }],
    });
  });

  it('graphql: false answers 404 on /graphql', async () => {
    const rest = await startFakeGitHub({ orgs: [acme], graphql: false });
    try {
      await expect(client(rest.url).graphql('{ viewer { login } }')).rejects.toMatchObject({ status: 404 });
      expect(rest.requests).toEqual([{ method: 'POST', path: '/graphql', kind: 'rest', status: 404 }]);
    } finally {
      await rest.stop();
    }
  });
});

describe('authentication, headers, latency', () => {
  it('answers 401 without the token and records the credentials seen', async () => {
    const anonymous = client(fake.url);
    await expect(anonymous.rest.repos.get({ owner: 'acme', repo: 'api' })).rejects.toMatchObject({ status: 401, response: { data: { message: 'Bad credentials' } } });
    await expect(client(fake.url, 'wrong').graphql('{ viewer { login } }')).rejects.toMatchObject({ status: 401 });
    const bearer = await get('/repos/acme/api', { authorization: `Bearer ${TOKEN}` });
    expect(bearer.status).toBe(200);
    expect(fake.tokensSeen).toContain(TOKEN);
    expect(fake.tokensSeen).toContain('wrong');
  });

  it('sends GitHub rate-limit headers on every response', async () => {
    const response = await get('/repos/acme/api');
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-ratelimit-limit')).toBe('5000');
    expect(response.headers.get('x-ratelimit-remaining')).toBe('4999');
    expect(Number(response.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 + 3000);
    expect(response.headers.get('x-ratelimit-resource')).toBe('core');
    expect(response.headers.get('x-github-request-id')).toBeTruthy();
    const graphql = await fetch(`${fake.url}/graphql`, { method: 'POST', headers: { authorization: `bearer ${TOKEN}` }, body: JSON.stringify({ query: '{ viewer { login } }' }) });
    expect(graphql.headers.get('x-ratelimit-resource')).toBe('graphql');
    expect(await graphql.json()).toEqual({ data: { viewer: { login: 'fake-viewer' } } });
  });

  it('delays every response by latencyMs', async () => {
    const slow = await startFakeGitHub({ orgs: [acme], latencyMs: 150 });
    try {
      const started = Date.now();
      await client(slow.url).rest.repos.get({ owner: 'acme', repo: 'api' });
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    } finally {
      await slow.stop();
    }
  });
});

describe('faults', () => {
  const onApi = (request: { path: string }) => request.path === '/repos/acme/api';

  it('primary-rate-limit: 403, remaining 0, reset in a second', async () => {
    fake.addFault({ match: onApi, kind: 'primary-rate-limit', times: 1 });
    const response = await get('/repos/acme/api');
    expect(response.status).toBe(403);
    expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(response.headers.get('x-ratelimit-reset'))).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 1);
    expect(((await response.json()) as { message: string }).message).toMatch(/^API rate limit exceeded for /);
    expect((await get('/repos/acme/api')).status).toBe(200); // times: 1
  });

  it.each([
    ['secondary-rate-limit-403', 403],
    ['secondary-rate-limit-429', 429],
  ] as const)('%s: %i with retry-after', async (kind, status) => {
    fake.addFault({ match: onApi, kind });
    const response = await get('/repos/acme/api');
    expect(response.status).toBe(status);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(((await response.json()) as { message: string }).message).toMatch(/secondary rate limit/);
  });

  it('server-error: 502 with an HTML page; not-found: 404; forbidden: 403 with normal rate-limit headers', async () => {
    fake.addFault({ match: onApi, kind: 'server-error', times: 1 });
    fake.addFault({ match: onApi, kind: 'not-found', times: 1 });
    fake.addFault({ match: onApi, kind: 'forbidden', times: 1 });
    const server = await get('/repos/acme/api');
    expect([server.status, server.headers.get('content-type')]).toEqual([502, 'text/html; charset=utf-8']);
    expect(await server.text()).toContain('Unicorn');
    expect((await get('/repos/acme/api')).status).toBe(404);
    const forbidden = await get('/repos/acme/api');
    expect([forbidden.status, forbidden.headers.get('x-ratelimit-remaining')]).toEqual([403, '4999']);
    expect(await forbidden.json()).toMatchObject({ message: 'Resource not accessible by integration' });
    expect((await get('/repos/acme/api')).status).toBe(200);
  });

  it('malformed-body: 200, application/json, a truncated body', async () => {
    fake.addFault({ match: (request) => request.graphql?.includes('viewer') === true, kind: 'malformed-body', times: 1 });
    const response = await fetch(`${fake.url}/graphql`, { method: 'POST', headers: { authorization: `token ${TOKEN}` }, body: JSON.stringify({ query: '{ viewer { login } }' }) });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    await expect(response.json()).rejects.toThrow(SyntaxError);
  });

  it('timeout: never answers, is recorded with status 0, and stop() still closes', async () => {
    const hanging = await startFakeGitHub({ orgs: [acme] });
    hanging.addFault({ match: () => true, kind: 'timeout' });
    await expect(fetch(`${hanging.url}/repos/acme/api`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    expect(hanging.requests).toEqual([{ method: 'GET', path: '/repos/acme/api', kind: 'rest', status: 0 }]);
    void fetch(`${hanging.url}/repos/acme/api`).catch(() => {}); // still open when stop() runs
    await new Promise((resolve) => setTimeout(resolve, 50));
    await hanging.stop();
  });

  const graphqlPost = (query: string) =>
    fetch(`${fake.url}/graphql`, { method: 'POST', headers: { authorization: `bearer ${TOKEN}` }, body: JSON.stringify({ query }) });

  it('unauthenticated: 401 as github.com answers an anonymous GraphQL request', async () => {
    fake.addFault({ match: (request) => request.path === '/graphql', kind: 'unauthenticated', times: 1 });
    const answer = await graphqlPost('{ viewer { login } }');
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ message: 'This endpoint requires you to be authenticated.' });
  });

  it('non-json: 200 with an HTML sign-in page; graphql-errors: 200 with errors and no data', async () => {
    fake.addFault({ match: onApi, kind: 'non-json', times: 1 });
    const page = await get('/repos/acme/api');
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(await page.text()).toMatch(/^<!DOCTYPE html>.*sign in/s);
    fake.addFault({ match: (request) => request.path === '/graphql', kind: 'graphql-errors', times: 1 });
    const answer = await graphqlPost('{ viewer { login } }');
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ data: null, errors: [{ type: 'INSUFFICIENT_SCOPES', message: expect.stringContaining("requires one of the following scopes: ['read:org']") }] });
  });

  it('echo-token: the credential received, quoted at each offset in turn, in a REST 422 or GraphQL errors', async () => {
    fake.addFault({ match: (request) => request.path === '/repos/acme/api' || request.path === '/graphql', kind: 'echo-token', offsets: [0, 190], times: 3 });
    const first = (await (await get('/repos/acme/api')).json()) as { message: string };
    expect(first.message.indexOf(TOKEN)).toBe(0);
    const second = await get('/repos/acme/api');
    expect(second.status).toBe(422);
    const message = ((await second.json()) as { message: string }).message;
    expect(message.indexOf(TOKEN)).toBe(190);
    expect(message.length).toBeGreaterThan(400);
    const graphql = (await (await graphqlPost('{ viewer { login } }')).json()) as { errors: { message: string }[] };
    expect(graphql.errors[0]?.message.indexOf(TOKEN)).toBe(0);
  });

  it('repeat-cursor and endless-pages: every GraphQL page claims a next one, at the same or a new cursor', async () => {
    const page = async () =>
      ((await (await graphqlPost('{ organization(login: "acme") { repositories(first: 100) { totalCount pageInfo { hasNextPage endCursor } } } }')).json()) as {
        data: { organization: { repositories: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string } } } };
      }).data.organization.repositories;
    fake.addFault({ match: (request) => request.path === '/graphql', kind: 'repeat-cursor', times: 2 });
    const [a, b] = [await page(), await page()];
    expect(a).toMatchObject({ totalCount: 4, pageInfo: { hasNextPage: true } });
    expect(b.pageInfo).toEqual(a.pageInfo);
    fake.clearFaults();
    fake.addFault({ match: (request) => request.path === '/graphql', kind: 'endless-pages', times: 2 });
    const [c, d] = [await page(), await page()];
    expect([c.pageInfo.hasNextPage, d.pageInfo.hasNextPage]).toEqual([true, true]);
    expect(c.pageInfo.endCursor).not.toBe(d.pageInfo.endCursor);
    expect((await page()).pageInfo.hasNextPage).toBe(false);
  });

  it('repeat-cursor and endless-pages: every REST page links a next one, the same URL or the next page number', async () => {
    fake.addFault({ match: (request) => request.path === '/orgs/big/repos', kind: 'repeat-cursor', times: 1 });
    const repeated = await get('/orgs/big/repos?per_page=100&page=2');
    expect(repeated.headers.get('link')).toMatch(new RegExp(`^<${fake.url}/orgs/big/repos\\?per_page=100&page=2>; rel="next", .*rel="last"`));
    fake.addFault({ match: (request) => request.path === '/orgs/big/repos', kind: 'endless-pages', times: 1 });
    const endless = await get('/orgs/big/repos?per_page=100&page=7');
    expect(await endless.json()).toEqual([]);
    expect(endless.headers.get('link')).toMatch(/page=8>; rel="next"/);
  });

  it('corrupt-blob: contents no longer match their blob id, in GraphQL text and REST base64', async () => {
    fake.addFault({ match: () => true, kind: 'corrupt-blob' });
    const { repository } = await octokit.graphql<{ repository: { object: { oid: string; text: string } } }>(
      `{ repository(owner: "acme", name: "api") { object(oid: "${gitBlobOid(CI)}") { ... on Blob { oid text } } } }`,
    );
    expect(repository.object.oid).toBe(gitBlobOid(CI));
    expect(repository.object.text).not.toBe(CI);
    expect(repository.object.text.startsWith(CI)).toBe(true);
    const blob = await octokit.rest.git.getBlob({ owner: 'acme', repo: 'api', file_sha: gitBlobOid(CI) });
    expect(blob.data.sha).toBe(gitBlobOid(CI));
    expect(gitBlobOid(decode(blob.data.content))).not.toBe(gitBlobOid(CI));
  });

  it('the real Octokit sees the status of each fault', async () => {
    fake.addFault({ match: onApi, kind: 'primary-rate-limit', times: 1 });
    await expect(octokit.rest.repos.get({ owner: 'acme', repo: 'api' })).rejects.toMatchObject({ status: 403, response: { headers: { 'x-ratelimit-remaining': '0' } } });
    fake.addFault({ match: onApi, kind: 'server-error', times: 1 });
    await expect(octokit.rest.repos.get({ owner: 'acme', repo: 'api' })).rejects.toMatchObject({ status: 502 });
    expect((await octokit.rest.repos.get({ owner: 'acme', repo: 'api' })).status).toBe(200);
  });
});

describe('setFile', () => {
  it('changes, adds and deletes files: the blob and tree ids follow', async () => {
    const own = await startFakeGitHub({ orgs: [acme] });
    try {
      const ownClient = client(own.url);
      const ciOid = async () =>
        (await ownClient.graphql<{ repository: { object: { oid: string } | null } }>('{ repository(owner: "acme", name: "web") { object(expression: "HEAD:.github/workflows/ci.yml") { oid } } }'))
          .repository.object?.oid;
      const before = await ciOid();
      expect(before).toBe(gitBlobOid('name: web\n'));
      own.setFile('acme', 'web', '.github/workflows/ci.yml', 'name: web v2\n');
      expect(await ciOid()).toBe(gitBlobOid('name: web v2\n'));

      own.setFile('acme', 'web', '.github/workflows/new.yml', 'name: new\n');
      const tree = await ownClient.rest.git.getTree({ owner: 'acme', repo: 'web', tree_sha: 'main:.github/workflows' });
      expect(tree.data.tree.map((entry) => entry.path)).toEqual(['ci.yml', 'new.yml']);

      own.setFile('acme', 'web', '.github/workflows/ci.yml', undefined);
      expect(await ciOid()).toBeUndefined();
      await expect(ownClient.rest.git.getBlob({ owner: 'acme', repo: 'web', file_sha: before ?? '' })).rejects.toMatchObject({ status: 404 });
      expect(() => own.setFile('acme', 'nope', 'x', 'y')).toThrow(/no repository acme\/nope/);
    } finally {
      await own.stop();
    }
  });
});
