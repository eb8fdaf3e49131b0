/**
 * Finds the repositories behind the PATH arguments and names them (`owner/name`), as SPEC says:
 * the config's `repos` mapping, else the `origin` remote of a git checkout, else ORGFOLDER/FOLDER,
 * else `--owner` + folder name.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';

export interface LocalRepository {
  name: string;
  root: string;
  /** Workflow file paths relative to the root, with `/` separators, sorted. */
  workflowPaths: string[];
  /**
   * Workflow paths GitHub will not run as they are, with the reason: a symbolic link (GitHub does not follow
   * links in a repository's workflows, actions/runner#1420 and #3195). They are reported, not read.
   */
  rejected: Map<string, string>;
}

export interface DiscoveryOptions {
  cwd: string;
  /** Absolute folder → `owner/name`, from the config file. */
  names: Map<string, string>;
  owner?: string;
}

export interface Discovery {
  repositories: LocalRepository[];
  /** Problems that make the scan incomplete: each one is a reason to exit 2. */
  errors: string[];
  /** Things skipped on purpose that a user may not expect (a folder named like a workflow file): said on stderr. */
  notes: string[];
}

export function discoverLocal(paths: string[], options: DiscoveryOptions): Discovery {
  const found: Discovery = { repositories: [], errors: [], notes: [] };
  const byName = new Map<string, LocalRepository>();
  const add = (root: string, orgFolder: string | undefined) => {
    const name = repositoryName(root, orgFolder, options);
    const key = name.toLowerCase();
    const existing = byName.get(key);
    if (existing) {
      if (existing.root !== root) found.errors.push(`${root}: both this folder and ${existing.root} are the repository ${name}; map one of them in the config's repos`);
      return;
    }
    const repository: LocalRepository = { name, root, ...listWorkflows(root, found) };
    byName.set(key, repository);
    found.repositories.push(repository);
  };

  for (const path of paths) {
    const absolute = resolve(options.cwd, path);
    const kind = entryKind(absolute);
    if (kind === 'missing') {
      found.errors.push(`${path}: no such file or folder`);
      continue;
    }
    if (kind !== 'folder') {
      found.errors.push(kind === 'unreadable' ? `${path}: cannot be read (${readError(absolute)})` : `${path}: not a folder (give a repository folder or a folder of repositories)`);
      continue;
    }
    if (isRepository(absolute, found)) {
      add(absolute, undefined);
      continue;
    }
    const children = subfolders(absolute, found);
    const repositories = children.filter((child) => isRepository(child, found));
    if (repositories.length > 0) {
      for (const child of repositories) add(child, absolute);
      continue;
    }
    // A folder of org folders (e.g. one folder per owner): one level deeper, no more.
    const orgs = children.filter((child) => subfolders(child, found).some((grandchild) => isRepository(grandchild, found)));
    if (orgs.length > 0) {
      for (const org of orgs) for (const child of subfolders(org, found).filter((grandchild) => isRepository(grandchild, found))) add(child, org);
      continue;
    }
    found.errors.push(`${path}: no repository found (a repository is a folder with .github/ or .git, or a folder of such folders)`);
  }
  found.errors = [...new Set(found.errors)];
  found.notes = [...new Set(found.notes)];
  return found;
}

type EntryKind = 'missing' | 'folder' | 'file' | 'other' | 'unreadable';

/** What is at `path`, following symbolic links (a repository folder linked into an org folder is fine). */
function entryKind(path: string): EntryKind {
  try {
    const stats = statSync(path);
    return stats.isDirectory() ? 'folder' : stats.isFile() ? 'file' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unreadable';
  }
}

function readError(path: string): string {
  try {
    readdirSync(path);
    return 'unknown error';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

/**
 * A repository is a folder with `.github` or `.git`. A folder we cannot look into is reported rather than
 * taken for "not a repository": skipping it silently would report a partial scan as clean.
 */
function isRepository(folder: string, found: Discovery): boolean {
  // Looked up by name (a link counts, as it does in a listing), not by listing the folder: a repository's root can
  // hold thousands of entries, and an org thousands of repositories.
  for (const marker of ['.github', '.git']) {
    try {
      lstatSync(join(folder, marker));
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      found.errors.push(`${folder}: cannot be read (${code ?? String(error)}), so it was not scanned`);
      return false;
    }
  }
  return false;
}

function subfolders(folder: string, found: Discovery): string[] {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    found.errors.push(`${folder}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}), so it was not scanned`);
    return [];
  }
  const folders: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const name = entry.name;
    if (name.startsWith('.') || name === 'node_modules') continue;
    const path = join(folder, name);
    // The listing's type settles a plain folder or file without a stat; a link (or a type the listing lacks) is followed.
    const kind = entry.isDirectory() ? 'folder' : entry.isFile() ? 'file' : entryKind(path);
    if (kind === 'folder') folders.push(path);
    else if (kind === 'unreadable') found.errors.push(`${path}: cannot be read (${readError(path)}), so it was not scanned`);
  }
  return folders;
}

