/**
 * A fake GitHub API for tests: a real HTTP server on 127.0.0.1 that answers a few REST routes and GraphQL over
 * in-memory organisations, so the real Octokit client (with its plugins) runs unchanged against it.
 *
 * GraphQL queries are validated with @octokit/graphql-schema (GitHub's published schema) and executed with
 * graphql-js over the in-memory data, so a query github.com would reject is rejected here, and any valid query
 * over the supported fields gets a real answer. Git ids are real git ids (blob, tree and commit objects hashed
 * as git hashes them), so a blob id from a tree listing matches `git hash-object` of the file.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { schema as githubSchema, validate as validateAgainstGitHub } from '@octokit/graphql-schema';
import { buildClientSchema, execute, GraphQLError, parse, type GraphQLSchema } from 'graphql';

export interface FakeRepo {
  name: string;
  defaultBranch?: string;
  archived?: boolean;
  fork?: boolean;
  private?: boolean;
  /** Path in the repository ('.github/workflows/ci.yml') → content. */
  files: Record<string, string | Buffer>;
  /** Repository Actions secret names (the fake has no values at all). */
  secrets?: string[];
  /** Environment name → its secret names. */
  environments?: Record<string, string[]>;
}

export interface FakeOrg {
  login: string;
  kind?: 'Organization' | 'User';
  repos: FakeRepo[];
  secrets?: { name: string; visibility: 'all' | 'private' | 'selected'; selectedRepos?: string[] }[];
}

export interface Fault {
  match: (request: { method: string; path: string; graphql?: string }) => boolean;
  /**
   * What goes wrong. Answers instead of the genuine one: the rate limits, `server-error` (a 502 HTML page),
   * `timeout` (never answers), `malformed-body` (truncated JSON), `not-found`, `forbidden`, `unauthenticated` (401,
   * what github.com answers an anonymous GraphQL request), `non-json` (200 with a proxy's HTML sign-in page), `graphql-errors` (200 with `errors` and no data), `echo-token` (an error whose
   * message quotes the credential received: REST 422, GraphQL 200 with `errors`).
   * Changes the genuine answer: `repeat-cursor` (every page says there is a next one, at the same cursor or URL),
   * `endless-pages` (every page says there is a next one, always a new cursor or page number), `corrupt-blob`
   * (file contents altered, in GraphQL `text` and REST `content`, so they no longer match their blob id).
   */
  kind:
    | 'primary-rate-limit'
    | 'secondary-rate-limit-403'
    | 'secondary-rate-limit-429'
    | 'server-error'
    | 'timeout'
    | 'malformed-body'
    | 'not-found'
    | 'forbidden'
    | 'unauthenticated'
    | 'non-json'
    | 'graphql-errors'
    | 'echo-token'
    | 'repeat-cursor'
    | 'endless-pages'
    | 'corrupt-blob';
  /** How many matching requests fail before the rest succeed (default: every one). */
  times?: number;
  /** `echo-token`: where the credential starts in the message, for the 1st, 2nd, ... matching request in turn (default [176]). */
  offsets?: number[];
  /** `graphql-errors`: the errors (default: GitHub's INSUFFICIENT_SCOPES answer). */
  errors?: { type?: string; message: string }[];
}

export interface FakeGitHub {
  /** http://127.0.0.1:PORT, for --github-api-url or Octokit's baseUrl. */
  url: string;
  /** Every request received, in order of arrival; `path` is the decoded path without the query string; status 0 = never answered (timeout fault). */
  requests: { method: string; path: string; kind: 'graphql' | 'rest'; status: number }[];
  counts(): { total: number; graphql: number; rest: number; byPath: Record<string, number> };
  resetCounts(): void;
  addFault(fault: Fault): void;
  clearFaults(): void;
  /** Changes, adds, or (content undefined) deletes a file. */
  setFile(owner: string, repo: string, path: string, content: string | Buffer | undefined): void;
  /** Distinct credentials received in Authorization headers (the part after `token `/`Bearer `). */
  tokensSeen: string[];
  stop(): Promise<void>;
}

export interface FakeGitHubOptions {
  orgs: FakeOrg[];
  token?: string;
  latencyMs?: number;
  /** Default true; false answers 404 on /graphql (like a GitHub Enterprise Server without it). */
  graphql?: boolean;
}

/** git's blob id: sha1("blob <len>\0" + content). */
export function gitBlobOid(content: string | Buffer): string {
  return gitObjectOid('blob', typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
}

function gitObjectOid(type: 'blob' | 'tree' | 'commit', bytes: Buffer): string {
  return createHash('sha1').update(`${type} ${bytes.length}\0`).update(bytes).digest('hex');
}

/**
 * An org folder on disk → a FakeOrg: each sub-folder with .github/ or .git is a repository, and its files are
 * the top-level .github/workflows/*.y{a,}ml (what local mode reads), as bytes so blob ids match git's.
 */
/** The org in `folder`: each repository's workflows, or with `allFiles` every file of it (actions, scripts). */
export function loadOrgFromFolder(folder: string, login = basename(folder), options: { allFiles?: boolean } = {}): FakeOrg {
  const repos = readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
    .filter((entry) => existsSync(join(folder, entry.name, '.github')) || existsSync(join(folder, entry.name, '.git')))
    .map((entry) => entry.name)
    .sort()
    .map((name): FakeRepo => {
      const workflows = join(folder, name, '.github', 'workflows');
      const files: Record<string, Buffer> = {};
      if (options.allFiles) {
        for (const path of filesUnder(join(folder, name))) files[path] = readFileSync(join(folder, name, path));
      } else if (existsSync(workflows)) {
        for (const file of readdirSync(workflows, { withFileTypes: true })) {
          if (file.isFile() && /\.ya?ml$/i.test(file.name)) files[`.github/workflows/${file.name}`] = readFileSync(join(workflows, file.name));
        }
      }
      return { name, files };
    });
  return { login, kind: 'Organization', repos };
}

/** Every file under `root` (not `.git`), as paths relative to it with `/`. */
function filesUnder(root: string, prefix = ''): string[] {
  return readdirSync(join(root, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) return entry.name === '.git' ? [] : filesUnder(root, path);
    return entry.isFile() ? [path] : [];
  });
}

