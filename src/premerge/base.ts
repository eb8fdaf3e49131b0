/**
 * The pre-merge check (`--base REF`): each local git repository is linted a second time as it is at REF, read
 * from git's objects (src/sources/git.ts), with every other repository as it is (a plain local folder, or fetched
 * from GitHub), and only what the change introduces is reported. "The same finding" before and after is the
 * fingerprint the SARIF output and baselines use (src/fingerprint.ts), matched as multisets, so a finding whose
 * lines merely moved is not new; what the base had and the head lacks is what the change fixes.
 *
 * The config in force is compared with the base's too: a pull request can otherwise edit `.dispatch-lint.yml` to
 * switch off the check that gates it (src/premerge/config-change.ts). `--config-from-base` lints with the base's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { RULES } from '../../rules/index.js';
import { CONFIG_FILE_NAMES, ConfigError, configFromText, defaultConfig, findConfigFile, loadConfig, type Config } from '../config/config.js';
import type { Evaluation } from '../engine.js';
import type { WorkflowInputFile } from '../extract/workflow.js';
import { compareOccurrences } from '../fingerprint.js';
import { compareFindings } from '../order.js';
import type { ScannedRepository } from '../graph/index.js';
import type { Finding, SuppressedFinding, WorkflowFacts } from '../model.js';
import type { FindingDraft } from '../rule.js';
import { filesAtCommit, GitError, gitCheckout, resolveCommit, workflowsAtCommit, type GitCheckout } from '../sources/git.js';
import { originRepository } from '../sources/local.js';
import { blameOnChange } from './blame.js';
import { configLoosenings, positionOfPath } from './config-change.js';

export interface BaseOptions {
  /** A git revision: a branch, a tag, a commit id, `HEAD~1`, `origin/main`. */
  ref: string;
  /** Lint with the config file as it is at REF (for teams that want the gate fixed), not as the change has it. */
  configFromBase?: boolean;
}

export interface ConfigChoice {
  /** The config the lint uses. */
  config: Config;
  /** With --base, where the config file is in a git checkout: both versions, to report what the change loosened. */
  comparison?: ConfigComparison;
}

interface ConfigComparison {
  head: Config;
  base: Config;
  /** The config file (absolute): where it is at the head, or where the base had it. */
  file: string;
  checkout: GitCheckout;
  fromBase: boolean;
}

export function chooseConfig(configFile: string | undefined, cwd: string, base: BaseOptions | undefined): ConfigChoice {
  const headFile = configFile ? resolve(cwd, configFile) : findConfigFile(cwd);
  const head = headFile ? loadConfig(headFile) : defaultConfig();
  if (!base) return { config: head };
  const atBase = configAtBase(headFile, cwd, base);
  if (!atBase) return { config: head };
  const baseConfig = atBase.text === undefined ? defaultConfig() : configAt(atBase.text, atBase.file, base.ref);
  return {
    config: base.configFromBase ? baseConfig : head,
    comparison: { head, base: baseConfig, file: atBase.file, checkout: atBase.checkout, fromBase: base.configFromBase ?? false },
  };
}

function configAt(text: string, file: string, ref: string): Config {
  try {
    return configFromText(text, file);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`${error.message} (the config as it is at ${ref})`);
    throw error;
  }
}

/**
 * The config file's text at REF: the head's file at the same path, or, when the head has none, the first config
 * file name found at REF from the current folder upward (the change deleted it). Undefined when the config is not
 * in a git checkout that has REF, which --config-from-base cannot accept.
 */
