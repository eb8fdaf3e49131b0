/**
 * The facts cache (as ESLint's `--cache` and Ruff's cache): a workflow file's facts, kept on disk, keyed by what
 * they are made of, so a repeat lint of an unchanged org parses no YAML.
 *
 * An entry's key is a hash of the tool's version, the extraction settings (the config's `values`), the file's
 * repository and path (facts name them, and `github.*` resolves from the repository) and its content (the git
 * blob id of its text: in GitHub mode the id the listing gave). Files extraction read besides (composite
 * actions, reusable workflows, required scripts, an action's config file: anything read through
 * RepositoryFiles, absent ones included) are recorded with their blob ids, and the entry holds only while every
 * one of them still reads the same.
 *
 * The store is one file per set of linted repositories (so two orgs do not evict each other), written whole after
 * the lint with what this lint used. It is lines of JSON: a header (format stamp, checksums), the entries' keys and
 * reads, each entry's facts on a line of its own, and the local files' metadata. Facts stay JSON text until a lint
 * asks for them, so a warm lint parses each once and never unescapes a body holding them all. A file that is
 * corrupt, truncated, from another version, or not ours, is ignored (and replaced by the next write), never trusted.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowFacts } from '../model.js';
import { gitBlobOid } from '../sources/github/blob-cache.js';
import type { RepositoryFiles } from './repository-files.js';
import type { WorkflowInputFile } from './workflow.js';

/** Bump when the file's layout changes. The tool's version is part of every key besides. */
const FORMAT = 'dispatch-lint facts cache 3';

/**
 * A local file's metadata when it was last hashed, and the blob id it hashed to, so an unchanged file is judged by
 * `stat` alone (as ESLint's metadata cache, and git's index). Size, mtime, ctime and inode must all match, and a
 * file modified within RACY_MS of the moment its metadata was taken is never judged so (git's "racily clean"
 * rule): an edit in the same clock tick as the read, keeping size and mtime, would otherwise go unseen. Any
 * mismatch falls back to reading and hashing the content. A tool that rewrites a file and then restores its
 * mtime still changes its ctime, which is compared too.
 */
export interface FileStat {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
}
type StatEntry = [size: number, mtimeMs: number, ctimeMs: number, ino: number, takenAt: number, oid: string];
const RACY_MS = 2000;

/** A file extraction read besides the workflow: its blob id, or null when it was absent or unreadable. */
export type FileRead = [repo: string, path: string, oid: string | null];

/** The facts as JSON text (parsed afresh on each use, so nobody's changes reach the cache), and the files read. */
interface Entry {
  facts: string;
  reads: FileRead[];
}

interface StoreHeader {
  format: string;
  /** sha256 of the entry lines (keys and reads, then the facts), as written. */
  checksum: string;
  /** sha256 of the metadata line. */
  statsChecksum: string;
}

export class FactsCache {
  private readonly file: string;
  private readonly settingsKey: string;
  private readonly old = new Map<string, Entry>();
  private readonly kept = new Map<string, Entry>();
  /** Files whose facts came from the cache, and files extracted, in this lint. */
  hits = 0;
  misses = 0;
  private readonly loadedIntact: boolean;
  private readonly oldStats = new Map<string, StatEntry>();
  private readonly keptStats = new Map<string, StatEntry>();
  private statsChanged = false;

  /** `scope` names what is linted (sorted repository names): one store per scope. */
  constructor(dir: string, version: string, settings: unknown, scope: string) {
    this.file = join(dir, 'facts', `${sha256(scope).slice(0, 24)}.json`);
    this.settingsKey = sha256(JSON.stringify([version, settings]));
    const { entries: stored, stats } = readStore(this.file);
    for (const [key, entry] of stored) this.old.set(key, entry);
    for (const [path, stat] of stats) this.oldStats.set(path, stat);
    this.loadedIntact = stored.length > 0 && this.old.size === stored.length;
  }

  /** The key of one workflow file as it is now (`oid`: its text's blob id, when the caller has it). */
  keyOf(file: WorkflowInputFile, oid?: string): string {
    const content = file.rejectedBecause !== undefined ? `rejected:${file.rejectedBecause}` : oid ?? gitBlobOid(file.text);
    // The parts themselves, not a hash of them: a hash per file was a tenth of a warm lint.
    return JSON.stringify([this.settingsKey, file.repo, file.path, content, file.byteSize ?? null]);
  }

  /** The cached facts, when every file they were read from reads the same now (a fresh copy: callers may change it). */
  get(key: string, files: RepositoryFiles | undefined): WorkflowFacts | undefined {
    const entry = this.old.get(key) ?? this.kept.get(key);
    const current = entry?.reads.every(([repo, path, oid]) => {
      const text = files?.read(repo, path);
      return (text === undefined ? null : gitBlobOid(text)) === oid;
    });
    if (!entry || !current) {
      this.misses++;
      return undefined;
    }
    let facts: WorkflowFacts;
    try {
      facts = JSON.parse(entry.facts) as WorkflowFacts;
    } catch {
      this.misses++; // Past the checksum only by a collision; still never trusted.
      return undefined;
    }
    this.hits++;
    this.kept.set(key, entry);
    return facts;
  }

