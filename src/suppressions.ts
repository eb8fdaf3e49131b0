/**
 * Inline suppressions: `# dispatch-lint-disable-next-line RULE[, RULE] -- reason` on the line before a finding's
 * location, and `# dispatch-lint-disable RULE[, RULE] -- reason` among a workflow file's leading comments.
 *
 * The comments are read from the file's text line by line, apart from the YAML walk, when the file is read
 * (`scanSuppressions`), into plain data kept beside the file's facts; they are applied to the findings once every
 * rule has run (`applySuppressions`). A suppression must say why (Biome refuses one that does not), and one that
 * suppresses nothing is reported (zizmor does): a silently misplaced or stale ignore is the commonest complaint
 * about other linters' ignore comments.
 */
import type { Finding, Location, Position, SuppressedFinding } from './model.js';
import type { FindingDraft } from './rule.js';
import { suggest } from './suggest.js';

/** The rules that report suppression comments themselves. Their own findings cannot be suppressed by a comment. */
export const UNUSED_SUPPRESSION = 'unused-suppression';
export const SUPPRESSION_WITHOUT_REASON = 'suppression-without-reason';

export interface SuppressionComment {
  kind: 'next-line' | 'file';
  /** The rule ids as written, each where it is written. */
  rules: { id: string; position: Position }[];
  /** What follows ` -- `; empty when the comment gives no reason (then it suppresses nothing). */
  reason: string;
  /** The comment, from `#` to the end of the line. */
  position: Position;
  /** next-line: the line it applies to (the next line that is not itself a suppression comment); none at the end. */
  targetLine?: number;
}

/** A comment that looks like a suppression but cannot work: an unknown directive, no rule id, or misplaced. */
export interface MalformedSuppression {
  problem: 'unknown-directive' | 'no-rule' | 'misplaced';
  directive: string;
  message: string;
  position: Position;
}

export interface FileSuppressions {
  comments: SuppressionComment[];
  malformed: MalformedSuppression[];
}

/** `#`, then a directive word; the `#` opens a comment at the start of a line or after a space (YAML and shell alike). */
const DIRECTIVE = /(^|\s)#\s*(dispatch-lint-(?:disable|enable|ignore)[A-Za-z-]*)(.*)$/;
const NEXT_LINE = 'dispatch-lint-disable-next-line';
const FILE = 'dispatch-lint-disable';

