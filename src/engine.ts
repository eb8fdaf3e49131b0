/**
 * One lint run: sources → extraction (once per file) → index → rules → sorted findings. Nothing here
 * prints; the CLI and formatters decide what to show.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RULES } from '../rules/index.js';
import { defaultConfig, findConfigFile, ignoreMatcher, loadConfig, type Config } from './config/config.js';
import { extractInParallel } from './extract/parallel.js';
import type { WorkflowInputFile } from './extract/workflow.js';
import { compareStrings, DispatchIndex, type ScannedRepository } from './graph/index.js';
import type { Finding, Report, SeveritySetting } from './model.js';
import type { FindingDraft } from './rule.js';
import { discoverLocal } from './sources/local.js';
import { packageVersion } from './util/package-root.js';

export interface LintOptions {
  paths: string[];
  cwd?: string;
  /** A loaded config; otherwise `configFile`, otherwise the nearest config file from `cwd` upward. */
  config?: Config;
  configFile?: string;
  owner?: string;
  /** `--rule ID=SEVERITY` settings, applied over the config's. */
  ruleOverrides?: Record<string, SeveritySetting>;
  /** Worker threads for extraction; 0 or 1 extracts on the main thread. Default: by file count. */
  workers?: number;
}

export interface LintResult {
  report: Report;
  /** Why the scan is incomplete (a PATH that does not exist, a file that cannot be read): exit 2. */
  scanErrors: string[];
  /** Repository name → its local folder, for formatters that print file paths. */
  roots: Map<string, string>;
  config: Config;
}

export async function lint(options: LintOptions): Promise<LintResult> {
  const cwd = options.cwd ?? process.cwd();
  const config = options.config ?? resolveConfig(options.configFile, cwd);
  const discovery = discoverLocal(options.paths.length > 0 ? options.paths : ['.'], { cwd, names: config.repos, ...(options.owner ? { owner: options.owner } : {}) });
  const scanErrors = [...discovery.errors];
  const ignored = ignoreMatcher(config);

  const files: WorkflowInputFile[] = [];
  const repositories = discovery.repositories.filter((repository) => !ignored(repository.name));
  for (const repository of repositories) {
    for (const path of repository.workflowPaths) {
      if (ignored(repository.name, path)) continue;
      try {
        files.push({ repo: repository.name, path, text: readFileSync(join(repository.root, path), 'utf8') });
      } catch (error) {
        scanErrors.push(`${join(repository.root, path)}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
    }
  }
  const facts = await extractInParallel(files, { values: config.values }, options.workers);
  const scanned: ScannedRepository[] = repositories.map((repository) => ({ name: repository.name, source: 'local', workflows: [] }));
  const byName = new Map(scanned.map((repository) => [repository.name, repository]));
  for (const workflow of facts) byName.get(workflow.repo)?.workflows.push(workflow);

  const report = buildReport(scanned, config, options.ruleOverrides ?? {});
  return { report, scanErrors, roots: new Map(repositories.map((repository) => [repository.name, repository.root])), config };
}

export function resolveConfig(configFile: string | undefined, cwd: string): Config {
  if (configFile) return loadConfig(resolve(cwd, configFile));
  const found = findConfigFile(cwd);
  return found ? loadConfig(found) : defaultConfig();
}

/** Runs every enabled rule over the scanned repositories and assembles the JSON report. */
export function buildReport(repositories: ScannedRepository[], config: Config, overrides: Record<string, SeveritySetting>): Report {
  const index = new DispatchIndex(repositories);
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const severity = overrides[rule.id] ?? config.rules[rule.id] ?? rule.defaultSeverity;
    if (severity === 'off') continue;
    rule.check({
      index,
      config,
      report: (draft: FindingDraft) => findings.push(toFinding(rule.id, severity, draft)),
    });
  }
  const sorted = dedupe(findings).sort(compareFindings);
  return {
    version: 1,
    tool: { name: 'dispatch-lint', version: packageVersion() },
    repos: repositories
      .map((repository) => ({ name: repository.name, source: repository.source, workflows: repository.workflows.length }))
      .sort((a, b) => compareStrings(a.name.toLowerCase(), b.name.toLowerCase())),
    findings: sorted,
    graph: { edges: index.edges() },
    summary: {
      errors: sorted.filter((finding) => finding.severity === 'error').length,
      warnings: sorted.filter((finding) => finding.severity === 'warning').length,
      notes: sorted.filter((finding) => finding.severity === 'note').length,
    },
  };
}

function toFinding(rule: string, severity: Finding['severity'], draft: FindingDraft): Finding {
  const finding: Finding = { rule, severity, message: draft.message, location: draft.location };
  if (draft.related && draft.related.length > 0) finding.related = draft.related;
  return finding;
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const key = JSON.stringify([finding.rule, finding.location, finding.message]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.location.repo.toLowerCase(), b.location.repo.toLowerCase()) ||
    compareStrings(a.location.path, b.location.path) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    compareStrings(a.rule, b.rule) ||
    compareStrings(a.message, b.message)
  );
}
