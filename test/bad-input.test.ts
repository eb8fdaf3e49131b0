/** Bad input gets a finding with its position (or a one-line error) and the scan of everything else goes on. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/model.js';
import { runCli } from './support/lint.js';

const GOOD_LISTENER = 'on:\n  repository_dispatch:\n    types: [deploy]\njobs:\n  d:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.client_payload.version }}"\n';
const GOOD_SENDER =
  'on: push\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: peter-evans/repository-dispatch@v3\n        with:\n          token: ${{ secrets.DISPATCH_TOKEN }}\n          repository: acme/deploy\n          event-type: deploy\n          client-payload: \'{"version": "1"}\'\n';

function org(files: Record<string, string | Buffer>): string {
  const root = join(mkdtempSync(join(tmpdir(), 'dispatch-lint-bad-')), 'acme');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

function lintJson(root: string): { status: number | null; report: Report; stderr: string } {
  const run = runCli([root, '--format', 'json']);
  return { status: run.status, report: JSON.parse(run.stdout) as Report, stderr: run.stderr };
}

describe('bad workflow files', () => {
  const root = org({
    'deploy/.github/workflows/deploy.yml': GOOD_LISTENER,
    'api/.github/workflows/release.yml': GOOD_SENDER,
    'api/.github/workflows/broken.yml': 'on: push\njobs:\n  a: [unclosed\n',
    'api/.github/workflows/list.yml': '- just\n- a list\n',
    'api/.github/workflows/empty.yml': '',
    'api/.github/workflows/binary.yml': Buffer.from([0x00, 0x01, 0x02, 0xff, 0x00]),
    'api/.github/workflows/huge.yml': `on: push\n# ${'x'.repeat(1024 * 1024)}\n`,
    'api/.github/workflows/bad-on.yml': 'on: 42\njobs: {}\n',
    'api/.github/workflows/bad-payload.yml': GOOD_SENDER.replace(`'{"version": "1"}'`, `'{"version": }'`).replace('event-type: deploy', 'event-type: deploy'),
  });
  const { status, report, stderr } = lintJson(root);
  const syntax = report.findings.filter((finding) => finding.rule === 'workflow-syntax').map((finding) => `${finding.location.path}:${finding.location.line}:${finding.location.column} ${finding.message}`);

  it('reports each with its file and position, without a stack trace', () => {
    expect(stderr).toBe('');
    expect(syntax).toEqual([
      '.github/workflows/bad-on.yml:1:5 .github/workflows/bad-on.yml: `on:` is a number; it must be an event name, a list of event names, or a mapping of events',
      '.github/workflows/binary.yml:1:1 .github/workflows/binary.yml: the file is binary, not a YAML workflow',
      expect.stringMatching(/^\.github\/workflows\/broken\.yml:4:1 \.github\/workflows\/broken\.yml: invalid YAML: /),
      '.github/workflows/empty.yml:1:1 .github/workflows/empty.yml: the file is empty, so it defines no workflow',
      '.github/workflows/huge.yml:1:1 .github/workflows/huge.yml: the file is 1048588 bytes, over the 1048576-byte limit; it was not read',
      '.github/workflows/list.yml:1:1 .github/workflows/list.yml: the top level is a list, not a mapping of workflow keys',
    ]);
  });

  it('reports a payload that is not JSON at its position', () => {
    const notJson = report.findings.find((finding) => finding.rule === 'payload-not-object');
    expect(notJson?.location).toMatchObject({ path: '.github/workflows/bad-payload.yml', line: 11 });
    expect(notJson?.message).toContain('not valid JSON');
  });

  it('goes on with the rest: the good sender and listener are still joined', () => {
    expect(report.repos).toEqual([
      { name: 'acme/api', source: 'local', workflows: 8 },
      { name: 'acme/deploy', source: 'local', workflows: 1 },
    ]);
    expect(report.graph.edges).toContainEqual({ from: 'acme/api', to: 'acme/deploy', kind: 'repository_dispatch', event: 'deploy', status: 'ok' });
    expect(status).toBe(1);
  });
});