// ---------------------------------------------------------------------------------------------------------
// In-memory state and its git view

interface OrgState {
  id: number;
  login: string;
  kind: 'Organization' | 'User';
  repos: RepoState[];
  secrets: NonNullable<FakeOrg['secrets']>;
}

interface RepoState {
  id: number;
  org: OrgState;
  name: string;
  defaultBranch: string;
  archived: boolean;
  fork: boolean;
  private: boolean;
  files: Map<string, Buffer>;
  secrets: string[];
  environments: Record<string, string[]>;
  /** The git objects of `files`, computed on demand and dropped by setFile. */
  snapshot?: Snapshot;
}

/** A blob or tree of the repository's one commit; the root tree has path ''. */
interface GitEntry {
  name: string;
  path: string;
  type: 'blob' | 'tree';
  oid: string;
  size: number;
}

interface Snapshot {
  commitOid: string;
  byPath: Map<string, GitEntry>;
  byOid: Map<string, GitEntry>;
  /** Tree path → its entries in git's order. */
  children: Map<string, GitEntry[]>;
}

const normalizePath = (path: string) => path.replace(/^(\.\/)+/, '').replace(/^\/+|\/+$/g, '');
const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase(); // logins and repo names ignore case

function toState(orgs: FakeOrg[]): OrgState[] {
  let nextId = 1000;
  return orgs.map((org) => {
    const state: OrgState = { id: nextId++, login: org.login, kind: org.kind ?? 'Organization', repos: [], secrets: org.secrets ?? [] };
    state.repos = org.repos.map((repo) => ({
      id: nextId++,
      org: state,
      name: repo.name,
      defaultBranch: repo.defaultBranch ?? 'main',
      archived: repo.archived ?? false,
      fork: repo.fork ?? false,
      private: repo.private ?? false,
      files: new Map(Object.entries(repo.files).map(([path, content]) => [normalizePath(path), Buffer.from(content)])),
      secrets: repo.secrets ?? [],
      environments: repo.environments ?? {},
    }));
    return state;
  });
}

/** Builds the trees (hashed as git does) and the commit over the repository's current files. */
function snapshot(repo: RepoState): Snapshot {
  if (repo.snapshot) return repo.snapshot;
  const names = new Map<string, Map<string, 'blob' | 'tree'>>([['', new Map()]]);
  for (const path of repo.files.keys()) {
    const parts = path.split('/');
    parts.forEach((part, i) => {
      const dir = parts.slice(0, i).join('/');
      if (!names.has(dir)) names.set(dir, new Map());
      names.get(dir)?.set(part, i === parts.length - 1 ? 'blob' : 'tree');
    });
  }
  const byPath = new Map<string, GitEntry>();
  const children = new Map<string, GitEntry[]>();
  const hashTree = (dir: string): GitEntry => {
    const entries = [...(names.get(dir) ?? [])].map(([name, type]): GitEntry => {
      const path = dir ? `${dir}/${name}` : name;
      const content = repo.files.get(path);
      return type === 'blob' && content ? { name, path, type, oid: gitBlobOid(content), size: content.length } : hashTree(path);
    });
    // git orders tree entries by name, comparing a sub-tree's name as if it ended in '/'.
    const sortKey = (entry: GitEntry) => Buffer.from(entry.type === 'tree' ? `${entry.name}/` : entry.name);
    entries.sort((a, b) => Buffer.compare(sortKey(a), sortKey(b)));
    const body = Buffer.concat(
      entries.flatMap((e) => [Buffer.from(`${e.type === 'tree' ? '40000' : '100644'} ${e.name}\0`), Buffer.from(e.oid, 'hex')]),
    );
    const tree: GitEntry = { name: basename(dir), path: dir, type: 'tree', oid: gitObjectOid('tree', body), size: 0 };
    for (const entry of entries) byPath.set(entry.path, entry);
    children.set(dir, entries);
    return tree;
  };
  const root = hashTree('');
  byPath.set('', root);
  const commit = `tree ${root.oid}\nauthor Fake <fake@example.com> 0 +0000\ncommitter Fake <fake@example.com> 0 +0000\n\nfake\n`;
  const byOid = new Map([...byPath.values()].map((entry) => [entry.oid, entry]));
  repo.snapshot = { commitOid: gitObjectOid('commit', Buffer.from(commit)), byPath, byOid, children };
  return repo.snapshot;
}

/** Whether `rev` names the repository's one commit: HEAD, the default branch (or refs/heads/it), or the commit id. */
function isOurRev(repo: RepoState, rev: string): boolean {
  if (repo.files.size === 0) return false; // an empty repository has no commit
  return ['HEAD', repo.defaultBranch, `refs/heads/${repo.defaultBranch}`, snapshot(repo).commitOid].includes(rev);
}

