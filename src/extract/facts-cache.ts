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
 * The store is one file per set of linted repositories (so two orgs do not evict each other), holding what the
 * last lint used. It is lines of JSON: each entry's facts on a line of its own, then the entries' keys and reads
 * (in the same order), the local files' metadata, and last a header (format stamp, checksums). Facts come first so
 * that a lint which extracts anything writes them out as it goes (to a file beside the store, renamed over it at the
 * end) instead of holding every file's facts twice, as objects and as text, until the end. Facts stay JSON text
 * until a lint asks for them, so a warm lint parses each once and never unescapes a body holding them all. A file
 * that is corrupt, truncated, from another version, or not ours, is ignored (and replaced by the next write), never
 * trusted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { WorkflowFacts } from '../model.js';
import { gitBlobOid } from '../sources/github/blob-cache.js';
import type { RepositoryFiles } from './repository-files.js';
import { ownCopy } from '../util/strings.js';
import type { WorkflowInputFile } from './workflow.js';

/** Bump when the file's layout changes. The tool's version is part of every key besides. */
const FORMAT = 'dispatch-lint facts cache 4';

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
  /** A stored entry's bytes are a view of the store as read (outside V8's heap), decoded only when asked for. */
  facts: string | Buffer;
  reads: FileRead[];
}

/** An entry this lint keeps: its facts' text until it is written out (see StoreWriter), and the stored entry it was. */
interface KeptEntry {
  facts?: string | Buffer;
  reads: FileRead[];
  from?: Entry;
}

interface StoreHeader {
  format: string;
  /** sha256 of the entry lines (the facts, then the keys and reads), each with its newline, as written. */
  checksum: string;
  /** sha256 of the metadata line. */
  statsChecksum: string;
}

