#!/usr/bin/env node
/**
 * `npm run bench`: how fast and how lean a full lint of a large organisation is, next to the floor set by the
 * YAML parser alone, for two orgs (the synthetic one of generate-org.js, and one built from the real files of
 * ../shared/corpus, see corpus-org.js) at two sizes, each cold (empty facts cache) and warm (the second run on
 * the same cache). It prints; it does not judge. The exit status is non-zero only when something broke (no
 * build, a crash, a scan that reported itself broken), never because a target was missed.
 *
 *   node --expose-gc bench/lint-bench.js [--sizes 10000,30000] [--orgs synthetic,corpus] [--runs 3]
 *                                        [--large-runs 1] [--seed 1] [--org DIR]
 *
 * See bench/README.md for what the targets are and why.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { LineCounter, parseDocument } from 'yaml';
import { generateCorpusOrg } from './corpus-org.js';
import { generateOrg } from './generate-org.js';
import { BROKEN_SCAN, NOT_BUILT } from './lib/exit-codes.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH_DIR = join(ROOT, '.bench');
// The shared corpus sits beside the project (../shared/corpus from its root); where it is absent the corpus org is skipped.
const CORPUS_DIR = resolve(ROOT, '..', 'shared', 'corpus');
const RUN_LINT = fileURLToPath(new URL('run-lint.js', import.meta.url));

const TARGETS = {
  10000: { wallMs: 3000, peakMB: 300, warmMs: 500 },
  30000: { wallMs: 9000, peakMB: 300 },
};
const TARGET_FLOOR_RATIO = 0.25;
// A small lint (a fixture org) from a fresh process, as a user or a pre-commit hook starts it.
const TARGET_QUICK_START_MS = 150;
const QUICK_START_ORG = join(ROOT, 'fixtures', 'reasonkit');
// A lint that takes longer than this is hung, not slow.
const LINT_TIMEOUT_MS = 10 * 60 * 1000;
// Sizes above this get --large-runs runs (the parse floor included), so the default bench stays within minutes.
const LARGE_SIZE = 10000;

function main() {
  const options = readOptions();
  console.log(`dispatch-lint bench: ${availableParallelism()} cores, Node ${process.version}, load average ${loadavg().map((load) => load.toFixed(2)).join(' ')} at start`);
  let ok = printQuickStart(options.runs);
  for (const orgKind of options.orgs) {
    for (const size of options.sizes) {
      const org = prepareOrg(orgKind, size, options);
      if (!org) continue;
      const runs = size > LARGE_SIZE ? options.largeRuns : options.runs;
      const files = listWorkflowFiles(org.dir);
      console.log(`${org.label}: measuring the parse floor (best of ${runs})...`);
      const floor = measureParseFloor(files, runs);
      console.log(`${org.label}: measuring full lints in a child process (${runs} cold, ${runs} warm)...`);
      const lint = measureLint(org.dir, runs);
      printTable({ org, size, files, floor, lint });
      ok &&= lint.ok;
    }
  }
  process.exitCode = ok ? 0 : 1;
}

function readOptions() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      'large-runs': { type: 'string', default: '1' },
      sizes: { type: 'string', default: '10000,30000' },
      orgs: { type: 'string', default: 'synthetic,corpus' },
      seed: { type: 'string', default: '1' },
      // Lint this folder instead (its basename is the owner); the synthetic org is generated there when absent.
      org: { type: 'string' },
      // The old single-org options, still honoured: --workflows N is --sizes N, --repos sets the synthetic org's.
      workflows: { type: 'string' },
      repos: { type: 'string' },
    },
  });
  const sizes = (values.workflows ?? values.sizes).split(',').map(Number).filter((size) => size > 0);
  return {
    runs: Number(values.runs),
    largeRuns: Number(values['large-runs']),
    sizes,
    orgs: values.org ? ['synthetic'] : values.orgs.split(',').map((kind) => kind.trim()),
    seed: Number(values.seed),
    org: values.org ? resolve(values.org) : undefined,
    repos: values.repos ? Number(values.repos) : undefined,
  };
}

/**
 * Quick start: `dispatch-lint fixtures/reasonkit` as a user runs it (bin/dispatch-lint.js, a fresh process each
 * time, no cache), next to `node -e 0`, the floor any Node program pays. Medians of 3 x runs (at least 9).
 */
