/**
 * The lint formats by name (ESLint's and Spectral's shape): each is its own file, `(report, context) =>
 * string`, and nothing else prints findings. `formatterFor` is the lookup the CLI and code users share.
 */
import type { Formatter } from './context.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatStylish } from './stylish.js';

export const FORMATTERS: Readonly<Record<string, Formatter>> = {
  stylish: formatStylish,
  json: formatJson,
  sarif: formatSarif,
  github: formatGithub,
  markdown: formatMarkdown,
};

export const LINT_FORMATS = Object.keys(FORMATTERS);

export function formatterFor(name: string): Formatter | undefined {
  return Object.hasOwn(FORMATTERS, name) ? FORMATTERS[name] : undefined;
}

export type { FormatContext, Formatter, RuleInfo } from './context.js';
