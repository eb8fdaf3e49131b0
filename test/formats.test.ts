/**
 * The formats GitHub's screens read (sarif, github, markdown): each compared whole with a stored file for the
 * fixture orgs, then their edge cases on made-up reports: scope, escaping, GitHub's limits, the graph's cut.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINGERPRINT_KEY, occurrenceKeys } from '../src/fingerprint.js';
import { formatGithub } from '../src/report/github.js';
import { githubLinks } from '../src/report/links.js';
import { formatMarkdown, MAX_TABLE_ROWS } from '../src/report/markdown.js';
import { formatSarif, SARIF_LIMITS } from '../src/report/sarif.js';
import { docsPath } from '../src/rule.js';
import { withoutExamples } from '../src/rule-docs.js';
import { RULES } from '../rules/index.js';
import { contextFor, edge, lintFixture, madeUpReport } from './support/formats.js';
import { expectedText, projectRoot } from './support/lint.js';
import { schemaErrors } from './support/sarif.js';

const ORGS: Record<string, string> = {
  reasonkit: 'fixtures/reasonkit',
  'market-data-pending': 'fixtures/market-data-pending',
  'market-data-fixed': 'fixtures/market-data-fixed',
  'unresolved-dispatch': 'fixtures/rules/unresolved-dispatch/fail/acme',
  'unknown-target-repo': 'fixtures/rules/unknown-target-repo/fail/acme',
};
const expectedDir = join(projectRoot, 'test', 'formats');

interface SarifLog {
  runs: {
    tool: { driver: { rules: { id: string; help: { text: string; markdown: string }; properties: Record<string, unknown>; [key: string]: unknown }[] } };
    results: { ruleId: string; ruleIndex?: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }[]; relatedLocations?: { id: number }[]; partialFingerprints: Record<string, string> }[];
    originalUriBaseIds: Record<string, { uri: string }>;
    versionControlProvenance: { repositoryUri: string; revisionId?: string; branch?: string }[];
  }[];
}

/** The stored SARIF leaves out the rules' doc pages (tested against docs/rules below): they are most of its bytes. */
function withoutHelp(text: string): string {
  const log = JSON.parse(text) as SarifLog;
  for (const rule of log.runs[0]?.tool.driver.rules ?? []) rule.help = { text: `(${docsPath(rule.id)})`, markdown: `(${docsPath(rule.id)})` };
  return `${JSON.stringify(log, null, 2)}\n`;
}

describe('whole outputs on the fixture orgs', () => {
  for (const [org, path] of Object.entries(ORGS)) {
    it(`${org}: sarif, github and markdown match test/formats/${org}.*`, async () => {
      const result = await lintFixture(join(projectRoot, path));
      expect(result.scanErrors).toEqual([]);
      const sarif = formatSarif(result.report, contextFor(result.report, { roots: result.roots }));
      expect(schemaErrors(JSON.parse(sarif))).toEqual([]);
      expect(withoutHelp(sarif)).toBe(expectedText(join(expectedDir, `${org}.sarif.json`), withoutHelp(sarif)));

      if (org === 'market-data-pending') {
        // The file its pipeline repository would upload: the results located there, URIs from its root.
        const scoped = withoutHelp(formatSarif(result.report, contextFor(result.report, { roots: result.roots, sarifRepo: 'market-data-pending/market-data-pipeline' })));
        expect(schemaErrors(JSON.parse(scoped))).toEqual([]);
        expect(scoped).toBe(expectedText(join(expectedDir, `${org}.pipeline.sarif.json`), scoped));
      }

      const github = formatGithub(result.report, contextFor(result.report, { roots: result.roots, env: { GITHUB_WORKSPACE: projectRoot } }));
      expect(github).toBe(expectedText(join(expectedDir, `${org}.github.txt`), github));

      const markdown = formatMarkdown(result.report, contextFor(result.report, { roots: result.roots }));
      expect(markdown).toBe(expectedText(join(expectedDir, `${org}.md`), markdown));
    });
  }
});

