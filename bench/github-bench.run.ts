/**
 * `npm run bench:github`: a cold, a warm and a slightly changed audit of a 1,000-repository organisation served
 * by the test suite's fake GitHub with 50 ms added to every response. It prints requests sent, wall time and
 * files fetched for each; it asserts nothing but that the audits complete. (It runs under vitest only because
 * vitest runs TypeScript: the fake server lives in test/support.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'vitest';
import { loadOrgFromFolder, startFakeGitHub, type FakeGitHub } from '../test/support/fake-github.js';
import { runCliAsync } from '../test/support/lint.js';
// @ts-expect-error: the generator is plain JavaScript without types.
import { generateOrg } from './generate-org.js';

const LATENCY_MS = 50;
const TOKEN = 'ghp_benchmark_token_0000000000000000000000';
const CHANGED_FILES = 10;
const orgFolder = join(import.meta.dirname, '..', '.bench', 'bench-org');

interface Audit {
  label: string;
  wallMs: number;
  graphql: number;
  rest: number;
  secretListings: number;
  filesFetched: number;
  findings: number;
  /** CPU the fake server itself spent answering (graphql-js executing the queries), from its event loop. */
  serverBusyMs: number;
}

it('GitHub mode benchmark', { timeout: 600_000 }, async () => {
  (generateOrg as (dir: string) => unknown)(orgFolder);
  const org = loadOrgFromFolder(orgFolder);
  // Every sending repository can list its secrets: give the org the token secrets its workflows use.
  org.secrets = ['DISPATCH_TOKEN', 'GH_PAT', 'DISPATCH_TOKEN_V2', 'REPO_DISPATCH_TOKEN', 'PARTNER_DISPATCH_TOKEN'].map((name) => ({ name, visibility: 'all' as const }));
  const fake = await startFakeGitHub({ orgs: [org], token: TOKEN, latencyMs: LATENCY_MS });
  // Counts the blobs each GraphQL query asks for. (A fault that never fires is the one hook that sees query text.)
  let blobsAsked = 0;
  fake.addFault({ kind: 'server-error', match: (request) => ((blobsAsked += (request.graphql?.match(/object\(oid:/g) ?? []).length), false) });
  const blobsFetched = () => blobsAsked;
  const cacheDir = mkdtempSync(join(tmpdir(), 'dispatch-lint-bench-cache-'));
  try {
    const audits: Audit[] = [];
    audits.push(await audit('cold (empty cache)', fake, cacheDir, blobsFetched));
    audits.push(await audit('warm (nothing changed)', fake, cacheDir, blobsFetched));
    const workflowFiles = org.repos.flatMap((repo) => Object.keys(repo.files).map((path) => ({ repo: repo.name, path })));
    for (let index = 0; index < CHANGED_FILES; index++) {
      const file = workflowFiles[Math.floor((index * workflowFiles.length) / CHANGED_FILES)] as { repo: string; path: string };
      const content = org.repos.find((repo) => repo.name === file.repo)?.files[file.path];
      fake.setFile(org.login, file.repo, file.path, `${String(content)}\n# changed for the benchmark\n`);
    }
    audits.push(await audit(`${CHANGED_FILES} files changed`, fake, cacheDir, blobsFetched));
    print(org.repos.length, audits);
  } finally {
    await fake.stop();
    rmSync(cacheDir, { recursive: true, force: true });
  }
});

/** One audit by the built CLI in a child process, so the fake server keeps a core of its own. */
async function audit(label: string, fake: FakeGitHub, cacheDir: string, blobsFetched: () => number): Promise<Audit> {
  fake.resetCounts();
  const blobsBefore = blobsFetched();
  const loopBefore = performance.eventLoopUtilization();
  const started = performance.now();
  const run = await runCliAsync(['--github', 'bench-org', '--github-api-url', fake.url, '--cache-dir', cacheDir, '--format', 'json'], { env: { GITHUB_TOKEN: TOKEN } });
  const wallMs = performance.now() - started;
  const loop = performance.eventLoopUtilization(loopBefore);
  if (run.status === 2) throw new Error(`the audit did not complete: ${run.stderr}`);
  const counts = fake.counts();
  const secretListings = fake.requests.filter((request) => /\/(?:actions\/secrets|environments)\b|^\/users\//.test(request.path)).length;
  return {
    label,
    wallMs,
    graphql: counts.graphql,
    rest: counts.rest,
    secretListings,
    filesFetched: blobsFetched() - blobsBefore,
    findings: (JSON.parse(run.stdout) as { findings: unknown[] }).findings.length,
    serverBusyMs: loop.active,
  };
}

function print(repositories: number, audits: Audit[]): void {
  const row = (cells: (string | number)[]) => cells.map((cell, index) => String(cell).padEnd(index === 0 ? 26 : 13)).join('');
  const lines = [
    '',
    `dispatch-lint GitHub bench: ${repositories} repositories, ${LATENCY_MS} ms per response`,
    row(['audit', 'requests', 'graphql', 'rest', 'secrets', 'fetch/20repo', 'wall ms', 'server ms', 'files fetched']),
  ];
  for (const result of audits) {
    const fetching = result.graphql + result.rest - result.secretListings;
    lines.push(
      row([result.label, result.graphql + result.rest, result.graphql, result.rest, result.secretListings, ((fetching * 20) / repositories).toFixed(2), Math.round(result.wallMs), Math.round(result.serverBusyMs), result.filesFetched]),
    );
  }
  const [cold, warm] = audits;
  if (cold && warm) {
    const fetchingPer20 = ((cold.graphql + cold.rest - cold.secretListings) * 20) / repositories;
    lines.push(
      '',
      `targets: cold fetch <= 1 request per 20 repositories (plus secret listings): ${fetchingPer20 <= 1 ? 'PASS' : 'MISS'} (${fetchingPer20.toFixed(2)});`,
      `         warm fetches no file content: ${warm.filesFetched === 0 ? 'PASS' : 'MISS'} (${warm.filesFetched} files).`,
      '"secrets" are the secret-name listings for repositories that dispatch with a secret token (secret-not-defined).',
      '"server ms" is the fake server\'s own CPU (graphql-js executing the queries): on github.com that is GitHub\'s time.',
      'The rest of the wall time is round trips (50 ms each, up to 10 in flight) and the lint itself (npm run bench: ~2 s).',
      '',
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
