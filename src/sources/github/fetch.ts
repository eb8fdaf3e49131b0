/**
 * Reads the default-branch workflows of GitHub repositories in few round trips. One GraphQL query lists up to
 * 100 repositories with their default branch and the blob ids of `.github/workflows/*`, without contents;
 * contents come only for blob ids the cache lacks, many per query (aliases). Where GraphQL is unavailable
 * (an Enterprise Server without it, a proxy), the REST API does the same with more requests.
 */
import picomatch from 'picomatch';
import type { BlobCache } from './blob-cache.js';
import type { GitHubClient } from './client.js';

export interface RemoteFile {
  path: string;
  text: string;
  /** Bytes, when the API says (a blob too large for its text to be served). */
  byteSize?: number;
}

export interface RemoteRepository {
  name: string;
  private: boolean;
  files: RemoteFile[];
}

export interface GitHubScanOptions {
  /** `owner` (every repository of a user or organisation) or `owner/name`. */
  targets: string[];
  client: GitHubClient;
  cache: BlobCache;
  /** picomatch globs over `name` or `owner/name`; empty means every repository. */
  repoGlobs: string[];
  includeArchived: boolean;
  includeForks: boolean;
  /** Repositories not to fetch (a local checkout overrides them, or the config ignores them). */
  skip: (name: string) => boolean;
  /** Told how many repositories are listed so far (total 0: still listing), then fetched of how many. */
  progress?: (done: number, total: number) => void;
}

export interface GitHubScan {
  repositories: RemoteRepository[];
  /** Every listed repository's visibility, fetched or skipped (a local checkout still has the remote's secrets). */
  privacy: Map<string, boolean>;
  /** Why the scan is incomplete: each names the target or repository that could not be read. */
  errors: string[];
  filesFetched: number;
  filesFromCache: number;
}

interface ListedRepository {
  name: string;
  private: boolean;
  archived: boolean;
  fork: boolean;
  /** Workflow files with their blob ids; undefined when the repository could not be listed. */
  entries: { path: string; oid: string; binary: boolean; byteSize?: number }[];
}

const WORKFLOW_FILE = /^[^/]+\.ya?ml$/i;
const BLOBS_PER_QUERY = 400;
const ATTEMPTS = 3;

const REPOSITORY_FIELDS = `
  nameWithOwner isArchived isFork isPrivate
  workflows: object(expression: "HEAD:.github/workflows") {
    ... on Tree { entries { name type oid object { ... on Blob { byteSize isBinary } } } }
  }`;

const OWNER_QUERY = `query($login: String!, $after: String) {
  repositoryOwner(login: $login) {
    login
    repositories(first: 100, after: $after, orderBy: { field: NAME, direction: ASC }) {
      pageInfo { hasNextPage endCursor }
      nodes { ${REPOSITORY_FIELDS} }
    }
  }
}`;

const REPOSITORY_QUERY = `query($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) { ${REPOSITORY_FIELDS} }
}`;

/** A response that is not what the API promises (a truncated body, a proxy's page): worth another attempt. */
class MalformedResponse extends Error {}

export async function scanGitHub(options: GitHubScanOptions): Promise<GitHubScan> {
  const scan: GitHubScan = { repositories: [], privacy: new Map(), errors: [], filesFetched: 0, filesFromCache: 0 };
  const wanted: ListedRepository[] = [];
  const wantedNames = new Set<string>();
  const contents = new Map<string, string>();
  const requested = new Set<string>();
  const failedRepositories = new Map<string, string>();
  const fetching: Promise<void>[] = [];
  let useRest = false;

  // Each page of the listing starts the fetch of its uncached blobs at once, so contents arrive while later
  // pages are still being listed.
  const onPage = (page: ListedRepository[]) => {
    const missing: { repository: ListedRepository; oid: string }[] = [];
    for (const repository of page) {
      scan.privacy.set(repository.name.toLowerCase(), repository.private);
      if (wantedNames.has(repository.name.toLowerCase()) || !selected(repository, options)) continue;
      wantedNames.add(repository.name.toLowerCase());
      wanted.push(repository);
      for (const entry of repository.entries) {
        if (entry.binary || requested.has(entry.oid) || contents.has(entry.oid)) continue;
        const cached = options.cache.get(entry.oid);
        if (cached !== undefined) {
          contents.set(entry.oid, cached);
          scan.filesFromCache++;
        } else {
          requested.add(entry.oid);
          missing.push({ repository, oid: entry.oid });
        }
      }
    }
    if (missing.length > 0) fetching.push((useRest ? fetchBlobsWithRest : fetchBlobsWithGraphql)(options, missing, contents, failedRepositories));
    options.progress?.(wanted.length, 0);
  };

  for (const target of options.targets) {
    try {
      await (useRest ? listWithRest(options, target, onPage) : listWithGraphql(options, target, onPage));
    } catch (error) {
      if (!useRest && graphqlUnavailable(error)) {
        useRest = true;
        try {
          await listWithRest(options, target, onPage);
          continue;
        } catch (restError) {
          scan.errors.push(`${target}: could not list its repositories (${options.client.describe(restError)})`);
          continue;
        }
      }
      scan.errors.push(`${target}: could not list its repositories (${options.client.describe(error)})`);
    }
  }
  await Promise.all(fetching);
  for (const oid of requested) {
    const text = contents.get(oid);
    if (text === undefined) continue;
    scan.filesFetched++;
    options.cache.put(oid, text);
  }

  let done = 0;
  for (const repository of wanted.sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1))) {
    const failure = failedRepositories.get(repository.name);
    if (failure) {
      scan.errors.push(`${repository.name}: could not read its workflows (${failure})`);
      continue;
    }
    const files: RemoteFile[] = repository.entries.map((entry) => {
      const file: RemoteFile = { path: entry.path, text: entry.binary ? '\u0000' : (contents.get(entry.oid) ?? '') };
      if (entry.byteSize !== undefined) file.byteSize = entry.byteSize;
      return file;
    });
    scan.repositories.push({ name: repository.name, private: repository.private, files });
    options.progress?.(++done, wanted.length);
  }
  return scan;
}

