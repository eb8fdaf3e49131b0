/**
 * The SARIF passes Microsoft's validator with GitHub's ingestion rules (`Sarif.Multitool validate --rule-kind
 * "Sarif;Gh"`) and the OASIS schema: the fixture orgs (every repository alone, as --sarif-dir writes them, and
 * all together), made-up edge cases (a result at the related-locations limit, odd paths, link look-alikes), and
 * the real-world corpus as the CLI prints it. No error and no warning about the files is allowed (the one
 * warning about the run itself is explained in support/sarif.ts).
 */

/** The validator is a .NET program that takes seconds per run on a shared 2-core machine. */
const VALIDATOR_TIMEOUT_MS = 120_000;
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatSarif, SARIF_LIMITS } from '../src/report/sarif.js';
import { contextFor, lintFixture, madeUpReport } from './support/formats.js';
import { corpusRoot, projectRoot, runCli } from './support/lint.js';
import { multitoolAvailable, multitoolValidate, schemaErrors } from './support/sarif.js';

if (!multitoolAvailable && process.env.CI) throw new Error('@microsoft/sarif-multitool-linux is missing: CI must validate the SARIF with it');
if (!multitoolAvailable) console.warn('SKIPPED: SARIF Multitool validation (node_modules/@microsoft/sarif-multitool-linux is not installed)');
const corpusAvailable = existsSync(join(corpusRoot, 'MANIFEST.tsv'));

const scratch = mkdtempSync(join(tmpdir(), 'dispatch-lint-sarif-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * Per-repository files differ only in their results, so the validator (seconds of CPU per dozen files) reads
 * those with results and one without; the schema reads them all.
 */
function worthValidating(files: string[]): string[] {
  const hasResults = (file: string) => ((JSON.parse(readFileSync(file, 'utf8')) as { runs: { results: unknown[] }[] }).runs[0]?.results.length ?? 0) > 0;
  const withResults = files.filter(hasResults);
  const empty = files.find((file) => !hasResults(file));
  return empty ? [...withResults, empty] : withResults;
}

async function writeFixtureSarifs(folder: string): Promise<void> {
  for (const org of ['reasonkit', 'market-data-pending', 'market-data-fixed', 'rules/unresolved-dispatch/fail/acme', 'rules/unknown-target-repo/fail/acme', 'rules/payload-injection/fail/acme']) {
    const result = await lintFixture(join(projectRoot, 'fixtures', org));
    const name = org.replace(/\//g, '_');
    writeFileSync(join(folder, `${name}.all.sarif`), formatSarif(result.report, contextFor(result.report, { sarifRepo: '*' })));
    for (const repo of result.report.repos) {
      writeFileSync(join(folder, `${name}.${repo.name.replace('/', '_')}.sarif`), formatSarif(result.report, contextFor(result.report, { sarifRepo: repo.name })));
    }
  }
  const related = Array.from({ length: SARIF_LIMITS.relatedLocations + 5 }, (_, index) => ({ repo: 'acme/api', path: `.github/workflows/w ${index}.yml`, line: index + 1, column: 1, message: `place [${index}]` }));
  const edgeCases = madeUpReport([
    ...Array.from({ length: 20 }, (_, index) => ({ severity: index % 2 === 0 ? ('note' as const) : ('warning' as const), path: `.github/workflows/ünïcode (${index % 7}) 100%.yml` })),
    { related, message: 'a [link](1) look-alike, 100% sure' },
  ]);
  writeFileSync(join(folder, 'edge-cases.sarif'), formatSarif(edgeCases, contextFor(edgeCases, { sarifRepo: 'acme/api', env: { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'acme/api', GITHUB_SHA: 'f'.repeat(40), GITHUB_REF: 'refs/heads/main' } })));
}

describe.skipIf(!multitoolAvailable)("Microsoft's SARIF validator with GitHub's rules", () => {
  it('accepts every fixture SARIF and the edge cases with no error and no warning; the schema accepts them too', async () => {
    const folder = join(scratch, 'fixtures');
    mkdirSync(folder);
    await writeFixtureSarifs(folder);
    for (const file of readdirSync(folder)) expect(schemaErrors(JSON.parse(readFileSync(join(folder, file), 'utf8'))), file).toEqual([]);
    const files = worthValidating(readdirSync(folder).map((file) => join(folder, file)));
    const verdict = multitoolValidate(files, join(scratch, 'fixtures-validation.sarif'));
    expect(verdict.stdout).toContain('Analysis completed successfully');
    expect(verdict.scanned).toBe(files.length);
    expect(verdict.errors).toEqual([]);
    expect(verdict.warnings).toEqual([]);
    expect(verdict.status).toBe(0);
  }, VALIDATOR_TIMEOUT_MS);

  it.skipIf(!corpusAvailable)('accepts the corpus SARIF as `dispatch-lint CORPUS/*/ --format sarif` prints it, and each --sarif-dir file', () => {
    const owners = readdirSync(corpusRoot, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => join(corpusRoot, entry.name));
    const folder = join(scratch, 'corpus');
    const run = runCli([...owners, '--format', 'sarif', '--sarif-dir', join(folder, 'by-repo')], { env: { GITHUB_ACTIONS: undefined, GITHUB_REPOSITORY: undefined } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('wrote 48 SARIF files');
    writeFileSync(join(folder, 'corpus.sarif'), run.stdout);
    const log = JSON.parse(run.stdout) as { runs: { results: unknown[] }[] };
    // One result per finding of the stored corpus report.
    const stored = JSON.parse(readFileSync(join(projectRoot, 'test', 'corpus', 'expected-report.json'), 'utf8')) as { findings: unknown[] };
    expect(log.runs[0]?.results).toHaveLength(stored.findings.length);
    const all = readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.sarif')).map((file) => join(folder, file));
    expect(all).toHaveLength(49);
    for (const file of all) expect(schemaErrors(JSON.parse(readFileSync(file, 'utf8'))), file).toEqual([]);
    const files = worthValidating(all);
    expect(files.length).toBeGreaterThan(20);
    const verdict = multitoolValidate(files, join(scratch, 'corpus-validation.sarif'));
    expect(verdict.stdout).toContain('Analysis completed successfully');
    expect(verdict.scanned).toBe(files.length);
    expect(verdict.errors).toEqual([]);
    expect(verdict.warnings).toEqual([]);
  }, VALIDATOR_TIMEOUT_MS);
});