describe('sarif', () => {
  it('lists every rule with its doc page as help, its level, and security metadata on the security rule', () => {
    const report = madeUpReport([]);
    const log = JSON.parse(formatSarif(report, contextFor(report))) as SarifLog;
    const rules = log.runs[0]?.tool.driver.rules ?? [];
    expect(rules.map((rule) => rule.id)).toEqual(RULES.map((rule) => rule.id));
    for (const rule of rules) {
      const page = readFileSync(join(projectRoot, docsPath(rule.id)), 'utf8');
      expect(rule.help.markdown).toBe(page);
      expect(rule.help.text).toBe(withoutExamples(page, rule.helpUri as string));
      expect(rule.help.text).toContain('## Why it matters');
      expect(rule.help.text).not.toContain('## Failing example');
      expect(rule.helpUri).toBe(`https://github.com/dispatch-lint/dispatch-lint/blob/main/docs/rules/${rule.id}.md`);
      expect((rule.fullDescription as { text: string }).text).not.toContain('Default severity');
      expect(rule.defaultConfiguration).toEqual({ level: RULES.find((candidate) => candidate.id === rule.id)?.defaultSeverity });
    }
    const injection = rules.find((rule) => rule.id === 'payload-injection');
    expect(injection?.properties).toEqual({ tags: ['security', 'external/cwe/cwe-094'], 'security-severity': '7.5', precision: 'high' });
    expect(rules.filter((rule) => (rule.properties.tags as string[]).includes('security')).map((rule) => rule.id)).toEqual(['payload-injection']);
  });

  it('scoped to the sender: the listener side in another repository is named in the message with a link, not a related location', async () => {
    const result = await lintFixture(join(projectRoot, ORGS['market-data-pending'] as string));
    const context = contextFor(result.report, { sarifRepo: 'market-data-pending/market-data-pipeline' });
    const log = JSON.parse(formatSarif(result.report, context)) as SarifLog;
    const run = log.runs[0];
    expect(run?.results.map((entry) => entry.ruleId)).toEqual(['token-secret-drift', 'event-without-listener', 'token-secret-drift']);
    expect(run?.results.every((entry) => entry.relatedLocations === undefined)).toBe(true);
    expect(run?.results[0]?.message.text).toContain(
      'Related: uses REPO_DISPATCH_TOKEN (market-data-pending/market-data-core .github/workflows/release.yml:63: https://github.com/market-data-pending/market-data-core/blob/HEAD/.github/workflows/release.yml#L63)',
    );
    expect(Object.keys(run?.originalUriBaseIds ?? {})).toEqual(['%SRCROOT%']);
    expect(run?.originalUriBaseIds['%SRCROOT%']?.uri).toBe('https://github.com/market-data-pending/market-data-pipeline/blob/HEAD/');
    expect(run?.results[0]?.locations[0]?.physicalLocation.artifactLocation).toEqual({ uri: '.github/workflows/auto_release_on_merge.yml', uriBaseId: '%SRCROOT%' });

    const elsewhere = JSON.parse(formatSarif(result.report, { ...context, sarifRepo: 'market-data-pending/market-data-core' })) as SarifLog;
    expect(elsewhere.runs[0]?.results).toEqual([]);
  });

  it('links related places in the scoped repository as [text](id), escaping brackets in their text', () => {
    const report = madeUpReport([
      {
        message: 'sends [x](y) nowhere',
        related: [
          { repo: 'acme/api', path: '.github/workflows/listen.yml', line: 4, column: 5, message: 'listens for [a]' },
          { repo: 'acme/web', path: '.github/workflows/other.yml', line: 7, column: 3, message: 'also here' },
        ],
      },
    ]);
    const log = JSON.parse(formatSarif(report, contextFor(report, { sarifRepo: 'acme/api' }))) as SarifLog;
    expect(schemaErrors(log)).toEqual([]);
    const result = log.runs[0]?.results[0];
    expect(result?.message.text).toBe(
      'sends \\[x\\](y) nowhere. Related: [listens for \\[a\\] (.github/workflows/listen.yml:4)](1); also here (acme/web .github/workflows/other.yml:7: https://github.com/acme/web/blob/HEAD/.github/workflows/other.yml#L7).',
    );
    expect(result?.relatedLocations).toEqual([
      { id: 1, physicalLocation: { artifactLocation: { uri: '.github/workflows/listen.yml', uriBaseId: '%SRCROOT%' }, region: { startLine: 4, startColumn: 5 } }, message: { text: 'listens for [a]' } },
    ]);
  });

  it("puts the project's fingerprint under its own key, unique per result, and never GitHub's line hash", async () => {
    const result = await lintFixture(join(projectRoot, ORGS['market-data-pending'] as string));
    const log = JSON.parse(formatSarif(result.report, contextFor(result.report))) as SarifLog;
    const fingerprints = log.runs[0]?.results.map((entry) => entry.partialFingerprints);
    expect(fingerprints).toEqual(occurrenceKeys(result.report.findings).map((key) => ({ [FINGERPRINT_KEY]: key })));
    const keys = fingerprints?.map((entry) => entry[FINGERPRINT_KEY]) ?? [];
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(3);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{16}:\d+$/);
  });

  it(`keeps the ${SARIF_LIMITS.results} most severe results GitHub keeps and says on stderr what it cut`, () => {
    const notes = Array.from({ length: SARIF_LIMITS.results }, (_, index) => ({ severity: 'note' as const, line: index + 1 }));
    const report = madeUpReport([...notes, { severity: 'error', line: 9000 }, { severity: 'warning', line: 9001 }]);
    const context = contextFor(report, { sarifRepo: 'acme/api' });
    const log = JSON.parse(formatSarif(report, context)) as SarifLog;
    const results = log.runs[0]?.results ?? [];
    expect(results).toHaveLength(SARIF_LIMITS.results);
    expect(results.filter((entry) => entry.level !== 'note').map((entry) => entry.level)).toEqual(['error', 'warning']);
    expect(context.warnings).toEqual([`sarif: 5002 results, more than the 5000 code scanning keeps: left out 2 (2 notes); the JSON report has them all`]);
  });

  it(`keeps ${SARIF_LIMITS.relatedLocations} related locations a result and names the rest in its message`, () => {
    const related = Array.from({ length: SARIF_LIMITS.relatedLocations + 2 }, (_, index) => ({ repo: 'acme/api', path: '.github/workflows/x.yml', line: index + 1, column: 1, message: `uses T${index}` }));
    const report = madeUpReport([{ related }]);
    const log = JSON.parse(formatSarif(report, contextFor(report))) as SarifLog;
    const result = log.runs[0]?.results[0];
    expect(result?.relatedLocations).toHaveLength(SARIF_LIMITS.relatedLocations);
    expect(result?.message.text).toContain('[uses T99 (.github/workflows/x.yml:100)](100); uses T100 (.github/workflows/x.yml:101: https://github.com/acme/api/blob/HEAD/.github/workflows/x.yml#L101)');
  });

  it('inside Actions links the repository being built at its commit, on GITHUB_SERVER_URL', () => {
    const report = madeUpReport([{}]);
    const env = { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'acme/api', GITHUB_SHA: 'a'.repeat(40), GITHUB_REF: 'refs/heads/main', GITHUB_SERVER_URL: 'https://ghe.example.com/' };
    const log = JSON.parse(formatSarif(report, contextFor(report, { env }))) as SarifLog;
    expect(log.runs[0]?.versionControlProvenance).toEqual([{ repositoryUri: 'https://ghe.example.com/acme/api', revisionId: 'a'.repeat(40), branch: 'main', mappedTo: { uriBaseId: '%SRCROOT%' } }]);
    const links = githubLinks(env);
    expect(links.blobUrl('acme/api', '.github/workflows/a b(1).yml', 3)).toBe(`https://ghe.example.com/acme/api/blob/${'a'.repeat(40)}/.github/workflows/a%20b%281%29.yml#L3`);
    expect(links.blobUrl('acme/web', '.github/workflows/x.yml')).toBe('https://ghe.example.com/acme/web/blob/HEAD/.github/workflows/x.yml');
  });
});

