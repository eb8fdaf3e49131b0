/**
 * The shape of a rule (ESLint's `{ meta, create }`, flattened): its id, default severity and description
 * beside a `check` that reads the index and reports. Severity comes from config, never from the rule.
 */
import type { Config } from './config/config.js';
import type { DispatchIndex } from './graph/index.js';
import type { Location, Position, RelatedLocation, Severity } from './model.js';
import { PROJECT_URL } from './util/package-root.js';

export interface FindingDraft {
  location: Location;
  message: string;
  related?: RelatedLocation[];
  /**
   * What identifies the problem apart from where it is: the event type, the field, the secret name, the
   * target. It feeds the finding's fingerprint (src/fingerprint.ts), so it must not hold line numbers, counts
   * or anything else that changes when unrelated parts of a file or the organisation change.
   */
  identity: string[];
  /**
   * Reported as a note whatever the rule's severity: a rule's note about itself (it was skipped somewhere), or
   * the milder case of what the rule reports (hardening advice where the warning case is a real defect).
   */
  asNote?: boolean;
}

/** What GitHub code scanning reads from a security rule (its `security-severity`, `precision` and tags). */
export interface SecurityMeta {
  /** CVSS-like score as GitHub reads it: 9.0+ critical, 7.0-8.9 high, 4.0-6.9 medium, below 4.0 low. */
  severity: number;
  /** How often a finding is a true positive. */
  precision: 'very-high' | 'high' | 'medium' | 'low';
  /** Weakness tags in code scanning's form, e.g. `external/cwe/cwe-094`. */
  cwe: string[];
}

export interface RuleContext {
  index: DispatchIndex;
  config: Config;
  report(finding: FindingDraft): void;
}

export interface Rule {
  id: string;
  defaultSeverity: Severity;
  /** One line: what the rule reports. */
  description: string;
  /**
   * 'github': the rule needs facts only GitHub mode gathers (secret names); local lints never report it.
   * 'base': it compares the change with `--base REF`; other lints never report it.
   */
  requires?: 'github' | 'base';
  /** Set on rules whose findings are security problems: code scanning files them as security alerts. */
  security?: SecurityMeta;
  check(context: RuleContext): void;
}

/** Where something is written: a send of a reusable workflow in another repository is written in that repository. */
interface Written {
  repo: string;
  path: string;
  fileRepo?: string;
}

export function locate(owner: Written, position: Position): Location {
  return { repo: owner.fileRepo ?? owner.repo, path: owner.path, ...position };
}

export function relate(owner: Written, position: Position, message: string): RelatedLocation {
  return { repo: owner.fileRepo ?? owner.repo, path: owner.path, line: position.line, column: position.column, message };
}

export function docsPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}

export function docsUrl(ruleId: string): string {
  return `${PROJECT_URL}/blob/main/${docsPath(ruleId)}`;
}
