/**
 * Files a workflow loads and runs as part of itself: a local composite action (`uses: ./.github/actions/x`,
 * its `action.yml`) and a reusable workflow (`uses: ./.github/workflows/f.yml` or `OWNER/REPO/.github/workflows/
 * f.yml@REF`). They are read through RepositoryFiles and parsed with positions like a workflow, so their steps
 * can be walked in the caller's context (src/extract/workflow.ts).
 */
import { isMap, LineCounter, type YAMLMap } from 'yaml';
import { SourceFile } from '../yaml/source.js';
import { resolveAliases } from '../yaml/aliases.js';
import { MAX_NESTING_DEPTH, nodeDeeperThan } from './limits.js';
import { parseDocumentCapped } from '../yaml/capped-parse.js';
import { parseCommonYaml } from '../yaml/common-yaml.js';
import { normalisePath, type RepositoryFiles } from './repository-files.js';

export interface LoadedFile {
  repo: string;
  path: string;
  root: YAMLMap;
  source: SourceFile;
}

/** Where a `uses:` points, when it is a file dispatch-lint can read: a local action folder, or a reusable workflow. */
export type UsesTarget =
  | { kind: 'composite'; repo: string; folder: string }
  | { kind: 'reusable'; repo: string; path: string };

/** `./path` (a local action, or a local reusable workflow) or `owner/repo/.github/workflows/f.yml@ref`. */
export function usesTarget(uses: string, repo: string): UsesTarget | undefined {
  const text = uses.trim();
  if (text.startsWith('./')) {
    const path = normalisePath(text.slice(2));
    if (path === undefined) return undefined;
    return /^\.github\/workflows\/[^/]+\.ya?ml$/i.test(path) ? { kind: 'reusable', repo, path } : { kind: 'composite', repo, folder: path };
  }
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)\/(\.github\/workflows\/[^/@]+\.ya?ml)@\S+$/i.exec(text);
  return match ? { kind: 'reusable', repo: `${match[1]}/${match[2]}`, path: match[3] as string } : undefined;
}

/**
 * The parsed file, or undefined when it is absent, unreadable, not a mapping, invalid, or nested beyond the
 * limit (a broken action or reusable workflow is its own file's business, or GitHub's run-time error).
 */
export function loadFile(files: RepositoryFiles | undefined, repo: string, path: string): LoadedFile | undefined {
  const text = files?.read(repo, path);
  if (text === undefined || text.includes('\u0000')) return undefined;
  const key = `${repo}\u0000${path}`;
  const known = parsedFiles.get(key);
  if (known?.text === text) return known.loaded;
  const loaded = parseLoaded(text, repo, path);
  parsedFiles.delete(key);
  if (parsedFiles.size >= MAX_PARSED_FILES) parsedFiles.delete(parsedFiles.keys().next().value as string);
  parsedFiles.set(key, { text, loaded });
  return loaded;
}

/**
 * Files parsed in this thread, by repository and path: an action or reusable workflow used by many workflows is
 * parsed once. The text is kept with it, so a changed file (another run, another revision) is parsed again.
 * Loaded files are read-only to extraction.
 */
const parsedFiles = new Map<string, { text: string; loaded: LoadedFile | undefined }>();
/**
 * Files are extracted repository by repository, so the few most recent files are all the memo needs; unbounded, it
 * held a YAML tree of every action of every repository until the end (an org of 4,700 repositories).
 */
const MAX_PARSED_FILES = 64;

function parseLoaded(text: string, repo: string, path: string): LoadedFile | undefined {
  const lineCounter = new LineCounter();
  const common = parseCommonYaml(text, lineCounter);
  if (common) return nodeDeeperThan(common, MAX_NESTING_DEPTH) ? undefined : { repo, path, root: common, source: new SourceFile(text, lineCounter) };
  // Any error makes the file unread, so a storm of them need not be counted to the end.
  const { doc } = parseDocumentCapped(text, lineCounter, { keepSourceTokens: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const aliases = resolveAliases(doc);
  if (aliases.exhausted || nodeDeeperThan(doc.contents, MAX_NESTING_DEPTH)) return undefined;
  return { repo, path, root: doc.contents, source: new SourceFile(text, lineCounter) };
}

/** A local action folder's metadata file: `action.yml`, else `action.yaml` (as the runner looks). */
export function loadAction(files: RepositoryFiles | undefined, repo: string, folder: string): LoadedFile | undefined {
  return loadFile(files, repo, `${folder}/action.yml`) ?? loadFile(files, repo, `${folder}/action.yaml`);
}
