#!/usr/bin/env node
/**
 * `npm run bench`: how fast and how lean a full lint of a 10,000-workflow organisation is, next to the floor
 * set by the YAML parser alone. It prints; it does not judge. The exit status is non-zero only when something
 * broke (no build, a crash, a scan that reported itself broken), never because a target was missed.
 *
 *   node --expose-gc bench/lint-bench.js [--runs 3] [--repos 1000] [--workflows 10000] [--seed 1] [--org DIR]
 *
 * See bench/README.md for what the targets are and why.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LineCounter, parseDocument } from 'yaml';
import { generateOrg } from './generate-org.js';
import { BROKEN_SCAN, NOT_BUILT } from './lib/exit-codes.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_ORG_DIR = join(ROOT, '.bench', 'bench-org');
const RUN_LINT = fileURLToPath(new URL('run-lint.js', import.meta.url));

const TARGET_WALL_MS = 3000;
const TARGET_PEAK_MB = 300;
// A lint that takes longer than this is hung, not slow.
const LINT_TIMEOUT_MS = 10 * 60 * 1000;

function main() {
  const options = readOptions();
  const org = prepareOrg(options);
  const files = listWorkflowFiles(options.org);
  console.log(`measuring the parse floor (best of ${options.runs})...`);
  const floor = measureParseFloor(files, options.runs);
  console.log(`measuring full lints in a child process (best of ${options.runs})...`);
  const lint = measureLint(options.org, options.runs);
  printTable({ org, files, floor, lint });
  process.exitCode = lint.ok ? 0 : 1;
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      repos: { type: 'string', default: '1000' },
      workflows: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
      // Another folder for the org; its basename is the owner. Generated there on the same terms.
      org: { type: 'string', default: DEFAULT_ORG_DIR },
    },
  });
  const { org, ...numbers } = values;
  return { org: resolve(org), ...Object.fromEntries(Object.entries(numbers).map(([key, value]) => [key, Number(value)])) };
}

/** Reuses the org (.bench/bench-org) when it was generated with these parameters; regenerates it otherwise. */
function prepareOrg({ org: orgDir, repos, workflows, seed }) {
  const org = generateOrg(orgDir, { repos, workflows, seed });
  const where = relative(process.cwd(), orgDir) || orgDir;
  console.log(org.generated ? `generated ${where} in ${(org.ms / 1000).toFixed(1)} s` : `reusing ${where} (seed ${org.seed})`);
  return org;
}

function listWorkflowFiles(orgDir) {
  return readdirSync(orgDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .flatMap((repo) => {
      const workflowDir = join(orgDir, repo.name, '.github', 'workflows');
      return readdirSync(workflowDir).map((name) => join(workflowDir, name));
    });
}

/**
 * The floor: the `yaml` package parsing every file on one thread, with line positions, as any linter built on it
 * must. Files are read beforehand so disk speed does not count. Best of `runs`, each after a collection so
 * garbage from the previous run is not charged to the next.
 */
function measureParseFloor(files, runs) {
  const texts = files.map((file) => readFileSync(file, 'utf8'));
  let bestMs = Infinity;
  let parseErrors = 0;
  for (let run = 0; run < runs; run++) {
    globalThis.gc?.();
    const started = performance.now();
    parseErrors = 0;
    for (const text of texts) parseErrors += parseDocument(text, { lineCounter: new LineCounter() }).errors.length;
    bestMs = Math.min(bestMs, performance.now() - started);
  }
  return { ms: bestMs, parseErrors, bytes: texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) };
}

/**
 * Full lints, each in a fresh child so its peak memory is its own and nothing is warm from the last run.
 * Best wall time, worst peak memory.
 */
function measureLint(orgDir, runs) {
  const results = [];
  for (let run = 0; run < runs; run++) {
    const outcome = runLintOnce(orgDir);
    if (!outcome.ok) return outcome;
    results.push(outcome.result);
  }
  return {
    ok: true,
    wallMs: Math.min(...results.map((result) => result.wallMs)),
    importMs: Math.min(...results.map((result) => result.importMs)),
    peakMB: Math.max(...results.map((result) => result.maxRssMB)),
    workflows: results[0].workflows,
    findings: results[0].findings,
    exitCode: results[0].exitCode,
  };
}

function runLintOnce(orgDir) {
  const child = spawnSync(process.execPath, [RUN_LINT, orgDir], { cwd: ROOT, encoding: 'utf8', timeout: LINT_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  if (child.status === NOT_BUILT) return failure('the linter is not built. build first: npm run build');
  if (child.error || child.status !== 0) {
    const why = child.error ? child.error.message : `exit status ${child.status ?? child.signal}`;
    return failure(`the lint crashed (${why}):\n${child.stderr.trim()}`);
  }
  // The last line is ours; anything the linter itself printed comes before it.
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1));
  if (result.exitCode === BROKEN_SCAN) {
    return failure(`the lint reported a BROKEN SCAN (exit code ${BROKEN_SCAN}, ${result.findings} findings): its timings mean nothing.\n${child.stderr.trim()}`);
  }
  return { ok: true, result };
}

function failure(message) {
  return { ok: false, message };
}

// ---------------------------------------------------------------------------------------------------------------
// Report

function printTable({ org, files, floor, lint }) {
  const rows = [
    ['workflows', number(files.length)],
    ['repositories', number(org.repos)],
    ['parse floor (yaml, 1 thread)', `${number(floor.ms)} ms`],
  ];
  if (lint.ok) {
    rows.push(
      ['lint wall time', `${number(lint.wallMs)} ms`, `<= ${number(TARGET_WALL_MS)} ms`, verdict(lint.wallMs <= TARGET_WALL_MS)],
      ['lint / floor', `${(lint.wallMs / floor.ms).toFixed(2)}x`, '< 1.00x', verdict(lint.wallMs < floor.ms)],
      ['workflows per second', number(files.length / (lint.wallMs / 1000))],
      ['peak memory', `${number(lint.peakMB)} MB`, `< ${TARGET_PEAK_MB} MB`, verdict(lint.peakMB < TARGET_PEAK_MB)],
      ['findings', `${number(lint.findings)} (exit code ${lint.exitCode})`],
      ['module load (not in wall time)', `${number(lint.importMs)} ms`],
    );
  } else {
    rows.push(['lint', 'not measured']);
  }

  console.log('');
  console.log(`dispatch-lint bench: ${availableParallelism()} cores, Node ${process.version}, seed ${org.seed}, ${(floor.bytes / 1e6).toFixed(1)} MB of YAML`);
  console.log(formatRows([['', 'measured', 'target', ''], ...rows]));
  console.log('');

  for (const warning of warnings({ files, floor, lint })) console.log(`warning: ${warning}`);
  if (!lint.ok) console.error(`\n*** ${lint.message}\n`);
}

function warnings({ files, floor, lint }) {
  const found = [];
  if (floor.parseErrors) found.push(`the generated org has ${floor.parseErrors} YAML errors; regenerate it (delete .bench/)`);
  if (lint.ok && lint.workflows !== null && lint.workflows !== files.length) {
    found.push(`the lint read ${number(lint.workflows)} workflows of ${number(files.length)}`);
  }
  return found;
}

function formatRows(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows.map((row) => row.map((cell = '', column) => cell.padEnd(widths[column])).join('   ').trimEnd()).join('\n');
}

function verdict(met) {
  return met ? 'PASS' : 'MISS';
}

function number(value) {
  return Math.round(value).toLocaleString('en-US');
}

main();