export class FactsCache {
  private readonly file: string;
  private readonly settingsKey: string;
  private readonly old = new Map<string, Entry>();
  /** Each key's latest entry in this lint (a file extracted again, in GitHub mode, with the files it asked for). */
  private readonly kept = new Map<string, KeptEntry>();
  /** Where kept entries are written as they are met, once this lint has extracted anything; null once that failed. */
  private writer: StoreWriter | null | undefined;
  /** The keys and reads of the facts lines written, in order (a key kept again has a later line, which wins). */
  private readonly written: [string, FileRead[]][] = [];
  /** Files whose facts came from the cache, and files extracted, in this lint. */
  hits = 0;
  misses = 0;
  private readonly loadedIntact: boolean;
  private readonly oldStats = new Map<string, StatEntry>();
  private readonly keptStats = new Map<string, StatEntry>();
  private statsChanged = false;
  /** See readOid. */
  private readonly readOids = new Map<string, string | null>();
  private readOidsFrom: RepositoryFiles | undefined;

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
    const entry = this.old.get(key);
    const current = entry?.reads.every(([repo, path, oid]) => this.readOid(files, repo, path) === oid);
    if (!entry || !current) {
      this.misses++;
      return undefined;
    }
    let facts: WorkflowFacts;
    try {
      facts = JSON.parse(typeof entry.facts === 'string' ? entry.facts : entry.facts.toString('utf8')) as WorkflowFacts;
    } catch {
      this.misses++; // Past the checksum only by a collision; still never trusted.
      return undefined;
    }
    this.hits++;
    this.keep(key, { facts: entry.facts, reads: entry.reads, from: entry });
    return facts;
  }

  /**
   * The blob id of a file extraction read besides, as it reads now (null: absent or unreadable). Many entries name the
   * same action or script, so each is hashed once per set of files asked (GitHub mode asks again with more files).
   */
  private readOid(files: RepositoryFiles | undefined, repo: string, path: string): string | null {
    if (files !== this.readOidsFrom) {
      this.readOids.clear();
      this.readOidsFrom = files;
    }
    const at = `${repo}\u0000${path}`;
    const known = this.readOids.get(at);
    if (known !== undefined) return known;
    const text = files?.read(repo, path);
    const oid = text === undefined ? null : gitBlobOid(text);
    this.readOids.set(at, oid);
    return oid;
  }

  /** Whether the store held nothing to start with (a first lint, or one after a change of version or settings). */
  get startedEmpty(): boolean {
    return this.old.size === 0;
  }

  /** Counts a file the cache was not asked about because it could not have it (see startedEmpty). */
  countMiss(): void {
    this.misses++;
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
    // Something new: the store will be rewritten, so from here on what is kept is written out as it is met.
    if (this.writer === undefined) this.startWriting();
    this.keep(key, { facts: JSON.stringify(facts), reads });
  }

  /**
   * Writes what this lint used (entries of files no longer linted are dropped), and lets go of the stored text and the
   * entries: the lint's rules run after, and should not run beside a second copy of every file's facts. A failure to
   * write is not the lint's.
   */
  save(): void {
    try {
      this.write();
    } finally {
      this.close();
    }
  }

  /** Ends this lint's use of the cache without saving (the lint failed): the copy being written is removed. */
  discard(): void {
    this.writer?.abandon();
    this.close();
  }

  private close(): void {
    this.writer = null;
    for (const map of [this.old, this.kept, this.oldStats, this.keptStats, this.readOids]) map.clear();
    this.readOidsFrom = undefined;
    this.written.length = 0;
  }

  private write(): void {
    // Nothing new and nothing dropped: the store on disk already says exactly this.
    if (this.misses === 0 && this.kept.size === this.old.size && this.loadedIntact && !this.statsChanged && this.keptStats.size === this.oldStats.size) return;
    if (this.writer === undefined) this.startWriting();
    const writer = this.writer;
    if (!writer) return;
    try {
      writer.write(JSON.stringify(this.written));
      const stats = JSON.stringify([...this.keptStats]);
      const header: StoreHeader = { format: FORMAT, checksum: writer.digest(), statsChecksum: sha256(stats) };
      writer.write(stats);
      writer.write(JSON.stringify(header));
      writer.commit(this.file);
    } catch {
      writer.abandon(); // A read-only or full cache folder costs speed next time, nothing else.
    }
  }

  /** Keeps an entry for the next store; once the store is being written, it is written out now. */
  private keep(key: string, entry: KeptEntry): void {
    if (entry.from !== undefined && this.kept.get(key)?.from === entry.from) return; // the same stored entry again
    this.kept.set(key, entry);
    if (this.writer) this.writeOut(key, entry);
  }

  /** Opens the next store beside this one, and writes out what is kept so far (stored entries, one per key). */
  private startWriting(): void {
    try {
      mkdirSync(join(this.file, '..'), { recursive: true });
      // A name of its own: two lints of the same repositories (two processes, or two lints in one) never share it.
      this.writer = new StoreWriter(`${this.file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    } catch {
      this.writer = null;
    }
    for (const [key, entry] of this.kept) this.writeOut(key, entry);
  }

  private writeOut(key: string, entry: KeptEntry): void {
    const writer = this.writer;
    const facts = entry.facts;
    entry.facts = undefined; // not `delete`, which would turn every entry into a slower, larger dictionary object
    if (!writer || facts === undefined) return;
    try {
      writer.write(facts);
      this.written.push([key, entry.reads]);
    } catch {
      writer.abandon();
      this.writer = null;
    }
  }
}

/**
 * The next store, written line by line to a file beside it (renamed over it when whole, so a reader never sees half a
 * file), in chunks of about a megabyte, with the checksum of its entry lines worked out as they go.
 */
class StoreWriter {
  private readonly fd: number;
  private readonly hash = createHash('sha256');
  private chunk = '';
  private open = true;

  constructor(private readonly partial: string) {
    this.fd = openSync(partial, 'wx');
  }

  write(line: string | Buffer): void {
    if (typeof line === 'string') {
      this.chunk += `${line}\n`;
      if (this.chunk.length >= WRITE_CHUNK) this.flush();
      return;
    }
    this.flush();
    this.hash.update(line);
    writeSync(this.fd, line);
    this.chunk = '\n';
  }

  /** The checksum of every line written so far. */
  digest(): string {
    this.flush();
    return this.hash.copy().digest('hex');
  }

  commit(file: string): void {
    this.flush();
    this.close();
    renameSync(this.partial, file);
    removeStaleCopies(file);
  }

  abandon(): void {
    try {
      this.close();
      rmSync(this.partial, { force: true });
    } catch {
      // Left behind: a stray file in the cache folder, never read (its name is not a store's).
    }
  }

  private flush(): void {
    if (this.chunk === '' || !this.open) return;
    this.hash.update(this.chunk);
    writeSync(this.fd, this.chunk);
    this.chunk = '';
  }

  private close(): void {
    if (!this.open) return;
    this.open = false;
    closeSync(this.fd);
  }
}

const WRITE_CHUNK = 1 << 20;

/**
 * Removes the half-written stores a lint left beside `file` when it was stopped before its end (they are written
 * during the lint, see StoreWriter). One a day old is not another lint's that is still running.
 */
function removeStaleCopies(file: string): void {
  const dir = dirname(file);
  const prefix = `${basename(file)}.`;
  try {
    for (const name of readdirSync(dir)) {
      if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
      const path = join(dir, name);
      if (statSync(path).mtimeMs < Date.now() - STALE_COPY_MS) rmSync(path, { force: true });
    }
  } catch {
    // Left for the next lint to remove.
  }
}

const STALE_COPY_MS = 24 * 60 * 60 * 1000;

function readStore(file: string): { entries: [string, Entry][]; stats: [string, StatEntry][] } {
  const none = { entries: [], stats: [] };
  try {
    // Kept as bytes: the facts lines stay views of them, outside V8's heap, until a lint asks for one.
    const bytes = readFileSync(file);
    if (bytes.length === 0 || bytes[bytes.length - 1] !== NEWLINE) return none;
    // From the end: the header, the metadata, the index of keys and reads; the facts lines before them.
    // (A negative offset would make Buffer.lastIndexOf search from the end: the lines before must not be empty.)
    const headerStart = bytes.length >= 2 ? bytes.lastIndexOf(NEWLINE, bytes.length - 2) + 1 : 0;
    const statsStart = headerStart >= 2 ? bytes.lastIndexOf(NEWLINE, headerStart - 2) + 1 : -1;
    const indexStart = statsStart >= 2 ? bytes.lastIndexOf(NEWLINE, statsStart - 2) + 1 : -1;
    if (indexStart < 0) return none;
    const header = JSON.parse(bytes.toString('utf8', headerStart, bytes.length - 1)) as Partial<StoreHeader> | null;
    if (header?.format !== FORMAT || header.checksum !== sha256(bytes.subarray(0, statsStart))) return none;
    const index = JSON.parse(bytes.toString('utf8', indexStart, statsStart - 1)) as unknown;
    const lines: Buffer[] = [];
    // A newline byte is never part of a longer UTF-8 sequence, so the lines split where the text's lines do.
    for (let start = 0; start < indexStart; ) {
      const end = bytes.indexOf(NEWLINE, start);
      lines.push(bytes.subarray(start, end));
      start = end + 1;
    }
    if (!Array.isArray(index) || index.length !== lines.length) return none;
    const entries: [string, Entry][] = [];
    index.forEach((item: unknown, at) => {
      if (Array.isArray(item) && typeof item[0] === 'string' && Array.isArray(item[1])) entries.push([item[0], { facts: lines[at] as Buffer, reads: item[1] as FileRead[] }]);
    });
    return { entries, stats: readStats(bytes.toString('utf8', statsStart, headerStart - 1), header.statsChecksum) };
  } catch {
    return none; // Absent, unreadable or not ours: start afresh.
  }
}

const NEWLINE = 0x0a;

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

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A RepositoryFiles that notes every read (with the blob id of what it read), for a cache entry's dependencies. */
export function recordingReads(files: RepositoryFiles): { files: RepositoryFiles; take(): FileRead[] } {
  let reads: FileRead[] = [];
  return {
    files: {
      read(repo, path) {
        const text = files.read(repo, path);
        // Copied: the path is often cut from the workflow's text, and the entry outlives it (see ownCopy).
        if (!reads.some(([r, p]) => r === repo && p === path)) reads.push([ownCopy(repo), ownCopy(path), text === undefined ? null : gitBlobOid(text)]);
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