function selected(repository: ListedRepository, options: GitHubScanOptions): boolean {
  if (options.skip(repository.name)) return false;
  if (repository.archived && !options.includeArchived) return false;
  if (repository.fork && !options.includeForks) return false;
  if (options.repoGlobs.length === 0) return true;
  const short = repository.name.split('/')[1] ?? repository.name;
  return options.repoGlobs.some((glob) => picomatch.isMatch(glob.includes('/') ? repository.name : short, glob, { nocase: true, dot: true }));
}


// ---------------------------------------------------------------- GraphQL

interface GraphqlRepository {
  nameWithOwner: string;
  isArchived: boolean;
  isFork: boolean;
  isPrivate: boolean;
  workflows: { entries?: { name: string; type: string; oid: string; object?: { byteSize?: number; isBinary?: boolean } | null }[] } | null;
}

type PageHandler = (page: ListedRepository[]) => void;

async function listWithGraphql(options: GitHubScanOptions, target: string, onPage: PageHandler): Promise<void> {
  const [owner, name] = target.split('/');
  if (name !== undefined) {
    const data = await attempt(async () => expectKey(await options.client.octokit.graphql<{ repository: GraphqlRepository | null }>(REPOSITORY_QUERY, { owner, name }), 'repository'));
    if (!data.repository) throw new Error(`no repository ${target} (or the token cannot see it)`);
    onPage([fromGraphql(data.repository)]);
    return;
  }
  let after: string | null = null;
  for (;;) {
    type Page = { repositoryOwner: { repositories: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: GraphqlRepository[] } } | null };
    const data: Page = await attempt(async () => {
      const answer = expectKey(await options.client.octokit.graphql<Page>(OWNER_QUERY, { login: owner, after }), 'repositoryOwner');
      if (answer.repositoryOwner && !Array.isArray(answer.repositoryOwner.repositories?.nodes)) throw new MalformedResponse('unexpected GraphQL response');
      return answer;
    });
    if (!data.repositoryOwner) throw new Error(`no GitHub user or organisation named ${owner}`);
    const page = data.repositoryOwner.repositories;
    onPage(page.nodes.map(fromGraphql));
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return;
    after = page.pageInfo.endCursor;
  }
}

function fromGraphql(repository: GraphqlRepository): ListedRepository {
  const entries = (repository.workflows?.entries ?? [])
    .filter((entry) => entry.type === 'blob' && WORKFLOW_FILE.test(entry.name))
    .map((entry) => {
      const listed: ListedRepository['entries'][number] = { path: `.github/workflows/${entry.name}`, oid: entry.oid, binary: entry.object?.isBinary === true };
      if (typeof entry.object?.byteSize === 'number') listed.byteSize = entry.object.byteSize;
      return listed;
    })
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  return { name: repository.nameWithOwner, private: repository.isPrivate, archived: repository.isArchived, fork: repository.isFork, entries };
}

async function fetchBlobsWithGraphql(
  options: GitHubScanOptions,
  missing: { repository: ListedRepository; oid: string }[],
  contents: Map<string, string>,
  failed: Map<string, string>,
): Promise<void> {
  const batches: (typeof missing)[] = [];
  for (let start = 0; start < missing.length; start += BLOBS_PER_QUERY) batches.push(missing.slice(start, start + BLOBS_PER_QUERY));
  await Promise.all(
    batches.map(async (batch) => {
      const byRepository = new Map<string, string[]>();
      for (const { repository, oid } of batch) byRepository.set(repository.name, [...(byRepository.get(repository.name) ?? []), oid]);
      const repositories = [...byRepository.entries()];
      const query = `query {\n${repositories
        .map(([name, oids], r) => {
          const [owner, repo] = name.split('/');
          const objects = oids.map((oid, f) => `f${f}: object(oid: ${JSON.stringify(oid)}) { ... on Blob { text } }`).join(' ');
          return `  r${r}: repository(owner: ${JSON.stringify(owner)}, name: ${JSON.stringify(repo)}) { ${objects} }`;
        })
        .join('\n')}\n}`;
      try {
        type Blobs = Record<string, Record<string, { text: string | null } | null> | null>;
        const data = await attempt(async () => {
          const answer = await options.client.octokit.graphql<Blobs>(query);
          if (!answer || typeof answer !== 'object') throw new MalformedResponse('unexpected GraphQL response');
          return answer;
        });
        repositories.forEach(([name, oids], r) => {
          const objects = data[`r${r}`];
          oids.forEach((oid, f) => {
            const text = objects?.[`f${f}`]?.text;
            if (typeof text === 'string') contents.set(oid, text);
            else failed.set(name, `blob ${oid} was not served`);
          });
        });
      } catch (error) {
        for (const [name] of repositories) failed.set(name, options.client.describe(error));
      }
    }),
  );
}

