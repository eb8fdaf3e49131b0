/**
 * One lint run: sources → extraction (once per file) → index → rules → sorted findings. Nothing here
 * prints; the CLI and formatters decide what to show.
 */
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RULES } from '../rules/index.js';
import { defaultConfig, findConfigFile, ignoreMatcher, loadConfig, type Config } from './config/config.js';
import { extractInParallel, threadsFor } from './extract/parallel.js';
import { FactsCache, type FileStat } from './extract/facts-cache.js';
import { gitBlobOid } from './sources/github/blob-cache.js';
import { repositoryFiles, type RepositoryFileSources } from './extract/repository-files.js';
import type { WorkflowInputFile } from './extract/workflow.js';
import { compareStrings, DispatchIndex, type ScannedRepository } from './graph/index.js';
import type { Finding, Report, SeveritySetting, SuppressedFinding, WorkflowFacts } from './model.js';
import { fingerprint } from './fingerprint.js';
import { compareFindings } from './order.js';
import { applySuppressions } from './suppressions.js';
import type { FindingDraft } from './rule.js';
import { chooseConfig, compareWithBase, type BaseComparison, type BaseOptions, type ConfigChoice } from './premerge/base.js';
import { applyBaseline, type BaselineOptions, type BaselineOutcome } from './baseline.js';
// GitHub mode's modules (octokit and its plugins among them) are imported when GitHub mode runs, not at start:
// a local lint must not pay for loading them.
import type { BlobCache } from './sources/github/blob-cache.js';
import type { GitHubClient } from './sources/github/client.js';
import type { GitHubScan } from './sources/github/fetch.js';
import type { SecretRequest } from './sources/github/secrets.js';
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
  /** --base: also lint each local git repository at this revision, and report only what the change introduces. */
  base?: BaseOptions;
  /** --baseline: report only findings the file does not record; with `update`, rewrite it from this lint. */
  baseline?: BaselineOptions;
  /**
   * The facts cache's folder (the CLI's default: the user's cache folder, see defaultCacheDir); facts are kept in
   * its `facts/`. Undefined: no cache (the programmatic default, so a script's lint writes nothing it was not asked to).
   */
  cacheDir?: string;
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
  /** --github-timeout: every GitHub request of the run must be done within it (default 600 s). */
  totalTimeoutMs?: number;
  /** The unit of waits between retries (see ClientOptions); tests shrink it. */
  waitUnitMs?: number;
}

export interface LintResult {
  report: Report;
  /** Why the scan is incomplete (a PATH that does not exist, a file that cannot be read): exit 2. */
  scanErrors: string[];
  /** What was skipped on purpose and may surprise (a folder named like a workflow file): for stderr. */
  scanNotes: string[];
  /** Repository name → its local folder, for formatters that print file paths. */
  roots: Map<string, string>;
  config: Config;
  /** The join the report was built from, for views beyond the report (`dispatch-lint trace`). */
  index: DispatchIndex;
  /** GitHub mode: what the fetch cost. */
  github?: { requests: number; filesFetched: number; filesFromCache: number };
  /** --baseline: what was matched, and with --update-baseline what was written (nothing from an incomplete scan). */
  baseline?: BaselineOutcome;
  /** With a facts cache: how many files' facts it gave, and how many files were extracted. */
  cache?: { hits: number; misses: number };
}

/** The report's order; it lives in src/order.ts, where the pre-merge comparison shares it. */
export { compareFindings };

