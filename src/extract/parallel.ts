/**
 * Extraction over many files, on the main thread or on worker threads. Facts are plain data, so they cross
 * the thread boundary by structured clone.
 *
 * Measured on the 2-core machines this project runs on (npm run bench, 10,000 workflows): two workers were no
 * faster than one thread. Parsing YAML allocates heavily and is memory-bound there, each worker also starts
 * with a cold JIT, and the quiet-file fast path already leaves little to share. So the default is one thread
 * until a scan is large enough for workers to amortise their start; `workers` forces a count.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Config } from '../config/config.js';
import { declaredValues } from '../config/config.js';
import type { WorkflowFacts } from '../model.js';
import { scanSuppressions } from '../suppressions.js';
import { recordingReads, type FileRead } from './facts-cache.js';
import { repositoryFiles, type RepositoryFileSources } from './repository-files.js';
import { extractWorkflow, type WorkflowInputFile } from './workflow.js';

/** Files per worker before workers are worth starting (see above: on 2 cores, not even at 10,000 files). */
const FILES_PER_WORKER_MINIMUM = 25_000;

export interface ExtractionSettings {
  values: Config['values'];
  /** Where the repositories' other files are read from (plain data: it crosses to worker threads). */
  files?: RepositoryFileSources;
}

/** Each file's facts (its suppression comments included), and with `recordReads` the other files each one read. */
export interface Extracted {
  facts: WorkflowFacts[];
  reads?: FileRead[][];
}

export async function extractInParallel(files: WorkflowInputFile[], settings: ExtractionSettings, workers?: number, recordReads = false): Promise<Extracted> {
  const count = workers ?? Math.min(availableParallelism(), Math.floor(files.length / FILES_PER_WORKER_MINIMUM));
  if (count <= 1) return extractAll(files, settings, recordReads);
  const chunks: WorkflowInputFile[][] = Array.from({ length: count }, () => []);
  // Round-robin keeps big and small repositories spread across the workers.
  files.forEach((file, index) => chunks[index % count]?.push(file));
  const results = await Promise.all(chunks.map((chunk) => runWorker(chunk, settings, recordReads)));
  const facts: WorkflowFacts[] = new Array(files.length);
  const reads: FileRead[][] = new Array(files.length);
  results.forEach((result, worker) =>
    result.facts.forEach((workflow, index) => {
      facts[index * count + worker] = workflow;
      reads[index * count + worker] = result.reads?.[index] ?? [];
    }),
  );
  return recordReads ? { facts, reads } : { facts };
}

export function extractAll(files: WorkflowInputFile[], settings: ExtractionSettings, recordReads = false): Extracted {
  const declared = declaredValues({ values: settings.values } as Config);
  const repository = settings.files ? repositoryFiles(settings.files) : undefined;
  const recorder = repository && recordReads ? recordingReads(repository) : undefined;
  const reads: FileRead[][] = [];
  const facts = files.map((file) => {
    const readers = recorder?.files ?? repository;
    const workflow = extractWorkflow(file, { declared, ...(readers ? { files: readers } : {}) });
    // Suppression comments are read from the same text, into plain data kept beside the facts.
    const suppressions = file.rejectedBecause === undefined ? scanSuppressions(file.text) : undefined;
    if (suppressions) workflow.suppressions = suppressions;
    if (recordReads) reads.push(recorder?.take() ?? []);
    return workflow;
  });
  return recordReads ? { facts, reads } : { facts };
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