  /** The blob id of the local file at `path`, when its metadata says it is as it was when last hashed. */
  oidByStat(path: string, stat: FileStat): string | undefined {
    const known = this.oldStats.get(path);
    if (!known) return undefined;
    const [size, mtimeMs, ctimeMs, ino, takenAt, oid] = known;
    if (size !== stat.size || mtimeMs !== stat.mtimeMs || ctimeMs !== stat.ctimeMs || ino !== stat.ino) return undefined;
    if (Math.max(mtimeMs, ctimeMs) + RACY_MS > takenAt) return undefined;
    this.keptStats.set(path, known);
    return oid;
  }

  /** Notes a local file's metadata (taken before its text was read at `takenAt`) and the blob id of that text. */
  noteStat(path: string, stat: FileStat, takenAt: number, oid: string): void {
    this.keptStats.set(path, [stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino, takenAt, oid]);
    this.statsChanged = true;
  }

  set(key: string, facts: WorkflowFacts, reads: FileRead[]): void {
    this.kept.set(key, { facts: JSON.stringify(facts), reads });
  }

  /** Writes what this lint used (entries of files no longer linted are dropped). A failure to write is not the lint's. */
  save(): void {
    // Nothing new and nothing dropped: the store on disk already says exactly this.
    if (this.misses === 0 && this.kept.size === this.old.size && this.loadedIntact && !this.statsChanged && this.keptStats.size === this.oldStats.size) return;
    const entries = [...this.kept];
    // JSON.stringify escapes every newline inside a value, so each of these is one line.
    const entryLines = [JSON.stringify(entries.map(([key, entry]) => [key, entry.reads])), ...entries.map(([, entry]) => entry.facts)].join('\n');
    const stats = JSON.stringify([...this.keptStats]);
    const header: StoreHeader = { format: FORMAT, checksum: sha256(entryLines), statsChecksum: sha256(stats) };
    try {
      mkdirSync(join(this.file, '..'), { recursive: true });
      // Written aside and renamed, so a reader never sees half a file.
      const partial = `${this.file}.${process.pid}.tmp`;
      writeFileSync(partial, `${JSON.stringify(header)}\n${entryLines}\n${stats}\n`);
      renameSync(partial, this.file);
    } catch {
      // A read-only or full cache folder costs speed next time, nothing else.
    }
  }
}

function readStore(file: string): { entries: [string, Entry][]; stats: [string, StatEntry][] } {
  const none = { entries: [], stats: [] };
  try {
    const text = readFileSync(file, 'utf8');
    const headerEnd = text.indexOf('\n');
    const statsStart = text.lastIndexOf('\n', text.length - 2);
    if (headerEnd < 0 || statsStart <= headerEnd || !text.endsWith('\n')) return none;
    const header = JSON.parse(text.slice(0, headerEnd)) as Partial<StoreHeader> | null;
    const entryLines = text.slice(headerEnd + 1, statsStart);
    if (header?.format !== FORMAT || header.checksum !== sha256(entryLines)) return none;
    const lines = entryLines.split('\n');
    const index = JSON.parse(lines[0] as string) as unknown;
    if (!Array.isArray(index) || index.length !== lines.length - 1) return none;
    const entries: [string, Entry][] = [];
    index.forEach((item: unknown, at) => {
      if (Array.isArray(item) && typeof item[0] === 'string' && Array.isArray(item[1])) entries.push([item[0], { facts: lines[at + 1] as string, reads: item[1] as FileRead[] }]);
    });
    return { entries, stats: readStats(text.slice(statsStart + 1, -1), header.statsChecksum) };
  } catch {
    return none; // Absent, unreadable or not ours: start afresh.
  }
}

/** The metadata line: dropped whole when its checksum fails, entry by entry when an entry is malformed. */
function readStats(text: string, checksum: string | undefined): [string, StatEntry][] {
  if (checksum !== sha256(text)) return [];
  const stats = JSON.parse(text) as unknown;
  if (!Array.isArray(stats)) return [];
  return (stats as unknown[]).filter(
    (entry): entry is [string, StatEntry] =>
      Array.isArray(entry) && typeof entry[0] === 'string' && Array.isArray(entry[1]) && entry[1].length === 6 && entry[1].slice(0, 5).every((n: unknown) => typeof n === 'number') && typeof entry[1][5] === 'string' && /^[0-9a-f]{40}$/.test(entry[1][5]),
  );
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A RepositoryFiles that notes every read (with the blob id of what it read), for a cache entry's dependencies. */
export function recordingReads(files: RepositoryFiles): { files: RepositoryFiles; take(): FileRead[] } {
  let reads: FileRead[] = [];
  return {
    files: {
      read(repo, path) {
        const text = files.read(repo, path);
        if (!reads.some(([r, p]) => r === repo && p === path)) reads.push([repo, path, text === undefined ? null : gitBlobOid(text)]);
        return text;
      },
    },
    take() {
      const taken = reads;
      reads = [];
      return taken;
    },
  };
}
