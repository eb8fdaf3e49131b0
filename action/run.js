// The Action's entry: maps its inputs (INPUT_* from action.yml) to one dispatch-lint run, then sets the step's
// outputs and exit status. One run with `--format github` prints the annotations and appends the Markdown report
// to the job summary (the CLI does both); `--sarif-dir` gives the SARIF, so the organisation is read only once.
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const FAIL_LEVELS = ['error', 'warning', 'note', 'never'];
const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];

const env = process.env;
const actionRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const workspace = env.GITHUB_WORKSPACE || process.cwd();

function input(name) {
  return (env[`INPUT_${name.replace(/-/g, '_').toUpperCase()}`] ?? '').trim();
}

/** A multi-line input: one value a line, blank lines dropped. */
function lines(name) {
  return input(name).split('\n').map((line) => line.trim()).filter((line) => line !== '');
}

function fail(message) {
  console.log(`::error title=dispatch-lint::${message}`);
  process.exit(2);
}

/** `base: auto` is the pull request's base commit on pull_request events, and no base elsewhere. */
function baseRef() {
  const base = input('base') || 'auto';
  if (base === 'none') return undefined;
  if (base !== 'auto') return base;
  if (!PULL_REQUEST_EVENTS.includes(env.GITHUB_EVENT_NAME ?? '') || !env.GITHUB_EVENT_PATH) return undefined;
  const event = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8'));
  return event.pull_request?.base?.sha || undefined;
}

function git(cwd, args) {
  return spawnSync('git', ['-C', cwd, ...args], { encoding: 'utf8' });
}

/** The git work trees the PATHs are in (or, for an organisation folder, those of its sub-folders). */
function checkouts(paths) {
  const found = new Set();
  const add = (folder) => {
    const top = git(folder, ['rev-parse', '--show-toplevel']);
    if (top.status === 0) found.add(top.stdout.trim());
    return top.status === 0;
  };
  for (const path of paths) {
    const folder = resolve(workspace, path);
    if (!existsSync(folder) || add(folder)) continue;
    for (const entry of readdirSync(folder, { withFileTypes: true })) if (entry.isDirectory()) add(join(folder, entry.name));
  }
  return [...found];
}

/** actions/checkout fetches one commit: fetch the base where it is missing, as dispatch-lint's own error advises. */
function fetchBase(ref, paths) {
  for (const checkout of checkouts(paths)) {
    if (git(checkout, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).status === 0) continue;
    console.log(`dispatch-lint: fetching the base ${ref} into ${checkout}`);
    const fetched = git(checkout, ['fetch', '--no-tags', '--depth=1', 'origin', ref]);
    if (fetched.status !== 0) console.log(`dispatch-lint: could not fetch ${ref}: ${fetched.stderr.trim()}`);
  }
}

/** The counts from the closing line of `--format github` ("N problems (E errors, W warnings, N notes) in ..."). */
function counts(stdout) {
  const last = stdout.trimEnd().split('\n').at(-1) ?? '';
  if (/^dispatch-lint: no problems\b/.test(last)) return { errors: 0, warnings: 0, notes: 0 };
  const match = /^dispatch-lint: \d+ problems? \((\d+) errors?, (\d+) warnings?, (\d+) notes?\)/.exec(last);
  return match ? { errors: Number(match[1]), warnings: Number(match[2]), notes: Number(match[3]) } : undefined;
}

function setOutputs(outputs) {
  if (!env.GITHUB_OUTPUT) return;
  appendFileSync(env.GITHUB_OUTPUT, Object.entries(outputs).map(([name, value]) => `${name}=${value}\n`).join(''));
}

const failOn = input('fail-on') || 'error';
if (!FAIL_LEVELS.includes(failOn)) fail(`fail-on must be one of ${FAIL_LEVELS.join(', ')}, got '${failOn}'`);
const paths = lines('paths');
// `paths: ''` with `github:` lints GitHub alone (an audit job needs no checkout).
if (paths.length === 0 && lines('github').length === 0) paths.push('.');
const sarif = input('sarif');
const sarifDir = input('sarif-dir') || (sarif ? mkdtempSync(join(env.RUNNER_TEMP || tmpdir(), 'dispatch-lint-sarif-')) : '');

const args = [...paths, '--format', 'github'];
for (const target of lines('github')) args.push('--github', target);
if (input('config')) args.push('--config', input('config'));
if (input('baseline')) args.push('--baseline', input('baseline'));
if (sarifDir) args.push('--sarif-dir', sarifDir);
const base = baseRef();
if (base) {
  fetchBase(base, paths);
  args.push('--base', base);
}
args.push(...lines('args'));

const token = input('token');
const run = spawnSync(process.execPath, [join(actionRoot, 'bin', 'dispatch-lint.js'), ...args], {
  cwd: workspace,
  env: { ...env, ...(token ? { GITHUB_TOKEN: token } : {}) },
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
  maxBuffer: 1 << 30,
});
process.stdout.write(run.stdout ?? '');
const status = run.status ?? 2;

let sarifFile = '';
if (sarif && status !== 2) {
  const repo = env.GITHUB_REPOSITORY ?? '';
  const written = join(resolve(workspace, sarifDir), ...repo.split('/')) + '.sarif';
  if (repo && existsSync(written)) {
    sarifFile = resolve(workspace, sarif);
    mkdirSync(dirname(sarifFile), { recursive: true });
    copyFileSync(written, sarifFile);
  } else {
    console.log(`::warning title=dispatch-lint::no SARIF written to ${sarif}: ${repo || 'GITHUB_REPOSITORY'} is not among the scanned repositories`);
  }
}

const found = status === 2 ? undefined : counts(run.stdout ?? '');
setOutputs({ 'exit-code': status, errors: found?.errors ?? '', warnings: found?.warnings ?? '', notes: found?.notes ?? '', sarif: sarifFile });
if (status === 2 || !found) process.exit(2);
const failing = { error: found.errors, warning: found.errors + found.warnings, note: found.errors + found.warnings + found.notes, never: 0 }[failOn];
// Exit 1 without errors is a limit passed in `args` (--max-warnings, --fail-on-unpruned-baseline): it fails too.
process.exit(failing > 0 || (status === 1 && found.errors === 0 && failOn !== 'never') ? 1 : 0);