/** "<rev>:<path>", "<rev>" or an object id → the blob/tree entry, 'commit', or undefined. */
function resolveGitTarget(repo: RepoState, spec: string): GitEntry | 'commit' | undefined {
  const colon = spec.indexOf(':');
  if (colon >= 0) return isOurRev(repo, spec.slice(0, colon)) ? snapshot(repo).byPath.get(normalizePath(spec.slice(colon + 1))) : undefined;
  return isOurRev(repo, spec) ? 'commit' : objectById(repo, spec);
}

/** An object id → the blob/tree entry, 'commit', or undefined (only the current files' objects exist). */
function objectById(repo: RepoState, oid: string): GitEntry | 'commit' | undefined {
  if (repo.files.size === 0) return undefined;
  const snap = snapshot(repo);
  return oid.toLowerCase() === snap.commitOid ? 'commit' : snap.byOid.get(oid.toLowerCase());
}

const findOrg = (orgs: OrgState[], login: string) => orgs.find((org) => sameName(org.login, login));
const findRepo = (org: OrgState | undefined, name: string) => org?.repos.find((repo) => sameName(repo.name, name));
const isBinary = (content: Buffer) => content.subarray(0, 8000).includes(0); // git's heuristic: a NUL byte

// ---------------------------------------------------------------------------------------------------------
// GraphQL: plain objects; a function-valued field is called with the field's arguments. Objects that can stand
// for an interface or union (owners, git objects) carry their concrete type in __typename for typeResolver.

type Args = Record<string, unknown>;
type GqlObject = Record<string, unknown>;

/** A GraphQL error as GitHub words it, with GitHub's top-level `type` (NOT_FOUND, ...). */
class GitHubGraphqlError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

let executableSchema: GraphQLSchema | undefined;
/**
 * Built once. From the schema's JSON (introspection) form, which is what `validate` checks against: the
 * published IDL (schema.idl) defines two EnterpriseOwnerInfo fields twice, so `buildSchema(schema.idl)` throws.
 */
const executable = () => (executableSchema ??= buildClientSchema(githubSchema.json as Parameters<typeof buildClientSchema>[0]));

const nodeId = (type: string, key: string | number) => Buffer.from(`${type}:${key}`).toString('base64');
const cursorOf = (index: number) => Buffer.from(`cursor:v2:${index}`).toString('base64');

function cursorIndex(cursor: unknown): number {
  const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(String(cursor), 'base64').toString('utf8'));
  if (!match?.[1]) throw new GitHubGraphqlError('INVALID_CURSOR_ARGUMENTS', `\`${String(cursor)}\` does not appear to be a valid cursor.`);
  return Number(match[1]);
}

/** A GitHub connection over `items`: first/after and last/before, at most 100 a page, as GitHub insists. */
function connection(items: GqlObject[], args: Args, name: string): GqlObject {
  const first = typeof args.first === 'number' ? args.first : undefined;
  const last = typeof args.last === 'number' ? args.last : undefined;
  if (first === undefined && last === undefined) {
    throw new GitHubGraphqlError('MISSING_PAGINATION_BOUNDARIES', `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`);
  }
  for (const [arg, value] of [['first', first], ['last', last]] as const) {
    if (value !== undefined && (value < 0 || value > 100)) {
      throw new GitHubGraphqlError('EXCESSIVE_PAGINATION', `Requesting ${value} records on the \`${name}\` connection exceeds the \`${arg}\` limit of 100 records.`);
    }
  }
  let start = args.after == null ? 0 : cursorIndex(args.after) + 1;
  let end = args.before == null ? items.length : Math.min(items.length, cursorIndex(args.before));
  if (first !== undefined) end = Math.min(end, start + first);
  if (last !== undefined) start = Math.max(start, end - last);
  const indexes = Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
  return {
    totalCount: items.length,
    nodes: indexes.map((i) => items[i]),
    edges: indexes.map((i) => ({ node: items[i], cursor: cursorOf(i) })),
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: indexes.length ? cursorOf(start) : null,
      endCursor: indexes.length ? cursorOf(end - 1) : null,
    },
  };
}

/** Organization.repositories' filters: isFork, isArchived, privacy; orderBy NAME sorts, other fields keep creation order. */
function filterRepos(repos: RepoState[], args: Args): RepoState[] {
  let result = repos.filter(
    (repo) =>
      (typeof args.isFork !== 'boolean' || repo.fork === args.isFork) &&
      (typeof args.isArchived !== 'boolean' || repo.archived === args.isArchived) &&
      (args.privacy == null || repo.private === (args.privacy === 'PRIVATE')),
  );
  const order = args.orderBy as { field?: string; direction?: string } | undefined;
  if (order?.field === 'NAME') result = [...result].sort((a, b) => a.name.localeCompare(b.name));
  if (order?.direction === 'DESC') result = [...result].reverse();
  return result;
}

function gqlOwner(org: OrgState): GqlObject {
  return {
    __typename: org.kind,
    id: nodeId(org.kind, org.id),
    databaseId: org.id,
    login: org.login,
    name: org.login,
    url: `https://github.com/${org.login}`,
    resourcePath: `/${org.login}`,
    repositories: (args: Args) => connection(filterRepos(org.repos, args).map(gqlRepo), args, 'repositories'),
    repository: (args: Args) => {
      const repo = findRepo(org, String(args.name));
      return repo ? gqlRepo(repo) : null;
    },
  };
}

