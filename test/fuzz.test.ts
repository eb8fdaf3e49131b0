/**
 * Issue 7, "keep it from coming back": mutations of the corpus files (bench/fuzz/mutate.js, fixed seed) linted
 * as the CLI lints them, in-process. No case may crash (a stack trace, an internal error, an exit code other
 * than 0/1/2, a report that lost a repository), and on every case the quiet-file fast path must give exactly
 * the facts of the full parse (issue 7 item 9). `npm run fuzz` runs the same, longer, with timeouts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { crashOf, LISTENER, SENDER } from '../bench/fuzz/check.js';
import { corpusWorkflows, createFuzzer, MUTATIONS, type FuzzCase } from '../bench/fuzz/mutate.js';
import { main } from '../src/cli.js';
import { extractWorkflow } from '../src/extract/workflow.js';
import { corpusRoot } from './support/lint.js';

const SEED = 7;
const CASES = Number(process.env.FUZZ_CASES ?? 2500);
const corpus = corpusWorkflows(corpusRoot);
if (corpus.missing) console.warn(`fuzz test skipped: ${corpus.missing}`);

const root = mkdtempSync(join(tmpdir(), 'dispatch-lint-fuzz-'));
const org = join(root, 'acme');
for (const [repo, text] of [['api', SENDER], ['deploy', LISTENER]] as const) {
  mkdirSync(join(org, repo, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(org, repo, '.github', 'workflows', 'w.yml'), text);
}
const fuzzFolder = join(org, 'fuzz', '.github', 'workflows');
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function lintCase(text: string, name: string) {
  rmSync(fuzzFolder, { recursive: true, force: true });
  mkdirSync(fuzzFolder, { recursive: true });
  writeFileSync(join(fuzzFolder, name), text);
  let stdout = '';
  let stderr = '';
  const exitCode = await main([org, '--format', 'json'], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: root, env: {}, stdoutIsTTY: false, stderrIsTTY: false });
  return { exitCode, stdout, stderr };
}

/** What a failing case is, short enough to list: its number, its mutations and its file. */
const label = (index: number, fuzzCase: FuzzCase, why: string) => `case ${index} [${fuzzCase.kinds.join(', ')}] of ${fuzzCase.source}: ${why}`;

describe.skipIf(corpus.missing !== undefined)(`${CASES} mutated corpus workflows (seed ${SEED})`, () => {
  it('never crash the lint, never lose a repository, and the fast path agrees with the full parse', { timeout: 300_000 }, async () => {
    const fuzzer = createFuzzer({ seed: SEED, files: corpus.files, maxBytes: 20_000 });
    const crashes: string[] = [];
    const disagreements: string[] = [];
    const kinds = new Set<string>();
    for (let index = 0; index < CASES; index++) {
      const fuzzCase = fuzzer.next();
      fuzzCase.kinds.forEach((kind) => kinds.add(kind));
      const file = { repo: 'acme/fuzz', path: `.github/workflows/${basename(fuzzCase.source)}`, text: fuzzCase.text };
      if (!isDeepStrictEqual(extractWorkflow(file), extractWorkflow(file, { fullParse: true }))) disagreements.push(label(index, fuzzCase, 'the fast path differs from the full parse'));
      const crash = crashOf(await lintCase(fuzzCase.text, basename(fuzzCase.source)));
      if (crash) crashes.push(label(index, fuzzCase, crash));
    }
    expect(crashes).toEqual([]);
    expect(disagreements).toEqual([]);
    // Every mutation was exercised, so a broken mutator cannot pass as a clean run.
    expect([...kinds].sort()).toEqual(Object.keys(MUTATIONS).sort());
  });
});
