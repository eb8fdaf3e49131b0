/**
 * The command line: `dispatch-lint [PATH ...]` (lint), `dispatch-lint rules`, `dispatch-lint graph`.
 * Exit status: 0 clean (warnings within --max-warnings), 1 findings that fail, 2 bad usage, an invalid
 * config, or a scan that could not complete. No stack trace reaches the user.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import Table from 'cli-table3';
import { RULES } from '../rules/index.js';
import { ConfigError } from './config/config.js';
import { lint, type GitHubOptions, type LintResult } from './engine.js';
import { defaultCacheDir } from './sources/github/blob-cache.js';
import { maskToken } from './sources/github/faults.js';
import type { Report, SeveritySetting } from './model.js';
import { palette, useColour } from './report/colour.js';
import { formatGraph, GRAPH_FORMATS } from './report/graph.js';
import { formatJson } from './report/json.js';
import { formatStylish } from './report/stylish.js';
import { docsPath } from './rule.js';
import { packageVersion } from './util/package-root.js';

class UsageError extends Error {}

const LINT_FORMATS = ['stylish', 'json'];
const SEVERITIES: SeveritySetting[] = ['off', 'note', 'warning', 'error'];

const HELP = `Usage:
  dispatch-lint [PATH ...] [options]        lint the dispatch wiring between repositories
  dispatch-lint graph [PATH ...] [options]  print the dispatch graph (--format mermaid|dot|json)
  dispatch-lint rules                       list every rule with its default severity

A PATH is a repository (a folder with .github/workflows/) or a folder of repositories. No PATH: the
current folder.

Options:
  --config FILE          config file (default: .dispatch-lint.yml found from the current folder upward)
  --format NAME          stylish (default) or json; for graph: mermaid (default), dot or json
  --output FILE          write the report to FILE instead of standard output
  --rule ID=SEVERITY     set a rule to off, note, warning or error (repeatable)
  --max-warnings N       fail (exit 1) when there are more than N warnings
  --quiet                report errors only
  --owner OWNER          owner for repositories given on their own without a git remote

GitHub mode (token from GITHUB_TOKEN or GH_TOKEN; never printed):
  --github ORG|OWNER/REPO   also lint these repositories' default-branch workflows, fetched from GitHub
                            (repeatable); local PATHs override fetched repositories of the same name
  --repos GLOB              only repositories whose name matches (picomatch, repeatable)
  --include-archived        include archived repositories
  --include-forks           include forks
  --cache-dir DIR           where fetched files are cached by blob id (default: the user's cache folder)
  --github-api-url URL      the API to ask (GitHub Enterprise Server: https://HOST/api/v3)
  --github-timeout SECONDS  all GitHub requests of the run must be done within SECONDS (default 600), else it
                            exits 2 naming what timed out; each attempt gets a quarter of it, at most 30 s
  -h, --help             show this help
  -v, --version          show the version

Exit status: 0 no errors (and warnings within --max-warnings), 1 findings that fail, 2 bad usage,
an invalid config or a scan that could not complete.
`;

export async function main(argv: string[], given: Io = defaultIo()): Promise<number> {
  // The token never reaches the output, whole or in part, whatever text carries it (the sources mask it too).
  const io: Io = { ...given, stdout: (text) => given.stdout(maskOutput(text, given.env)), stderr: (text) => given.stderr(maskOutput(text, given.env)) };
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.stderr(`dispatch-lint: ${error.message}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`dispatch-lint: internal error: ${message} (please report this)\n`);
    return 2;
  }
}

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
}

function maskOutput(text: string, env: NodeJS.ProcessEnv): string {
  return maskToken(text, env.GITHUB_TOKEN || env.GH_TOKEN || undefined);
}

function defaultIo(): Io {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    cwd: process.cwd(),
    env: process.env,
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
  };
}

async function run(argv: string[], io: Io): Promise<number> {
  const command = argv[0] === 'rules' || argv[0] === 'graph' ? argv[0] : 'lint';
  const rest = command === 'lint' ? argv : argv.slice(1);
  let parsed;
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        config: { type: 'string' },
        format: { type: 'string' },
        output: { type: 'string' },
        rule: { type: 'string', multiple: true },
        'max-warnings': { type: 'string' },
        quiet: { type: 'boolean' },
        owner: { type: 'string' },
        github: { type: 'string', multiple: true },
        repos: { type: 'string', multiple: true },
        'include-archived': { type: 'boolean' },
        'include-forks': { type: 'boolean' },
        'cache-dir': { type: 'string' },
        'github-api-url': { type: 'string' },
        'github-timeout': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message} (see --help)`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(HELP);
    return 0;
  }
  if (values.version) {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  if (command === 'rules') {
    if (positionals.length > 0) throw new UsageError('`rules` takes no PATH');
    io.stdout(rulesTable());
    return 0;
  }

  const format = values.format ?? (command === 'graph' ? 'mermaid' : 'stylish');
  const formats = command === 'graph' ? GRAPH_FORMATS : LINT_FORMATS;
  if (!formats.includes(format)) throw new UsageError(`unknown --format '${format}' for ${command}; use ${formats.join(', ')}`);
  const maxWarnings = values['max-warnings'] === undefined ? undefined : parseCount(values['max-warnings']);
  const github = githubOptions(values, io);
  const result = await lint({
    paths: positionals,
    cwd: io.cwd,
    ruleOverrides: parseRuleOptions(values.rule ?? []),
    ...(values.config ? { configFile: values.config } : {}),
    ...(values.owner ? { owner: values.owner } : {}),
    ...(github ? { github } : {}),
  });
  if (github?.progress) io.stderr('\r\u001b[K');
  for (const error of result.scanErrors) io.stderr(`dispatch-lint: ${error}\n`);
  const report = values.quiet ? errorsOnly(result.report) : result.report;

  const output = command === 'graph' ? formatGraph(report, format) : formatReport(report, format, result, io, values.output === undefined);
  if (values.output) writeFileSync(values.output, maskOutput(output, io.env));
  else io.stdout(output);

  if (result.scanErrors.length > 0) {
    io.stderr(`dispatch-lint: the scan is incomplete (${result.scanErrors.length} ${result.scanErrors.length === 1 ? 'problem' : 'problems'} above), so it is not reported as clean\n`);
    return 2;
  }
  if (command === 'graph') return 0;
  if (report.summary.errors > 0) return 1;
  if (maxWarnings !== undefined && report.summary.warnings > maxWarnings) {
    io.stderr(`dispatch-lint: ${report.summary.warnings} warnings, more than --max-warnings ${maxWarnings}\n`);
    return 1;
  }
  return 0;
}

function formatReport(report: Report, format: string, result: LintResult, io: Io, toTerminal: boolean): string {
  if (format === 'json') return formatJson(report);
  const colour = toTerminal && useColour({ isTTY: io.stdoutIsTTY }, io.env);
  return formatStylish(report, { palette: palette(colour), roots: result.roots, cwd: io.cwd });
}

interface GitHubFlags {
  github?: string[];
  repos?: string[];
  'include-archived'?: boolean;
  'include-forks'?: boolean;
  'cache-dir'?: string;
  'github-api-url'?: string;
  'github-timeout'?: string;
}

/** GitHub mode's options from the flags and the environment (the token: GITHUB_TOKEN, else GH_TOKEN). */
function githubOptions(values: GitHubFlags, io: Io): GitHubOptions | undefined {
  const targets = values.github ?? [];
  const githubOnly = ['repos', 'include-archived', 'include-forks', 'cache-dir', 'github-api-url', 'github-timeout'] as const;
  if (targets.length === 0) {
    const stray = githubOnly.find((flag) => values[flag] !== undefined);
    if (stray) throw new UsageError(`--${stray} only applies with --github`);
    return undefined;
  }
  for (const target of targets) {
    if (!/^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)?$/.test(target)) throw new UsageError(`--github expects ORG or OWNER/REPO, got '${target}'`);
  }
  const apiUrl = values['github-api-url'] ?? io.env.GITHUB_API_URL ?? 'https://api.github.com';
  if (!/^https?:\/\//.test(apiUrl)) throw new UsageError(`--github-api-url must be an http(s) URL, got '${apiUrl}'`);
  const seconds = values['github-timeout'] === undefined ? undefined : Number(values['github-timeout']);
  if (seconds !== undefined && !(seconds > 0 && Number.isFinite(seconds))) throw new UsageError(`--github-timeout expects a number of seconds above 0, got '${values['github-timeout']}'`);
  const token = io.env.GITHUB_TOKEN || io.env.GH_TOKEN || undefined;
  if (!token) io.stderr('dispatch-lint: note: no GITHUB_TOKEN or GH_TOKEN; reading GitHub without a token (low rate limit, public repositories only)\n');
  const options: GitHubOptions = {
    targets,
    apiUrl,
    repoGlobs: values.repos ?? [],
    includeArchived: values['include-archived'] ?? false,
    includeForks: values['include-forks'] ?? false,
    cacheDir: values['cache-dir'] ?? defaultCacheDir(io.env),
    onWait: (message) => io.stderr(`dispatch-lint: ${message}\n`),
  };
  if (token) options.token = token;
  if (seconds !== undefined) options.totalTimeoutMs = seconds * 1000;
  // TEST-ONLY, undocumented for users: the unit of the waits between retries (default 1000 ms), so that a fault
  // test costs milliseconds. Timeouts are not shortened this way: tests pass --github-timeout.
  const waitUnitMs = Number(io.env.DISPATCH_LINT_WAIT_UNIT_MS);
  if (waitUnitMs > 0) options.waitUnitMs = waitUnitMs;
  if (io.stderrIsTTY) {
    options.progress = (done, total) => io.stderr(total > 0 ? `\r\u001b[Kfetched workflows of ${done}/${total} repositories` : `\r\u001b[Klisting repositories: ${done}`);
  }
  return options;
}