function gqlRepo(repo: RepoState): GqlObject {
  const fullName = `${repo.org.login}/${repo.name}`;
  return {
    __typename: 'Repository',
    id: nodeId('Repository', repo.id),
    databaseId: repo.id,
    name: repo.name,
    nameWithOwner: fullName,
    owner: () => gqlOwner(repo.org),
    isArchived: repo.archived,
    isFork: repo.fork,
    isPrivate: repo.private,
    isEmpty: repo.files.size === 0,
    visibility: repo.private ? 'PRIVATE' : 'PUBLIC',
    url: `https://github.com/${fullName}`,
    resourcePath: `/${fullName}`,
    defaultBranchRef: () =>
      repo.files.size === 0
        ? null
        : { id: nodeId('Ref', `${repo.id}:${repo.defaultBranch}`), name: repo.defaultBranch, prefix: 'refs/heads/', target: () => gqlGitObject(repo, 'commit') },
    object: (args: Args) => {
      const target =
        typeof args.oid === 'string' ? objectById(repo, args.oid) : typeof args.expression === 'string' ? resolveGitTarget(repo, args.expression) : undefined;
      return target ? gqlGitObject(repo, target) : null;
    },
  };
}

function gqlGitObject(repo: RepoState, target: GitEntry | 'commit'): GqlObject {
  const snap = snapshot(repo);
  const oid = target === 'commit' ? snap.commitOid : target.oid;
  const common = { id: nodeId('GitObject', `${repo.id}:${oid}`), oid, abbreviatedOid: oid.slice(0, 7), repository: () => gqlRepo(repo) };
  if (target === 'commit') {
    return {
      __typename: 'Commit',
      ...common,
      message: 'fake',
      url: `https://github.com/${repo.org.login}/${repo.name}/commit/${oid}`,
      tree: () => gqlGitObject(repo, snap.byPath.get('') as GitEntry),
      file: (args: Args) => {
        const entry = snap.byPath.get(normalizePath(String(args.path)));
        return entry && entry.path !== '' ? gqlTreeEntry(repo, entry) : null;
      },
    };
  }
  if (target.type === 'tree') {
    return { __typename: 'Tree', ...common, entries: () => (snap.children.get(target.path) ?? []).map((entry) => gqlTreeEntry(repo, entry)) };
  }
  const content = repo.files.get(target.path) ?? Buffer.alloc(0);
  const binary = isBinary(content);
  return { __typename: 'Blob', ...common, byteSize: content.length, isBinary: binary, isTruncated: false, text: binary ? null : content.toString('utf8') };
}

function gqlTreeEntry(repo: RepoState, entry: GitEntry): GqlObject {
  const dot = entry.name.lastIndexOf('.');
  return {
    name: entry.name,
    path: entry.path,
    type: entry.type,
    mode: entry.type === 'tree' ? 0o40000 : 0o100644,
    oid: entry.oid,
    size: entry.size,
    extension: entry.type === 'blob' && dot > 0 ? entry.name.slice(dot) : null,
    isGenerated: false,
    object: () => gqlGitObject(repo, entry),
    repository: () => gqlRepo(repo),
  };
}

function queryRoot(orgs: OrgState[], rate: { used: number; resetAt: string }): GqlObject {
  const owner = (login: unknown, kind: 'Organization' | 'User') => {
    const org = findOrg(orgs, String(login));
    if (org?.kind === kind) return gqlOwner(org);
    throw new GitHubGraphqlError('NOT_FOUND', `Could not resolve to ${kind === 'User' ? 'a User' : 'an Organization'} with the login of '${String(login)}'.`);
  };
  const viewer: OrgState = { id: 1, login: 'fake-viewer', kind: 'User', repos: [], secrets: [] };
  return {
    __typename: 'Query',
    organization: (args: Args) => owner(args.login, 'Organization'),
    user: (args: Args) => owner(args.login, 'User'),
    repositoryOwner: (args: Args) => {
      const org = findOrg(orgs, String(args.login));
      return org ? gqlOwner(org) : null;
    },
    repository: (args: Args) => {
      const repo = findRepo(findOrg(orgs, String(args.owner)), String(args.name));
      if (repo) return gqlRepo(repo);
      throw new GitHubGraphqlError('NOT_FOUND', `Could not resolve to a Repository with the name '${String(args.owner)}/${String(args.name)}'.`);
    },
    rateLimit: () => ({ limit: 5000, cost: 1, used: rate.used, remaining: 5000 - rate.used, resetAt: rate.resetAt, nodeCount: 1 }),
    viewer: () => gqlOwner(viewer),
  };
}

/** POST /graphql: GitHub answers 200 even for a query it rejects; the errors are in the body. */
async function answerGraphql(body: string, orgs: OrgState[], rate: { used: number; resetAt: string }): Promise<Reply> {
  let request: { query?: unknown; variables?: unknown; operationName?: unknown };
  try {
    request = JSON.parse(body) as typeof request;
  } catch {
    return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/graphql' } };
  }
  if (typeof request.query !== 'string') return { status: 200, body: { errors: [{ message: 'A query attribute must be specified and must be a string.' }] } };
  let invalid: readonly GraphQLError[];
  try {
    invalid = validateAgainstGitHub(request.query);
  } catch (error) {
    invalid = [error instanceof GraphQLError ? error : new GraphQLError(String(error))]; // a syntax error
  }
  if (invalid.length > 0) return { status: 200, body: { errors: invalid.map((error) => error.toJSON()) } };
  rate.used++;
  const result = await execute({
    schema: executable(),
    document: parse(request.query),
    variableValues: (request.variables ?? undefined) as Args | undefined,
    operationName: typeof request.operationName === 'string' ? request.operationName : undefined,
    rootValue: queryRoot(orgs, rate),
    fieldResolver: (source, args: Args, _context, info) => {
      const value = (source as Record<string, unknown>)[info.fieldName];
      return typeof value === 'function' ? (value as (args: Args) => unknown)(args) : (value ?? null);
    },
    typeResolver: (value) => String((value as GqlObject).__typename),
  });
  const errors = result.errors?.map((error) => {
    const type = error.originalError instanceof GitHubGraphqlError ? error.originalError.type : undefined;
    return { ...(type ? { type } : {}), ...error.toJSON() };
  });
  return { status: 200, body: { data: result.data ?? null, ...(errors ? { errors } : {}) } };
}