describe('github (workflow commands)', () => {
  const workspace = '/home/runner/work/api/api';
  const roots = new Map([['acme/api', workspace]]);

  it("escapes the message as @actions/core does (%, CR, LF) and property values too (: and ,)", () => {
    const report = madeUpReport([{ message: '100% sure: a, b\nnext line\r\nend', path: '.github/workflows/a,b:c%.yml', line: 3 }]);
    const output = formatGithub(report, contextFor(report, { roots, env: { GITHUB_WORKSPACE: workspace } }));
    expect(output.split('\n')[0]).toBe('::error file=.github/workflows/a%2Cb%3Ac%25.yml,line=3,col=5,endLine=3,endColumn=9,title=event-without-listener::100%25 sure: a, b%0Anext line%0D%0Aend');
  });

  it('prints errors first, then warnings, then notices; past 10 of a kind a step, and outside the workspace, plain lines', () => {
    const findings = [
      ...Array.from({ length: 3 }, () => ({ severity: 'note' as const })),
      ...Array.from({ length: 12 }, () => ({ severity: 'warning' as const })),
      ...Array.from({ length: 12 }, () => ({ severity: 'error' as const })),
      { severity: 'error' as const, repo: 'acme/deploy', message: 'elsewhere' },
    ];
    const report = madeUpReport(findings, { repos: ['acme/api', 'acme/deploy'] });
    const lines = formatGithub(report, contextFor(report, { roots, env: { GITHUB_WORKSPACE: workspace } })).trimEnd().split('\n');
    const kinds = lines.map((line) => /^::(\w+) /.exec(line)?.[1] ?? /^([\w-]+): /.exec(line)?.[1]);
    expect(kinds).toEqual([...Array(10).fill('error'), 'error', 'error', 'error', ...Array(10).fill('warning'), 'warning', 'warning', ...Array(3).fill('notice'), 'dispatch-lint']);
    expect(lines).toContain('error: acme/deploy .github/workflows/release.yml:28:5: elsewhere  (event-without-listener)');
    expect(lines.at(-1)).toBe(
      "dispatch-lint: 28 problems (13 errors, 12 warnings, 3 notes) in 2 repositories; 23 annotations, 5 plain lines (outside the workspace, or past GitHub's 10 errors and 10 warnings a step)",
    );
  });
});