const SYMLINK_REASON = 'GitHub does not follow symbolic links in a repository, so it does not run this workflow as written (actions/runner#1420, #3195); commit the file itself';

/**
 * The workflow files GitHub reads: `*.yml` / `*.yaml` directly in `.github/workflows`. Symbolic links (the
 * file, the folder, or `.github`) are listed as rejected; a folder that cannot be read is a scan error.
 */
function listWorkflows(root: string, found: Discovery): Pick<LocalRepository, 'workflowPaths' | 'rejected'> {
  const listing: Pick<LocalRepository, 'workflowPaths' | 'rejected'> = { workflowPaths: [], rejected: new Map() };
  const folder = join(root, '.github', 'workflows');
  let linkedFolder: string | undefined;
  let entries;
  try {
    // One lstat per folder (an org has thousands of repositories): it says both whether it is there and whether it is a link.
    const github = lstatOrUndefined(join(root, '.github'));
    if (!github) return listing;
    const workflows = lstatOrUndefined(folder);
    if (!workflows) return listing;
    linkedFolder = github.isSymbolicLink() ? '.github' : workflows.isSymbolicLink() ? '.github/workflows' : undefined;
    // A linked folder is judged by what it points to.
    if (!(workflows.isSymbolicLink() ? statOrUndefined(folder) : workflows)?.isDirectory()) return listing;
    entries = readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    found.errors.push(`${folder}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}), so its workflows were not scanned`);
    return listing;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!/\.ya?ml$/i.test(entry.name)) continue;
    const path = `.github/workflows/${entry.name}`;
    if (entry.isSymbolicLink() || linkedFolder) {
      const what = entry.isSymbolicLink() ? 'this workflow file is a symbolic link' : `${linkedFolder} is a symbolic link`;
      listing.rejected.set(path, `${what}; ${SYMLINK_REASON}`);
    } else if (entry.isFile()) {
      listing.workflowPaths.push(path);
    } else {
      found.notes.push(`${join(folder, entry.name)}: skipped, it is ${entry.isDirectory() ? 'a folder' : 'not a regular file'}, and GitHub reads only files as workflows`);
    }
  }
  return listing;
}

/** Undefined for an absent path (without making an exception for it: discovery asks thousands of times). */
function lstatOrUndefined(path: string) {
  return lstatSync(path, { throwIfNoEntry: false });
}

function statOrUndefined(path: string) {
  return statSync(path, { throwIfNoEntry: false });
}

function repositoryName(root: string, orgFolder: string | undefined, options: DiscoveryOptions): string {
  const mapped = options.names.get(root);
  if (mapped) return mapped;
  const fromGit = originRepository(root);
  if (fromGit) return fromGit;
  if (orgFolder) return `${basename(orgFolder)}/${basename(root)}`;
  if (options.owner) return `${options.owner}/${basename(root)}`;
  // A repository given on its own, with no remote and no --owner: its parent folder plays the org folder.
  return `${basename(dirname(root))}/${basename(root)}`;
}

/** `owner/name` from the `origin` remote of a checkout whose root is exactly `root`. */
export function originRepository(root: string): string | undefined {
  const gitPath = join(root, '.git');
  let configPath: string;
  try {
    // Most folders of an org checkout tree have no .git: no exception made for that.
    const gitStat = statSync(gitPath, { throwIfNoEntry: false });
    if (!gitStat) return undefined;
    if (gitStat.isDirectory()) configPath = join(gitPath, 'config');
    else {
      const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(gitPath, 'utf8'))?.[1]?.trim();
      if (!pointer) return undefined;
      const gitDir = isAbsolute(pointer) ? pointer : resolve(root, pointer);
      const common = existsSync(join(gitDir, 'commondir')) ? resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim()) : gitDir;
      configPath = join(common, 'config');
    }
    const config = readFileSync(configPath, 'utf8');
    const section = /\[remote "origin"\]([^[]*)/.exec(config)?.[1];
    const url = section ? /^\s*url\s*=\s*(.+)$/m.exec(section)?.[1]?.trim() : undefined;
    return url ? repositoryFromUrl(url) : undefined;
  } catch {
    return undefined;
  }
}

/** `git@github.com:o/r.git`, `https://github.com/o/r`, `ssh://git@host/o/r.git` → `o/r`. */
export function repositoryFromUrl(url: string): string | undefined {
  const match = /[/:]([^/:\s]+)\/([^/\s]+?)(?:\.git)?\/?$/.exec(url.trim());
  return match ? `${match[1]}/${match[2]}` : undefined;
}
