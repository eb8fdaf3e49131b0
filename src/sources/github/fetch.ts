/**
 * Reads the default-branch workflows of GitHub repositories in few round trips. One GraphQL query lists up to
 * 100 repositories with their default branch and the blob ids of `.github/workflows/*`, without contents;
 * contents come only for blob ids the cache lacks, many per query (aliases). Where GraphQL is unavailable
 * (an Enterprise Server without it, a proxy), the REST API does the same with more requests.
 *
 * Nothing is trusted that can be checked: a listing whose pages do not end is a fault, and every file's content
 * must hash to its blob id (git's sha1 of "blob <size>\0" + bytes), from the cache or from the API. GraphQL serves
 * a blob as UTF-8 text, which cannot hash to its id when the file is not UTF-8 (or was cut short); such a blob is
 * fetched again as bytes through REST, and only bytes that match are linted.
 */
import picomatch from 'picomatch';
import { gitBlobOid, type BlobCache } from './blob-cache.js';
import type { GitHubClient } from './client.js';
import { API_ADVICE, isGraphqlErrors, NotOnGitHub, PaginationFault, UnexpectedAnswer, type Explanation, type GraphqlError } from './faults.js';
import { paginateSafely } from './paginate.js';

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
  /** Why the scan is incomplete: each line names the target, repository or file that could not be read, and why. */
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
const PAGE_SIZE = 100;

const REPOSITORY_FIELDS = `
  nameWithOwner isArchived isFork isPrivate
  workflows: object(expression: "HEAD:.github/workflows") {
    ... on Tree { entries { name type oid object { ... on Blob { byteSize isBinary } } } }
  }`;

const OWNER_QUERY = `query($login: String!, $after: String) {
  repositoryOwner(login: $login) {
    login
    repositories(first: ${PAGE_SIZE}, after: $after, orderBy: { field: NAME, direction: ASC }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ${REPOSITORY_FIELDS} }
    }
  }
}`;

const REPOSITORY_QUERY = `query($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) { ${REPOSITORY_FIELDS} }
}`;

const CORRUPT_ADVICE = 'check the proxies and caches on the way to --github-api-url, then run again';

/** A failure with the query or page it happened on, for the message. */
class During extends Error {
  constructor(
    readonly inner: unknown,
    readonly context: string,
  ) {
    super(context);
  }
}

/** Where the fetch stands: verified contents, and why each blob or repository that failed did. */
interface FetchState {
  /** Blob id → its text, from bytes that hash to the id. */
  contents: Map<string, string>;
  /** Blob id → the verified bytes fetched this run, for the cache. */
  fetched: Map<string, Buffer>;
  /** Blob id → why it could not be read; `corrupt` when what was served does not hash to its id. */
  blobFailures: Map<string, Explanation & { corrupt?: boolean }>;
  /** Repository → the line that says why its workflow folder could not be listed. */
  failedRepositories: Map<string, string>;
}

interface BlobRequest {
  repository: ListedRepository;
  oid: string;
}