function parseRuleOptions(settings: string[]): Record<string, SeveritySetting> {
  const overrides: Record<string, SeveritySetting> = {};
  for (const setting of settings) {
    const [id, severity] = setting.split('=');
    if (!id || !severity) throw new UsageError(`--rule expects ID=SEVERITY, got '${setting}'`);
    if (!RULES.some((rule) => rule.id === id)) throw new UsageError(`--rule: unknown rule '${id}' (see \`dispatch-lint rules\`)`);
    if (!SEVERITIES.includes(severity as SeveritySetting)) throw new UsageError(`--rule ${id}: severity must be one of ${SEVERITIES.join(', ')}, got '${severity}'`);
    overrides[id] = severity as SeveritySetting;
  }
  return overrides;
}

function parseCount(text: string): number {
  const count = Number(text);
  if (!Number.isInteger(count) || count < 0) throw new UsageError(`--max-warnings expects a whole number, got '${text}'`);
  return count;
}

function errorsOnly(report: Report): Report {
  const findings = report.findings.filter((finding) => finding.severity === 'error');
  return { ...report, findings, summary: { errors: findings.length, warnings: 0, notes: 0 } };
}

function rulesTable(): string {
  // Borderless, one rule per two lines: the id and severity, then what it reports and where its doc is.
  const borderless = { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' };
  const table = new Table({ head: ['rule', 'default', 'what it reports / docs'], chars: borderless, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 } });
  for (const rule of RULES) table.push([rule.id, rule.defaultSeverity, `${rule.description}\n${docsPath(rule.id)}`]);
  return `${table.toString().split('\n').map((line) => line.trimEnd()).join('\n')}\n`;
}
