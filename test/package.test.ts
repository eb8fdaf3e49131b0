/**
 * The package people install: `npm pack` makes a tarball that installs into a clean folder and runs without
 * TypeScript or anything else from this clone (the installed copy finds its schemas and version on its own).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { projectRoot } from './support/lint.js';

/** Options SPEC names that another branch is still building; each must leave this list once --help has it. */
const NOT_YET_BUILT = new Set<string>();

const scratch = mkdtempSync(join(tmpdir(), 'dispatch-lint-package-'));
const app = join(scratch, 'app');
let bin = '';

/** npm as a user runs it: none of the npm_* settings of the `npm test` that runs this file. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

function run(args: string[], cwd = app) {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...cleanEnv(), NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  // `npm test` has just built dist/ (pretest); --ignore-scripts spares a second build. A user's `npm pack` builds.
  const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { cwd: projectRoot, encoding: 'utf8', env: cleanEnv() });
  const tarball = join(scratch, (JSON.parse(packed) as { filename: string }[])[0]?.filename ?? '');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), '{ "name": "consumer", "private": true }\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: app, encoding: 'utf8', env: cleanEnv(), stdio: 'pipe' });
  bin = join(app, 'node_modules', 'dispatch-lint', 'bin', 'dispatch-lint.js');
}, 240_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the packed package, installed into a clean folder', () => {
  it('holds what runs and nothing of the development setup', () => {
    const installed = join(app, 'node_modules', 'dispatch-lint');
    for (const path of ['bin/dispatch-lint.js', 'dist/bundle/cli.js', 'dist/bundle/extract-worker.js', 'dist/src/cli.js', 'dist/rules/index.js', 'schemas/config.schema.json', 'schemas/baseline.schema.json', 'docs/rules/event-without-listener.md', 'README.md']) {
      expect(existsSync(join(installed, path)), path).toBe(true);
    }
    for (const path of ['src', 'test', 'fixtures', 'tsconfig.json', 'dist/test']) expect(existsSync(join(installed, path)), path).toBe(false);
    // No TypeScript, no test runner: the installed copy runs on its runtime dependencies alone.
    expect(existsSync(join(app, 'node_modules', 'typescript'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', 'vitest'))).toBe(false);
    expect(existsSync(join(app, 'node_modules', '.bin', 'dispatch-lint'))).toBe(true);
  });

  it('--version prints the version', () => {
    const version = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version;
    expect(run(['--version'])).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--help lists every option of SPEC', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    const spec = readFileSync(join(projectRoot, '..', 'shared', 'SPEC.md'), 'utf8');
    // The command line's sections, not the sender forms (`gh api --field` ...) further down.
    const commandLine = spec.slice(spec.indexOf('## Command line'), spec.indexOf('## JSON report'));
    const options = [...new Set(commandLine.match(/--[a-z][a-z-]*/g) ?? [])];
    expect(options.length).toBeGreaterThan(15);
    for (const option of options) {
      if (NOT_YET_BUILT.has(option)) expect(help.stdout, `${option} is built now: take it off NOT_YET_BUILT`).not.toMatch(new RegExp(`${option}\\b`));
      else expect(help.stdout, option).toMatch(new RegExp(`${option}\\b`));
    }
  });

  it('lints a fixture exactly as the clone does, finds its schema, and lists every rule', () => {
    const lintRun = run([join(projectRoot, 'fixtures', 'market-data-pending'), '--format', 'json']);
    expect(lintRun.status).toBe(1);
    expect(lintRun.stdout).toBe(readFileSync(join(projectRoot, 'fixtures', 'market-data-pending.expected.json'), 'utf8'));
    // The config schema ships with it: an invalid config is caught by the installed copy too.
    writeFileSync(join(app, '.dispatch-lint.yml'), 'rules:\n  no-such-rule: off\n');
    const invalid = run([join(projectRoot, 'fixtures', 'market-data-fixed')]);
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toContain('rules.no-such-rule: not a rule id');
    rmSync(join(app, '.dispatch-lint.yml'));
    const rules = run(['rules']);
    for (const rule of RULES) expect(rules.stdout).toContain(rule.id);
  });
});
