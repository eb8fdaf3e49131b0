/**
 * The other files of the scanned repositories that a workflow loads: local composite actions
 * (`uses: ./.github/actions/x`), reusable workflows, scripts a github-script step requires, a config file an
 * action reads. Extraction asks for them by repository and path; where they come from (a local folder, files
 * fetched from GitHub) is the engine's business. Built from plain data, so a worker thread can build its own.
 */
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';

export interface RepositoryFiles {
  /** The text of `path` (relative to the repository root) in `repo`, or undefined when it is absent or unreadable. */
  read(repo: string, path: string): string | undefined;
}

export interface RepositoryFileSources {
  /** Lower-case `owner/name` → the repository's local folder. */
  roots?: Record<string, string>;
  /** Lower-case `owner/name` → path → text, for repositories fetched from GitHub. */
  texts?: Record<string, Record<string, string>>;
}

/** Larger files are not what a workflow loads (and are not read): the limit workflows themselves have. */
const MAX_FILE_BYTES = 1024 * 1024;

export function repositoryFiles(sources: RepositoryFileSources): RepositoryFiles {
  const cache = new Map<string, string | undefined>();
  return {
    read(repo, path) {
      const normal = normalisePath(path);
      if (normal === undefined) return undefined;
      const key = `${repo.toLowerCase()}\u0000${normal}`;
      if (cache.has(key)) return cache.get(key);
      const text = readFrom(sources, repo.toLowerCase(), normal);
      cache.set(key, text);
      return text;
    },
  };
}

/** The same files, telling `onRequest` of each distinct file asked for (read or not), by normalised path. */
export function recordingRequests(files: RepositoryFiles, onRequest: (repo: string, path: string) => void): RepositoryFiles {
  const seen = new Set<string>();
  return {
    read(repo, path) {
      const normal = normalisePath(path);
      if (normal !== undefined && !seen.has(`${repo}\u0000${normal}`)) {
        seen.add(`${repo}\u0000${normal}`);
        onRequest(repo, normal);
      }
      return files.read(repo, path);
    },
  };
}

/** `./.github/actions/x/` → `.github/actions/x`; undefined for a path that leaves the repository. */
export function normalisePath(path: string): string | undefined {
  if (path === '' || isAbsolute(path) || path.includes('\\') || path.includes('\u0000')) return undefined;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.length === 0 ? undefined : parts.join('/');
}

function readFrom(sources: RepositoryFileSources, repo: string, path: string): string | undefined {
  const fetched = sources.texts?.[repo];
  if (fetched) return Object.hasOwn(fetched, path) ? fetched[path] : undefined;
  const root = sources.roots?.[repo];
  if (root === undefined) return undefined;
  const file = resolve(join(root, path));
  // Symbolic links inside the repository could point anywhere; only files under its root are read.
  if (relative(root, file).startsWith('..')) return undefined;
  try {
    // An absent file is the common answer (action.yml or action.yaml?): no exception made for it.
    const stat = statSync(file, { throwIfNoEntry: false });
    if (stat === undefined || stat.size > MAX_FILE_BYTES) return undefined;
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