export async function scanGitHub(options: GitHubScanOptions): Promise<GitHubScan> {
  const { client } = options;
  const scan: GitHubScan = { repositories: [], privacy: new Map(), errors: [], filesFetched: 0, filesFromCache: 0 };
  const state: FetchState = { contents: new Map(), fetched: new Map(), blobFailures: new Map(), failedRepositories: new Map() };
  const wanted: ListedRepository[] = [];
  const wantedNames = new Set<string>();
  const requested = new Set<string>();
  const fetching: Promise<void>[] = [];
  let useRest = false;

  // Each page of the listing starts the fetch of its uncached blobs at once, so contents arrive while later
  // pages are still being listed.
  const onPage = (page: ListedRepository[]) => {
    const missing: BlobRequest[] = [];
    for (const repository of page) {
      scan.privacy.set(repository.name.toLowerCase(), repository.private);
      if (wantedNames.has(repository.name.toLowerCase()) || !selected(repository, options)) continue;
      wantedNames.add(repository.name.toLowerCase());
      wanted.push(repository);
      for (const entry of repository.entries) {
        if (entry.binary || requested.has(entry.oid) || state.contents.has(entry.oid)) continue;
        const cached = options.cache.get(entry.oid); // a damaged entry does not hash to its id: a miss
        if (cached !== undefined) {
          state.contents.set(entry.oid, cached);
          scan.filesFromCache++;
        } else {
          requested.add(entry.oid);
          missing.push({ repository, oid: entry.oid });
        }
      }
    }
    if (missing.length > 0) fetching.push((useRest ? fetchBlobsWithRest : fetchBlobsWithGraphql)(options, missing, state));
    options.progress?.(wanted.length, 0);
  };

  const listingFailure = (target: string, error: unknown) => {
    const action = target.includes('/') ? 'read it' : 'list its repositories';
    return error instanceof During ? client.failure(target, action, error.inner, error.context) : client.failure(target, action, error);
  };
  for (const target of options.targets) {
    try {
      await (useRest ? listWithRest(options, target, onPage, state) : listWithGraphql(options, target, onPage));
    } catch (error) {
      if (!useRest && graphqlUnavailable(error instanceof During ? error.inner : error, client.faultContext.token !== undefined)) {
        useRest = true;
        try {
          await listWithRest(options, target, onPage, state);
        } catch (restError) {
          scan.errors.push(listingFailure(target, restError));
        }
        continue;
      }
      scan.errors.push(listingFailure(target, error));
    }
  }
  await Promise.all(fetching);
  for (const [oid, bytes] of state.fetched) {
    scan.filesFetched++;
    options.cache.put(oid, bytes);
  }

  let done = 0;
  for (const repository of wanted.sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1))) {
    const problems = problemsOf(repository, state, client);
    if (problems.length > 0) {
      scan.errors.push(...problems);
      continue;
    }
    const files: RemoteFile[] = repository.entries.map((entry) => {
      const file: RemoteFile = { path: entry.path, text: entry.binary ? '\u0000' : (state.contents.get(entry.oid) as string) };
      if (entry.byteSize !== undefined) file.byteSize = entry.byteSize;
      return file;
    });
    scan.repositories.push({ name: repository.name, private: repository.private, files });
    options.progress?.(++done, wanted.length);
  }
  return scan;
}

/**
 * Why a repository cannot be linted, one line each: its workflow folder could not be listed, some content could
 * not be fetched, or a file's content does not match its blob id. A repository with a problem is left out whole:
 * linting it without a file would report that file's listeners missing.
 */
function problemsOf(repository: ListedRepository, state: FetchState, client: GitHubClient): string[] {
  const listing = state.failedRepositories.get(repository.name);
  if (listing) return [listing];
  const problems: string[] = [];
  let unread: Explanation | undefined;
  for (const entry of repository.entries) {
    if (entry.binary) continue;
    const failure = state.blobFailures.get(entry.oid);
    if (failure?.corrupt) problems.push(client.mask(`${repository.name}: could not read ${entry.path} (${failure.reason}); ${failure.advice}`));
    else if (failure) unread ??= failure;
    else if (!state.contents.has(entry.oid)) unread ??= { reason: `the API never served blob ${entry.oid}`, advice: 'try again; if it persists, please report it' };
  }
  if (unread) problems.unshift(client.mask(`${repository.name}: could not read its workflows (${unread.reason}); ${unread.advice}`));
  return problems;
}

/** Keeps `bytes` as the content of `oid` if they hash to it; otherwise the blob is corrupt. */
function accept(state: FetchState, oid: string, bytes: Buffer): boolean {
  if (gitBlobOid(bytes) !== oid) return false;
  state.contents.set(oid, bytes.toString('utf8'));
  state.fetched.set(oid, bytes);
  return true;
}

function markCorrupt(state: FetchState, oid: string): void {
  state.blobFailures.set(oid, {
    reason: `the content served for it does not match its blob id ${oid.slice(0, 12)}: something between dispatch-lint and the API changed it`,
    advice: CORRUPT_ADVICE,
    corrupt: true,
  });
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
  const { octokit } = options.client;
  const [owner, name] = target.split('/');
  if (name !== undefined) {
    const context = 'the repository query';
    let data: { repository?: GraphqlRepository | null } | undefined;
    try {
      data = await octokit.graphql<{ repository: GraphqlRepository | null }>(REPOSITORY_QUERY, { owner, name });
    } catch (error) {
      throw new During(error, context);
    }
    if (!data || typeof data !== 'object' || !('repository' in data)) throw new UnexpectedAnswer(`POST /graphql, ${context}, answered JSON without the repository`);
    if (!data.repository) throw new NotOnGitHub(`no repository ${target} (or the token cannot see it)`);
    onPage([fromGraphql(data.repository)]);
    return;
  }
  type Connection = { totalCount?: number; pageInfo?: { hasNextPage?: boolean; endCursor?: string | null }; nodes?: GraphqlRepository[] };
  const cursors = new Set<string>();
  let after: string | null = null;
  for (let pageNumber = 1; ; pageNumber++) {
    const context = `page ${pageNumber} of the repository listing`;
    const where = `POST /graphql, ${context}`;
    let data: { repositoryOwner?: { repositories?: Connection } | null } | undefined;
    try {
      data = await octokit.graphql<{ repositoryOwner: { repositories: Connection } | null }>(OWNER_QUERY, { login: owner, after });
    } catch (error) {
      throw new During(error, context);
    }
    if (!data || typeof data !== 'object' || !('repositoryOwner' in data)) throw new UnexpectedAnswer(`${where}, answered JSON without the repository owner`);
    if (!data.repositoryOwner) throw new NotOnGitHub(`no GitHub user or organisation named ${owner}`);
    const page = data.repositoryOwner.repositories;
    if (!page || !Array.isArray(page.nodes) || !page.pageInfo) throw new UnexpectedAnswer(`${where}, answered JSON without the repositories`);
    onPage(page.nodes.map(fromGraphql));
    if (!page.pageInfo.hasNextPage) return;
    after = nextCursor(page, pageNumber, cursors, where);
  }
}

