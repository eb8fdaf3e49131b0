/** Test helpers: lint fixture folders through the engine, and run the built CLI as a user would. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '../../src/config/config.js';
import { lint } from '../../src/engine.js';
import { formatJson } from '../../src/report/json.js';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const corpusRoot = join(projectRoot, '..', 'shared', 'corpus');

/** The JSON report for PATHs, as `dispatch-lint PATH... --format json` prints it (no config file). */
export async function jsonReport(paths: string[]): Promise<{ text: string; scanErrors: string[] }> {
  const result = await lint({ paths, cwd: projectRoot, config: defaultConfig(), workers: 0 });
  return { text: formatJson(result.report), scanErrors: result.scanErrors };
}

/**
 * Compares `actual` with the stored expected file. With UPDATE_EXPECTED=1 it rewrites the file instead
 * (then review the diff before committing: the stored report is a promise to users).
 */
export function expectedText(file: string, actual: string): string {
  if (process.env.UPDATE_EXPECTED === '1' || !existsSync(file)) {
    if (process.env.CI && !existsSync(file)) throw new Error(`${file} is missing`);
    writeFileSync(file, actual);
  }
  return readFileSync(file, 'utf8');
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (bin/dispatch-lint.js) in `cwd`. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): CliRun {
  const result = spawnSync(process.execPath, [join(projectRoot, 'bin', 'dispatch-lint.js'), ...args], {
    cwd: options.cwd ?? projectRoot,
    env: { ...process.env, NO_COLOR: '', FORCE_COLOR: undefined, ...options.env } as NodeJS.ProcessEnv,
    encoding: 'utf8',
    input: options.input ?? '',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Runs the built CLI without blocking this process (a fake server in this process must keep answering). */
export function runCliAsync(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(projectRoot, 'bin', 'dispatch-lint.js'), ...args], {
      cwd: options.cwd ?? projectRoot,
      env: { ...process.env, NO_COLOR: '', FORCE_COLOR: undefined, GITHUB_TOKEN: undefined, GH_TOKEN: undefined, ...options.env } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
