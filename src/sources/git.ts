/**
 * A git revision as a source (`--base REF`): the workflow files of local repositories as they are at REF, read
 * from git's objects (`git ls-tree`, then one `git cat-file --batch` for every blob), never from the work tree.
 * Nothing here writes: no checkout, no index refresh, no lock. Several repositories inside one git work tree (an
 * org folder kept in one repository) share its processes: a handful of git processes per git repository, not one
 * per file.
 */
import { spawnSync } from 'node:child_process';

/** A revision that cannot be read (no git, not a checkout, an unknown REF): the caller exits 2 with the message. */
export class GitError extends Error {}

/** Where a folder sits in a git work tree. */
export interface GitCheckout {
  /** The work tree's top folder, as git prints it. */
  toplevel: string;
  /** The folder relative to `toplevel`, with `/` separators and a trailing `/` (empty at the top). */
  prefix: string;
}

export interface RevisionFile {
  /** Relative to the repository folder, with `/` separators. */
  path: string;
  text: string;
}

/** A folder's place in its git work tree; undefined when it is not inside one. */
export function gitCheckout(folder: string): GitCheckout | undefined {
  const result = git(folder, ['rev-parse', '--show-toplevel', '--show-prefix'], { allowFailure: true });
  if (result.status !== 0) return undefined;
  const [toplevel, prefix] = result.stdout.toString('utf8').split('\n');
  if (!toplevel) return undefined;
  return { toplevel, prefix: prefix ?? '' };
}

/** The commit REF names in the work tree at `toplevel`, or a GitError that says why it cannot be read. */
export function resolveCommit(toplevel: string, ref: string): string {
  if (ref.startsWith('-') || ref.trim() === '') throw new GitError(`--base: '${ref}' is not a git revision`);
  const result = git(toplevel, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { allowFailure: true });
  const commit = result.stdout.toString('utf8').trim();
  if (result.status === 0 && /^[0-9a-f]{40,64}$/.test(commit)) return commit;
  const shallow = git(toplevel, ['rev-parse', '--is-shallow-repository'], { allowFailure: true }).stdout.toString('utf8').trim() === 'true';
  const hint = shallow ? `; the checkout is shallow, so fetch the base first (git fetch --depth=1 origin ${ref})` : '';
  throw new GitError(`--base: no commit '${ref}' in the git repository ${toplevel}${hint}`);
}

/**
 * The `.github/workflows/*.y{a,}ml` files of each folder (given by its prefix in the work tree) at `commit`. A
 * folder that did not exist at that commit has no files there (the change added it).
 */
export function workflowsAtCommit(toplevel: string, commit: string, prefixes: string[]): Map<string, RevisionFile[]> {
  const byPrefix = new Map<string, RevisionFile[]>(prefixes.map((prefix) => [prefix, []]));
  const folders = prefixes.map((prefix) => `${prefix}.github/workflows/`);
  // -z: paths unquoted, NUL-terminated. Paths are relative to the top because the process runs there.
  const listing = git(toplevel, ['ls-tree', '-z', commit, '--', ...folders]).stdout.toString('utf8');
  const blobs: { prefix: string; path: string; object: string }[] = [];
  for (const entry of listing.split('\0')) {
    const match = /^(\d+) (\w+) ([0-9a-f]+)\t(.+)$/s.exec(entry);
    if (!match) continue;
    const [, mode, type, object, fullPath] = match as unknown as [string, string, string, string, string];
    // Regular files only, as the local source reads them: no symlinks (120000), no submodules.
    if (type !== 'blob' || mode === '120000' || !/\.ya?ml$/i.test(fullPath)) continue;
    const prefix = prefixes.find((candidate) => fullPath.startsWith(`${candidate}.github/workflows/`) && !fullPath.slice(candidate.length + '.github/workflows/'.length).includes('/'));
    if (prefix === undefined) continue;
    blobs.push({ prefix, path: fullPath.slice(prefix.length), object });
  }
  const texts = readObjects(toplevel, blobs.map((blob) => blob.object));
  for (const blob of blobs) {
    const text = texts.get(blob.object);
    if (text !== undefined) byPrefix.get(blob.prefix)?.push({ path: blob.path, text });
  }
  for (const files of byPrefix.values()) files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return byPrefix;
}

/** Files at `commit` (paths relative to the top of the work tree), in one process; absent ones are left out. */
export function filesAtCommit(toplevel: string, commit: string, paths: string[]): Map<string, string> {
  const texts = readObjects(toplevel, paths.map((path) => `${commit}:${path}`));
  return new Map(paths.flatMap((path) => {
    const text = texts.get(`${commit}:${path}`);
    return text === undefined ? [] : [[path, text] as [string, string]];
  }));
}

/** Reads objects by name (an id, or `commit:path`) through one `git cat-file --batch`; missing ones are left out. */
function readObjects(toplevel: string, names: string[]): Map<string, string> {
  const texts = new Map<string, string>();
  if (names.length === 0) return texts;
  const output = git(toplevel, ['cat-file', '--batch'], { input: `${names.join('\n')}\n` }).stdout;
  let offset = 0;
  for (const name of names) {
    const newline = output.indexOf(0x0a, offset);
    if (newline < 0) throw new GitError(`git cat-file in ${toplevel} ended early`);
    const header = output.subarray(offset, newline).toString('utf8');
    offset = newline + 1;
    // `<name> missing` (or `ambiguous`) for an object that is not there; otherwise `<id> <type> <size>`, the bytes, LF.
    const found = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!found) continue;
    const size = Number(found[2]);
    if (found[1] === 'blob') texts.set(name, output.subarray(offset, offset + size).toString('utf8'));
    offset += size + 1;
  }
  return texts;
}

interface GitRun {
  status: number | null;
  stdout: Buffer;
}

function git(cwd: string, args: string[], options: { input?: string; allowFailure?: boolean } = {}): GitRun {
  const result = spawnSync('git', args, {
    cwd,
    input: options.input ?? '',
    maxBuffer: 1024 * 1024 * 1024,
    env: gitEnvironment(),
  });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    throw new GitError(code === 'ENOENT' ? '--base needs git, and git is not installed (or not on PATH)' : `git ${args[0]} failed in ${cwd}: ${result.error.message}`);
  }
  if (result.status !== 0 && !options.allowFailure) {
    const message = result.stderr.toString('utf8').trim().split('\n')[0] ?? `exit status ${result.status}`;
    throw new GitError(`git ${args[0]} failed in ${cwd}: ${message}`);
  }
  return { status: result.status, stdout: result.stdout };
}

/**
 * No prompts, no pager, no optional locks: reading must never wait on a person or touch the repository. And each
 * folder finds its own repository, even when dispatch-lint runs from a git hook that set GIT_DIR for another.
 */
function gitEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0', GIT_PAGER: 'cat' };
  for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR', 'GIT_PREFIX']) delete env[name];
  return env;
}