export async function lint(options: LintOptions): Promise<LintResult> {
  const cwd = options.cwd ?? process.cwd();
  // With --base, the config may come from the base (--config-from-base), and a changed one is reported.
  const configChoice: ConfigChoice = options.config ? { config: options.config } : chooseConfig(options.configFile, cwd, options.base);
  const config = configChoice.config;
  const ignored = ignoreMatcher(config);
  // Without a PATH the current folder is linted, unless the repositories come from GitHub.
  const paths = options.paths.length > 0 || options.github ? options.paths : ['.'];
  const discovery = paths.length > 0 ? discoverLocal(paths, { cwd, names: config.repos, ...(options.owner ? { owner: options.owner } : {}) }) : { repositories: [], errors: [], notes: [] };
  const scanErrors = [...discovery.errors];

  const files: WorkflowInputFile[] = [];
  const scanned: ScannedRepository[] = [];
  const local = discovery.repositories.filter((repository) => !ignored(repository.name));
  for (const repository of local) {
    scanned.push({ name: repository.name, source: 'local', workflows: [] });
    for (const path of repository.workflowPaths) {
      if (ignored(repository.name, path)) continue;
      const absolute = join(repository.root, path);
      if (options.base) {
        // --base compares the head's texts with the base's, so they are read now and kept.
        try {
          files.push({ repo: repository.name, path, text: readFileSync(absolute, 'utf8') });
        } catch (error) {
          scanErrors.push(unreadableMessage(absolute, (error as NodeJS.ErrnoException).code ?? String(error)));
        }
      } else {
        // Read when extracted, and dropped after: the lint holds facts, not the org's YAML.
        const file: WorkflowInputFile = { repo: repository.name, path, text: '', readFrom: absolute, sizeOnDisk: undefined };
        const takenAt = Date.now();
        const stat = statOf(absolute);
        file.sizeOnDisk = stat?.size;
        if (stat) statsTaken.set(file, { stat, takenAt });
        files.push(file);
      }
    }
    for (const [path, reason] of repository.rejected) {
      if (!ignored(repository.name, path)) files.push({ repo: repository.name, path, text: '', rejectedBecause: reason });
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

  const roots = Object.fromEntries(local.map((repository) => [repository.name.toLowerCase(), repository.root]));
  const cache = options.cacheDir === undefined ? undefined : new FactsCache(options.cacheDir, packageVersion(), { values: config.values }, cacheScope(scanned));
  let facts: WorkflowFacts[];
  let readFiles: WorkflowInputFile[];
  try {
    const extracted = await extractWorkflows(files, config, options.workers, { roots }, cache);
    // Files that could not be read are scan errors where the eager read put them (after discovery's), and have no facts.
    const unreadable = files.flatMap((file, index) => (extracted.unreadable.has(index) ? [unreadableMessage(file.readFrom ?? file.path, extracted.unreadable.get(index) as string)] : []));
    scanErrors.splice(discovery.errors.length, 0, ...unreadable);
    facts = extracted.facts.filter((_, index) => !extracted.unreadable.has(index));
    readFiles = files.filter((_, index) => !extracted.unreadable.has(index));
    if (remote) {
      // Remote repositories' composite actions, reusable workflows and scripts are fetched once extraction has said
      // which it needs, and the workflows that asked are extracted again with them.
      const loaded = await withLoadedFiles(remote, readFiles, facts, async (again, texts) => (await extractWorkflows(again, config, options.workers, { roots, texts }, cache)).facts);
      facts = loaded.facts;
      scanErrors.push(...loaded.errors);
    }
  } catch (error) {
    cache?.discard(); // the copy of the store it was writing, and its file handle, go with the lint
    throw error;
  }
  cache?.save();
  // Everything downstream is sorted by content, so the same repositories give the same report whatever the
  // order of the PATHs, of the folder listing or of the API's answers.
  scanned.sort((a, b) => compareStrings(a.name.toLowerCase(), b.name.toLowerCase()) || compareStrings(a.name, b.name));
  const byName = new Map(scanned.map((repository) => [repository.name, repository]));
  const inOrder = [...facts].sort((a, b) => compareStrings(a.repo.toLowerCase(), b.repo.toLowerCase()) || compareStrings(a.path, b.path));
  for (const workflow of inOrder) byName.get(workflow.repo)?.workflows.push(workflow);
  const secretRule = options.ruleOverrides?.['secret-not-defined'] ?? config.rules['secret-not-defined'];
  if (remote && secretRule !== 'off') scanErrors.push(...(await attachSecrets(remote, scanned)));

  const overrides = options.ruleOverrides ?? {};
  const active = activeRules(config, overrides, { github: options.github !== undefined });
  const head = evaluate(scanned, config, overrides, active);
  let findings = head.findings;
  let suppressed = head.suppressed;
  let comparison: BaseComparison | undefined;
  if (options.base) {
    comparison = await compareWithBase({
      options: options.base,
      head,
      scanned,
      local: local.map((repository) => ({ name: repository.name, root: repository.root })),
      headFiles: readFiles.map((file, index) => ({ file, facts: facts[index] as WorkflowFacts })),
      ignored,
      evaluate: (repositories) => evaluate(repositories, config, overrides, active),
      // The base's composite actions and scripts are read from the work tree: an approximation, said in the README.
      extract: async (baseFiles) => (await extractWorkflows(baseFiles, config, options.workers, { roots })).facts,
      configChoice,
      configNote: (draft) => configNote(draft, configChoice, overrides),
    });
    findings = comparison.introduced;
    suppressed = comparison.suppressed;
  }
  let baselineOutcome: BaselineOutcome | undefined;
  if (options.baseline) {
    // Matched against everything the lint found, so entries for findings --base leaves out are not "unmatched".
    baselineOutcome = applyBaseline(options.baseline, resolve(cwd, options.baseline.file), head.findings, findings, {
      repos: new Set(scanned.map((repository) => repository.name.toLowerCase())),
      rules: active,
      complete: scanErrors.length === 0,
    });
    findings = baselineOutcome.reported;
  }
  let base: Report['base'];
  if (comparison && options.base) {
    findings = [...findings.map(comparison.explain), ...comparison.configNotes];
    base = { ref: options.base.ref, fixed: comparison.fixed };
  }
  const report = assembleReport(scanned, head.index, findings, { suppressed, base, baseline: baselineOutcome?.summary });
  const result: LintResult = { report, scanErrors, scanNotes: discovery.notes, roots: new Map(local.map((repository) => [repository.name, repository.root])), config, index: head.index };
  if (remote) result.github = { requests: remote.client.requestCount(), filesFetched: remote.scan.filesFetched, filesFromCache: remote.scan.filesFromCache };
  if (baselineOutcome) result.baseline = baselineOutcome;
  if (cache) result.cache = { hits: cache.hits, misses: cache.misses };
  return result;
}

/**
 * Extraction (suppression comments included), through the facts cache when there is one: cached files are not
 * parsed; the rest are extracted (on workers where that pays) and their facts stored for next time. Files given
 * by `readFrom` are read as they are extracted; those that cannot be read are returned apart (index → error code).
 */
async function extractWorkflows(files: WorkflowInputFile[], config: Config, workers: number | undefined, repositoryFileSources: RepositoryFileSources, cache?: FactsCache): Promise<{ facts: WorkflowFacts[]; unreadable: Map<number, string> }> {
  const settings = { values: config.values, files: repositoryFileSources };
  const unreadable = new Map<number, string>();
  if (!cache) {
    const extracted = await extractInParallel(files, settings, workers);
    for (const [index, code] of Object.entries(extracted.unreadable ?? {})) unreadable.set(Number(index), code);
    return { facts: extracted.facts, unreadable };
  }
  const reader = repositoryFiles(repositoryFileSources);
  const facts: (WorkflowFacts | undefined)[] = new Array(files.length);
  // On one thread, files the cache lacks are extracted in batches as they are met, from the text read to hash them:
  // each file is read once, and only a batch of texts is held. Spread over threads, they are extracted together
  // at the end, each read again where it is extracted (texts do not wait in memory meanwhile).
  const inline = threadsFor(files.length, workers) <= 1;
  // From an empty store nothing can come: then, spread over threads, a file is not read here to be hashed at all, but
  // only where it is extracted, and its key (and its metadata's note) takes the blob id of the text read there.
  const hashWhereExtracted = !inline && cache.startedEmpty;
  let pending: { index: number; file: WorkflowInputFile; oid?: string }[] = [];
  const extractPending = async () => {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    const extracted = await extractInParallel(batch.map((entry) => entry.file), settings, inline ? 1 : workers, true);
    batch.forEach(({ index: fileIndex, file, oid }, index) => {
      const code = extracted.unreadable?.[index];
      if (code !== undefined) {
        unreadable.set(fileIndex, code);
        return;
      }
      const workflow = extracted.facts[index] as WorkflowFacts;
      if (hashWhereExtracted) cache.countMiss();
      // Keyed by the text the extraction read, should the file have changed since it was hashed above.
      const original = files[fileIndex] as WorkflowInputFile;
      const readOid = file.readFrom !== undefined ? extracted.oids?.[index] : undefined;
      cache.set(cache.keyOf(original, oid ?? readOid), workflow, extracted.reads?.[index] ?? []);
      const taken = hashWhereExtracted && file.readFrom !== undefined ? statsTaken.get(original) : undefined;
      if (taken && readOid) cache.noteStat(file.readFrom as string, taken.stat, taken.takenAt, readOid);
      facts[fileIndex] = workflow;
    });
  };
  for (const [index, file] of files.entries()) {
    let key: string;
    let text: string | undefined;
    let oid: string | undefined;
    if (hashWhereExtracted) {
      pending.push({ index, file });
      continue;
    }
    if (file.readFrom !== undefined) {
      // Judged by its metadata when that is as it was when last hashed; else read to be hashed.
      const taken = statsTaken.get(file);
      const stat = taken?.stat;
      const known = stat && cache.oidByStat(file.readFrom, stat);
      if (known !== undefined) key = cache.keyOf(file, known);
      else {
        try {
          text = readFileSync(file.readFrom, 'utf8');
        } catch (error) {
          unreadable.set(index, (error as NodeJS.ErrnoException).code ?? String(error));
          continue;
        }
        oid = gitBlobOid(text);
        if (taken) cache.noteStat(file.readFrom, taken.stat, taken.takenAt, oid);
        key = cache.keyOf(file, oid);
      }
    } else key = cache.keyOf(file);
    facts[index] = cache.get(key, reader);
    if (facts[index]) continue;
    if (inline && text !== undefined) {
      const { readFrom: _readFrom, ...rest } = file;
      pending.push({ index, file: { ...rest, text }, ...(oid !== undefined ? { oid } : {}) });
    } else pending.push({ index, file });
    if (inline && pending.length >= INLINE_BATCH) await extractPending();
  }
  await extractPending();
  return { facts: facts as WorkflowFacts[], unreadable };
}

/** Files extracted together on one thread when the cache lacks them: enough to amortise a call, few to hold. */
const INLINE_BATCH = 256;

function unreadableMessage(path: string, code: string): string {
  return `${path}: cannot be read (${code})`;
}

/** Local workflow files' metadata as discovery took it (and when), for the facts cache to judge them by. */
const statsTaken = new WeakMap<WorkflowInputFile, { stat: FileStat; takenAt: number }>();

/** The metadata the cache judges a file by, alone: a whole Stats (four Dates among its fields) kept per file was 8 MB at 10,000 files. */
function statOf(path: string): FileStat | undefined {
  try {
    const { size, mtimeMs, ctimeMs, ino } = statSync(path);
    return { size, mtimeMs, ctimeMs, ino };
  } catch {
    return undefined; // Reading it will say why.
  }
}

/** What a lint covers, for the cache's store: its repositories, by name and where they come from. */
function cacheScope(scanned: ScannedRepository[]): string {
  return JSON.stringify(scanned.map((repository) => `${repository.source}:${repository.name.toLowerCase()}`).sort());
}

interface RemoteScan {
  client: GitHubClient;
  cache: BlobCache;
  scan: GitHubScan;
  owners: Set<string>;
}

async function fetchRemote(github: GitHubOptions, skip: (name: string) => boolean): Promise<RemoteScan> {
  const [{ BlobCache }, { createClient }, { scanGitHub }] = await Promise.all([import('./sources/github/blob-cache.js'), import('./sources/github/client.js'), import('./sources/github/fetch.js')]);
  const client = createClient({
    baseUrl: github.apiUrl,
    ...(github.token ? { token: github.token } : {}),
    ...(github.onWait ? { onWait: github.onWait } : {}),
    ...(github.totalTimeoutMs ? { totalTimeoutMs: github.totalTimeoutMs } : {}),
    ...(github.waitUnitMs ? { waitUnitMs: github.waitUnitMs } : {}),
  });
  const cache = new BlobCache(github.cacheDir ?? undefined);
  const scan = await scanGitHub({
    targets: github.targets,
    client,
    cache,
    repoGlobs: github.repoGlobs,
    includeArchived: github.includeArchived,
    includeForks: github.includeForks,
    skip,
    ...(github.progress ? { progress: github.progress } : {}),
  });
  return { client, cache, scan, owners: new Set(github.targets.map((target) => (target.split('/')[0] ?? '').toLowerCase())) };
}

/** A loaded file may load another (an action using an action): a few rounds reach what real repositories nest. */
const LOADED_FILE_ROUNDS = 4;

/**
 * Fetches the files of remote repositories that extraction asked for and lacked, then extracts the workflows that
 * asked again; repeated while new files are asked for. A file that could not be fetched is a scan error.
 */
async function withLoadedFiles(
  remote: RemoteScan,
  files: WorkflowInputFile[],
  facts: WorkflowFacts[],
  extract: (files: WorkflowInputFile[], texts: Record<string, Record<string, string>>) => Promise<WorkflowFacts[]>,
): Promise<{ facts: WorkflowFacts[]; errors: string[] }> {
  const workflowTexts = new Map(remote.scan.repositories.map((repository) => [repository.name.toLowerCase(), new Map(repository.files.map((file) => [file.path, file.text]))]));
  const texts: Record<string, Record<string, string>> = Object.fromEntries([...workflowTexts.keys()].map((name) => [name, {}]));
  const asked = new Set<string>();
  const errors: string[] = [];
  const current = [...facts];
  for (let round = 0; round < LOADED_FILE_ROUNDS; round++) {
    const wanted: { repo: string; path: string }[] = [];
    const fresh = new Set<string>();
    for (const workflow of current) {
      for (const request of workflow.requestedFiles ?? []) {
        const repo = request.repo.toLowerCase();
        const known = workflowTexts.get(repo);
        const key = `${repo}\u0000${request.path}`;
        if (!known || asked.has(key)) continue; // a local or unscanned repository, or asked already
        asked.add(key);
        fresh.add(key);
        const text = known.get(request.path);
        if (text !== undefined) (texts[repo] as Record<string, string>)[request.path] = text;
        else wanted.push(request);
      }
    }
    // Every workflow that asked for a file new this round is extracted again, however many asked for it.
    const again = current.flatMap((workflow, index) => ((workflow.requestedFiles ?? []).some((request) => fresh.has(`${request.repo.toLowerCase()}\u0000${request.path}`)) ? [index] : []));
    if (again.length === 0) break;
    if (wanted.length > 0) {
      const { fetchLoadedFiles } = await import('./sources/github/loaded-files.js');
      const fetched = await fetchLoadedFiles(remote.client, remote.cache, wanted.sort((a, b) => compareStrings(`${a.repo}/${a.path}`, `${b.repo}/${b.path}`)));
      errors.push(...fetched.errors);
      for (const [repo, paths] of fetched.texts) for (const [path, text] of paths) (texts[repo] as Record<string, string>)[path] = text;
    }
    const redone = await extract(again.map((index) => files[index] as WorkflowInputFile), texts);
    again.forEach((index, i) => (current[index] = redone[i] as WorkflowFacts));
  }
  return { facts: current, errors };
}

/**
 * Secret names for the repositories that dispatch with a secret token and belong to an owner given to
 * --github (a local checkout of such a repository still has the remote's secrets). Returns the listings that
 * failed for another reason than permission (the scan is then incomplete).
 */
async function attachSecrets(remote: RemoteScan, scanned: ScannedRepository[]): Promise<string[]> {
  const requests: SecretRequest[] = [];
  for (const repository of scanned) {
    const owner = repository.name.split('/')[0]?.toLowerCase() ?? '';
    if (!remote.owners.has(owner)) continue;
    const sends = repository.workflows.flatMap((workflow) => workflow.sends).filter((send) => send.token.kind === 'secret');
    if (sends.length === 0) continue;
    const environments = [...new Set(sends.map((send) => send.environment).filter((name): name is string => typeof name === 'string'))];
    requests.push({ repository: repository.name, private: remote.scan.privacy.get(repository.name.toLowerCase()) ?? false, environments });
  }
  if (requests.length === 0) return [];
  const { listSecrets } = await import('./sources/github/secrets.js');
  const { scopes, errors } = await listSecrets(remote.client, requests);
  for (const repository of scanned) {
    const scope = scopes.get(repository.name.toLowerCase());
    if (scope) repository.secrets = scope;
  }
  return errors;
}

export function resolveConfig(configFile: string | undefined, cwd: string): Config {
  if (configFile) return loadConfig(resolve(cwd, configFile));
  const found = findConfigFile(cwd);
  return found ? loadConfig(found) : defaultConfig();
}

/** Runs every enabled rule over the scanned repositories, applies suppression comments, and assembles the JSON report. */
export function buildReport(repositories: ScannedRepository[], config: Config, overrides: Record<string, SeveritySetting>): Report {
  const evaluation = evaluate(repositories, config, overrides, activeRules(config, overrides, { github: repositories.some((repository) => repository.source === 'github') }));
  return assembleReport(repositories, evaluation.index, evaluation.findings, { suppressed: evaluation.suppressed });
}

/** One lint of one set of repositories (the head, or with --base the base too), before any comparison. */
export interface Evaluation {
  index: DispatchIndex;
  /** Reported findings (suppression notes included), sorted. */
  findings: Finding[];
  /** Findings a suppression comment silenced, sorted. */
  suppressed: SuppressedFinding[];
  /** Each finding's identity as its rule gave it (what its fingerprint is made of), for explaining a change. */
  identities: Map<Finding, readonly string[]>;
}

export function evaluate(repositories: ScannedRepository[], config: Config, overrides: Record<string, SeveritySetting>, active: ReadonlySet<string>): Evaluation {
  const index = new DispatchIndex(repositories);
  const identities = new Map<Finding, readonly string[]>();
  const findings: Finding[] = [];
  const add = (rule: string, severity: Finding['severity'], draft: FindingDraft) => {
    const finding = toFinding(rule, severity, draft);
    identities.set(finding, draft.identity);
    findings.push(finding);
  };
  for (const rule of RULES) {
    const severity = severityOf(rule.id, config, overrides);
    if (severity === 'off') continue;
    rule.check({ index, config, report: (draft: FindingDraft) => add(rule.id, draft.asNote ? 'note' : severity, draft) });
  }
  const outcome = applySuppressions(dedupe(findings), repositories.flatMap((repository) => repository.workflows), { known: new Set(RULES.map((rule) => rule.id)), active });
  const reported = [...outcome.kept];
  for (const note of outcome.notes) {
    const severity = severityOf(note.rule, config, overrides);
    if (severity === 'off') continue;
    const finding = toFinding(note.rule, severity, note.draft);
    identities.set(finding, note.draft.identity);
    reported.push(finding);
  }
  return { index, findings: reported.sort(compareFindings), suppressed: outcome.suppressed.sort(compareFindings), identities };
}

/** The rules that run in this lint: not off, and not needing GitHub mode where there is none. */
export function activeRules(config: Config, overrides: Record<string, SeveritySetting>, mode: { github: boolean }): Set<string> {
  return new Set(RULES.filter((rule) => severityOf(rule.id, config, overrides) !== 'off' && (rule.requires !== 'github' || mode.github)).map((rule) => rule.id));
}

function severityOf(ruleId: string, config: Config, overrides: Record<string, SeveritySetting>): SeveritySetting {
  return overrides[ruleId] ?? config.rules[ruleId] ?? RULES.find((rule) => rule.id === ruleId)?.defaultSeverity ?? 'off';
}

/**
 * A `config-loosened` finding, at the severity the *base's* config gives that rule (or --rule): a change must not
 * be able to silence the report of its own config change.
 */
function configNote(draft: FindingDraft, choice: ConfigChoice, overrides: Record<string, SeveritySetting>): Finding | undefined {
  const severity = severityOf('config-loosened', choice.comparison?.base ?? choice.config, overrides);
  return severity === 'off' ? undefined : toFinding('config-loosened', severity, draft);
}

/** The JSON report v1; the additive fields (suppressed, summary.suppressed/fixed, base, baseline) only where they apply. */
function assembleReport(repositories: ScannedRepository[], index: DispatchIndex, findings: Finding[], extra: { suppressed: SuppressedFinding[]; base?: Report['base'] | undefined; baseline?: Report['baseline'] | undefined }): Report {
  const sorted = [...findings].sort(compareFindings);
  const suppressed = extra.suppressed.length > 0 ? extra.suppressed : undefined;
  // Written in key order, so the JSON report stays byte-stable.
  return {
    version: 1,
    tool: { name: 'dispatch-lint', version: packageVersion() },
    repos: repositories
      .map((repository) => ({ name: repository.name, source: repository.source, workflows: repository.workflows.length }))
      .sort((a, b) => compareStrings(a.name.toLowerCase(), b.name.toLowerCase())),
    findings: sorted,
    ...(suppressed ? { suppressed } : {}),
    graph: { edges: index.edges() },
    summary: { ...summarize(sorted), ...(suppressed ? { suppressed: suppressed.length } : {}), ...(extra.base ? { fixed: extra.base.fixed.length } : {}) },
    ...(extra.base ? { base: extra.base } : {}),
    ...(extra.baseline ? { baseline: extra.baseline } : {}),
  };
}

export function summarize(findings: readonly Finding[]): Report['summary'] {
  return {
    errors: findings.filter((finding) => finding.severity === 'error').length,
    warnings: findings.filter((finding) => finding.severity === 'warning').length,
    notes: findings.filter((finding) => finding.severity === 'note').length,
  };
}

function toFinding(rule: string, severity: Finding['severity'], draft: FindingDraft): Finding {
  const print = fingerprint({ rule, repo: draft.location.repo, path: draft.location.path, identity: draft.identity });
  // Built in report order, `fingerprint` last, without `delete` (which would turn the object into a slow dictionary).
  if (draft.related && draft.related.length > 0) return { rule, severity, message: draft.message, location: draft.location, related: draft.related, fingerprint: print };
  return { rule, severity, message: draft.message, location: draft.location, fingerprint: print };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((finding) => {
    const { repo, path, line, column, endLine, endColumn } = finding.location;
    const key = `${finding.rule}\u0000${repo}\u0000${path}\u0000${line}:${column}-${endLine}:${endColumn}\u0000${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
