/**
 * Every fixture org is linted and its whole JSON report compared with the expected file beside it, so a
 * changed message, position or edge shows up in review. Rule fixtures must also fail (and pass) on their rule.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/model.js';
import { RULES } from '../rules/index.js';
import { expectedText, jsonReport, projectRoot } from './support/lint.js';

const fixtures = join(projectRoot, 'fixtures');
/** Every org folder at the top of fixtures/ (the seeds and the shapes of real organisations), each with its expected report; rules/ and senders/ hold fail and pass cases, tested on their own. */
const ORGS = readdirSync(fixtures, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'rules' && entry.name !== 'senders')
  .map((entry) => entry.name)
  .sort();

describe('fixture organisations', () => {
  it('include the three seed organisations', () => {
    expect(ORGS).toEqual(expect.arrayContaining(['reasonkit', 'market-data-pending', 'market-data-fixed']));
  });

  for (const org of ORGS) {
    it(`${org}: the whole JSON report matches ${org}.expected.json`, async () => {
      const { text, scanErrors } = await jsonReport([join(fixtures, org)]);
      expect(scanErrors).toEqual([]);
      expect(text).toBe(expectedText(join(fixtures, `${org}.expected.json`), text));
    });
  }

  it('market-data pending: reports the token drift and the missing ibkr listener; fixed: neither', async () => {
    const pending = JSON.parse((await jsonReport([join(fixtures, 'market-data-pending')])).text) as Report;
    const fixed = JSON.parse((await jsonReport([join(fixtures, 'market-data-fixed')])).text) as Report;
    const summary = (report: Report) => report.findings.map((finding) => `${finding.rule} ${finding.location.repo} ${finding.location.line}:${finding.location.column}`);
    expect(summary(pending)).toEqual([
      'token-secret-drift market-data-pending/market-data-pipeline 62:18',
      'event-without-listener market-data-pending/market-data-pipeline 64:23',
      'token-secret-drift market-data-pending/market-data-pipeline 69:18',
    ]);
    expect(pending.findings[1]?.message).toContain("'core_release' to market-data-pending/market-data-ibkr");
    expect(pending.findings[0]?.message).toContain('REPO_TOKEN');
    expect(fixed.findings).toEqual([]);
    expect(fixed.graph.edges.every((edge) => edge.status === 'ok')).toBe(true);
  });
});

describe('rule fixtures', () => {
  const ruleFolders = readdirSync(join(fixtures, 'rules')).sort();

  it('every rule has a failing and a passing fixture (GitHub-mode rules are tested against the fake GitHub, --base ones on git repositories)', () => {
    expect(ruleFolders).toEqual(RULES.filter((rule) => rule.requires === undefined).map((rule) => rule.id).sort());
  });

  for (const ruleId of ruleFolders) {
    for (const outcome of ['fail', 'pass'] as const) {
      it(`${ruleId}/${outcome}: the whole JSON report matches expected.json`, async () => {
        const folder = join(fixtures, 'rules', ruleId, outcome);
        const { text, scanErrors } = await jsonReport([join(folder, 'acme')]);
        expect(scanErrors).toEqual([]);
        expect(text).toBe(expectedText(join(folder, 'expected.json'), text));
        const report = JSON.parse(text) as Report;
        const rulesReported = report.findings.map((finding) => finding.rule);
        if (outcome === 'fail') expect(rulesReported).toContain(ruleId);
        else expect(report.findings).toEqual([]);
      });
    }
  }
});