function configAtBase(headFile: string | undefined, cwd: string, base: BaseOptions): { file: string; text: string | undefined; checkout: GitCheckout } | undefined {
  try {
    if (headFile) {
      const checkout = gitCheckout(dirname(headFile));
      if (!checkout) throw new GitError(`--config-from-base: the config file ${headFile} is not in a git checkout, so it has no version at ${base.ref}`);
      const commit = resolveCommit(checkout.toplevel, base.ref);
      const path = `${checkout.prefix}${basename(headFile)}`;
      return { file: headFile, text: filesAtCommit(checkout.toplevel, commit, [path]).get(path), checkout };
    }
    const checkout = gitCheckout(cwd);
    if (!checkout) throw new GitError(`--config-from-base: the current folder is not in a git checkout, so there is no config at ${base.ref}`);
    const commit = resolveCommit(checkout.toplevel, base.ref);
    // The same search as at the head (findConfigFile), from the current folder up to the top of the checkout.
    const folders = checkout.prefix.split('/').filter(Boolean);
    const candidates: string[] = [];
    for (let depth = folders.length; depth >= 0; depth--) {
      const folder = folders.slice(0, depth).map((name) => `${name}/`).join('');
      for (const name of CONFIG_FILE_NAMES) candidates.push(`${folder}${name.split(sep).join('/')}`);
    }
    const found = filesAtCommit(checkout.toplevel, commit, candidates);
    const first = candidates.find((candidate) => found.has(candidate));
    return { file: join(checkout.toplevel, first ?? (candidates[0] as string)), text: first === undefined ? undefined : found.get(first), checkout };
  } catch (error) {
    // Without --config-from-base a config outside the change's repositories simply has nothing to compare.
    if (error instanceof GitError && !base.configFromBase) return undefined;
    throw error;
  }
}

export interface BaseComparisonInput {
  options: BaseOptions;
  head: Evaluation;
  /** The head's repositories, in scan order. */
  scanned: ScannedRepository[];
  /** The local repositories (names and folders): the ones in a git checkout are read at REF. */
  local: { name: string; root: string }[];
  /** The head's workflow files with their facts, so an unchanged file is not extracted twice. */
  headFiles: { file: WorkflowInputFile; facts: WorkflowFacts }[];
  ignored: (repo: string, path?: string) => boolean;
  evaluate(repositories: ScannedRepository[]): Evaluation;
  extract(files: WorkflowInputFile[]): Promise<WorkflowFacts[]>;
  configChoice: ConfigChoice;
  /** Turns a config change into a finding (undefined when config-loosened is off). */
  configNote(draft: FindingDraft): Finding | undefined;
}

export interface BaseComparison {
  /** Head findings the change introduces (the head's own objects, in report order). */
  introduced: Finding[];
  /** Head findings the change introduces that a suppression comment silences. */
  suppressed: SuppressedFinding[];
  /** Base findings the change fixes, located where they were at REF. */
  fixed: Finding[];
  /** The change's config loosenings (config-loosened). */
  configNotes: Finding[];
  /** Says in a finding's message what the change removed that caused it, with the removed place at REF. */
  explain(finding: Finding): Finding;
}

export async function compareWithBase(input: BaseComparisonInput): Promise<BaseComparison> {
  const { ref } = input.options;
  const baseFiles = readBaseFiles(input);
  const headByKey = new Map(input.headFiles.map((entry) => [fileKey(entry.file.repo, entry.file.path), entry]));
  const toExtract: WorkflowInputFile[] = [];
  const factsOf = new Map<WorkflowInputFile, WorkflowFacts>();
  for (const files of baseFiles.values()) {
    for (const file of files) {
      const same = headByKey.get(fileKey(file.repo, file.path));
      if (same && same.file.text === file.text) factsOf.set(file, same.facts);
      else toExtract.push(file);
    }
  }
  const extracted = await input.extract(toExtract);
  toExtract.forEach((file, index) => factsOf.set(file, extracted[index] as WorkflowFacts));

  const baseScanned = input.scanned.map((repository): ScannedRepository => {
    const files = baseFiles.get(repository.name);
    if (!files) return repository;
    const atBase: ScannedRepository = { name: repository.name, source: repository.source, workflows: files.map((file) => factsOf.get(file) as WorkflowFacts) };
    // Secret names are the repository's, not the revision's.
    if (repository.secrets) atBase.secrets = repository.secrets;
    return atBase;
  });
  const base = input.evaluate(baseScanned);

  const headAll = sortFindings([...input.head.findings, ...input.head.suppressed]);
  const baseAll = sortFindings([...base.findings, ...base.suppressed]);
  const { added, removed } = compareOccurrences(baseAll, headAll);
  const suppressedAtHead = new Set<Finding>(input.head.suppressed);
  return {
    introduced: added.filter((finding) => !suppressedAtHead.has(finding)),
    suppressed: added.filter((finding): finding is SuppressedFinding => suppressedAtHead.has(finding)),
    fixed: removed.map(withoutSuppression),
    configNotes: configNotes(input, ref),
    explain: (finding) => blameOnChange(finding, input.head.identities.get(finding) ?? [], base.index, ref),
  };
}