// ---------------------------------------------------------------------------------------------------------
// REST

interface Reply {
  status: number;
  body: unknown; // an object is sent as JSON; a string or Buffer as is
  headers?: Record<string, string>;
}

interface RestRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The request's absolute URL on the fake (for Link headers and `url` fields). */
  url: URL;
  base: string;
  accept: string;
  orgs: OrgState[];
}

const DOCS = 'https://docs.github.com/rest';
const notFound = (message = 'Not Found'): Reply => ({ status: 404, body: { message, documentation_url: DOCS } });

/** Thrown by a handler to answer 404 without threading undefined through every line. */
class NotFoundError extends Error {}

function needOrg(req: RestRequest, param: string, kind?: 'Organization'): OrgState {
  const org = findOrg(req.orgs, req.params[param] ?? '');
  if (!org || (kind && org.kind !== kind)) throw new NotFoundError('Not Found');
  return org;
}

function needRepo(req: RestRequest): RepoState {
  const repo = findRepo(findOrg(req.orgs, req.params.owner ?? ''), req.params.repo ?? '');
  if (!repo) throw new NotFoundError('Not Found');
  return repo;
}

/** The snapshot at `?ref=` (default: the default branch): there is only one commit, so any other ref is missing. */
function needRef(repo: RepoState, ref: string | null): Snapshot {
  if (repo.files.size === 0) throw new NotFoundError('This repository is empty.');
  if (ref !== null && !isOurRev(repo, ref)) throw new NotFoundError(`No commit found for the ref ${ref}`);
  return snapshot(repo);
}

/** GitHub's page/per_page pagination with a Link header (per_page default 30, at most 100). */
function paginate<T>(items: T[], req: RestRequest): { items: T[]; headers: Record<string, string> } {
  const perPage = Math.min(100, Math.max(1, Math.floor(Number(req.query.get('per_page'))) || 30));
  const page = Math.max(1, Math.floor(Number(req.query.get('page'))) || 1);
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number, rel: string) => {
    const url = new URL(req.url);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(n));
    return `<${url.href}>; rel="${rel}"`;
  };
  const links = [
    ...(page > 1 ? [link(page - 1, 'prev')] : []),
    ...(page < lastPage ? [link(page + 1, 'next'), link(lastPage, 'last')] : []),
    ...(page > 1 ? [link(1, 'first')] : []),
  ];
  return { items: items.slice((page - 1) * perPage, page * perPage), headers: links.length ? { link: links.join(', ') } : {} };
}

/** A paginated list answer: a bare array, or GitHub's `{ total_count, <key>: [...] }` wrapper. */
function listReply<T>(items: T[], req: RestRequest, key?: string): Reply {
  const page = paginate(items, req);
  return { status: 200, body: key ? { total_count: items.length, [key]: page.items } : page.items, headers: page.headers };
}

function restRepo(repo: RepoState, base: string) {
  const fullName = `${repo.org.login}/${repo.name}`;
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: fullName,
    owner: { login: repo.org.login, id: repo.org.id, type: repo.org.kind },
    private: repo.private,
    visibility: repo.private ? 'private' : 'public',
    fork: repo.fork,
    archived: repo.archived,
    disabled: false,
    default_branch: repo.defaultBranch,
    html_url: `https://github.com/${fullName}`,
    url: `${base}/repos/${fullName}`,
  };
}

/** GET /orgs/{org}/repos and /users/{user}/repos, with `type` (all, public, private, forks, sources). */
function listRepos(req: RestRequest, org: OrgState): Reply {
  const type = req.query.get('type') ?? 'all';
  const repos = org.repos.filter(
    (repo) => (type !== 'forks' || repo.fork) && (type !== 'sources' || !repo.fork) && (type !== 'public' || !repo.private) && (type !== 'private' || repo.private),
  );
  return listReply(repos.map((repo) => restRepo(repo, req.base)), req);
}