describe('markdown', () => {
  it('escapes a message so it shows as written and stays in its table cell', () => {
    const report = madeUpReport([{ message: 'a | b *c* <script>x</script> `d` [e](f) _g_ client_payload\nline 2' }]);
    const row = formatMarkdown(report, contextFor(report)).split('\n').find((line) => line.startsWith('| ❌'));
    expect(row).toBe(
      '| ❌ error | [event-without-listener](https://github.com/dispatch-lint/dispatch-lint/blob/main/docs/rules/event-without-listener.md) | [acme/api: .github/workflows/release.yml:1](https://github.com/acme/api/blob/HEAD/.github/workflows/release.yml#L1) | a \\| b \\*c\\* &lt;script&gt;x&lt;/script&gt; \\`d\\` \\[e\\](f) \\_g\\_ client_payload<br>line 2 |',
    );
  });

  it('draws the repositories in a finding and their neighbours, says how many it left out, and all of them on request', () => {
    const edges = [edge('acme/api', 'acme/deploy', 'deploy'), edge('acme/web', 'acme/cdn', 'publish'), edge('acme/cdn', 'acme/edge', 'purge', 'no-listener')];
    const report = madeUpReport([{ repo: 'acme/api' }], { repos: ['acme/api', 'acme/cdn', 'acme/deploy', 'acme/edge', 'acme/web'], edges });
    const focused = formatMarkdown(report, contextFor(report));
    expect(focused).toContain('Showing 2 of 5 repositories: those in a finding and their neighbours; 3 left out (`--full-graph` draws them all).');
    expect(focused).toContain('  r0["acme/api"]\n  r1["acme/deploy"]\n  r0 -->|"deploy"| r1\n');
    expect(focused).not.toContain('acme/web');
    const full = formatMarkdown(report, contextFor(report, { fullGraph: true }));
    for (const name of ['acme/api', 'acme/cdn', 'acme/deploy', 'acme/edge', 'acme/web']) expect(full).toContain(`["${name}"]`);
    expect(full).toContain('r1 -.->|"purge (no-listener)"| r3');
    expect(full).toContain('linkStyle 2 stroke:#cf222e,stroke-width:2px,stroke-dasharray:6 4');
  });

  it('gives every node a plain id and entity-codes what could end or inject a label', () => {
    const edges = [edge('acme/api', '${{ fromJSON(x)["repo"] }}', 'a"b|c<d>#e', 'unresolved')];
    const report = madeUpReport([{}], { edges });
    const markdown = formatMarkdown(report, contextFor(report));
    expect(markdown).toContain('  r1["${{ fromJSON(x)[#34;repo#34;] }}"]\n  r0 -.->|"a#34;b|c#60;d#62;#35;e (unresolved)"| r1\n');
    expect(markdown).toContain('  class r1 unresolved\n');
  });

  it(`shows at most ${MAX_TABLE_ROWS} findings, most severe first, and says how many more there are`, () => {
    const report = madeUpReport([...Array.from({ length: MAX_TABLE_ROWS + 4 }, () => ({ severity: 'note' as const })), { severity: 'error' }]);
    const markdown = formatMarkdown(report, contextFor(report));
    const rows = markdown.split('\n').filter((line) => /^\| (❌|⚠️|ℹ️)/.test(line));
    expect(rows).toHaveLength(MAX_TABLE_ROWS);
    expect(rows[0]).toMatch(/^\| ❌ error/);
    expect(markdown).toContain('5 more findings are not shown here (the least severe); the JSON and SARIF reports hold them all.');
  });
});