/** The suppression comments of one file's text; undefined when it has none (most files: one `includes` decides). */
export function scanSuppressions(text: string): FileSuppressions | undefined {
  if (!text.includes('dispatch-lint-')) return undefined;
  const lines = text.split(/\r?\n/);
  const found: FileSuppressions = { comments: [], malformed: [] };
  let leading = true;
  const pendingNextLine: SuppressionComment[] = [];

  lines.forEach((lineText, index) => {
    const line = index + 1;
    const match = DIRECTIVE.exec(lineText);
    // Leading comments may follow a document start (`---`, which yamllint asks for) or a `%YAML` directive.
    const isCommentLine = /^\s*(#|$)|^---\s*$|^%/.test(lineText);
    if (!match) {
      // Strictly the next line (blank or not), as ESLint has it; only other suppression comments are skipped.
      for (const comment of pendingNextLine.splice(0)) comment.targetLine = line;
      if (!isCommentLine) leading = false;
      return;
    }
    const [, before = '', directive = '', rest = ''] = match;
    const hash = match.index + before.length;
    const position: Position = { line, column: hash + 1, endLine: line, endColumn: lineText.trimEnd().length + 1 };
    const onItsOwnLine = lineText.slice(0, hash).trim() === '';
    if (!onItsOwnLine) {
      // The comment trails content: that content is the line before whatever it points at.
      for (const comment of pendingNextLine.splice(0)) comment.targetLine = line;
      leading = false;
    }

    if (directive !== NEXT_LINE && directive !== FILE) {
      found.malformed.push({
        problem: 'unknown-directive',
        directive,
        position,
        message: `'${directive}' is not a dispatch-lint directive, so it suppresses nothing: use '# ${NEXT_LINE} RULE -- reason' on the line before the finding, or '# ${FILE} RULE -- reason' among the file's leading comments`,
      });
      return;
    }
    const kind = directive === NEXT_LINE ? 'next-line' : 'file';
    const restStart = hash + lineText.slice(hash).indexOf(directive) + directive.length;
    const { rules, reason } = parseRest(rest, line, restStart);
    if (rules.length === 0) {
      found.malformed.push({
        problem: 'no-rule',
        directive,
        position,
        message: `'${directive}' names no rule, so it suppresses nothing: write the rule ids it is for (\`dispatch-lint rules\` lists them), then ' -- ' and why`,
      });
      return;
    }
    if (kind === 'file' && !(leading && onItsOwnLine)) {
      found.malformed.push({
        problem: 'misplaced',
        directive,
        position,
        message: `'${FILE}' works only among the file's leading comments, so this one suppresses nothing: move it to the top of the file, or put '# ${NEXT_LINE} ${rules.map((rule) => rule.id).join(', ')} -- reason' on the line before the finding`,
      });
      return;
    }
    const comment: SuppressionComment = { kind, rules, reason, position };
    if (kind === 'next-line') pendingNextLine.push(comment);
    found.comments.push(comment);
  });
  return found;
}

/** `RULE[, RULE] -- reason` → the rule ids with their columns, and the reason. */
function parseRest(rest: string, line: number, offset: number): { rules: SuppressionComment['rules']; reason: string } {
  const separator = /(^|\s)--(\s|$)/.exec(rest);
  const rulesText = separator ? rest.slice(0, separator.index) : rest;
  const reason = separator ? rest.slice(separator.index + separator[0].length).trim() : '';
  const rules: SuppressionComment['rules'] = [];
  const id = /[^\s,]+/g;
  for (let match = id.exec(rulesText); match; match = id.exec(rulesText)) {
    const column = offset + match.index + 1;
    rules.push({ id: match[0], position: { line, column, endLine: line, endColumn: column + match[0].length } });
  }
  return { rules, reason };
}

/** A file whose findings the suppressions apply to. */
export interface SuppressibleFile {
  repo: string;
  path: string;
  suppressions?: FileSuppressions;
}

export interface SuppressionNote {
  rule: typeof UNUSED_SUPPRESSION | typeof SUPPRESSION_WITHOUT_REASON;
  draft: FindingDraft;
}

export interface SuppressionOutcome {
  kept: Finding[];
  suppressed: SuppressedFinding[];
  /** What to report about the comments themselves. */
  notes: SuppressionNote[];
}

export interface RuleIds {
  /** Every rule id of the catalog. */
  known: ReadonlySet<string>;
  /** The rules that ran in this lint: a suppression for one that did not (off, or GitHub-only) cannot be judged unused. */
  active: ReadonlySet<string>;
}

export function applySuppressions(findings: Finding[], files: Iterable<SuppressibleFile>, rules: RuleIds): SuppressionOutcome {
  const byFile = new Map<string, SuppressibleFile & { suppressions: FileSuppressions }>();
  for (const file of files) if (file.suppressions) byFile.set(fileKey(file.repo, file.path), file as SuppressibleFile & { suppressions: FileSuppressions });
  const outcome: SuppressionOutcome = { kept: [], suppressed: [], notes: [] };
  if (byFile.size === 0) {
    outcome.kept = findings;
    return outcome;
  }
  const used = new Set<string>();
  for (const finding of findings) {
    const file = byFile.get(fileKey(finding.location.repo, finding.location.path));
    const comment = file && !isSuppressionRule(finding.rule) ? suppressing(file.suppressions, finding) : undefined;
    if (!file || !comment) {
      outcome.kept.push(finding);
      continue;
    }
    used.add(`${comment.position.line}\u0000${finding.rule}`);
    outcome.suppressed.push({ ...finding, suppression: { kind: comment.kind, reason: comment.reason, location: { repo: file.repo, path: file.path, line: comment.position.line, column: comment.position.column } } });
  }

  for (const file of byFile.values()) {
    const at = (position: Position): Location => ({ repo: file.repo, path: file.path, ...position });
    for (const malformed of file.suppressions.malformed) {
      outcome.notes.push({ rule: UNUSED_SUPPRESSION, draft: { location: at(malformed.position), message: malformed.message, identity: [malformed.problem, malformed.directive] } });
    }
    for (const comment of file.suppressions.comments) {
      const directive = comment.kind === 'next-line' ? NEXT_LINE : FILE;
      if (comment.reason === '') {
        outcome.notes.push({
          rule: SUPPRESSION_WITHOUT_REASON,
          draft: {
            location: at(comment.position),
            identity: [comment.kind, ...comment.rules.map((rule) => rule.id)],
            message: `this ${directive} gives no reason, so it suppresses nothing: add ' -- ' and why the finding is wrong or accepted here ('# ${directive} ${comment.rules.map((rule) => rule.id).join(', ')} -- <why>')`,
          },
        });
        continue;
      }
      for (const rule of comment.rules) {
        const position = rule.position;
        if (!rules.known.has(rule.id)) {
          const nearest = suggest(rule.id, rules.known);
          outcome.notes.push({
            rule: UNUSED_SUPPRESSION,
            draft: { location: at(position), identity: [comment.kind, rule.id, 'unknown-rule'], message: `'${rule.id}' is not a dispatch-lint rule id, so nothing is suppressed for it${nearest ? ` (did you mean '${nearest}'?)` : ' (`dispatch-lint rules` lists them)'}` },
          });
          continue;
        }
        if (!rules.active.has(rule.id) || used.has(`${comment.position.line}\u0000${rule.id}`)) continue;
        const where =
          comment.kind === 'file'
            ? `no ${rule.id} finding in this file (remove it)`
            : comment.targetLine === undefined
              ? 'no line follows it'
              : `no ${rule.id} finding starts on line ${comment.targetLine} (remove it, or move it to the line before the finding)`;
        outcome.notes.push({ rule: UNUSED_SUPPRESSION, draft: { location: at(position), identity: [comment.kind, rule.id, 'unused'], message: `this suppression of ${rule.id} suppresses nothing: ${where}` } });
      }
    }
  }
  return outcome;
}

/** The comment that suppresses `finding`: a next-line one on the line before it, else a file one; with a reason. */
function suppressing(suppressions: FileSuppressions, finding: Finding): SuppressionComment | undefined {
  const names = (comment: SuppressionComment) => comment.reason !== '' && comment.rules.some((rule) => rule.id === finding.rule);
  return (
    suppressions.comments.find((comment) => comment.kind === 'next-line' && comment.targetLine === finding.location.line && names(comment)) ??
    suppressions.comments.find((comment) => comment.kind === 'file' && names(comment))
  );
}

export function isSuppressionRule(rule: string): boolean {
  return rule === UNUSED_SUPPRESSION || rule === SUPPRESSION_WITHOUT_REASON;
}

function fileKey(repo: string, path: string): string {
  return `${repo.toLowerCase()}\u0000${path}`;
}