const base64Lines = (content: Buffer) => (content.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n'; // GitHub wraps at 60
const wantsRaw = (req: RestRequest) => /application\/vnd\.github(\.v3)?\.raw/.test(req.accept);
const rawReply = (content: Buffer): Reply => ({ status: 200, body: content, headers: { 'content-type': 'text/plain; charset=utf-8' } });
const fixedTime = '2024-01-01T00:00:00Z';

function contentItem(repo: RepoState, entry: GitEntry, base: string) {
  const fullName = `${repo.org.login}/${repo.name}`;
  return {
    name: entry.name,
    path: entry.path,
    sha: entry.oid,
    size: entry.size,
    type: entry.type === 'tree' ? 'dir' : 'file',
    url: `${base}/repos/${fullName}/contents/${entry.path}?ref=${repo.defaultBranch}`,
    git_url: `${base}/repos/${fullName}/git/${entry.type}s/${entry.oid}`,
    download_url: entry.type === 'blob' ? `https://raw.githubusercontent.com/${fullName}/${repo.defaultBranch}/${entry.path}` : null,
  };
}

function getContents(req: RestRequest): Reply {
  const repo = needRepo(req);
  const snap = needRef(repo, req.query.get('ref'));
  const entry = snap.byPath.get(normalizePath(req.params.path ?? ''));
  if (!entry) throw new NotFoundError('Not Found');
  if (entry.type === 'tree') return { status: 200, body: (snap.children.get(entry.path) ?? []).map((child) => contentItem(repo, child, req.base)) };
  const content = repo.files.get(entry.path) ?? Buffer.alloc(0);
  if (wantsRaw(req)) return rawReply(content);
  return { status: 200, body: { ...contentItem(repo, entry, req.base), encoding: 'base64', content: base64Lines(content) } };
}

/** GET git/trees/{sha}: a tree id, a commit (its root tree), or `<rev>:<path>`; ?recursive=<anything> lists the whole sub-tree. */
function getTree(req: RestRequest): Reply {
  const repo = needRepo(req);
  const target = resolveGitTarget(repo, req.params.sha ?? '');
  const tree = target === 'commit' ? snapshot(repo).byPath.get('') : target;
  if (!tree || tree.type !== 'tree') throw new NotFoundError('Not Found');
  const snap = snapshot(repo);
  const walk = (path: string): GitEntry[] =>
    (snap.children.get(path) ?? []).flatMap((entry) => (entry.type === 'tree' && req.query.has('recursive') ? [entry, ...walk(entry.path)] : [entry]));
  const prefix = tree.path ? `${tree.path}/` : '';
  const fullName = `${repo.org.login}/${repo.name}`;
  const entries = walk(tree.path).map((entry) => ({
    path: entry.path.slice(prefix.length),
    mode: entry.type === 'tree' ? '040000' : '100644',
    type: entry.type,
    sha: entry.oid,
    ...(entry.type === 'blob' ? { size: entry.size } : {}),
    url: `${req.base}/repos/${fullName}/git/${entry.type}s/${entry.oid}`,
  }));
  return { status: 200, body: { sha: tree.oid, url: `${req.base}/repos/${fullName}/git/trees/${tree.oid}`, tree: entries, truncated: false } };
}

function getBlob(req: RestRequest): Reply {
  const repo = needRepo(req);
  const target = objectById(repo, req.params.sha ?? '');
  if (!target || target === 'commit' || target.type !== 'blob') throw new NotFoundError('Not Found');
  const content = repo.files.get(target.path) ?? Buffer.alloc(0);
  if (wantsRaw(req)) return rawReply(content);
  return { status: 200, body: { sha: target.oid, node_id: nodeId('Blob', target.oid), size: content.length, url: `${req.base}/repos/${repo.org.login}/${repo.name}/git/blobs/${target.oid}`, encoding: 'base64', content: base64Lines(content) } };
}

const secretItem = (name: string) => ({ name, created_at: fixedTime, updated_at: fixedTime });

function orgSecrets(req: RestRequest): Reply {
  const org = needOrg(req, 'org', 'Organization');
  const items = org.secrets.map((secret) => ({
    ...secretItem(secret.name),
    visibility: secret.visibility,
    ...(secret.visibility === 'selected' ? { selected_repositories_url: `${req.base}/orgs/${org.login}/actions/secrets/${secret.name}/repositories` } : {}),
  }));
  return listReply(items, req, 'secrets');
}

/** The repositories a `selected` org secret is shared with (an empty list for another visibility). */
function orgSecretRepos(req: RestRequest): Reply {
  const org = needOrg(req, 'org', 'Organization');
  const secret = org.secrets.find((s) => s.name === req.params.name);
  if (!secret) throw new NotFoundError('Not Found');
  const selected = secret.visibility === 'selected' ? (secret.selectedRepos ?? []) : [];
  const repos = selected.flatMap((name) => findRepo(org, name) ?? []);
  return listReply(repos.map((repo) => restRepo(repo, req.base)), req, 'repositories');
}

function environmentSecrets(req: RestRequest): Reply {
  const names = needRepo(req).environments[req.params.env ?? ''];
  if (!names) throw new NotFoundError('Not Found');
  return listReply(names.map(secretItem), req, 'secrets');
}

type RestHandler = (req: RestRequest) => Reply;

/** GET routes: `:name` matches one path segment, `*name` the rest of the path (slashes included). */
const routes: [string, RestHandler][] = [
  ['/orgs/:org/repos', (req) => listRepos(req, needOrg(req, 'org', 'Organization'))],
  ['/users/:user/repos', (req) => listRepos(req, needOrg(req, 'user'))],
  ['/repos/:owner/:repo', (req) => ({ status: 200, body: restRepo(needRepo(req), req.base) })],
  ['/repos/:owner/:repo/contents', getContents],
  ['/repos/:owner/:repo/contents/*path', getContents],
  ['/repos/:owner/:repo/git/trees/*sha', getTree],
  ['/repos/:owner/:repo/git/blobs/:sha', getBlob],
  ['/repos/:owner/:repo/actions/secrets', (req) => listReply(needRepo(req).secrets.map(secretItem), req, 'secrets')],
  ['/repos/:owner/:repo/environments', (req) => listReply(Object.keys(needRepo(req).environments).map((name) => ({ name })), req, 'environments')],
  ['/repos/:owner/:repo/environments/:env/secrets', environmentSecrets],
  ['/orgs/:org/actions/secrets', orgSecrets],
  ['/orgs/:org/actions/secrets/:name/repositories', orgSecretRepos],
];

const compiledRoutes = routes.map(([pattern, handler]) => {
  const names: string[] = [];
  const source = pattern.replace(/([:*])(\w+)/g, (_, sigil: string, name: string) => {
    names.push(name);
    return sigil === ':' ? '([^/]+)' : '(.+)';
  });
  return { regex: new RegExp(`^${source}$`), names, handler };
});

function answerRest(method: string, path: string, context: Omit<RestRequest, 'params'>): Reply {
  if (method !== 'GET') return notFound();
  for (const route of compiledRoutes) {
    const match = route.regex.exec(path);
    if (!match) continue;
    const params = Object.fromEntries(route.names.map((name, i) => [name, match[i + 1] ?? '']));
    try {
      return route.handler({ ...context, params });
    } catch (error) {
      if (error instanceof NotFoundError) return notFound(error.message);
      throw error;
    }
  }
  return notFound();
}

// ---------------------------------------------------------------------------------------------------------
// Faults

const UNICORN = '<!DOCTYPE html>\n<html><head><title>Unicorn! &middot; GitHub</title></head><body><p>No server is currently available to service your request.</p></body></html>\n';
const SECONDARY = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

/** Faults that change the genuine answer rather than replace it. */
const TRANSFORMING: ReadonlySet<Fault['kind']> = new Set(['repeat-cursor', 'endless-pages', 'corrupt-blob']);

const INSUFFICIENT_SCOPES = {
  type: 'INSUFFICIENT_SCOPES',
  message: "Your token has not been granted the required scopes to execute this query. The 'login' field requires one of the following scopes: ['read:org'], but your token has only been granted the: ['repo'] scopes.",
};
const SIGN_IN_PAGE =
  '<!DOCTYPE html>\n<html><head><title>Sign in to continue</title></head><body><form action="/login" method="post"><p>Your network requires you to sign in before you can reach this site.</p></form></body></html>\n';

/** An error text quoting `credential` from character `offset`, long enough that a 200-character cut falls inside or after it. */
function echoText(credential: string, offset: number): string {
  const filler = 'The credential in the Authorization header could not be validated against the identity provider; ';
  const lead = filler.repeat(Math.ceil(offset / filler.length) + 1).slice(0, offset);
  return `${lead}${credential} was rejected. ${filler.repeat(3)}`;
}

/** The answer for a fault that replaces the genuine one, or 'hang' for one that never answers. */
function faultReply(fault: Fault, hit: number, context: { credential: string; graphql: boolean }): Reply | 'hang' {
  switch (fault.kind) {
    case 'primary-rate-limit':
      return {
        status: 403,
        body: { message: 'API rate limit exceeded for user ID 1.', documentation_url: `${DOCS}/overview/rate-limits-for-the-rest-api` },
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '5000', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1) },
      };
    case 'secondary-rate-limit-403':
    case 'secondary-rate-limit-429':
      return { status: fault.kind.endsWith('403') ? 403 : 429, body: { message: SECONDARY, documentation_url: DOCS }, headers: { 'retry-after': '1' } };
    case 'server-error':
      return { status: 502, body: UNICORN, headers: { 'content-type': 'text/html; charset=utf-8' } };
    case 'timeout':
      return 'hang';
    case 'malformed-body':
      return { status: 200, body: '{"total_count": 2, "items": [{"name": "trunc', headers: { 'content-type': 'application/json' } };
    case 'not-found':
      return notFound();
    case 'forbidden':
      return { status: 403, body: { message: 'Resource not accessible by integration', documentation_url: DOCS } };
    case 'unauthenticated':
      return { status: 401, body: { message: 'This endpoint requires you to be authenticated.', documentation_url: 'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql' } };
    case 'non-json':
      return { status: 200, body: SIGN_IN_PAGE, headers: { 'content-type': 'text/html; charset=utf-8' } };
    case 'graphql-errors':
      return { status: 200, body: { data: null, errors: fault.errors ?? [INSUFFICIENT_SCOPES] } };
    case 'echo-token': {
      const offsets = fault.offsets ?? [176];
      const message = echoText(context.credential, offsets[hit % offsets.length] ?? 0);
      return context.graphql
        ? { status: 200, body: { data: null, errors: [{ type: 'UNPROCESSABLE', message }] } }
        : { status: 422, body: { message, documentation_url: DOCS } };
    }
    default:
      throw new Error(`fake-github: ${fault.kind} changes an answer, it does not replace one`);
  }
}

