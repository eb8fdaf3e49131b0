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
import { fingerprint } from './fingerprint.js';
import type { FindingDraft } from './rule.js';
import { BlobCache } from './sources/github/blob-cache.js';
import { createClient, type GitHubClient } from './sources/github/client.js';
import { scanGitHub, type GitHubScan } from './sources/github/fetch.js';
import { listSecrets, type SecretRequest } from './sources/github/secrets.js';
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
  /** GitHub mode: repositories fetched through the API, overridden by local PATHs of the same name. */
  github?: GitHubOptions;
}

export interface GitHubOptions {
  /** `owner` or `owner/name`, as given to --github. */
  targets: string[];
  apiUrl: string;
  token?: string;
  repoGlobs: string[];
  includeArchived: boolean;
  includeForks: boolean;
  /** Where blobs are cached; null for no cache. */
  cacheDir: string | null;
  /** Told how many repositories have been fetched (for a progress line). */
  progress?: (done: number, total: number) => void;
  /** Told of waits for rate limits. */
  onWait?: (message: string) => void;
  /** Request timeout and wait unit (see ClientOptions); tests shrink them. */
  timeoutMs?: number;
  waitUnitMs?: number;
}

export interface LintResult {
  report: Report;
  /** Why the scan is incomplete (a PATH that does not exist, a file that cannot be read): exit 2. */
  scanErrors: string[];
  /** Repository name → its local folder, for formatters that print file paths. */
  roots: Map<string, string>;
  config: Config;
  /** The join the report was built from, for views beyond the report (`dispatch-lint trace`). */
  index: DispatchIndex;
  /** GitHub mode: what the fetch cost. */
  github?: { requests: number; filesFetched: number; filesFromCache: number };
}

