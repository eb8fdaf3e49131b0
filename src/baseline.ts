/**
 * Baselines (`--baseline FILE`, `--update-baseline`), on the model of ESLint's bulk suppressions: a file that
 * records the findings a team has accepted for now, as counts per repository, file, rule and fingerprint
 * (src/fingerprint.ts, the key SARIF and --base match on too), so a recorded finding stays recorded when its lines
 * move, and a finding beyond a count (the same problem a second time, at a new place) is reported.
 *
 * Entries the run could not have matched are left alone: a repository that was not scanned, a rule that did not
 * run (off, or GitHub-only in a local lint). They are neither reported as unmatched nor pruned.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { withinCounts } from './fingerprint.js';
import type { BaselineEntry, Finding } from './model.js';
import { packageRoot } from './util/package-root.js';

export class BaselineError extends Error {}

type BaselineJson = { version: 1; findings: Record<string, Record<string, Record<string, Record<string, { count: number }>>>> };

/** What this run could have reported: its scanned repositories (lower-case names) and the rules that ran. */
export interface BaselineScope {
  repos: ReadonlySet<string>;
  rules: ReadonlySet<string>;
}

/** The entries of a baseline file; undefined when the file does not exist (yet). `file` names it in messages. */
export function readBaseline(path: string, file = path): BaselineEntry[] | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new BaselineError(`${file}: cannot read the baseline (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(`${file}: not a dispatch-lint baseline: invalid JSON (${(error as Error).message})`);
  }
  // ajv is loaded only when a baseline is read: it is slow to load, and most lints have none.
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  const validate = new Ajv({ allErrors: false, strict: true }).compile(JSON.parse(readFileSync(join(packageRoot(), 'schemas', 'baseline.schema.json'), 'utf8')) as object);
  if (!validate(data)) {
    const error = validate.errors?.[0];
    throw new BaselineError(`${file}: not a dispatch-lint baseline: ${error ? `${error.instancePath || '(top level)'} ${error.message ?? 'is invalid'}` : 'invalid'} (write one with --update-baseline)`);
  }
  const entries: BaselineEntry[] = [];
  for (const [repo, files] of Object.entries((data as BaselineJson).findings)) {
    for (const [path, rules] of Object.entries(files)) {
      for (const [rule, fingerprints] of Object.entries(rules)) {
        for (const [fingerprint, { count }] of Object.entries(fingerprints)) entries.push({ repo, path, rule, fingerprint, count });
      }
    }
  }
  return entries;
}

export interface BaselineMatch {
  /** Findings beyond what the baseline records: the ones to report. */
  reported: Finding[];
  /** How many findings the baseline accounted for. */
  matched: number;
  /** In-scope entries (or what is left of their counts) that no finding matched: stale, to be pruned. */
  unmatched: BaselineEntry[];
}

export function matchBaseline(findings: readonly Finding[], entries: readonly BaselineEntry[], scope: BaselineScope): BaselineMatch {
  const { recorded, beyond, unused } = withinCounts(findings, countsOf(entries));
  const unmatched: BaselineEntry[] = [];
  for (const entry of entries) {
    const left = unused.get(entry.fingerprint) ?? 0;
    if (left === 0 || !inScope(entry, scope)) continue;
    const count = Math.min(left, entry.count);
    unused.set(entry.fingerprint, left - count);
    unmatched.push({ ...entry, count });
  }
  return { reported: beyond, matched: recorded.length, unmatched: sortEntries(unmatched) };
}

/** The baseline that records `findings`, keeping the previous file's out-of-scope entries as they were. */
export function updatedBaseline(findings: readonly Finding[], previous: readonly BaselineEntry[], scope: BaselineScope): BaselineEntry[] {
  const byFingerprint = new Map<string, BaselineEntry>();
  for (const finding of findings) {
    const entry = byFingerprint.get(finding.fingerprint);
    if (entry) entry.count += 1;
    else byFingerprint.set(finding.fingerprint, { repo: finding.location.repo, path: finding.location.path, rule: finding.rule, fingerprint: finding.fingerprint, count: 1 });
  }
  const kept = previous.filter((entry) => !inScope(entry, scope) && !byFingerprint.has(entry.fingerprint));
  return sortEntries([...byFingerprint.values(), ...kept]);
}

/** The file's text: keys sorted, two-space JSON, so an update's diff shows only what changed. */
export function formatBaseline(entries: readonly BaselineEntry[]): string {
  const findings: BaselineJson['findings'] = {};
  for (const entry of sortEntries([...entries])) {
    const rules = ((findings[entry.repo] ??= {})[entry.path] ??= {});
    const fingerprints = (rules[entry.rule] ??= {});
    fingerprints[entry.fingerprint] = { count: (fingerprints[entry.fingerprint]?.count ?? 0) + entry.count };
  }
  return `${JSON.stringify({ version: 1, findings }, null, 2)}\n`;
}

export function totalCount(entries: readonly BaselineEntry[]): number {
  return entries.reduce((sum, entry) => sum + entry.count, 0);
}

function countsOf(entries: readonly BaselineEntry[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry.fingerprint, (counts.get(entry.fingerprint) ?? 0) + entry.count);
  return counts;
}

function inScope(entry: BaselineEntry, scope: BaselineScope): boolean {
  return scope.repos.has(entry.repo.toLowerCase()) && scope.rules.has(entry.rule);
}

function sortEntries(entries: BaselineEntry[]): BaselineEntry[] {
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return entries.sort((a, b) => text(a.repo.toLowerCase(), b.repo.toLowerCase()) || text(a.repo, b.repo) || text(a.path, b.path) || text(a.rule, b.rule) || text(a.fingerprint, b.fingerprint));
}

export interface BaselineOptions {
  /** As given on the command line (and so in the report); read relative to the lint's folder. */
  file: string;
  /** --update-baseline: rewrite the file from this lint's findings (pruning entries that match nothing). */
  update?: boolean;
}

export interface BaselineOutcome {
  /** The findings to report: those of the lint's reported findings that the baseline does not account for. */
  reported: Finding[];
  /** For the report's `baseline` field. */
  summary: { file: string; matched: number; unmatched: BaselineEntry[] };
  /** --update-baseline: what was written, or why nothing was. */
  written?: { findings: number; added: number; pruned: number };
  notWritten?: string;
}

/**
 * Matches the lint's findings (`all`: every finding the lint found, before --base narrowed them) against the
 * baseline, and keeps of `current` (what would be reported) those beyond it. A baseline is never written from
 * an incomplete scan: it would record a partial lint as the accepted state, and prune what it could not see.
 */
export function applyBaseline(options: BaselineOptions, path: string, all: readonly Finding[], current: readonly Finding[], scope: BaselineScope & { complete: boolean }): BaselineOutcome {
  const previous = readBaseline(path, options.file);
  let entries: readonly BaselineEntry[] | undefined = previous;
  const outcome: Partial<BaselineOutcome> = {};
  if (options.update) {
    if (!scope.complete) {
      outcome.notWritten = 'the scan is incomplete';
      entries = previous ?? [];
    } else {
      const before = matchBaseline(all, previous ?? [], scope);
      entries = updatedBaseline(all, previous ?? [], scope);
      try {
        writeFileSync(path, formatBaseline(entries));
      } catch (error) {
        throw new BaselineError(`${options.file}: cannot write the baseline (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
      outcome.written = { findings: all.length, added: before.reported.length, pruned: totalCount(before.unmatched) };
    }
  } else if (!previous) {
    throw new BaselineError(`${options.file}: no such baseline file (write it with --update-baseline)`);
  }
  const match = matchBaseline(all, entries ?? [], scope);
  const beyond = new Set(match.reported);
  return { ...outcome, reported: current.filter((finding) => beyond.has(finding)), summary: { file: options.file, matched: match.matched, unmatched: match.unmatched } };
}