/** `value` with every object's `key` (at any depth) passed through `change`. */
function rewriteKey(value: unknown, key: string, change: (found: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteKey(item, key, change));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, name === key ? change(inner) : rewriteKey(inner, key, change)]));
}

/** The genuine reply, changed by a transforming fault. */
function transformReply(kind: Fault['kind'], reply: Reply, hit: number, request: { url: URL; graphql: boolean }): Reply {
  if (reply.status !== 200) return reply;
  if (kind === 'corrupt-blob') {
    const altered = (text: string) => `${text}# altered on the way\n`;
    let body = rewriteKey(reply.body, 'text', (text) => (typeof text === 'string' ? altered(text) : text));
    if (!request.graphql) body = rewriteKey(body, 'content', (content) => (typeof content === 'string' ? base64Lines(Buffer.from(altered(Buffer.from(content, 'base64').toString('utf8')))) : content));
    return { ...reply, body };
  }
  const endless = kind === 'endless-pages';
  if (request.graphql) {
    // Every connection claims another page: at the same cursor (repeat-cursor) or at a new one past the end.
    const body = rewriteKey(reply.body, 'pageInfo', (pageInfo) => ({ ...(pageInfo as object), hasNextPage: true, endCursor: cursorOf(endless ? 100_000 + hit : 0) }));
    return { ...reply, body };
  }
  const next = new URL(request.url);
  if (endless) next.searchParams.set('page', String(Math.max(1, Math.floor(Number(next.searchParams.get('page'))) || 1) + 1));
  const links = (reply.headers?.link ?? '').split(', ').filter((link) => link !== '' && !link.endsWith('rel="next"'));
  return { ...reply, headers: { ...reply.headers, link: [`<${next.href}>; rel="next"`, ...links].join(', ') } };
}

