/**
 * The command line: `dispatch-lint [PATH ...]` (lint), `dispatch-lint rules`, `dispatch-lint graph`,
 * `dispatch-lint trace EVENT --from REPO`.
 * Exit status: 0 clean (warnings within --max-warnings), 1 findings that fail, 2 bad usage, an invalid
 * config, or a scan that could not complete. No stack trace reaches the user.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RULES } from '../rules/index.js';
import { BaselineError } from './baseline.js';
import { ConfigError } from './config/config.js';
import { lint, summarize, type GitHubOptions, type LintOptions, type LintResult } from './engine.js';
import { createFormatContext } from './format.js';
import { eventsSentBy, traceDispatch } from './graph/trace.js';
import { GitError } from './sources/git.js';
import { defaultCacheDir } from './sources/github/blob-cache.js';
import { maskToken } from './sources/github/faults.js';
import type { Report, SeveritySetting } from './model.js';
import { useColour } from './report/colour.js';
import type { FormatContext, Formatter } from './report/context.js';
import { formatGraph, GRAPH_FORMATS } from './report/graph.js';
import { formatterFor, LINT_FORMATS } from './report/index.js';
import { githubLinks } from './report/links.js';
import { ALL_REPOSITORIES, sarifPerRepository, sarifScopeNote } from './report/sarif.js';
import { formatTrace, TRACE_FORMATS } from './report/trace.js';
import { docsPath } from './rule.js';
import { packageVersion } from './util/package-root.js';

class UsageError extends Error {}

const SEVERITIES: SeveritySetting[] = ['off', 'note', 'warning', 'error'];

const HELP = `Usage:
  dispatch-lint [PATH ...] [options]        lint the dispatch wiring between repositories
  dispatch-lint graph [PATH ...] [options]  print the dispatch graph (--format mermaid|dot|json)
  dispatch-lint trace EVENT --from REPO [PATH ...] [options]
                                            print the cascade one dispatch sets off, hop by hop
                                            (--format text|json)
  dispatch-lint rules                       list every rule with its default severity

A PATH is a repository (a folder with .github/workflows/) or a folder of repositories. No PATH: the
current folder.

Options:
  --config FILE          config file (default: .dispatch-lint.yml found from the current folder upward)
  --format NAME          stylish (default), json, sarif, github (workflow commands: annotations) or
                         markdown; for graph: mermaid (default), dot or json; for trace: text or json
  --output FILE          write the report to FILE instead of standard output
  --rule ID=SEVERITY     set a rule to off, note, warning or error (repeatable)
  --max-warnings N       fail (exit 1) when there are more than N warnings (-1: no limit)
  --quiet                report errors only (warnings then do not count toward --max-warnings)
  --owner OWNER          owner for repositories given on their own without a git remote
  --no-cache             do not read or write the facts cache (each file's facts, kept in the user's cache
                         folder, ~/.cache/dispatch-lint, so an unchanged file is not parsed again); in GitHub
                         mode, no blob cache either
  -h, --help             show this help
  -v, --version          show the version

GitHub's screens:
  --sarif-repo OWNER/NAME   sarif: only results located in this repository, the one that uploads the file
                            (default: GITHUB_REPOSITORY inside Actions, else the only scanned repository);
                            '*' keeps every repository (not uploadable as it is)
  --sarif-dir DIR           also write one SARIF file per scanned repository, DIR/OWNER/NAME.sarif, each
                            uploadable to its own repository
  --full-graph              markdown: draw the whole dispatch graph, not only the part around the findings
  With --format github, the Markdown report is appended to GITHUB_STEP_SUMMARY when it is set.

GitHub mode (token from GITHUB_TOKEN or GH_TOKEN; never printed):
  --github ORG|OWNER/REPO   also lint these repositories' default-branch workflows, fetched from GitHub
                            (repeatable); local PATHs override fetched repositories of the same name
  --repos GLOB              only repositories whose name matches (picomatch, repeatable)
  --include-archived        include archived repositories
  --include-forks           include forks
  --cache-dir DIR           where fetched files are cached by blob id, and the facts cache is kept
                            (default: the user's cache folder)
  --github-api-url URL      the API to ask (GitHub Enterprise Server: https://HOST/api/v3)
  --github-timeout SECONDS  all GitHub requests of the run must be done within SECONDS (default 600), else it
                            exits 2 naming what timed out; each attempt gets a quarter of it, at most 30 s

Pre-merge check and baselines:
  --base REF                also lint each local git repository as it is at REF (read from git, the work
                            tree untouched) and report only the findings the change introduces; the summary
                            says how many it fixes
  --config-from-base        with --base: lint with the config file as it is at REF, not as the change has it
  --baseline FILE           report only findings FILE does not record
  --update-baseline         with --baseline: write FILE from this lint (pruning entries that match nothing)
  --fail-on-unpruned-baseline
                            with --baseline: exit 1 when FILE has entries that match nothing

Suppressions, in a workflow file (the reason is required):
  # dispatch-lint-disable-next-line RULE[, RULE] -- reason    on the line before the finding
  # dispatch-lint-disable RULE[, RULE] -- reason              among the file's leading comments

Exit status: 0 no errors (and warnings within --max-warnings), 1 findings that fail, 2 bad usage,
an invalid config or a scan that could not complete.
`;

/** For the process's entry point (bin/dispatch-lint.js): see src/util/v8-flags.ts. */
export { tuneV8ForLint } from './util/v8-flags.js';

