/**
 * action.yml run the way GitHub's runner runs a composite action: from a copy of this repository as a clean clone
 * has it (no node_modules, no dist/), each step's `${{ }}` expressions evaluated with GitHub's own evaluator
 * (@actions/expressions) and its `run:` script run by `bash --noprofile --norc -eo pipefail`, with the runner's
 * variables (GITHUB_WORKSPACE, GITHUB_EVENT_PATH with a pull_request payload, GITHUB_STEP_SUMMARY, a GITHUB_OUTPUT
 * per step), on a shallow clone of a throw-away repository whose pull request changes its workflows.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startFakeGitHub } from './support/fake-github.js';
import { gitFolder, type GitFolder } from './support/git.js';
import { projectRoot } from './support/lint.js';

interface ActionYml {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: { id?: string; shell: string; run: string; env?: Record<string, string> }[] };
}

interface ActionRun {
  status: number;
  stdout: string;
  summary: string;
  outputs: Record<string, string>;
}

const scratch = mkdtempSync(join(tmpdir(), 'dispatch-lint-action-'));
const actionPath = join(scratch, 'action');
const action = parseYaml(readFileSync(join(projectRoot, 'action.yml'), 'utf8')) as ActionYml;

const SENDER = 'acme/api/.github/workflows/release.yml';
const LEGACY = 'acme/deploy/.github/workflows/legacy.yml';
const sender = (steps: string[]) => `name: Release
on:
  push:
    tags: ["v*"]
jobs:
  notify:
    runs-on: ubuntu-latest
    steps:
${steps.map((type) => `      - uses: peter-evans/repository-dispatch@v3
        with:
          token: \${{ secrets.DISPATCH_TOKEN }}
          repository: acme/deploy
          event-type: ${type}
`).join('')}`;
const listener = `name: Deploy
on:
  repository_dispatch:
    types: [api-released]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: ./deploy.sh
`;

let origin: GitFolder;
let baseSha = '';
let workspace = '';

/** The files a clean clone has: tracked ones, and new ones not yet committed but not ignored (this branch's work). */
function copyClone(to: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: projectRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(projectRoot, file))) continue;
    mkdirSync(dirname(join(to, file)), { recursive: true });
    cpSync(join(projectRoot, file), join(to, file));
  }
}

/** `${{ expr }}` in `text`, evaluated as the runner does, with the contexts it gives a composite action's steps. */
function substitute(text: string, contexts: Record<string, unknown>): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, body: string) => {
    const tokens = new Lexer(body.trim()).lex().tokens;
    const expression = new Parser(tokens, Object.keys(contexts), []).parse();
    const context = JSON.parse(JSON.stringify(contexts), data.reviver) as data.Dictionary;
    return new Evaluator(expression, context).evaluate().coerceString();
  });
}

/** The `name=value` lines a step appended to its GITHUB_OUTPUT. */
function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) outputs[line.slice(0, at)] = line.slice(at + 1);
  }
  return outputs;
}

/** bash on a script file, as the runner runs a step; async, so a fake GitHub in this process can answer it. */
function bash(script: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

async function runAction(given: Record<string, string>, repository = 'acme/api'): Promise<ActionRun> {
  const runDir = mkdtempSync(join(scratch, 'run-'));
  const summaryFile = join(runDir, 'summary.md');
  writeFileSync(summaryFile, '');
  const eventPath = join(runDir, 'event.json');
  writeFileSync(eventPath, JSON.stringify({ action: 'opened', number: 7, pull_request: { number: 7, base: { ref: 'main', sha: baseSha }, head: { ref: 'change', sha: 'f'.repeat(40) } } }));
  const inputs = Object.fromEntries(Object.entries(action.inputs).map(([name, spec]) => [name, given[name] ?? spec.default ?? '']));
  // A runner's environment, not this `npm test`'s (npm_* settings would reach the action's npm); npm may use
  // this machine's cache first (prefer-offline), which changes where packages come from, not which.
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|GITHUB_|RUNNER_|INPUT_)/i.test(name)));
  const runnerEnv = {
    ...base,
    npm_config_prefer_offline: 'true',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: repository,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '99',
    RUNNER_TEMP: runDir,
  };
  const github = { action_path: actionPath, workspace, token: 'ghs_faketoken0000000000', event_name: 'pull_request', repository };
  const steps: Record<string, { outputs: Record<string, string> }> = {};
  let stdout = '';
  let status = 0;
  for (const [index, step] of action.runs.steps.entries()) {
    const contexts = { inputs, github, runner: { temp: runDir, os: 'Linux' }, steps };
    const outputFile = join(runDir, `output-${index}`);
    writeFileSync(outputFile, '');
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([name, value]) => [name, substitute(String(value), contexts)]));
    const script = join(runDir, `step-${index}.sh`);
    writeFileSync(script, substitute(step.run, contexts));
    expect(step.shell).toBe('bash');
    const result = await bash(script, workspace, { ...runnerEnv, ...stepEnv, GITHUB_OUTPUT: outputFile });
    stdout += result.stdout;
    if (step.id) steps[step.id] = { outputs: readOutputs(outputFile) };
    status = result.status;
    if (status !== 0) {
      if (index === 0) throw new Error(`the install step failed (${status}):\n${result.stdout}\n${result.stderr}`);
      break;
    }
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([name, spec]) => [name, substitute(spec.value, { inputs, github, steps })]));
  return { status, stdout, summary: readFileSync(summaryFile, 'utf8'), outputs };
}