// ---------------------------------------------------------------------------------------------------------
// The server

export async function startFakeGitHub(options: FakeGitHubOptions): Promise<FakeGitHub> {
  const orgs = toState(options.orgs);
  const faults: { fault: Fault; hits: number }[] = [];
  const requests: FakeGitHub['requests'] = [];
  const tokensSeen: string[] = [];
  const rate = { used: 0, resetAt: new Date(Date.now() + 3600_000).toISOString() };
  const stopping = new AbortController();
  let requestNumber = 0;
  let base = '';

  /** The first fault that matches and is not used up, with how many requests it had matched before. */
  const takeFault = (request: { method: string; path: string; graphql?: string }) => {
    const found = faults.find((f) => (f.fault.times === undefined || f.hits < f.fault.times) && f.fault.match(request));
    if (!found) return undefined;
    return { fault: found.fault, hit: found.hits++ };
  };

  const send = (res: ServerResponse, reply: Reply, resource: string) => {
    const body = typeof reply.body === 'string' || Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'content-type': 'application/json; charset=utf-8',
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': '4999',
      'x-ratelimit-used': '1',
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': resource,
      'x-github-request-id': `FAKE:${(++requestNumber).toString(16).toUpperCase()}`,
      ...reply.headers,
    });
    res.end(body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', base);
    let path = url.pathname;
    try {
      path = decodeURIComponent(path); // Octokit encodes ':' and '/' inside {path} and {tree_sha}
    } catch {
      // a malformed escape: route the raw path (it will 404)
    }
    path = path.length > 1 ? path.replace(/\/+$/, '') : path;
    const isGraphql = path === '/graphql' && options.graphql !== false;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');

    const entry = { method, path, kind: isGraphql ? ('graphql' as const) : ('rest' as const), status: 0 };
    requests.push(entry);
    const authorization = req.headers.authorization;
    const credential = authorization?.replace(/^(token|bearer)\s+/i, '');
    if (credential !== undefined && !tokensSeen.includes(credential)) tokensSeen.push(credential);
    if (options.latencyMs) await delay(options.latencyMs, undefined, { signal: stopping.signal });

    // Authentication first, so a rejected request does not use up a fault's `times`.
    const authorised = options.token === undefined || (/^(token|bearer)\s/i.test(authorization ?? '') && credential === options.token);
    const graphqlText = isGraphql ? graphqlQueryOf(body) : undefined;
    const fault = authorised ? takeFault({ method, path, ...(graphqlText !== undefined ? { graphql: graphqlText } : {}) }) : undefined;
    let reply: Reply | 'hang';
    if (!authorised) {
      reply = { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS } };
    } else if (fault && !TRANSFORMING.has(fault.fault.kind)) {
      reply = faultReply(fault.fault, fault.hit, { credential: credential ?? 'anonymous', graphql: isGraphql });
    } else {
      reply = isGraphql
        ? method === 'POST'
          ? await answerGraphql(body, orgs, rate)
          : notFound()
        : answerRest(method, path, { query: url.searchParams, url, base, accept: req.headers.accept ?? '', orgs });
      if (fault) reply = transformReply(fault.fault.kind, reply, fault.hit, { url, graphql: isGraphql });
    }
    if (reply === 'hang') return; // the socket stays open until stop()
    entry.status = reply.status;
    send(res, reply, isGraphql ? 'graphql' : 'core');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (stopping.signal.aborted) return; // stop() during a latency delay: the socket is being closed anyway
      if (!res.headersSent) send(res, { status: 500, body: { message: `fake-github: ${String(error)}` } }, 'core');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    requests,
    tokensSeen,
    counts: () => {
      const byPath: Record<string, number> = {};
      for (const request of requests) byPath[request.path] = (byPath[request.path] ?? 0) + 1;
      const graphql = requests.filter((request) => request.kind === 'graphql').length;
      return { total: requests.length, graphql, rest: requests.length - graphql, byPath };
    },
    resetCounts: () => {
      requests.length = 0; // in place: callers may hold the array
    },
    addFault: (fault) => {
      faults.push({ fault, hits: 0 });
    },
    clearFaults: () => {
      faults.length = 0;
    },
    setFile: (owner, repoName, path, content) => {
      const repo = findRepo(findOrg(orgs, owner), repoName);
      if (!repo) throw new Error(`fake-github: no repository ${owner}/${repoName}`);
      if (content === undefined) repo.files.delete(normalizePath(path));
      else repo.files.set(normalizePath(path), Buffer.from(content));
      repo.snapshot = undefined;
    },
    stop: async () => {
      stopping.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // including the ones a `timeout` fault left hanging
      await closed;
    },
  };
}

/** The query text of a GraphQL request body, for Fault.match (undefined if the body is not JSON with a query). */
function graphqlQueryOf(body: string): string | undefined {
  try {
    const query: unknown = (JSON.parse(body) as { query?: unknown }).query;
    return typeof query === 'string' ? query : undefined;
  } catch {
    return undefined;
  }
}