export async function lint(options: LintOptions): Promise<LintResult> {
  const cwd = options.cwd ?? process.cwd();
  const config = options.config ?? resolveConfig(options.configFile, cwd);
  const ignored = ignoreMatcher(config);
  // Without a PATH the current folder is linted, unless the repositories come from GitHub.
  const paths = options.paths.length > 0 || options.github ? options.paths : ['.'];
  const discovery = paths.length > 0 ? discoverLocal(paths, { cwd, names: config.repos, ...(options.owner ? { owner: options.owner } : {}) }) : { repositories: [], errors: [] };
  const scanErrors = [...discovery.errors];

  const files: WorkflowInputFile[] = [];
  const scanned: ScannedRepository[] = [];
  const local = discovery.repositories.filter((repository) => !ignored(repository.name));
  for (const repository of local) {
    scanned.push({ name: repository.name, source: 'local', workflows: [] });
    for (const path of repository.workflowPaths) {
      if (ignored(repository.name, path)) continue;
      try {
        files.push({ repo: repository.name, path, text: readFileSync(join(repository.root, path), 'utf8') });
      } catch (error) {
        scanErrors.push(`${join(repository.root, path)}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
    }
  }

  let remote: RemoteScan | undefined;
  if (options.github) {
    const localNames = new Set(local.map((repository) => repository.name.toLowerCase()));
    remote = await fetchRemote(options.github, (name) => localNames.has(name.toLowerCase()) || ignored(name));
    scanErrors.push(...remote.scan.errors);
    for (const repository of remote.scan.repositories) {
      scanned.push({ name: repository.name, source: 'github', workflows: [] });
      for (const file of repository.files) {
        if (ignored(repository.name, file.path)) continue;
        const input: WorkflowInputFile = { repo: repository.name, path: file.path, text: file.text };
        if (file.byteSize !== undefined) input.byteSize = file.byteSize;
        files.push(input);
      }
    }
  }

  const facts = await extractInParallel(files, { values: config.values }, options.workers);
  const byName = new Map(scanned.map((repository) => [repository.name, repository]));
  for (const workflow of facts) byName.get(workflow.repo)?.workflows.push(workflow);
  const secretRule = options.ruleOverrides?.['secret-not-defined'] ?? config.rules['secret-not-defined'];
  if (remote && secretRule !== 'off') await attachSecrets(remote, scanned);

  const index = new DispatchIndex(scanned);
  const report = buildReport(scanned, config, options.ruleOverrides ?? {}, index);
  const result: LintResult = { report, scanErrors, roots: new Map(local.map((repository) => [repository.name, repository.root])), config, index };
  if (remote) result.github = { requests: remote.client.requestCount(), filesFetched: remote.scan.filesFetched, filesFromCache: remote.scan.filesFromCache };
  return result;
}

interface RemoteScan {
  client: GitHubClient;
  scan: GitHubScan;
  owners: Set<string>;
}

async function fetchRemote(github: GitHubOptions, skip: (name: string) => boolean): Promise<RemoteScan> {
  const client = createClient({
    baseUrl: github.apiUrl,
    ...(github.token ? { token: github.token } : {}),
    ...(github.onWait ? { onWait: github.onWait } : {}),
    ...(github.timeoutMs ? { timeoutMs: github.timeoutMs } : {}),
    ...(github.waitUnitMs ? { waitUnitMs: github.waitUnitMs } : {}),
  });
  const scan = await scanGitHub({
    targets: github.targets,
    client,
    cache: new BlobCache(github.cacheDir ?? undefined),
    repoGlobs: github.repoGlobs,
    includeArchived: github.includeArchived,
    includeForks: github.includeForks,
    skip,
    ...(github.progress ? { progress: github.progress } : {}),
  });
  return { client, scan, owners: new Set(github.targets.map((target) => (target.split('/')[0] ?? '').toLowerCase())) };
}

/**
 * Secret names for the repositories that dispatch with a secret token and belong to an owner given to
 * --github (a local checkout of such a repository still has the remote's secrets).
 */
async function attachSecrets(remote: RemoteScan, scanned: ScannedRepository[]): Promise<void> {
  const requests: SecretRequest[] = [];
  for (const repository of scanned) {
    const owner = repository.name.split('/')[0]?.toLowerCase() ?? '';
    if (!remote.owners.has(owner)) continue;
    const sends = repository.workflows.flatMap((workflow) => workflow.sends).filter((send) => send.token.kind === 'secret');
    if (sends.length === 0) continue;
    const environments = [...new Set(sends.map((send) => send.environment).filter((name): name is string => typeof name === 'string'))];
    requests.push({ repository: repository.name, private: remote.scan.privacy.get(repository.name.toLowerCase()) ?? false, environments });
  }
  if (requests.length === 0) return;
  const scopes = await listSecrets(remote.client, requests);
  for (const repository of scanned) {
    const scope = scopes.get(repository.name.toLowerCase());
    if (scope) repository.secrets = scope;
  }
}

export function resolveConfig(configFile: string | undefined, cwd: string): Config {
  if (configFile) return loadConfig(resolve(cwd, configFile));
  const found = findConfigFile(cwd);
  return found ? loadConfig(found) : defaultConfig();
}

/** Runs every enabled rule over the scanned repositories and assembles the JSON report. */
export function buildReport(repositories: ScannedRepository[], config: Config, overrides: Record<string, SeveritySetting>, index = new DispatchIndex(repositories)): Report {
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const severity = overrides[rule.id] ?? config.rules[rule.id] ?? rule.defaultSeverity;
    if (severity === 'off') continue;
    rule.check({
      index,
      config,
      report: (draft: FindingDraft) => findings.push(toFinding(rule.id, draft.asNote ? 'note' : severity, draft)),
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
  const finding: Finding = { rule, severity, message: draft.message, location: draft.location, fingerprint: '' };
  if (draft.related && draft.related.length > 0) finding.related = draft.related;
  // Assigned after `related`, so the key sits last in the JSON report.
  delete (finding as Partial<Finding>).fingerprint;
  finding.fingerprint = fingerprint({ rule, repo: draft.location.repo, path: draft.location.path, identity: draft.identity });
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
