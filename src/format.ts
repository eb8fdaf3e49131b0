/**
 * A format context from the environment, for the CLI and for code that formats a report itself (a GitHub
 * Action, say): the rule catalog, links for GitHub (GITHUB_SERVER_URL, and GITHUB_REPOSITORY at GITHUB_SHA),
 * the workspace for annotations (GITHUB_WORKSPACE) and the SARIF scope.
 */
import type { Report } from './model.js';
import { palette } from './report/colour.js';
import type { FormatContext } from './report/context.js';
import { githubLinks } from './report/links.js';
import { defaultSarifRepo } from './report/sarif.js';
import { ruleCatalog } from './rule-docs.js';

export interface FormatContextOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Repository name → local folder (LintResult.roots). */
  roots?: ReadonlyMap<string, string>;
  colour?: boolean;
  /** The SARIF scope; default: `defaultSarifRepo`. */
  sarifRepo?: string;
  fullGraph?: boolean;
  fullReportHint?: string;
  warn?: (message: string) => void;
}

export function createFormatContext(report: Report, options: FormatContextOptions = {}): FormatContext {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const context: FormatContext = {
    rules: ruleCatalog(),
    links: githubLinks(env),
    roots: options.roots ?? new Map(),
    cwd,
    palette: palette(options.colour ?? false),
    workspace: env.GITHUB_WORKSPACE || cwd,
    sarifRepo: options.sarifRepo ?? defaultSarifRepo(report, env),
    fullGraph: options.fullGraph ?? false,
    warn: options.warn ?? (() => {}),
  };
  if (options.fullReportHint) context.fullReportHint = options.fullReportHint;
  return context;
}
