/** Helpers for the format tests: lint a fixture with its roots, a context with a fixed environment, made-up reports. */
import { defaultConfig } from '../../src/config/config.js';
import { lint, type LintResult } from '../../src/engine.js';
import { createFormatContext, type FormatContextOptions } from '../../src/format.js';
import type { Edge, Finding, Report, Severity } from '../../src/model.js';
import type { FormatContext } from '../../src/report/context.js';
import { projectRoot } from './lint.js';

export async function lintFixture(path: string): Promise<LintResult> {
  return lint({ paths: [path], cwd: projectRoot, config: defaultConfig(), workers: 0 });
}

/** A context as the CLI builds it, from `env` alone (never this process's environment), collecting warnings. */
export function contextFor(report: Report, options: FormatContextOptions & { env?: NodeJS.ProcessEnv } = {}): FormatContext & { warnings: string[] } {
  const warnings: string[] = [];
  const context = createFormatContext(report, { cwd: projectRoot, ...options, env: options.env ?? {}, warn: (message) => warnings.push(message) });
  return Object.assign(context, { warnings });
}

export interface MadeUpFinding {
  rule?: string;
  severity?: Severity;
  message?: string;
  repo?: string;
  path?: string;
  line?: number;
  related?: Finding['related'];
}

/** A report with the given findings, repositories and edges, summary counted. */
export function madeUpReport(findings: MadeUpFinding[], options: { repos?: string[]; edges?: Edge[] } = {}): Report {
  const full: Finding[] = findings.map((finding, index) => {
    const line = finding.line ?? index + 1;
    const made: Finding = {
      rule: finding.rule ?? 'event-without-listener',
      severity: finding.severity ?? 'error',
      message: finding.message ?? `finding ${index + 1}`,
      location: { repo: finding.repo ?? 'acme/api', path: finding.path ?? '.github/workflows/release.yml', line, column: 5, endLine: line, endColumn: 9 },
      fingerprint: `f${String(index).padStart(15, '0')}`,
    };
    if (finding.related) made.related = finding.related;
    return made;
  });
  const repos = options.repos ?? [...new Set(full.map((finding) => finding.location.repo))];
  return {
    version: 1,
    tool: { name: 'dispatch-lint', version: '0.1.0' },
    repos: repos.map((name) => ({ name, source: 'local', workflows: 1 })),
    findings: full,
    graph: { edges: options.edges ?? [] },
    summary: {
      errors: full.filter((finding) => finding.severity === 'error').length,
      warnings: full.filter((finding) => finding.severity === 'warning').length,
      notes: full.filter((finding) => finding.severity === 'note').length,
    },
  };
}

export function edge(from: string, to: string, event: string, status: Edge['status'] = 'ok'): Edge {
  return { from, to, kind: 'repository_dispatch', event, status };
}