/** The response, if it is an object holding `key` (a truncated or foreign body is not). */
function expectKey<T extends object>(data: T, key: string): T {
  if (!data || typeof data !== 'object' || !(key in data)) throw new MalformedResponse('unexpected GraphQL response');
  return data;
}

// ---------------------------------------------------------------- REST

interface RestRepository {
  full_name: string;
  private: boolean;
  archived: boolean;
  fork: boolean;
  default_branch: string;
}

async function listWithRest(options: GitHubScanOptions, target: string, onPage: PageHandler): Promise<void> {
  const { octokit } = options.client;
  const [owner, name] = target.split('/');
  let repositories: RestRepository[];
  if (name !== undefined) {
    repositories = [(await attempt(() => octokit.request('GET /repos/{owner}/{repo}', { owner: owner as string, repo: name }))).data as RestRepository];
  } else {
    try {
      repositories = (await attempt(() => octokit.paginate('GET /orgs/{org}/repos', { org: owner as string, per_page: 100, type: 'all' }))) as RestRepository[];
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
      repositories = (await attempt(() => octokit.paginate('GET /users/{username}/repos', { username: owner as string, per_page: 100, type: 'owner' }))) as RestRepository[];
    }
  }
  if (!Array.isArray(repositories)) throw new MalformedResponse('unexpected repository list');
  const candidates = repositories.map((repository) => ({ repository, listed: { name: repository.full_name, private: repository.private, archived: repository.archived, fork: repository.fork, entries: [] } as ListedRepository }));
  await Promise.all(
    candidates
      .filter(({ listed }) => selected(listed, options))
      .map(async ({ repository, listed }) => {
        const [repoOwner, repoName] = repository.full_name.split('/');
        try {
          const response = await attempt(() => octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: repoOwner as string, repo: repoName as string, path: '.github/workflows', ref: repository.default_branch }));
          const items = response.data as unknown;
          if (!Array.isArray(items)) throw new MalformedResponse('unexpected contents listing');
          listed.entries = (items as { name: string; type: string; sha: string; size: number }[])
            .filter((item) => item.type === 'file' && WORKFLOW_FILE.test(item.name))
            .map((item) => ({ path: `.github/workflows/${item.name}`, oid: item.sha, binary: false, byteSize: item.size }))
            .sort((a, b) => (a.path < b.path ? -1 : 1));
        } catch (error) {
          if ((error as { status?: number }).status !== 404) throw new Error(`${repository.full_name}: ${options.client.describe(error)}`);
        }
      }),
  );
  onPage(candidates.map(({ listed }) => listed));
}

async function fetchBlobsWithRest(
  options: GitHubScanOptions,
  missing: { repository: ListedRepository; oid: string }[],
  contents: Map<string, string>,
  failed: Map<string, string>,
): Promise<void> {
  await Promise.all(
    missing.map(async ({ repository, oid }) => {
      const [owner, repo] = repository.name.split('/');
      try {
        const response = await attempt(() => options.client.octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { owner: owner as string, repo: repo as string, file_sha: oid }));
        const blob = response.data as { content?: unknown; encoding?: unknown };
        if (typeof blob.content !== 'string') throw new MalformedResponse('unexpected blob');
        contents.set(oid, blob.encoding === 'base64' ? Buffer.from(blob.content, 'base64').toString('utf8') : blob.content);
      } catch (error) {
        failed.set(repository.name, options.client.describe(error));
      }
    }),
  );
}

// ---------------------------------------------------------------- faults

/**
 * The plugins retry rate limits and 5xx; a malformed body (a truncated response, a proxy's HTML) or a timed-out
 * request that surfaced anyway gets a few attempts here too, before the repository counts as unreadable.
 */
async function attempt<T>(operation: () => Promise<T>): Promise<T> {
  let lastError: unknown;
  for (let round = 1; round <= ATTEMPTS; round++) {
    try {
      return await operation();
    } catch (error) {
      lastError = error;
      if (!worthAnotherAttempt(error)) throw error;
    }
  }
  throw lastError;
}

function worthAnotherAttempt(error: unknown): boolean {
  if (error instanceof MalformedResponse || error instanceof SyntaxError) return true;
  const status = (error as { status?: number }).status;
  return status === undefined || status >= 500;
}

/** GraphQL is missing (404 on /graphql) or refused as a feature, not because of the query. */
function graphqlUnavailable(error: unknown): boolean {
  const status = (error as { status?: number }).status;
  return status === 404 || status === 410 || status === 501;
}
