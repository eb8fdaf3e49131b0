#!/usr/bin/env node
/**
 * Writes a synthetic GitHub organisation for the benchmark: DIR/<repo>/.github/workflows/<name>.yml, where the
 * basename of DIR is the owner. The same parameters always give the same files, byte for byte, so timings from
 * different machines and different days are timings of the same input.
 *
 *   node bench/generate-org.js DIR [--repos 1000] [--workflows 10000] [--seed 1]
 *
 * About 12% of the workflows take part in dispatch wiring (see lib/wiring.js), with a few planted mistakes that
 * DIR/.generated lists; the rest is everyday CI (lib/noise.js).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { generateNoiseWorkflow } from './lib/noise.js';
import { createRandom } from './lib/random.js';
import { renderDispatchWorkflow } from './lib/render-dispatch.js';
import { createRepo, distributeWorkflows, generateRepoNames, languageFor } from './lib/repos.js';
import { planWiring } from './lib/wiring.js';

/** Bump when the generator's output changes, so existing benchmark orgs are regenerated rather than reused. */
export const GENERATOR_VERSION = 2;

/** Share of workflow files that send or receive dispatches; real organisations sit around 10–15%. */
const DISPATCH_SHARE = 0.12;

const MARKER = '.generated';
// Present only while files are being written: a folder holding it is a half-written org, safe to replace.
const IN_PROGRESS_MARKER = '.generating';

/**
 * Generates the organisation into `dir` unless `dir/.generated` shows it was already generated with the same
 * parameters. Returns what the marker holds, plus whether this call wrote anything and how long it took.
 */
export function generateOrg(dir, { repos = 1000, workflows = 10000, seed = 1 } = {}) {
  const params = { owner: basename(resolve(dir)), repos: Math.min(repos, workflows), workflows, seed };
  const existing = readMarker(dir);
  if (existing && sameParameters(existing, params)) return { ...existing, generated: false, ms: 0 };

  const started = performance.now();
  prepareDirectory(dir);
  writeFileSync(join(dir, IN_PROGRESS_MARKER), '');
  const org = planOrg(params);
  const files = writeOrg(dir, org);
  const marker = {
    generator: 'dispatch-lint bench/generate-org.js',
    version: GENERATOR_VERSION,
    ...params,
    stats: describeFiles(files, org),
    mistakes: org.wiring.mistakes,
    external: org.wiring.external,
  };
  writeFileSync(join(dir, MARKER), JSON.stringify(marker, null, 2) + '\n');
  rmSync(join(dir, IN_PROGRESS_MARKER));
  return { ...marker, generated: true, ms: performance.now() - started };
}

/** The parameters a folder was generated with, or null when it was not (or not completely) generated. */
export function readMarker(dir) {
  const path = join(dir, MARKER);
  if (!existsSync(path) || existsSync(join(dir, IN_PROGRESS_MARKER))) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null; // A damaged marker means an unknown org: regenerate it.
  }
}

function sameParameters(marker, params) {
  return (
    marker.version === GENERATOR_VERSION &&
    marker.owner === params.owner &&
    marker.repos === params.repos &&
    marker.workflows === params.workflows &&
    marker.seed === params.seed
  );
}

/** Empties `dir` for a new org, but only when it is empty or one this script made: never someone's real files. */
function prepareDirectory(dir) {
  if (existsSync(dir)) {
    const entries = readdirSync(dir);
    const ours = entries.length === 0 || entries.includes(MARKER) || entries.includes(IN_PROGRESS_MARKER);
    if (!ours) throw new Error(`${dir} holds files generate-org.js did not write; refusing to replace them`);
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
}

/** Decides every repository and every workflow; nothing is written yet. */
function planOrg({ owner, repos: repoCount, workflows, seed }) {
  const rng = createRandom(seed);
  const names = generateRepoNames(rng, repoCount);
  const counts = distributeWorkflows(rng, workflows, repoCount);
  const repos = names.map((name, i) => createRepo(name, languageFor(rng, name), counts[i]));
  const wiring = planWiring(rng, { owner, repos, budget: Math.round(workflows * DISPATCH_SHARE) });
  return { owner, rng, repos, wiring };
}

/** Renders and writes every file, repository by repository; returns [path, text] for the statistics. */
function writeOrg(dir, { rng, repos }) {
  const files = [];
  for (const repo of repos) {
    const workflowDir = join(dir, repo.name, '.github', 'workflows');
    mkdirSync(workflowDir, { recursive: true });
    const rendered = repo.workflows.map((workflow) => ({ fileName: workflow.fileName, text: renderDispatchWorkflow(rng, workflow) }));
    while (repo.capacity > 0) rendered.push(generateNoiseWorkflow(rng, repo));
    for (const { fileName, text } of rendered) {
      writeFileSync(join(workflowDir, fileName), text);
      files.push([`${repo.name}/.github/workflows/${fileName}`, text]);
    }
  }
  return files;
}

function describeFiles(files, { repos, wiring }) {
  const lines = files.map(([, text]) => text.split('\n').length - 1);
  const sends = wiring.workflows.flatMap((workflow) => workflow.sends);
  return {
    files: files.length,
    bytes: files.reduce((sum, [, text]) => sum + Buffer.byteLength(text), 0),
    linesPerFile: spread(lines),
    filesPerRepo: spread(repos.map((repo) => repo.fileNames.size)),
    dispatchWorkflows: wiring.workflows.length,
    listeners: wiring.workflows.filter((workflow) => workflow.listen).length,
    sendsByForm: countBy(sends, (send) => `${send.kind === 'rd' ? 'repository_dispatch' : 'workflow_dispatch'} ${send.form}`),
    mistakesByKind: countBy(wiring.mistakes, (mistake) => mistake.kind),
  };
}

function spread(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted.at(-1) };
}

function countBy(items, keyOf) {
  const counts = {};
  for (const item of items) counts[keyOf(item)] = (counts[keyOf(item)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { repos: { type: 'string' }, workflows: { type: 'string' }, seed: { type: 'string' } },
  });
  if (positionals.length !== 1) {
    console.error('usage: node bench/generate-org.js DIR [--repos 1000] [--workflows 10000] [--seed 1]');
    process.exit(1);
  }
  const options = Object.fromEntries(Object.entries(values).map(([key, value]) => [key, Number(value)]));
  const result = generateOrg(positionals[0], options);
  const { stats } = result;
  console.log(result.generated ? `generated in ${(result.ms / 1000).toFixed(1)} s` : 'up to date; nothing written');
  console.log(`${stats.files} workflows in ${result.repos} repositories of ${result.owner}, ${(stats.bytes / 1e6).toFixed(1)} MB`);
  console.log(`${stats.dispatchWorkflows} take part in dispatch wiring; ${result.mistakes.length} planted mistakes (see ${join(positionals[0], MARKER)})`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    main();
  } catch (error) {
    console.error(`generate-org: ${error.message}`);
    process.exit(1);
  }
}
