/**
 * Extraction over many files, on the main thread or on worker threads too. Facts are plain data (no YAML
 * objects), so they cross the thread boundary by structured clone, a batch at a time (see WORKER_BATCH).
 *
 * A thread per 1,250 files at most (a worker starts with a cold module graph and JIT), and one JavaScript thread per
 * one and a half cores, rounded up: V8's own background threads (garbage collection, optimising compilation) need
 * room beside each. Measured on the 2-core machines this project runs on, idle, with V8 tuned as the CLI tunes it
 * (src/util/v8-flags.ts; runLint on bench's corpus-shaped orgs, no cache, workers 1 against 2, alternating, three
 * runs each): 2,500 files 2.6-2.7 s against 2.2-2.4 s; 5,000 files 4.1-4.3 s against 3.2-3.4 s; 10,000 files
 * 7.7-8.1 s and 166-169 MB against 5.8-6.4 s and 250-254 MB; bench's synthetic 10,000, 1.9 s against 1.5-1.6 s.
 * (Before that tuning, V8 recompiling extraction's code kept the second core busy, and two threads gained nothing.)
 * More cores than two were not measured. Files are shared by size, not by count, since a file's cost grows with
 * its bytes. `workers` forces a count.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isMainThread, Worker } from 'node:worker_threads';
import type { Config } from '../config/config.js';
import { declaredValues } from '../config/config.js';
import type { WorkflowFacts } from '../model.js';
import { scanSuppressions } from '../suppressions.js';
import { gitBlobOid } from '../sources/github/blob-cache.js';
import { recordingReads, type FileRead } from './facts-cache.js';
import { repositoryFiles, type RepositoryFileSources } from './repository-files.js';
import { extractWorkflow, type WorkflowInputFile } from './workflow.js';

/** JavaScript threads that can run beside V8's background work (see above): one per one and a half cores, rounded up. */
export function usefulThreads(cores = availableParallelism()): number {
  return Math.max(1, Math.ceil(cores / 1.5));
}

/** Files per thread before another thread is worth starting (measured on 2 cores: see above). */
const FILES_PER_THREAD_MINIMUM = 1_250;

/** How many threads extractInParallel uses for `fileCount` files (`workers` forces a count). */
export function threadsFor(fileCount: number, workers?: number): number {
  return Math.min(workers ?? Math.min(usefulThreads(), Math.floor(fileCount / FILES_PER_THREAD_MINIMUM)), fileCount);
}

export interface ExtractionSettings {
  values: Config['values'];
  /** Where the repositories' other files are read from (plain data: it crosses to worker threads). */
  files?: RepositoryFileSources;
}

/** Each file's facts (its suppression comments included), and with `recordReads` the other files each one read. */
export interface Extracted {
  facts: WorkflowFacts[];
  reads?: FileRead[][];
  /** With `recordReads`: the blob id of each file's text as it was extracted (the cache key is made of it). */
  oids?: string[];
  /** Files given by `readFrom` that could not be read: index → the error code. Their facts are empty. */
  unreadable?: Record<number, string>;
}

export async function extractInParallel(files: WorkflowInputFile[], settings: ExtractionSettings, workers?: number, recordReads = false): Promise<Extracted> {
  const count = threadsFor(files.length, workers);
  if (count <= 1) return extractAll(files, settings, recordReads);
  const shares = shareBySize(files, count);
  // The main thread takes the first share itself: one thread fewer to start, and it would only wait otherwise.
  const running = shares.slice(1).map((share) => runWorker(share.map((index) => files[index] as WorkflowInputFile), settings, recordReads));
  const results = [extractAll(shares[0]?.map((index) => files[index] as WorkflowInputFile) ?? [], settings, recordReads), ...(await Promise.all(running))];
  const merged: Required<Extracted> = { facts: new Array(files.length), reads: new Array(files.length), oids: new Array(files.length), unreadable: {} };
  results.forEach((result, thread) =>
    shares[thread]?.forEach((fileIndex, index) => {
      merged.facts[fileIndex] = result.facts[index] as WorkflowFacts;
      merged.reads[fileIndex] = result.reads?.[index] ?? [];
      merged.oids[fileIndex] = result.oids?.[index] ?? '';
      const unreadable = result.unreadable?.[index];
      if (unreadable !== undefined) merged.unreadable[fileIndex] = unreadable;
    }),
  );
  return merged;
}

/**
 * Splits the files into `count` shares of about the same bytes (the cost of a file grows with its size): largest
 * first, each to the share with the fewest bytes so far. Returns indexes into `files`, in file order within a share.
 */
export function shareBySize(files: WorkflowInputFile[], count: number): number[][] {
  const shares: number[][] = Array.from({ length: count }, () => []);
  const bytes: number[] = new Array(count).fill(0);
  const bySize = files.map((file, index) => ({ index, size: file.sizeOnDisk ?? file.byteSize ?? file.text.length })).sort((a, b) => b.size - a.size || a.index - b.index);
  for (const { index, size } of bySize) {
    let lightest = 0;
    for (let share = 1; share < count; share++) if ((bytes[share] as number) < (bytes[lightest] as number)) lightest = share;
    shares[lightest]?.push(index);
    bytes[lightest] = (bytes[lightest] as number) + size + 200; // + a little for the per-file cost of a tiny file
  }
  return shares.map((share) => share.sort((a, b) => a - b));
}

export function extractAll(files: WorkflowInputFile[], settings: ExtractionSettings, recordReads = false): Extracted {
  const extract = extractor(settings, recordReads);
  const extracted = emptyExtraction();
  files.forEach((file, index) => extract(file, index, extracted));
  return withoutEmpty(extracted, recordReads);
}

