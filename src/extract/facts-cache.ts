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
 * The store is one JSON file per set of linted repositories (so two orgs do not evict each other), written whole
 * after the lint with what this lint used. It carries a format stamp and a checksum of its body: a file that is
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
const FORMAT = 'dispatch-lint facts cache 1';

/** A file extraction read besides the workflow: its blob id, or null when it was absent or unreadable. */
export type FileRead = [repo: string, path: string, oid: string | null];

/** The facts as JSON text (parsed afresh on each use, so nobody's changes reach the cache), and the files read. */
interface Entry {
  facts: string;
  reads: FileRead[];
}

interface Stored {
  format: string;
  checksum: string;
  body: string;
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

  /** `scope` names what is linted (sorted repository names): one store per scope. */
  constructor(dir: string, version: string, settings: unknown, scope: string) {
    this.file = join(dir, 'facts', `${sha256(scope).slice(0, 24)}.json`);
    this.settingsKey = sha256(JSON.stringify([version, settings]));
    const stored = readStore(this.file);
    for (const [key, entry] of stored) this.old.set(key, entry);
    this.loadedIntact = stored.length > 0 && this.old.size === stored.length;
  }

  /** The key of one workflow file as it is now (`oid`: its text's blob id, when the caller has it). */
  keyOf(file: WorkflowInputFile, oid?: string): string {
    const content = file.rejectedBecause !== undefined ? `rejected:${file.rejectedBecause}` : oid ?? gitBlobOid(file.text);
    return sha256(JSON.stringify([this.settingsKey, file.repo, file.path, content, file.byteSize ?? null]));
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
    this.hits++;
    this.kept.set(key, entry);
    return JSON.parse(entry.facts) as WorkflowFacts;
  }

  set(key: string, facts: WorkflowFacts, reads: FileRead[]): void {
    this.kept.set(key, { facts: JSON.stringify(facts), reads });
  }

  /** Writes what this lint used (entries of files no longer linted are dropped). A failure to write is not the lint's. */
  save(): void {
    // Nothing new and nothing dropped: the store on disk already says exactly this.
    if (this.misses === 0 && this.kept.size === this.old.size && this.loadedIntact) return;
    const body = JSON.stringify([...this.kept]);
    const stored: Stored = { format: FORMAT, checksum: sha256(body), body };
    try {
      mkdirSync(join(this.file, '..'), { recursive: true });
      // Written aside and renamed, so a reader never sees half a file.
      const partial = `${this.file}.${process.pid}.tmp`;
      writeFileSync(partial, JSON.stringify(stored));
      renameSync(partial, this.file);
    } catch {
      // A read-only or full cache folder costs speed next time, nothing else.
    }
  }
}

function readStore(file: string): [string, Entry][] {
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<Stored>;
    if (stored.format !== FORMAT || typeof stored.body !== 'string' || stored.checksum !== sha256(stored.body)) return [];
    const entries = JSON.parse(stored.body) as unknown;
    if (!Array.isArray(entries)) return [];
    return (entries as unknown[]).filter((entry): entry is [string, Entry] => Array.isArray(entry) && typeof entry[0] === 'string' && typeof (entry[1] as Entry)?.facts === 'string' && Array.isArray((entry[1] as Entry).reads));
  } catch {
    return []; // Absent, unreadable or not JSON: start afresh.
  }
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