/** The cursor of the next page, unless the listing would never end: no cursor, one seen before, or too many pages. */
function nextCursor(
  page: { totalCount?: number; pageInfo?: { endCursor?: string | null } },
  pageNumber: number,
  seen: Set<string>,
  where: string,
): string {
  const cursor = page.pageInfo?.endCursor;
  if (!cursor) throw new PaginationFault(`${where}: the API claims another page but gives no cursor for it`);
  if (seen.has(cursor)) throw new PaginationFault(`${where}: the API gave the same page cursor ${JSON.stringify(cursor.slice(0, 40))} twice`);
  const total = typeof page.totalCount === 'number' ? page.totalCount : undefined;
  if (total !== undefined && pageNumber >= Math.ceil(total / PAGE_SIZE)) {
    const pages = Math.ceil(total / PAGE_SIZE);
    throw new PaginationFault(`${where}: the API claims another page, but the ${total} repositories it counts fit in ${pages} ${pages === 1 ? 'page' : 'pages'}`);
  }
  seen.add(cursor);
  return cursor;
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

async function fetchBlobsWithGraphql(options: GitHubScanOptions, missing: BlobRequest[], state: FetchState): Promise<void> {
  const { client } = options;
  const context = 'workflow file contents';
  const batches: BlobRequest[][] = [];
  for (let start = 0; start < missing.length; start += BLOBS_PER_QUERY) batches.push(missing.slice(start, start + BLOBS_PER_QUERY));
  await Promise.all(
    batches.map(async (batch) => {
      const byRepository = new Map<string, BlobRequest[]>();
      for (const request of batch) byRepository.set(request.repository.name, [...(byRepository.get(request.repository.name) ?? []), request]);
      const repositories = [...byRepository.values()];
      const query = `query {\n${repositories
        .map((requests, r) => {
          const [owner, repo] = (requests[0] as BlobRequest).repository.name.split('/');
          const objects = requests.map(({ oid }, f) => `f${f}: object(oid: ${JSON.stringify(oid)}) { ... on Blob { text } }`).join(' ');
          return `  r${r}: repository(owner: ${JSON.stringify(owner)}, name: ${JSON.stringify(repo)}) { ${objects} }`;
        })
        .join('\n')}\n}`;
      type Blobs = Record<string, Record<string, { text?: string | null } | null> | null>;
      let data: Blobs | undefined;
      let errors: GraphqlError[] = [];
      try {
        data = await client.octokit.graphql<Blobs>(query);
      } catch (error) {
        // GitHub answers what it could beside the errors (a repository renamed or gone): use that part.
        if (!isGraphqlErrors(error) || !error.data || typeof error.data !== 'object') {
          const failure = client.explain(error, context);
          for (const { oid } of batch) state.blobFailures.set(oid, failure);
          return;
        }
        data = error.data as Blobs;
        errors = error.errors;
      }
      if (!data || typeof data !== 'object') {
        const failure = { reason: `POST /graphql, ${context}, answered JSON without the contents`, advice: API_ADVICE };
        for (const { oid } of batch) state.blobFailures.set(oid, failure);
        return;
      }
      // Not served as text that hashes to its id (not UTF-8, cut short, or changed): ask REST for the bytes.
      const again: BlobRequest[] = [];
      repositories.forEach((requests, r) => {
        const alias = `r${r}`;
        const failed = errors.filter((error) => error.path === undefined || error.path[0] === alias);
        requests.forEach((request, f) => {
          const text = data[alias]?.[`f${f}`]?.text;
          if (typeof text === 'string' && accept(state, request.oid, Buffer.from(text, 'utf8'))) return;
          if (typeof text !== 'string' && failed.length > 0) state.blobFailures.set(request.oid, client.explain(new GraphqlErrors(failed), context));
          else again.push(request);
        });
      });
      if (again.length > 0) await fetchBlobsWithRest(options, again, state);
    }),
  );
}

/** GraphQL errors of one part of an answer, shaped as @octokit/graphql's error so that explain() words them. */
class GraphqlErrors extends Error {
  override readonly name = 'GraphqlResponseError';
  constructor(readonly errors: GraphqlError[]) {
    super('GraphQL errors');
  }
}

// ---------------------------------------------------------------- REST

interface RestRepository {
  full_name: string;
  private: boolean;
  archived: boolean;
  fork: boolean;
  default_branch: string;
}

async function listWithRest(options: GitHubScanOptions, target: string, onPage: PageHandler, state: FetchState): Promise<void> {
  const { octokit } = options.client;
  const [owner, name] = target.split('/');
  let repositories: unknown;
  if (name !== undefined) {
    repositories = [(await octokit.request('GET /repos/{owner}/{repo}', { owner: owner as string, repo: name })).data];
  } else {
    try {
      repositories = await paginateSafely<RestRepository>(octokit, 'GET /orgs/{org}/repos', { org: owner as string, per_page: 100, type: 'all' });
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
      repositories = await paginateSafely<RestRepository>(octokit, 'GET /users/{username}/repos', { username: owner as string, per_page: 100, type: 'owner' });
    }
  }
  if (!Array.isArray(repositories) || !repositories.every((repository) => typeof (repository as RestRepository)?.full_name === 'string')) {
    throw new UnexpectedAnswer(`the REST repository listing of ${target} answered JSON that is not a list of repositories`);
  }
  const candidates = (repositories as RestRepository[]).map((repository) => ({
    repository,
    listed: { name: repository.full_name, private: repository.private, archived: repository.archived, fork: repository.fork, entries: [] } as ListedRepository,
  }));
  await Promise.all(
    candidates
      .filter(({ listed }) => selected(listed, options))
      .map(async ({ repository, listed }) => {
        const [repoOwner, repoName] = repository.full_name.split('/');
        try {
          const response = await octokit.request('GET /repos/{owner}/{repo}/contents/{path}', { owner: repoOwner as string, repo: repoName as string, path: '.github/workflows', ref: repository.default_branch });
          const items = response.data as unknown;
          if (!Array.isArray(items)) throw new UnexpectedAnswer(`GET /repos/${repository.full_name}/contents/.github/workflows answered JSON that is not a folder listing`);
          listed.entries = (items as { name: string; type: string; sha: string; size: number }[])
            .filter((item) => item.type === 'file' && WORKFLOW_FILE.test(item.name))
            .map((item) => ({ path: `.github/workflows/${item.name}`, oid: item.sha, binary: false, byteSize: item.size }))
            .sort((a, b) => (a.path < b.path ? -1 : 1));
        } catch (error) {
          // 404: no workflow folder. Anything else: this repository is unread, the others go on.
          if ((error as { status?: number }).status !== 404) state.failedRepositories.set(repository.full_name, options.client.failure(repository.full_name, 'read its workflows', error));
        }
      }),
  );
  onPage(candidates.map(({ listed }) => listed));
}

async function fetchBlobsWithRest(options: GitHubScanOptions, missing: BlobRequest[], state: FetchState): Promise<void> {
  const { client } = options;
  await Promise.all(
    missing.map(async ({ repository, oid }) => {
      const [owner, repo] = repository.name.split('/');
      try {
        const response = await client.octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', { owner: owner as string, repo: repo as string, file_sha: oid });
        const blob = response.data as { content?: unknown; encoding?: unknown };
        if (typeof blob.content !== 'string') throw new UnexpectedAnswer(`GET /repos/${repository.name}/git/blobs/${oid} answered JSON without the blob's content`);
        const bytes = blob.encoding === 'base64' ? Buffer.from(blob.content, 'base64') : Buffer.from(blob.content, 'utf8');
        if (!accept(state, oid, bytes)) markCorrupt(state, oid);
      } catch (error) {
        state.blobFailures.set(oid, client.explain(error));
      }
    }),
  );
}

// ---------------------------------------------------------------- faults

/**
 * GraphQL is missing (404 on /graphql) or refused as a feature, not because of the query; or, without a token,
 * refused outright: github.com's GraphQL API needs a token (401), while REST serves public repositories to anyone.
 */
function graphqlUnavailable(error: unknown, withToken: boolean): boolean {
  const status = (error as { status?: number }).status;
  return status === 404 || status === 410 || status === 501 || (!withToken && status === 401);
}