beforeAll(() => {
  copyClone(actionPath);
  // The pull request: acme/api now also sends api-deployed, which acme/deploy does not listen for; acme/deploy's
  // legacy workflow has sent 'legacy' to acme/api, which nothing there listens for, since before the change.
  origin = gitFolder({ [SENDER]: sender(['api-released']), 'acme/deploy/.github/workflows/deploy.yml': listener, [LEGACY]: sender(['legacy']).replace('repository: acme/deploy', 'repository: acme/api') });
  baseSha = origin.git('rev-parse', 'HEAD').trim();
  origin.write({ [SENDER]: sender(['api-released', 'api-deployed']) });
  origin.commit('send api-deployed');
  // GitHub serves any reachable commit by id, as `git fetch origin SHA` needs.
  origin.git('config', 'uploadpack.allowAnySHA1InWant', 'true');
  workspace = join(scratch, 'workspace');
  execFileSync('git', ['clone', '-q', '--depth', '1', `file://${origin.root}`, workspace], { env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
}, 120_000);

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(origin.root, { recursive: true, force: true });
});

describe('action.yml, run as the runner runs a composite action', () => {
  it('is a composite action whose steps all run in bash', () => {
    expect(action.runs.using).toBe('composite');
    expect(existsSync(join(actionPath, 'node_modules'))).toBe(false);
    expect(existsSync(join(actionPath, 'dist'))).toBe(false);
  });

  it('on a pull request fetches the base into the shallow checkout and reports only what the change introduces', async () => {
    expect(spawnSync('git', ['-C', workspace, 'cat-file', '-e', `${baseSha}^{commit}`]).status).not.toBe(0);
    const run = await runAction({ paths: 'acme', sarif: 'out/dispatch-lint.sarif' });
    expect(spawnSync('git', ['-C', workspace, 'cat-file', '-e', `${baseSha}^{commit}`]).status).toBe(0);
    expect(run.status).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    const annotations = lines.filter((line) => line.startsWith('::'));
    expect(annotations).toHaveLength(1);
    expect(annotations).toEqual([
      "::error file=acme/api/.github/workflows/release.yml,line=18,col=23,endLine=18,endColumn=35,title=event-without-listener::acme/api sends 'api-deployed' to acme/deploy, where no workflow listens for it, so nothing runs (if an app or webhook consumes it, declare it under events.toOutside in the config)%0Aacme/deploy .github/workflows/deploy.yml:4: listens for: api-released",
    ]);
    expect(lines).toContain(`dispatch-lint: fetching the base ${baseSha} into ${workspace}`);
    expect(lines.at(-1)).toBe("dispatch-lint: 1 problem (1 error, 0 warnings, 0 notes) in 2 repositories; 1 annotation; the full report is in this job's summary (https://github.com/acme/api/actions/runs/99)");
    expect(run.summary.split('\n')[0]).toBe('## dispatch-lint: 1 error, 0 warnings, 0 notes');
    expect(run.summary).toContain('api-deployed');
    expect(run.summary).not.toContain("'legacy'");
    const sarifFile = join(workspace, 'out', 'dispatch-lint.sarif');
    expect(run.outputs).toEqual({ errors: '1', warnings: '0', notes: '0', sarif: sarifFile, 'exit-code': '1' });
    const sarif = JSON.parse(readFileSync(sarifFile, 'utf8')) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(sarif.runs[0]?.results.map((result) => [result.ruleId, result.locations[0]?.physicalLocation.artifactLocation.uri])).toEqual([['event-without-listener', '.github/workflows/release.yml']]);
   }, 240_000); // this first run installs and builds (about 20 s on this machine)

  it('base: none lints everything; fail-on: never passes the step and still counts', async () => {
    const run = await runAction({ paths: 'acme', base: 'none', 'fail-on': 'never' });
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').filter((line) => line.startsWith('::error '))).toHaveLength(2);
    expect(run.stdout).toContain('already installed');
    expect(run.outputs).toEqual({ errors: '2', warnings: '0', notes: '0', sarif: '', 'exit-code': '1' });
  });

  it('fail-on: warning fails on warnings alone', async () => {
    const args = '--rule\nevent-without-listener=warning';
    const run = await runAction({ paths: 'acme', base: 'none', 'fail-on': 'warning', args });
    expect(run.outputs).toEqual({ errors: '0', warnings: '2', notes: '0', sarif: '', 'exit-code': '0' });
    expect(run.status).toBe(1);
    expect((await runAction({ paths: 'acme', base: 'none', args })).status).toBe(0);
  });

  it('a bad input or an incomplete scan fails the step (exit 2) whatever fail-on says', async () => {
    const bad = await runAction({ 'fail-on': 'sometimes' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toContain("::error title=dispatch-lint::fail-on must be one of error, warning, note, never, got 'sometimes'");
    const missing = await runAction({ paths: 'no-such-folder', 'fail-on': 'never' });
    expect(missing.status).toBe(2);
    expect(missing.outputs['exit-code']).toBe('2');
  });

  it('the org-wide audit: GitHub alone (no checkout), one SARIF per repository, this one for upload-sarif', async () => {
    const fake = await startFakeGitHub({ orgs: [{ login: 'acme', repos: [
      { name: 'api', files: { '.github/workflows/release.yml': sender(['api-deployed']) }, secrets: ['DISPATCH_TOKEN'] },
      { name: 'deploy', files: { '.github/workflows/deploy.yml': listener } },
      { name: 'audit', files: {} },
    ] }] });
    try {
      const args = ['--github-api-url', fake.url, '--cache-dir', join(scratch, 'cache')].join('\n');
      const run = await runAction({ paths: '', github: 'acme', base: 'none', sarif: 'dispatch-lint.sarif', 'sarif-dir': 'sarif', 'fail-on': 'never', args }, 'acme/audit');
      expect(run.status).toBe(0);
      expect(run.outputs).toEqual({ errors: '1', warnings: '1', notes: '0', sarif: join(workspace, 'dispatch-lint.sarif'), 'exit-code': '1' });
      // Not checked out here: no annotation, plain lines, and the Markdown report in the job summary.
      expect(run.stdout).not.toMatch(/^::(error|warning) /m);
      expect(run.stdout).toMatch(/^error: acme\/api \.github\/workflows\/release\.yml:\d+:\d+: acme\/api sends 'api-deployed' to acme\/deploy/m);
      expect(run.summary.split('\n')[0]).toBe('## dispatch-lint: 1 error, 1 warning, 0 notes');
      expect((readdirSync(join(workspace, 'sarif'), { recursive: true }) as string[]).filter((file) => file.endsWith('.sarif')).sort()).toEqual(['acme/api.sarif', 'acme/audit.sarif', 'acme/deploy.sarif']);
      const own = JSON.parse(readFileSync(join(workspace, 'dispatch-lint.sarif'), 'utf8')) as { runs: { results: unknown[] }[] };
      expect(own.runs[0]?.results).toEqual([]);
    } finally {
      await fake.stop();
    }
  });

  it('runs the JavaScript that `npm run build` makes (its --noCheck build emits the same files)', () => {
    const jsFiles = (root: string): string[] => (readdirSync(root, { recursive: true }) as string[]).filter((file) => file.endsWith('.js')).sort();
    const built = jsFiles(join(actionPath, 'dist'));
    const reference = jsFiles(join(projectRoot, 'dist')).filter((file) => !/^(test|bench)\//.test(file) && file !== 'vitest.config.js');
    expect(built).toEqual(reference);
    for (const file of built) expect(readFileSync(join(actionPath, 'dist', file), 'utf8'), file).toBe(readFileSync(join(projectRoot, 'dist', file), 'utf8'));
    expect(relative(actionPath, join(actionPath, 'dist', 'src', 'cli.js'))).toBe('dist/src/cli.js');
  });
});
