/**
 * One fuzz worker: lints each case it is sent as `dispatch-lint ORG --format json` would, in-process (dist/), in
 * an org folder of its own, and checks that the quiet-file fast path agrees with the full parse. The parent
 * kills it when a case takes too long, so a hang costs one case.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parentPort } from 'node:worker_threads';
import { crashOf, LISTENER, SENDER } from './check.js';

const { main } = await import(new URL('../../dist/src/cli.js', import.meta.url).href);
const { extractWorkflow } = await import(new URL('../../dist/src/extract/workflow.js', import.meta.url).href);

const root = mkdtempSync(join(tmpdir(), 'dispatch-lint-fuzz-'));
const org = join(root, 'acme');
for (const [repo, text] of [['api', SENDER], ['deploy', LISTENER]]) {
  mkdirSync(join(org, repo, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(org, repo, '.github', 'workflows', 'w.yml'), text);
}
const folder = join(org, 'fuzz', '.github', 'workflows');
process.on('exit', () => rmSync(root, { recursive: true, force: true }));

parentPort.on('message', async ({ id, text, name }) => {
  const started = performance.now();
  let problem;
  let lintMs;
  try {
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, name), text);
    let stdout = '';
    let stderr = '';
    const io = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: root, env: {}, stdoutIsTTY: false, stderrIsTTY: false };
    const lintStarted = performance.now();
    const exitCode = await main([org, '--format', 'json'], io);
    lintMs = performance.now() - lintStarted;
    problem = crashOf({ exitCode, stdout, stderr });
    if (!problem) {
      const file = { repo: 'acme/fuzz', path: `.github/workflows/${name}`, text };
      if (!isDeepStrictEqual(extractWorkflow(file), extractWorkflow(file, { fullParse: true }))) problem = 'the fast path differs from the full parse';
    }
  } catch (error) {
    problem = `threw: ${error instanceof Error ? error.stack : String(error)}`;
  }
  // `ms` is the whole case (lint, then the fast-vs-full check, which parses the file twice more); `lintMs` the lint alone.
  parentPort.postMessage({ id, ms: performance.now() - started, lintMs, problem });
});
parentPort.postMessage({ ready: true });
