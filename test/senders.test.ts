/**
 * Issue 10, "Senders it must see": each sender form has a failing and a passing org folder under
 * fixtures/senders/<form>/, linted whole and compared with the expected.json beside it. The fail case must
 * report exactly the findings its README lists; the pass case, none.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/model.js';
import { expectedText, jsonReport, projectRoot } from './support/lint.js';

const root = join(projectRoot, 'fixtures', 'senders');

/** `rule repo path:line:column` for each finding, in report order. */
const summary = (report: Report) => report.findings.map((finding) => `${finding.rule} ${finding.location.repo} ${finding.location.path}:${finding.location.line}:${finding.location.column}`);

const FAIL_FINDINGS: Record<string, string[]> = {
  'slash-command-dispatch': [
    'listener-without-sender chatops/ops .github/workflows/deploy-command.yml:5:13',
    'payload-field-missing chatops/ops .github/workflows/rebase-command.yml:19:17',
    'payload-field-missing chatops/ops .github/workflows/ticket-command.yml:14:19',
    'event-without-listener chatops/webapp .github/workflows/slash-command-dispatch.yml:25:21',
    'workflow-dispatch-target chatops/webapp .github/workflows/slash-command-dispatch.yml:35:13',
    'workflow-dispatch-inputs chatops/webapp .github/workflows/slash-command-dispatch.yml:38:13',
  ],
  'octokit-request-action': [
    'payload-field-missing octo-shop/infra .github/workflows/deploy-storefront.yml:16:24',
    'payload-field-unread octo-shop/storefront .github/workflows/release.yml:39:13',
    'cross-repo-github-token octo-shop/storefront .github/workflows/release.yml:41:25',
    'workflow-dispatch-inputs octo-shop/storefront .github/workflows/release.yml:50:69',
  ],
  forks: [
    'event-without-listener mirrorworks/core .github/workflows/release.yml:21:23',
    'workflow-dispatch-inputs mirrorworks/core .github/workflows/release.yml:46:31',
    'workflow-dispatch-inputs mirrorworks/core .github/workflows/release.yml:48:29',
    'app-token-scope mirrorworks/core .github/workflows/release.yml:79:18',
    'listener-without-sender mirrorworks/site .github/workflows/on-core-release.yml:5:13',
  ],
};

describe('senders it must see (issue 10)', () => {
  const forms = readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();

  it('every sender form has its expected fail findings listed here', () => {
    expect(forms).toEqual(Object.keys(FAIL_FINDINGS).sort());
  });

  for (const form of forms) {
    for (const outcome of ['fail', 'pass'] as const) {
      it(`${form}/${outcome}: the whole JSON report matches expected.json`, async () => {
        const folder = join(root, form, outcome);
        const orgs = readdirSync(folder, { withFileTypes: true }).filter((entry) => entry.isDirectory());
        expect(orgs).toHaveLength(1);
        const { text, scanErrors } = await jsonReport([join(folder, (orgs[0] as { name: string }).name)]);
        expect(scanErrors).toEqual([]);
        expect(text).toBe(expectedText(join(folder, 'expected.json'), text));
        const report = JSON.parse(text) as Report;
        expect(summary(report)).toEqual(outcome === 'fail' ? FAIL_FINDINGS[form] : []);
        // Every dispatch the fixture writes is seen: no edge is left unresolved.
        expect(report.graph.edges.filter((edge) => edge.status === 'unresolved')).toEqual([]);
      });
    }
  }
});