function printQuickStart(runs) {
  const count = Math.max(9, 3 * runs);
  const time = (args) => {
    const samples = [];
    for (let run = 0; run < count; run++) {
      const started = performance.now();
      const child = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
      samples.push(performance.now() - started);
      if (child.status !== 0 && child.status !== 1) return { failed: `${args.join(' ')}: exit ${child.status}\n${child.stderr}` };
    }
    return { ms: median(samples) };
  };
  const lint = time([join(ROOT, 'bin', 'dispatch-lint.js'), QUICK_START_ORG, '--no-cache']);
  const node = time(['-e', '0']);
  if (lint.failed || node.failed) {
    console.error(`\n*** quick start not measured: ${lint.failed ?? node.failed}\n`);
    return false;
  }
  console.log('');
  console.log(`quick start: dispatch-lint ${relative(ROOT, QUICK_START_ORG)} from a fresh process, median of ${count}`);
  console.log(formatRows([
    ['', 'measured', 'target', ''],
    ['dispatch-lint (bin/dispatch-lint.js)', `${number(lint.ms)} ms`, `<= ${TARGET_QUICK_START_MS} ms`, verdict(lint.ms <= TARGET_QUICK_START_MS)],
    ['node -e 0', `${number(node.ms)} ms`],
    ['ratio', `${(lint.ms / node.ms).toFixed(1)}x`],
  ]));
  console.log('');
  return true;
}

/** Generates (or reuses) the org of that kind and size under .bench/; null when it cannot be built here. */
function prepareOrg(kind, size, options) {
  if (kind === 'synthetic') {
    const dir = options.org ?? join(BENCH_DIR, size === 10000 ? 'bench-org' : `bench-org-${size}`);
    const org = generateOrg(dir, { repos: options.repos ?? Math.round(size / 10), workflows: size, seed: options.seed });
    announce(dir, org);
    return { dir, label: `synthetic ${number(size)}`, kind, repos: org.repos, seed: org.seed };
  }
  if (kind === 'corpus') {
    if (!existsSync(CORPUS_DIR)) {
      console.log(`skipping the corpus-shaped org: ${CORPUS_DIR} is absent (it is ../shared/corpus from the project root)`);
      return null;
    }
    const dir = join(BENCH_DIR, `corpus-org-${size}`);
    const org = generateCorpusOrg(dir, CORPUS_DIR, { workflows: size, seed: options.seed });
    announce(dir, org);
    return { dir, label: `corpus-shaped ${number(size)}`, kind, repos: org.repos, seed: org.seed };
  }
  throw new Error(`unknown org kind ${kind} (synthetic or corpus)`);
}

