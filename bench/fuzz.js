#!/usr/bin/env node
/**
 * npm run fuzz [-- --cases N] [--seed S] [--workers W]: lints N mutated corpus workflows (bench/fuzz/mutate.js)
 * through the CLI's lint path in worker threads, each with a 10 s budget, and prints cases run, crashes,
 * timeouts and the slowest input; failing inputs go to .fuzz/. Then it times a 1 MB file of each shape that
 * was quadratic in issue 7 item 7 (printed, never asserted). Exit 1 when any case crashed or timed out.
 *
 * A crash (bench/fuzz/check.js): a stack trace or internal error, an exit code other than 0/1/2, a report that
 * lost a repository; and here also a fast path that disagrees with the full parse (issue 7 item 9).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { corpusWorkflows, createFuzzer, quadraticShapes } from './fuzz/mutate.js';

const PROJECT = fileURLToPath(new URL('..', import.meta.url));
const TIMEOUT_MS = 10_000;
const { values } = parseArgs({ options: { cases: { type: 'string', default: '100000' }, seed: { type: 'string', default: '1' }, workers: { type: 'string', default: '1' } } });
const cases = Number(values.cases);
const seed = Number(values.seed);
const workerCount = Math.max(1, Number(values.workers));

const corpus = corpusWorkflows(join(PROJECT, '..', 'shared', 'corpus'));
if (corpus.missing) {
  console.log(`fuzz skipped: ${corpus.missing}`);
  process.exit(0);
}
const outDir = join(PROJECT, '.fuzz');

/** A worker and its current case; a timed-out worker is terminated and replaced. */
class Runner {
  start() {
    this.worker = new Worker(new URL('./fuzz/worker.js', import.meta.url));
    this.ready = new Promise((resolve) => this.worker.once('message', resolve));
    this.worker.on('error', (error) => this.settle?.({ ms: 0, problem: `worker died: ${error.stack ?? error}` }));
    this.worker.on('message', (message) => message.id !== undefined && this.settle?.(message));
    return this;
  }
  async run(fuzzCase, id, timeoutMs = TIMEOUT_MS) {
    await this.ready;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.settle = undefined;
        void this.worker.terminate();
        this.start();
        resolve({ ms: timeoutMs, timeout: true });
      }, timeoutMs);
      this.settle = (result) => {
        clearTimeout(timer);
        this.settle = undefined;
        resolve(result);
      };
      this.worker.postMessage({ id, text: fuzzCase.text, name: basename(fuzzCase.source) });
    });
  }
}

const fuzzer = createFuzzer({ seed, files: corpus.files });
const runners = Array.from({ length: workerCount }, () => new Runner().start());
let next = 0;
let crashes = 0;
let timeouts = 0;
let slowest = { ms: -1 };
const started = performance.now();

function record(index, fuzzCase, why) {
  mkdirSync(outDir, { recursive: true });
  const stem = join(outDir, `seed${seed}-case${index}`);
  writeFileSync(`${stem}.yml`, fuzzCase.text);
  writeFileSync(`${stem}.json`, `${JSON.stringify({ seed, case: index, kinds: fuzzCase.kinds, source: fuzzCase.source, why }, null, 2)}\n`);
  console.log(`case ${index} [${fuzzCase.kinds.join(', ')}] of ${fuzzCase.source}: ${why} -> ${stem}.yml`);
}

await Promise.all(
  runners.map(async (runner) => {
    while (next < cases) {
      const index = next++;
      const fuzzCase = fuzzer.next();
      const result = await runner.run(fuzzCase, index);
      if (result.timeout) {
        timeouts++;
        record(index, fuzzCase, `timeout (over ${TIMEOUT_MS} ms)`);
      } else if (result.problem) {
        crashes++;
        record(index, fuzzCase, result.problem);
      }
      const lintMs = result.lintMs ?? result.ms;
      if (lintMs > slowest.ms) slowest = { ms: lintMs, caseMs: result.ms, index, kinds: fuzzCase.kinds, source: fuzzCase.source, bytes: fuzzCase.text.length };
      if ((index + 1) % 10_000 === 0) console.log(`  ${index + 1} cases, ${crashes} crashes, ${timeouts} timeouts, ${Math.round((performance.now() - started) / 1000)} s`);
    }
  }),
);

console.log(`cases run: ${cases} (seed ${seed}, ${workerCount} worker${workerCount === 1 ? '' : 's'}, ${Math.round((performance.now() - started) / 1000)} s)`);
console.log(`crashes: ${crashes}`);
console.log(`timeouts: ${timeouts}`);
console.log(`slowest input: case ${slowest.index} [${slowest.kinds?.join(', ')}] of ${slowest.source}, ${slowest.bytes} bytes: lint ${Math.round(slowest.ms)} ms (${Math.round(slowest.caseMs)} ms with the fast-vs-full check)`);

console.log('1 MB inputs of the shapes that were quadratic (issue 7 item 7): the whole lint of an org holding one, in-process');
console.log('(then the fast-vs-full check, which parses the file twice more):');
const shapes = runners[0];
let shapeFailures = 0;
for (const [shape, text] of Object.entries(quadraticShapes())) {
  const result = await shapes.run({ text, source: 'shape.yml', kinds: [shape] }, -1, 60_000);
  if (result.timeout || result.problem) shapeFailures++;
  const timing = result.timeout ? 'timeout (over 60 s)' : `lint ${Math.round(result.lintMs ?? result.ms)} ms (${Math.round(result.ms)} ms with the check)`;
  console.log(`  ${shape}: ${text.length} bytes, ${timing}${result.problem ? ` CRASH ${result.problem}` : ''}`);
}
await Promise.all(runners.map((runner) => runner.worker.terminate()));
process.exit(crashes + timeouts + shapeFailures > 0 ? 1 : 0);