export async function main(argv: string[], given: Io = defaultIo()): Promise<number> {
  // The token never reaches the output, whole or in part, whatever text carries it (the sources mask it too).
  const io: Io = { ...given, stdout: (text) => given.stdout(maskOutput(text, given.env)), stderr: (text) => given.stderr(maskOutput(text, given.env)) };
  try {
    return await run(argv, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError || error instanceof GitError || error instanceof BaselineError) {
      for (const line of error.message.split('\n')) io.stderr(`dispatch-lint: ${line}\n`);
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
  const command = argv[0] === 'rules' || argv[0] === 'graph' || argv[0] === 'trace' ? argv[0] : 'lint';
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
        'no-cache': { type: 'boolean' },
        'github-api-url': { type: 'string' },
        base: { type: 'string' },
        'config-from-base': { type: 'boolean' },
        baseline: { type: 'string' },
        'update-baseline': { type: 'boolean' },
        'fail-on-unpruned-baseline': { type: 'boolean' },
        'github-timeout': { type: 'string' },
        'sarif-repo': { type: 'string' },
        'sarif-dir': { type: 'string' },
        'full-graph': { type: 'boolean' },
        from: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    // One line, as every other usage error: parseArgs explains some over several.
    throw new UsageError(`${(error as Error).message.replace(/\s*\n\s*/g, ' ')} (see --help)`);
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

  const format = values.format ?? (command === 'graph' ? 'mermaid' : command === 'trace' ? 'text' : 'stylish');
  const formats = command === 'graph' ? GRAPH_FORMATS : command === 'trace' ? TRACE_FORMATS : LINT_FORMATS;
  if (!formats.includes(format)) throw new UsageError(`unknown --format '${format}' for ${command}; use ${formats.join(', ')}`);
  checkFormatOptions(command, format, values);
  const paths = command === 'trace' ? positionals.slice(1) : positionals;
  const event = command === 'trace' ? positionals[0] : undefined;
  if (command === 'trace' && (event === undefined || values.from === undefined)) throw new UsageError('usage: dispatch-lint trace EVENT --from REPO [PATH ...]');
  const maxWarnings = values['max-warnings'] === undefined ? undefined : parseMaxWarnings(values['max-warnings']);
  const premerge = premergeOptions(values, command);
  const github = githubOptions(values, io);
  const result = await lint({
    paths,
    cwd: io.cwd,
    ruleOverrides: parseRuleOptions(values.rule ?? []),
    ...(values.config ? { configFile: values.config } : {}),
    ...(values.owner ? { owner: values.owner } : {}),
    ...(github ? { github } : {}),
    // The facts cache, on unless --no-cache: beside the blob cache (--cache-dir) in GitHub mode, else the user's cache folder.
    ...(values['no-cache'] ? {} : { cacheDir: github?.cacheDir ?? defaultCacheDir(io.env) }),
    ...premerge,
  });
  if (github?.progress) io.stderr('\r\u001b[K');
  for (const note of result.scanNotes) io.stderr(`dispatch-lint: note: ${note}\n`);
  for (const error of result.scanErrors) io.stderr(`dispatch-lint: ${error}\n`);
  const report = values.quiet ? errorsOnly(result.report) : result.report;
  const staleBaseline = reportBaseline(result, io);

  let output: string;
  if (command === 'trace') output = traceOutput(result, event as string, values.from as string, format);
  else if (command === 'graph') output = formatGraph(report, format);
  else output = lintOutput(report, format, result, io, values);
  if (values.output) writeOutput(values.output, maskOutput(output, io.env), io.cwd);
  else io.stdout(output);

  if (result.scanErrors.length > 0) {
    io.stderr(`dispatch-lint: the scan is incomplete (${result.scanErrors.length} ${result.scanErrors.length === 1 ? 'problem' : 'problems'} above), so it is not reported as clean\n`);
    return 2;
  }
  if (command === 'graph' || command === 'trace') return 0;
  if (report.summary.errors > 0) return 1;
  if (maxWarnings !== undefined && report.summary.warnings > maxWarnings) {
    io.stderr(`dispatch-lint: ${report.summary.warnings} warnings, more than --max-warnings ${maxWarnings}\n`);
    return 1;
  }
  if (staleBaseline && values['fail-on-unpruned-baseline']) return 1;
  return 0;
}

interface PremergeFlags {
  base?: string;
  'config-from-base'?: boolean;
  baseline?: string;
  'update-baseline'?: boolean;
  'fail-on-unpruned-baseline'?: boolean;
}

/** --base and --baseline, with the flags that only make sense beside them. */
function premergeOptions(values: PremergeFlags, command: string): Pick<LintOptions, 'base' | 'baseline'> {
  if (command !== 'lint') {
    const stray = (['base', 'config-from-base', 'baseline', 'update-baseline', 'fail-on-unpruned-baseline'] as const).find((flag) => values[flag] !== undefined);
    if (stray) throw new UsageError(`--${stray} only applies to lint`);
    return {};
  }
  if (values['config-from-base'] && values.base === undefined) throw new UsageError('--config-from-base only applies with --base REF');
  for (const flag of ['update-baseline', 'fail-on-unpruned-baseline'] as const) {
    if (values[flag] && values.baseline === undefined) throw new UsageError(`--${flag} only applies with --baseline FILE`);
  }
  if (values.base !== undefined && (values.base.trim() === '' || values.base.startsWith('-'))) throw new UsageError(`--base expects a git revision (a branch, tag or commit), got '${values.base}'`);
  if (values.baseline !== undefined && values.baseline.trim() === '') throw new UsageError('--baseline expects a file name');
  const options: Pick<LintOptions, 'base' | 'baseline'> = {};
  if (values.base !== undefined) options.base = { ref: values.base, configFromBase: values['config-from-base'] ?? false };
  if (values.baseline !== undefined) options.baseline = { file: values.baseline, update: values['update-baseline'] ?? false };
  return options;
}

/** What --baseline did, on stderr (the JSON report has it too). True when the file has entries that match nothing. */
function reportBaseline(result: LintResult, io: Io): boolean {
  const outcome = result.baseline;
  if (!outcome) return false;
  const { file, unmatched } = outcome.summary;
  if (outcome.written) {
    const { findings, added, pruned } = outcome.written;
    io.stderr(`dispatch-lint: wrote ${file}: ${findings} ${findings === 1 ? 'finding' : 'findings'} recorded (${added} new, ${pruned} pruned)\n`);
  } else if (outcome.notWritten) {
    io.stderr(`dispatch-lint: did not write ${file}: ${outcome.notWritten}\n`);
  }
  const stale = unmatched.reduce((sum, entry) => sum + entry.count, 0);
  if (stale === 0) return false;
  io.stderr(`dispatch-lint: note: ${stale} ${stale === 1 ? 'finding' : 'findings'} recorded in ${file} no longer ${stale === 1 ? 'occurs' : 'occur'}; prune ${stale === 1 ? 'it' : 'them'} with --update-baseline\n`);
  return true;
}

interface FormatFlags {
  output?: string;
  'sarif-repo'?: string;
  'sarif-dir'?: string;
  'full-graph'?: boolean;
  from?: string;
}

function checkFormatOptions(command: string, format: string, values: FormatFlags): void {
  if (values.from !== undefined && command !== 'trace') throw new UsageError('--from only applies to `trace`');
  if (values['sarif-dir'] !== undefined && command !== 'lint') throw new UsageError('--sarif-dir only applies to lint');
  if (values['sarif-repo'] !== undefined && (command !== 'lint' || format !== 'sarif')) throw new UsageError('--sarif-repo only applies with --format sarif');
  if (values['sarif-repo'] !== undefined && values['sarif-repo'] !== ALL_REPOSITORIES && !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(values['sarif-repo'])) {
    throw new UsageError(`--sarif-repo expects OWNER/NAME or '*', got '${values['sarif-repo']}'`);
  }
  if (values['full-graph'] && (command !== 'lint' || (format !== 'markdown' && format !== 'github'))) throw new UsageError('--full-graph only applies with --format markdown (or github, for its job summary)');
}

/** The lint report in `format`, plus the outputs beside it: GITHUB_STEP_SUMMARY for github, and --sarif-dir. */
function lintOutput(report: Report, format: string, result: LintResult, io: Io, values: FormatFlags): string {
  const summaryFile = format === 'github' ? io.env.GITHUB_STEP_SUMMARY : undefined;
  const context = createFormatContext(report, {
    env: io.env,
    cwd: io.cwd,
    roots: result.roots,
    colour: values.output === undefined && useColour({ isTTY: io.stdoutIsTTY }, io.env),
    fullGraph: values['full-graph'] ?? false,
    warn: (message) => io.stderr(`dispatch-lint: ${message}\n`),
    ...(values['sarif-repo'] ? { sarifRepo: values['sarif-repo'] } : {}),
    ...(format === 'github' ? { fullReportHint: fullReportHint(summaryFile, io.env) } : {}),
  });
  const scopeNote = format === 'sarif' ? sarifScopeNote(report, context.sarifRepo) : undefined;
  if (scopeNote) io.stderr(`dispatch-lint: note: ${scopeNote}\n`);
  if (values['sarif-dir'] !== undefined) writeSarifDir(report, context, resolve(io.cwd, values['sarif-dir']), io);
  if (summaryFile) appendFileSync(summaryFile, `${lintFormatter('markdown')(report, context)}\n`);
  return lintFormatter(format)(report, context);
}

function lintFormatter(name: string): Formatter {
  const formatter = formatterFor(name);
  if (!formatter) throw new UsageError(`unknown --format '${name}'; use ${LINT_FORMATS.join(', ')}`);
  return formatter;
}

function fullReportHint(summaryFile: string | undefined, env: NodeJS.ProcessEnv): string {
  if (!summaryFile) return 'the full report: --format markdown, json or sarif';
  const run = env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID ? ` (${githubLinks(env).repoUrl(env.GITHUB_REPOSITORY)}/actions/runs/${env.GITHUB_RUN_ID})` : '';
  return `the full report is in this job's summary${run}`;
}

/** --sarif-dir: DIR/OWNER/NAME.sarif for every scanned repository. */
function writeSarifDir(report: Report, context: FormatContext, folder: string, io: Io): void {
  const files = sarifPerRepository(report, context);
  for (const [repo, text] of files) {
    const file = `${join(folder, ...repo.split('/'))}.sarif`;
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  io.stderr(`dispatch-lint: wrote ${files.size} SARIF ${files.size === 1 ? 'file' : 'files'} to ${folder}\n`);
}

function traceOutput(result: LintResult, event: string, from: string, format: string): string {
  const repo = resolveRepository(result.report, from);
  const trace = traceDispatch(result.index, event, repo);
  if (!trace) throw new UsageError(`--from '${from}' is not among the scanned repositories`);
  if (trace.hops.length === 0) {
    const sent = eventsSentBy(result.index, repo);
    throw new UsageError(`${trace.from} sends no dispatch '${event}'${sent.length > 0 ? `; it sends: ${sent.join(', ')}` : ' (it sends no dispatch at all)'}`);
  }
  return formatTrace(trace, format);
}

/** A scanned repository by `owner/name`, or by its name alone when that is unique; compared case-insensitively. */
function resolveRepository(report: Report, given: string): string {
  const names = report.repos.map((repo) => repo.name);
  const exact = names.find((name) => name.toLowerCase() === given.toLowerCase());
  if (exact) return exact;
  const byName = names.filter((name) => name.toLowerCase().split('/')[1] === given.toLowerCase());
  if (byName.length === 1) return byName[0] as string;
  throw new UsageError(byName.length > 1 ? `--from '${given}' names ${byName.length} repositories (${byName.join(', ')}); give OWNER/NAME` : `--from '${given}' is not among the scanned repositories`);
}

interface GitHubFlags {
  github?: string[];
  repos?: string[];
  'include-archived'?: boolean;
  'include-forks'?: boolean;
  'cache-dir'?: string;
  'no-cache'?: boolean;
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
    cacheDir: values['no-cache'] ? null : values['cache-dir'] ?? defaultCacheDir(io.env),
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

/** Writes the report where --output says; a path that cannot be written is a usage error that says why. */
function writeOutput(file: string, text: string, cwd: string): void {
  try {
    writeFileSync(resolve(cwd, file), text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? `the folder ${dirname(file)} does not exist` :
      code === 'EISDIR' ? 'it is a folder' :
      code === 'EACCES' || code === 'EPERM' ? 'permission denied' :
      code === 'ENOTDIR' ? `${dirname(file)} is not a folder` :
      (error as Error).message;
    throw new UsageError(`--output ${file}: cannot write the report there: ${why}`);
  }
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

/** ESLint's --max-warnings: a count of warnings allowed, or -1 for no limit. */
function parseMaxWarnings(text: string): number | undefined {
  const count = Number(text);
  if (text.trim() === '' || !Number.isInteger(count) || count < -1) throw new UsageError(`--max-warnings expects a whole number (or -1 for no limit), got '${text}'`);
  return count === -1 ? undefined : count;
}

/** --quiet, as ESLint has it: errors only, so warnings neither show nor count toward --max-warnings. */
function errorsOnly(report: Report): Report {
  const findings = report.findings.filter((finding) => finding.severity === 'error');
  const suppressed = report.suppressed?.filter((finding) => finding.severity === 'error');
  const summary: Report['summary'] = { ...report.summary, ...summarize(findings) };
  const quiet: Report = { ...report, findings, summary };
  if (suppressed && suppressed.length > 0) {
    quiet.suppressed = suppressed;
    summary.suppressed = suppressed.length;
  } else {
    delete quiet.suppressed;
    delete summary.suppressed;
  }
  return quiet;
}

function rulesTable(): string {
  // Loaded for this command only, so a lint does not pay for it.
  const Table = createRequire(import.meta.url)('cli-table3') as typeof import('cli-table3');
  // Borderless, one rule per two lines: the id and severity, then what it reports and where its doc is.
  const borderless = { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' };
  const table = new Table({ head: ['rule', 'default', 'what it reports / docs'], chars: borderless, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 } });
  for (const rule of RULES) table.push([rule.id, rule.defaultSeverity, `${rule.description}\n${docsPath(rule.id)}`]);
  return `${table.toString().split('\n').map((line) => line.trimEnd()).join('\n')}\n`;
}