function announce(dir, org) {
  const where = relative(process.cwd(), dir) || dir;
  console.log(org.generated ? `generated ${where} in ${(org.ms / 1000).toFixed(1)} s` : `reusing ${where} (seed ${org.seed})`);
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
 * Full lints, each in a fresh child so its peak memory is its own. Each cold run starts on an empty facts cache
 * (a new temporary folder); its warm run follows on the same folder. Medians of wall and CPU time, worst peak memory.
 */
function measureLint(orgDir, runs) {
  const cold = [];
  const warm = [];
  for (let run = 0; run < runs; run++) {
    const cacheDir = mkdtempSync(join(tmpdir(), 'dispatch-lint-bench-cache-'));
    try {
      const first = runLintOnce(orgDir, cacheDir);
      if (!first.ok) return first;
      cold.push(first.result);
      const second = runLintOnce(orgDir, cacheDir);
      if (!second.ok) return second;
      warm.push(second.result);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }
  return { ok: true, cold: summariseRuns(cold), warm: summariseRuns(warm) };
}

function summariseRuns(results) {
  return {
    wallMs: median(results.map((result) => result.wallMs)),
    cpuMs: median(results.map((result) => result.cpuMs ?? NaN)),
    importMs: median(results.map((result) => result.importMs)),
    peakMB: Math.max(...results.map((result) => result.maxRssMB)),
    workflows: results[0].workflows,
    findings: results[0].findings,
    exitCode: results[0].exitCode,
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function runLintOnce(orgDir, cacheDir) {
  const child = spawnSync(process.execPath, [RUN_LINT, orgDir, '--cache-dir', cacheDir], { cwd: ROOT, encoding: 'utf8', timeout: LINT_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
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

function printTable({ org, size, files, floor, lint }) {
  const target = TARGETS[size] ?? {};
  const rows = [
    ['workflows', number(files.length)],
    ['repositories', number(org.repos)],
    ['parse floor (yaml, 1 thread)', `${number(floor.ms)} ms`],
  ];
  if (lint.ok) {
    for (const [name, runs] of [['cold', lint.cold], ['warm', lint.warm]]) {
      const wallTarget = name === 'warm' ? target.warmMs : target.wallMs;
      rows.push(
        [`${name}: wall time`, `${number(runs.wallMs)} ms`, wallTarget ? `<= ${number(wallTarget)} ms` : '', wallTarget ? verdict(runs.wallMs <= wallTarget) : ''],
        [`${name}: CPU time`, `${number(runs.cpuMs)} ms`],
        [`${name}: lint / floor`, `${(runs.wallMs / floor.ms).toFixed(2)}x`, name === 'cold' ? `<= ${TARGET_FLOOR_RATIO.toFixed(2)}x` : '', name === 'cold' ? verdict(runs.wallMs / floor.ms <= TARGET_FLOOR_RATIO) : ''],
        [`${name}: workflows per second`, number(files.length / (runs.wallMs / 1000))],
        [`${name}: peak memory`, `${number(runs.peakMB)} MB`, target.peakMB ? `<= ${target.peakMB} MB` : '', target.peakMB ? verdict(runs.peakMB <= target.peakMB) : ''],
      );
    }
    rows.push(['findings', `${number(lint.cold.findings)} (exit code ${lint.cold.exitCode}); warm ${number(lint.warm.findings)}`]);
    rows.push(['module load (not in wall time)', `${number(lint.cold.importMs)} ms`]);
  } else {
    rows.push(['lint', 'not measured']);
  }

  console.log('');
  console.log(`${org.label}: seed ${org.seed}, ${(floor.bytes / 1e6).toFixed(1)} MB of YAML, ${(floor.bytes / files.length / 1000).toFixed(1)} kB a file; medians, load average now ${loadavg()[0].toFixed(2)}`);
  console.log(formatRows([['', 'measured', 'target', ''], ...rows]));
  console.log('');

  for (const warning of warnings({ files, floor, lint })) console.log(`warning: ${warning}`);
  if (!lint.ok) console.error(`\n*** ${lint.message}\n`);
}

function warnings({ files, floor, lint }) {
  const found = [];
  if (floor.parseErrors) found.push(`the org has ${floor.parseErrors} YAML errors (the corpus has a few on purpose; a synthetic org should have none: delete .bench/)`);
  if (lint.ok) {
    for (const runs of [lint.cold, lint.warm]) {
      if (runs.workflows !== null && runs.workflows !== files.length) found.push(`the lint read ${number(runs.workflows)} workflows of ${number(files.length)}`);
    }
    if (lint.cold.findings !== lint.warm.findings) found.push(`the warm lint found ${lint.warm.findings} findings, the cold one ${lint.cold.findings}: the cache changed the report`);
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
