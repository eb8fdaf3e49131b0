/**
 * Mermaid rendered as GitHub renders it, in a real browser: Debian's Chromium driven by playwright-core (which
 * downloads no browser of its own), with the `mermaid` package's browser build loaded from node_modules.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { projectRoot } from './lint.js';

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM);
const MERMAID_SCRIPT = join(projectRoot, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js');

// The browser globals the in-page functions use: the project compiles without TypeScript's DOM library.
interface PageElement {
  textContent: string | null;
  innerHTML: string;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
}
declare const document: { getElementById(id: string): PageElement | null };
declare const window: { mermaid: { initialize(config: object): void; render(id: string, text: string): Promise<{ svg: string }> } };

export interface RenderedDiagram {
  svg: string;
  /** Text of every node label and edge label, as the browser lays them out. */
  nodeLabels: string[];
  edgeLabels: string[];
  /** Each edge's path, in the order the diagram declares the edges: its classes and inline style. */
  edgePaths: { className: string; style: string }[];
  /** A PNG of the diagram, when asked for. */
  png?: Buffer;
}

export class MermaidBrowser {
  private constructor(private readonly browser: Browser, private readonly page: Page) {}

  static async start(): Promise<MermaidBrowser> {
    // Root in a container has no user namespace for Chromium's sandbox.
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 2 });
    await page.setContent('<!doctype html><html><body style="margin:0;background:#fff"><div id="diagram" style="width:1200px;padding:16px"></div></body></html>');
    await page.addScriptTag({ path: MERMAID_SCRIPT });
    // GitHub renders Mermaid with its strict security level (no HTML or scripts from the diagram).
    await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' }));
    return new MermaidBrowser(browser, page);
  }

  async render(code: string, options: { png?: boolean } = {}): Promise<RenderedDiagram> {
    const rendered = await this.page.evaluate(async (source) => {
      const { svg } = await window.mermaid.render(`diagram${Date.now()}`, source);
      const host = document.getElementById('diagram') as PageElement;
      host.innerHTML = svg;
      const texts = (selector: string) => [...new Set([...host.querySelectorAll(selector)].map((element) => (element.textContent ?? '').trim()))];
      return {
        svg,
        nodeLabels: texts('.node .nodeLabel'),
        edgeLabels: texts('.edgeLabel').filter((text) => text !== ''),
        edgePaths: [...host.querySelectorAll('path.flowchart-link')].map((path) => ({ className: path.getAttribute('class') ?? '', style: path.getAttribute('style') ?? '' })),
      };
    }, code);
    if (!options.png) return rendered;
    return { ...rendered, png: await this.page.locator('#diagram svg').screenshot() };
  }

  async stop(): Promise<void> {
    await this.browser.close();
  }
}
