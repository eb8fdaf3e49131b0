/**
 * What a formatter may know besides the report: the rule catalog (as data, so no formatter imports a rule),
 * how to link to files on GitHub, where repositories are checked out, and a channel for notes to stderr.
 * Every formatter is `(report, context) => string`; the options a format does not use are ignored.
 */
import type { Report, Severity } from '../model.js';
import type { Palette } from './colour.js';
import type { Links } from './links.js';

/** A rule as formatters see it: its metadata and its doc page, never its check. */
export interface RuleInfo {
  id: string;
  defaultSeverity: Severity;
  /** One line: what the rule reports. */
  description: string;
  /** The doc page's opening paragraph. */
  fullDescription: string;
  /** The whole doc page, Markdown. */
  help: string;
  /** The page without its examples (most of its length), for SARIF's plain-text help. */
  helpText: string;
  docsUrl: string;
  security?: { severity: number; precision: string; cwe: string[] };
}

export interface FormatContext {
  /** Every rule, in catalog order (SARIF lists them all, whether they reported or not). */
  rules: readonly RuleInfo[];
  links: Links;
  /** Repository name → its local folder, for paths a terminal or GitHub's annotations can use. */
  roots: ReadonlyMap<string, string>;
  cwd: string;
  /** stylish: colours (a no-op palette off a TTY). */
  palette: Palette;
  /** github: annotations name files relative to this folder (GITHUB_WORKSPACE); others print as plain lines. */
  workspace: string;
  /** github: where the full report is, for its closing line. */
  fullReportHint?: string;
  /**
   * sarif: the repository whose files the results are located in (code scanning shows only those); `*` keeps
   * every repository's results (for viewers and tools, not for upload).
   */
  sarifRepo: string;
  /** markdown: draw the whole dispatch graph instead of the part around the findings. */
  fullGraph: boolean;
  /** Notes for stderr: what a format had to leave out to stay within a consumer's limits. */
  warn(message: string): void;
}

export type Formatter = (report: Report, context: FormatContext) => string;
