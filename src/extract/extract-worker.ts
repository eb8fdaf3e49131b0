/** Worker-thread entry: extract the files it was given, posting their facts back a batch at a time (see WORKER_BATCH). */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkflowInputFile } from './workflow.js';
import { emptyExtraction, extractor, WORKER_BATCH, type ExtractionSettings, type WorkerMessage } from './parallel.js';

const { files, settings, recordReads } = workerData as { files: WorkflowInputFile[]; settings: ExtractionSettings; recordReads: boolean };
const extract = extractor(settings, recordReads);
for (let from = 0; from < files.length; from += WORKER_BATCH) {
  const batch = emptyExtraction();
  files.slice(from, from + WORKER_BATCH).forEach((file, index) => extract(file, index, batch));
  parentPort?.postMessage({ from, extracted: batch } satisfies WorkerMessage);
}
parentPort?.postMessage({ done: true } satisfies WorkerMessage);
