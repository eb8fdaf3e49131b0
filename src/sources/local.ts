/**
 * Finds the repositories behind the PATH arguments and names them (`owner/name`), as SPEC says:
 * the config's `repos` mapping, else the `origin` remote of a git checkout, else ORGFOLDER/FOLDER,
 * else `--owner` + folder name.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';

export interface LocalRepository {
  name: string;
  root: string;
  /** Workflow file paths relative to the root, with `/` separators, sorted. */
  workflowPaths: string[];
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
}

export function discoverLocal(paths: string[], options: DiscoveryOptions): Discovery {
  const found: Discovery = { repositories: [], errors: [] };
  const byName = new Map<string, LocalRepository>();
  const add = (root: string, orgFolder: string | undefined) => {
    const name = repositoryName(root, orgFolder, options);
    const key = name.toLowerCase();
    const existing = byName.get(key);
    if (existing) {
      if (existing.root !== root) found.errors.push(`${root}: both this folder and ${existing.root} are the repository ${name}; map one of them in the config's repos`);
      return;
    }
    const repository: LocalRepository = { name, root, workflowPaths: listWorkflows(root) };
    byName.set(key, repository);
    found.repositories.push(repository);
  };

  for (const path of paths) {
    const absolute = resolve(options.cwd, path);
    if (!existsSync(absolute)) {
      found.errors.push(`${path}: no such file or folder`);
      continue;
    }
    if (!statSync(absolute).isDirectory()) {
      found.errors.push(`${path}: not a folder (give a repository folder or a folder of repositories)`);
      continue;
    }
    if (isRepository(absolute)) {
      add(absolute, undefined);
      continue;
    }
    const children = subfolders(absolute);
    const repositories = children.filter(isRepository);
    if (repositories.length > 0) {
      for (const child of repositories) add(child, absolute);
      continue;
    }
    // A folder of org folders (e.g. one folder per owner): one level deeper, no more.
    const orgs = children.filter((child) => subfolders(child).some(isRepository));
    if (orgs.length > 0) {
      for (const org of orgs) for (const child of subfolders(org).filter(isRepository)) add(child, org);
      continue;
    }
    found.errors.push(`${path}: no repository found (a repository is a folder with .github/ or .git, or a folder of such folders)`);
  }
  return found;
}

function isRepository(folder: string): boolean {
  return existsSync(join(folder, '.github')) || existsSync(join(folder, '.git'));
}

function subfolders(folder: string): string[] {
  try {
    return readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
      .map((entry) => join(folder, entry.name))
      .sort();
  } catch {
    return [];
  }
}

function listWorkflows(root: string): string[] {
  const folder = join(root, '.github', 'workflows');
  try {
    return readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isFile() && /\.ya?ml$/i.test(entry.name))
      .map((entry) => `.github/workflows/${entry.name}`)
      .sort();
  } catch {
    return [];
  }
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
    if (statSync(gitPath).isDirectory()) configPath = join(gitPath, 'config');
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
