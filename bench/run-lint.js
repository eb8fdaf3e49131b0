#!/usr/bin/env node
/**
 * One full lint of DIR, measured from inside its own process so that the peak memory reported is the linter's
 * alone (lint-bench.js starts this once per run). Prints one JSON line on stdout:
 *
 *   { wallMs, cpuMs, importMs, maxRssMB, workflows, findings, exitCode }
 *
 * With --cache-dir DIR the lint keeps its facts cache there (a cold run with an empty DIR, a warm one after);
 * without it, no cache. cpuMs is the process's user + system time during the lint, worker threads included.
 *
 * wallMs covers the runLint() call only; importMs is the module load before it, reported apart so a slow start
 * is visible without blurring the scan time. maxRssMB is the process's peak resident set, Node itself included.
 *
 * Exit status: 0 when it measured (the lint's own exit code is in the JSON), NOT_BUILT when dist/ is missing,
 * 1 when the linter threw.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NOT_BUILT } from './lib/exit-codes.js';

const ENTRY = new URL('../dist/src/index.js', import.meta.url);

async function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'cache-dir': { type: 'string' } } });
  const dir = positionals[0];
  if (!dir) {
    console.error('usage: node bench/run-lint.js DIR [--cache-dir DIR]');
    process.exit(1);
  }
  if (!existsSync(fileURLToPath(ENTRY))) {
    console.error('build first: npm run build');
    process.exit(NOT_BUILT);
  }

  const importStarted = performance.now();
  // V8 is tuned as the CLI's entry point tunes it (src/util/v8-flags.ts), so what is measured is what users get.
  const { tuneV8ForLint } = await import(new URL('../dist/src/util/v8-flags.js', import.meta.url).href);
  tuneV8ForLint();
  const { runLint } = await import(ENTRY.href);
  const importMs = performance.now() - importStarted;
  if (typeof runLint !== 'function') throw new Error('dist/src/index.js does not export runLint');

  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const { report, exitCode } = await runLint({ paths: [dir], ...(values['cache-dir'] ? { cacheDir: values['cache-dir'] } : {}) });
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);

  const result = {
    wallMs: round(wallMs),
    cpuMs: round((cpu.user + cpu.system) / 1000),
    importMs: round(importMs),
    maxRssMB: round(process.resourceUsage().maxRSS / 1024), // maxRSS is in kilobytes
    workflows: countWorkflows(report),
    findings: report.findings.length,
    exitCode,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

/**
 * How many workflows the report says it read (`repos[].workflows`, a count per repository in report v1); null
 * when the report does not say. The bench compares it with the number generated, to catch a skipped file.
 */
function countWorkflows(report) {
  const perRepo = report.repos.map((repo) => (typeof repo?.workflows === 'number' ? repo.workflows : null));
  return perRepo.length && perRepo.every((count) => count !== null) ? perRepo.reduce((sum, count) => sum + count, 0) : null;
}

function round(value) {
  return Math.round(value * 10) / 10;
}

main().catch((error) => {
  console.error(error?.stack ?? String(error));
  process.exit(1);
});
