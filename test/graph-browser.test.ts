/**
 * The Markdown report's Mermaid graph rendered in a real browser (Debian's Chromium, through playwright-core):
 * every repository and every edge label of the fixture orgs is in the SVG, and each broken edge carries its
 * broken style. Without Chromium this skips with a message, except under CI, where .ci/run installs it.
 * With UPDATE_EXPECTED=1 it also redraws docs/market-data-pending-graph.png, the picture in the README.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EDGE_STYLES, edgeLabel } from '../src/report/graph.js';
import { formatMarkdown } from '../src/report/markdown.js';
import { chromiumAvailable, CHROMIUM, MermaidBrowser } from './support/browser.js';
import { contextFor, edge, lintFixture, madeUpReport } from './support/formats.js';
import { projectRoot } from './support/lint.js';

if (!chromiumAvailable && process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium for this test`);
if (!chromiumAvailable) console.warn(`SKIPPED: the Mermaid graph in a browser (no ${CHROMIUM}; apt-get install chromium)`);

const PICTURE = join(projectRoot, 'docs', 'market-data-pending-graph.png');
const ORGS = ['reasonkit', 'market-data-pending', 'market-data-fixed', 'rules/unresolved-dispatch/fail/acme', 'rules/unknown-target-repo/fail/acme', 'rules/dispatch-cycle/fail/acme'];

function mermaidOf(markdown: string): string {
  const block = /```mermaid\n([\s\S]*?)```/.exec(markdown);
  if (!block) throw new Error('the Markdown report has no mermaid block');
  return block[1] as string;
}

describe.skipIf(!chromiumAvailable)('the dispatch graph in Chromium', () => {
  let browser: MermaidBrowser;
  beforeAll(async () => {
    browser = await MermaidBrowser.start();
  }, 60_000);
  afterAll(async () => browser?.stop());

  for (const org of ORGS) {
    it(`${org}: every repository and edge label is drawn, and broken edges in their style`, async () => {
      const result = await lintFixture(join(projectRoot, 'fixtures', org));
      const { report } = result;
      const draw = org === 'market-data-pending';
      const rendered = await browser.render(mermaidOf(formatMarkdown(report, contextFor(report, { fullGraph: true }))), { png: draw });

      const targets = report.graph.edges.map((entry) => entry.to).filter((name) => !report.repos.some((repo) => repo.name === name));
      expect(new Set(rendered.nodeLabels)).toEqual(new Set([...report.repos.map((repo) => repo.name), ...targets]));
      expect(new Set(rendered.edgeLabels)).toEqual(new Set(report.graph.edges.map(edgeLabel)));
      expect(rendered.edgePaths).toHaveLength(report.graph.edges.length);
      report.graph.edges.forEach((entry, index) => {
        const path = rendered.edgePaths[index] as { className: string; style: string };
        const style = EDGE_STYLES[entry.status];
        expect(path.style, `${edgeLabel(entry)}`).toContain(`stroke:${style.colour}`);
        expect(path.style.includes('stroke-dasharray'), `${edgeLabel(entry)}`).toBe(style.dashed);
        expect(path.className.includes('edge-pattern-dotted'), `${edgeLabel(entry)}`).toBe(style.dashed);
      });

      if (draw && rendered.png && (process.env.UPDATE_EXPECTED === '1' || (!existsSync(PICTURE) && !process.env.CI))) writeFileSync(PICTURE, rendered.png);
    });
  }

  it('market-data-pending: the report drawn by default (around the findings) is the whole graph, all six repositories being in one', async () => {
    const result = await lintFixture(join(projectRoot, 'fixtures', 'market-data-pending'));
    const focused = mermaidOf(formatMarkdown(result.report, contextFor(result.report)));
    expect(focused).toBe(mermaidOf(formatMarkdown(result.report, contextFor(result.report, { fullGraph: true }))));
    expect((await browser.render(focused)).edgeLabels).toContain('core_release (no-listener)');
  });

  it('draws labels with quotes, pipes, angle brackets and # as written, and no HTML from them', async () => {
    const report = madeUpReport([{}], { edges: [edge('acme/api', '${{ fromJSON(x)["repo"] }}', 'a"b|c<i>d</i>#e;', 'unresolved'), edge('acme/api', 'acme/api', 'end', 'ok')] });
    const rendered = await browser.render(mermaidOf(formatMarkdown(report, contextFor(report))));
    expect(rendered.nodeLabels).toEqual(['acme/api', '${{ fromJSON(x)["repo"] }}']);
    expect(rendered.edgeLabels).toEqual(['a"b|c<i>d</i>#e; (unresolved)', 'end']);
    expect(rendered.svg).not.toContain('<i>d</i>');
  });
});
