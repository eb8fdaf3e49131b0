/** Worker-thread entry: extract the files it was given and post the facts back. */
import { parentPort, workerData } from 'node:worker_threads';
import type { WorkflowInputFile } from './workflow.js';
import { extractAll, type ExtractionSettings } from './parallel.js';

const { files, settings, recordReads } = workerData as { files: WorkflowInputFile[]; settings: ExtractionSettings; recordReads: boolean };
parentPort?.postMessage(extractAll(files, settings, recordReads));
