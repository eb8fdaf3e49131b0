/**
 * What counts as a crash for the fuzz test and `npm run fuzz` (issue 7): any stack trace or internal error, an
 * exit code other than 0, 1 or 2, or a report that lost a repository. Shared so that both judge alike.
 */

/** The org every case is linted in: a good sender/listener pair beside the repository of the mutated file. */
export const ORG_REPOSITORIES = ['acme/api', 'acme/deploy', 'acme/fuzz'];

export const LISTENER = 'on:\n  repository_dispatch:\n    types: [deploy]\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "$V"\n        env:\n          V: ${{ github.event.client_payload.version }}\n';
export const SENDER =
  "on: push\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: peter-evans/repository-dispatch@v3\n        with:\n          token: ${{ secrets.DISPATCH_TOKEN }}\n          repository: acme/deploy\n          event-type: deploy\n          client-payload: '{\"version\": \"1\"}'\n";

/**
 * Why a run is a crash, or undefined when it is not.
 * @param {{ exitCode: number, stdout: string, stderr: string }} run the CLI's exit code and output (--format json)
 */
export function crashOf(run) {
  if (/\n\s+at |internal error|please report this/i.test(run.stderr)) return `stderr: ${firstLines(run.stderr)}`;
  if (![0, 1, 2].includes(run.exitCode)) return `exit code ${run.exitCode}`;
  let report;
  try {
    report = JSON.parse(run.stdout);
  } catch {
    return `no JSON report on stdout (exit ${run.exitCode}): ${firstLines(run.stderr || run.stdout)}`;
  }
  const names = (report.repos ?? []).map((repo) => repo.name);
  const lost = ORG_REPOSITORIES.filter((name) => !names.includes(name));
  if (lost.length > 0) return `the report lost ${lost.join(', ')}`;
  const internal = (report.findings ?? []).find((finding) => /please report this|could not read it \(/.test(finding.message));
  if (internal) return `internal error as a finding: ${internal.message}`;
  return undefined;
}

function firstLines(text) {
  return text.split('\n').slice(0, 3).join(' | ').slice(0, 500);
}
