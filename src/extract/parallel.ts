/**
 * Extraction over many files, on the main thread or on worker threads too. Facts are plain data (no YAML
 * objects), so they cross the thread boundary by structured clone.
 *
 * A thread per 1,250 files at most (at 1,000 files a second thread lost: a worker starts with a cold module graph
 * and JIT), and one JavaScript thread per one and a half cores: V8's own background threads (garbage collection
 * marking and sweeping, optimising compilation) keep about half a core busy beside each. Measured on the 2-core
 * machines this project runs on, idle (runLint on bench's corpus-shaped org of 10,000 files, no cache, workers 1
 * against 2, alternating): one thread 6.1-6.2 s wall and 9.2-9.4 s CPU, two threads 6.3 s wall, 11.9 s CPU and
 * 80 MB more memory; the synthetic org alike (1.5 s either way). So on two cores, one thread; on four, two.
 * Files are shared by size, not by count, since a file's cost grows with its bytes. `workers` forces a count.
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

/** JavaScript threads that can run beside V8's background work (see above): one per one and a half cores. */
export function usefulThreads(cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / 1.5));
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
  const declared = declaredValues({ values: settings.values } as Config);
  const repository = settings.files ? repositoryFiles(settings.files) : undefined;
  const recorder = repository && recordReads ? recordingReads(repository) : undefined;
  const reads: FileRead[][] = [];
  const oids: string[] = [];
  const unreadable: Record<number, string> = {};
  const facts = files.map((given, index) => {
    // A file given by path is read here, and its text is garbage once its facts are out.
    let file = given;
    if (given.readFrom !== undefined) {
      try {
        file = { ...given, text: readFileSync(given.readFrom, 'utf8') };
      } catch (error) {
        unreadable[index] = (error as NodeJS.ErrnoException).code ?? String(error);
      }
    }
    const readers = recorder?.files ?? repository;
    const workflow = extractWorkflow(file, { declared, ...(readers ? { files: readers } : {}) });
    // Suppression comments are read from the same text, into plain data kept beside the facts.
    const suppressions = file.rejectedBecause === undefined ? scanSuppressions(file.text) : undefined;
    if (suppressions) workflow.suppressions = suppressions;
    if (recordReads) {
      reads.push(recorder?.take() ?? []);
      oids.push(gitBlobOid(file.text));
    }
    // Facts hold strings sliced out of the file's text, and a V8 slice keeps its whole parent alive: kept as they
    // are, the facts of an org would hold every byte of its YAML until the end. A structured clone copies them out
    // (worker threads' facts are cloned anyway, crossing to the main thread). Measured on the corpus-shaped org of
    // 10,000 files, one thread: 105 MB live after extraction without, 51 MB with, the same wall time.
    return isMainThread ? structuredClone(workflow) : workflow;
  });
  const extracted: Extracted = recordReads ? { facts, reads, oids } : { facts };
  if (Object.keys(unreadable).length > 0) extracted.unreadable = unreadable;
  return extracted;
}

function runWorker(files: WorkflowInputFile[], settings: ExtractionSettings, recordReads: boolean): Promise<Extracted> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./extract-worker.js', import.meta.url), { workerData: { files, settings, recordReads } });
    worker.once('message', (extracted: Extracted) => resolve(extracted));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`extraction worker stopped with exit code ${code}`));
    });
  });
}
