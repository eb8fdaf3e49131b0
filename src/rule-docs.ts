/**
 * The rule catalog as formatters need it: each rule's metadata with its doc page (docs/rules/<id>.md, shipped
 * in the package). Formatters get this as data in their context and never import a rule.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../rules/index.js';
import type { RuleInfo } from './report/context.js';
import { docsPath, docsUrl } from './rule.js';
import { packageRoot } from './util/package-root.js';

let catalog: RuleInfo[] | undefined;

export function ruleCatalog(): readonly RuleInfo[] {
  catalog ??= RULES.map((rule) => {
    const page = readPage(rule.id);
    const info: RuleInfo = {
      id: rule.id,
      defaultSeverity: rule.defaultSeverity,
      description: rule.description,
      fullDescription: (page && openingParagraph(page)) || rule.description,
      help: page ?? `${rule.description}\n\nSee ${docsUrl(rule.id)}.\n`,
      helpText: page ? withoutExamples(page, docsUrl(rule.id)) : `${rule.description}\n\nSee ${docsUrl(rule.id)}.\n`,
      docsUrl: docsUrl(rule.id),
    };
    if (rule.security) info.security = rule.security;
    return info;
  });
  return catalog;
}

function readPage(ruleId: string): string | undefined {
  try {
    return readFileSync(join(packageRoot(), docsPath(ruleId)), 'utf8');
  } catch {
    return undefined;
  }
}

/** The paragraph under the page's title, without its "**Default severity:**" sentence, on one line. */
export function openingParagraph(page: string): string {
  const body = page.replace(/^# .*\n+/, '');
  const paragraph = body.split(/\n\s*\n/)[0] ?? '';
  return paragraph.replace(/\s*\*\*Default severity:\*\*[^\n]*/, '').replace(/\s*\n\s*/g, ' ').trim();
}

/** The page less its `## Failing example` and `## Passing example` sections, which it points to instead. */
export function withoutExamples(page: string, url: string): string {
  const kept = page.split(/(?=^## )/m).filter((section) => !/^## (Failing|Passing) example\n/.test(section));
  return `${kept.join('').trimEnd()}\n\nFailing and passing examples: ${url}\n`;
}