/** An extraction to fill in (see extractor). */
export function emptyExtraction(): Required<Extracted> {
  return { facts: [], reads: [], oids: [], unreadable: {} };
}

/**
 * Extracts one file at a time into `into`: its facts at `index` (and with `recordReads` the files it read and its
 * text's blob id), or why it could not be read. What files' extractions share (the config's values, the other files
 * of the repositories) is set up once.
 */
export function extractor(settings: ExtractionSettings, recordReads: boolean): (given: WorkflowInputFile, index: number, into: Required<Extracted>) => void {
  const declared = declaredValues({ values: settings.values } as Config);
  const repository = settings.files ? repositoryFiles(settings.files) : undefined;
  const recorder = repository && recordReads ? recordingReads(repository) : undefined;
  const readers = recorder?.files ?? repository;
  return (given, index, into) => {
    // A file given by path is read here, and its text is garbage once its facts are out.
    let file = given;
    if (given.readFrom !== undefined) {
      try {
        file = { ...given, text: readFileSync(given.readFrom, 'utf8') };
      } catch (error) {
        into.unreadable[index] = (error as NodeJS.ErrnoException).code ?? String(error);
      }
    }
    const workflow = extractWorkflow(file, { declared, ...(readers ? { files: readers } : {}) });
    // Suppression comments are read from the same text, into plain data kept beside the facts.
    const suppressions = file.rejectedBecause === undefined ? scanSuppressions(file.text) : undefined;
    if (suppressions) workflow.suppressions = suppressions;
    if (recordReads) {
      into.reads[index] = recorder?.take() ?? [];
      into.oids[index] = gitBlobOid(file.text);
    }
    // Facts hold strings sliced out of the file's text, and a V8 slice keeps its whole parent alive: kept as they
    // are, the facts of an org would hold every byte of its YAML until the end. On the main thread they are copied
    // out (see compactFacts); a worker thread's are copied as it posts them.
    into.facts[index] = isMainThread ? compactFacts(workflow) : workflow;
  };
}

/**
 * A copy of the facts through JSON text, as the facts cache keeps them (facts are plain JSON data: a warm lint, from
 * the cache, gives the same report as a cold one). JSON.parse builds each object with a map of exactly its
 * properties, where a structured clone's deserialiser adds them one by one to a generic object and leaves slack: on
 * 3,923 corpus-shaped files, 4.8 MB of facts from JSON against 8.3 MB structured-cloned, in the same time. On the
 * 30,000-file corpus-shaped org (two threads, empty facts cache) the main thread's live heap after extraction fell
 * from 121 to 116 MB, the half it extracts itself. Posting a worker's facts as JSON too cut another 5 MB of live heap
 * but raised the peak resident memory by 8-20 MB, so a worker's go by structured clone.
 */
export function compactFacts(workflow: WorkflowFacts): WorkflowFacts {
  return JSON.parse(JSON.stringify(workflow)) as WorkflowFacts;
}

function withoutEmpty(extracted: Required<Extracted>, recordReads: boolean): Extracted {
  const result: Extracted = recordReads ? { facts: extracted.facts, reads: extracted.reads, oids: extracted.oids } : { facts: extracted.facts };
  if (Object.keys(extracted.unreadable).length > 0) result.unreadable = extracted.unreadable;
  return result;
}

/** What a worker thread posts: the extraction of its files from `from` on (indexes within the batch), or that it is done. */
export type WorkerMessage = { from: number; extracted: Required<Extracted> } | { done: true };

/**
 * Files a worker extracts before posting their facts. Posted (copied out) and dropped a batch at a time, a worker
 * holds a batch's facts and the texts they are cut from, not its whole share's: with the share posted at the end,
 * two threads on the 30,000-file corpus-shaped org peaked at 477 MB against 268 MB for one.
 */
export const WORKER_BATCH = 256;

/**
 * A worker's young generation (where a parse tree lives and dies), capped: a worker keeps only a batch's facts, so a
 * larger one holds garbage, not speed. Measured (.scratch/abcold.mjs: runLint with an empty facts cache, two threads,
 * alternating, V8's default against 16): corpus-shaped 10,000 files 4.5-5.1 s and 248-250 MB against 4.5-4.6 s and
 * 223-225 MB; 30,000 files 11.3 s and 336-338 MB against 11.3-11.4 s and 312-313 MB. At 8, the 30,000 took 11.7-12.2 s.
 */
const WORKER_YOUNG_GENERATION_MB = 16;

function runWorker(files: WorkflowInputFile[], settings: ExtractionSettings, recordReads: boolean): Promise<Extracted> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./extract-worker.js', import.meta.url), { workerData: { files, settings, recordReads }, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    const extracted = emptyExtraction();
    extracted.facts.length = files.length; // so a batch that never came shows as a hole (see below)
    let done = false;
    worker.on('message', (message: WorkerMessage) => {
      if ('done' in message) {
        done = true;
        const missing = extracted.facts.findIndex((facts) => facts === undefined);
        if (missing >= 0) reject(new Error(`extraction worker said it was done without the facts of ${files[missing]?.path ?? 'a file'}`));
        else resolve(withoutEmpty(extracted, recordReads));
        return;
      }
      const { from, extracted: batch } = message;
      batch.facts.forEach((facts, index) => {
        extracted.facts[from + index] = facts;
        if (recordReads) {
          extracted.reads[from + index] = batch.reads[index] ?? [];
          extracted.oids[from + index] = batch.oids[index] ?? '';
        }
      });
      for (const [index, code] of Object.entries(batch.unreadable)) extracted.unreadable[from + Number(index)] = code;
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!done) reject(new Error(`extraction worker stopped with exit code ${code} before it was done`));
    });
  });
}