/** Each local repository in a git checkout, as it is at REF: repository name → its workflow files there. */
function readBaseFiles(input: BaseComparisonInput): Map<string, WorkflowInputFile[]> {
  const { ref } = input.options;
  if (input.local.length === 0) throw new GitError(`--base ${ref} compares local git checkouts with REF, and no PATH is a local repository`);
  const byToplevel = new Map<string, { name: string; prefix: string }[]>();
  for (const repository of input.local) {
    const checkout = gitCheckout(repository.root);
    if (!checkout) continue;
    const group = byToplevel.get(checkout.toplevel) ?? [];
    group.push({ name: repository.name, prefix: checkout.prefix });
    byToplevel.set(checkout.toplevel, group);
  }
  if (byToplevel.size === 0) {
    throw new GitError(`--base ${ref}: no PATH is in a git checkout (${input.local.map((repository) => repository.root).join(', ')}), so there is no revision to compare with`);
  }
  const files = new Map<string, WorkflowInputFile[]>();
  for (const [toplevel, repositories] of byToplevel) {
    const commit = resolveCommit(toplevel, ref);
    const byPrefix = workflowsAtCommit(toplevel, commit, [...new Set(repositories.map((repository) => repository.prefix))]);
    for (const repository of repositories) {
      const atBase = (byPrefix.get(repository.prefix) ?? []).filter((file) => !input.ignored(repository.name, file.path));
      files.set(repository.name, atBase.map((file) => ({ repo: repository.name, path: file.path, text: file.text })));
    }
  }
  return files;
}

/** One config-loosened finding per loosening, in the config file (of the repository that holds it). */
function configNotes(input: BaseComparisonInput, ref: string): Finding[] {
  const comparison = input.configChoice.comparison;
  if (!comparison) return [];
  const changes = configLoosenings(comparison.base, comparison.head, RULES);
  if (changes.length === 0) return [];
  const owner = configOwner(comparison, input.local);
  const text = existsSync(comparison.file) ? readFileSync(comparison.file, 'utf8') : '';
  const name = basename(comparison.file);
  const outcome = comparison.fromBase
    ? `this lint used the config as it is at ${ref} (--config-from-base)`
    : `to keep the check as it is at ${ref}, lint with --config-from-base`;
  const notes: Finding[] = [];
  for (const change of changes) {
    const note = input.configNote({
      location: { repo: owner.repo, path: owner.path, ...positionOfPath(text, change.path) },
      identity: change.identity,
      message: `this change to ${name} ${change.description}; ${outcome}`,
    });
    if (note) notes.push(note);
  }
  return notes;
}

/** The repository a config file belongs to: the scanned one whose folder holds it, else its git checkout's. */
function configOwner(comparison: ConfigComparison, local: { name: string; root: string }[]): { repo: string; path: string } {
  for (const repository of local) {
    const path = relative(repository.root, comparison.file);
    if (path !== '' && !path.startsWith('..') && !isAbsolute(path)) return { repo: repository.name, path: path.split(sep).join('/') };
  }
  const top = comparison.checkout.toplevel;
  return { repo: originRepository(top) ?? `${basename(dirname(top))}/${basename(top)}`, path: `${comparison.checkout.prefix}${basename(comparison.file)}` };
}

function withoutSuppression(finding: Finding): Finding {
  if (!('suppression' in finding)) return finding;
  const { suppression: _suppression, ...plain } = finding as SuppressedFinding;
  return plain;
}

function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(compareFindings);
}

function fileKey(repo: string, path: string): string {
  return `${repo.toLowerCase()}\u0000${path}`;
}
