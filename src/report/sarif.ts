/**
 * SARIF 2.1.0 as GitHub code scanning ingests it: one run, every rule with its doc page, one result per finding.
 *
 * Code scanning can only show an alert on a file of the repository that uploads the SARIF, so the output is
 * scoped to one repository (`context.sarifRepo`): the results located there, with URIs relative to its root.
 * A finding's other places in that repository are `relatedLocations`, linked from the message as `[text](id)`
 * (the only way GitHub links them); places in other repositories are named in the message with a link to the
 * file on GitHub. Scope `*` keeps every repository, each under its own uriBaseId, for viewers and tools.
 *
 * The project's fingerprint goes under its own key: GitHub computes `primaryLocationLineHash` itself and warns
 * when a tool supplies a different one.
 */
import { gzipSync } from 'node:zlib';
import { FINGERPRINT_KEY, occurrenceKeys } from '../fingerprint.js';
import { compareStrings } from '../graph/index.js';
import type { Finding, Location, RelatedLocation, Report } from '../model.js';
import { PROJECT_URL } from '../util/package-root.js';
import type { FormatContext, RuleInfo } from './context.js';
import { encodePath } from './links.js';
import { SEVERITY_RANK } from './words.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** Every repository's results in one file (not uploadable to code scanning as it is). */
export const ALL_REPOSITORIES = '*';

/** GitHub's limits on an upload: results it keeps per run, locations it keeps per result, size gzipped. */
export const SARIF_LIMITS = { results: 5_000, relatedLocations: 100, gzippedBytes: 10 * 1024 * 1024 };

const SCOPE_BASE_ID = '%SRCROOT%';

export function formatSarif(report: Report, context: FormatContext): string {
  const keys = occurrenceKeys(report.findings);
  const everything = context.sarifRepo === ALL_REPOSITORIES;
  const inScope = (repo: string) => everything || repo.toLowerCase() === context.sarifRepo.toLowerCase();
  const located = report.findings.map((finding, index) => ({ finding, key: keys[index] as string })).filter(({ finding }) => inScope(finding.location.repo));
  let kept = keepWithinResultLimit(located, context);

  const bases = new UriBases(everything ? undefined : context.sarifRepo);
  const ruleIndex = new Map(context.rules.map((rule, index) => [rule.id, index]));
  const build = (entries: typeof kept) => {
    const results = entries.map(({ finding, key }) => result(finding, key, ruleIndex.get(finding.rule), { inScope, bases, context }));
    return `${JSON.stringify(sarifLog(report, context, bases, results), null, 2)}\n`;
  };
  let text = build(kept);
  // Rarely reached (5,000 results are about 1 MB gzipped), so simply drop the least severe tenth until it fits;
  // a text no longer than the limit cannot be over it gzipped, and needs no gzip to tell.
  while (kept.length > 0 && Buffer.byteLength(text) > SARIF_LIMITS.gzippedBytes && gzipSync(text).length > SARIF_LIMITS.gzippedBytes) {
    const fewer = Math.floor(kept.length * 0.9);
    context.warn(`sarif: over ${SARIF_LIMITS.gzippedBytes / 1024 / 1024} MB gzipped, GitHub's upload limit: left out ${kept.length - fewer} more results, the least severe`);
    kept = mostSevere(kept, fewer);
    text = build(kept);
  }
  return text;
}

/**
 * The repository a SARIF file is for: `--sarif-repo`, else inside Actions the repository being built, else
 * the only scanned repository, else every repository (`*`).
 */
export function defaultSarifRepo(report: Report, env: NodeJS.ProcessEnv): string {
  if (env.GITHUB_ACTIONS === 'true' && env.GITHUB_REPOSITORY) return env.GITHUB_REPOSITORY;
  if (report.repos.length === 1) return (report.repos[0] as { name: string }).name;
  return ALL_REPOSITORIES;
}

/** One SARIF text per scanned repository, scoped to it, by `OWNER/NAME`; one without results closes fixed alerts. */
export function sarifPerRepository(report: Report, context: FormatContext): Map<string, string> {
  return new Map(report.repos.map((repo) => [repo.name, formatSarif(report, { ...context, sarifRepo: repo.name })]));
}

/** What a file of this scope leaves out, or why it cannot be uploaded as it is; undefined when neither. */
export function sarifScopeNote(report: Report, scope: string): string | undefined {
  if (scope === ALL_REPOSITORIES) {
    const repos = new Set(report.findings.map((finding) => finding.location.repo.toLowerCase()));
    return repos.size > 1 ? `the SARIF holds results of ${repos.size} repositories; code scanning shows only the uploading repository's, so upload with --sarif-repo OWNER/NAME or --sarif-dir DIR` : undefined;
  }
  const outside = report.findings.filter((finding) => finding.location.repo.toLowerCase() !== scope.toLowerCase()).length;
  return outside > 0 ? `the SARIF holds the results located in ${scope}; ${outside} located in other repositories are left out (--sarif-dir writes one file per repository)` : undefined;
}

interface Entry {
  finding: Finding;
  key: string;
}

function keepWithinResultLimit(entries: Entry[], context: FormatContext): Entry[] {
  const limit = SARIF_LIMITS.results;
  if (entries.length <= limit) return entries;
  const kept = mostSevere(entries, limit);
  const left = new Set(entries);
  for (const entry of kept) left.delete(entry);
  const counts = (['error', 'warning', 'note'] as const).map((severity) => [severity, [...left].filter((entry) => entry.finding.severity === severity).length] as const).filter(([, count]) => count > 0);
  context.warn(`sarif: ${entries.length} results, more than the ${limit} code scanning keeps: left out ${left.size} (${counts.map(([severity, count]) => `${count} ${severity}${count === 1 ? '' : 's'}`).join(', ')}); the JSON report has them all`);
  return kept;
}

/** The `count` most severe entries, in their report order. */
function mostSevere(entries: Entry[], count: number): Entry[] {
  const order = new Map(entries.map((entry, index) => [entry, index]));
  const chosen = new Set([...entries].sort((a, b) => SEVERITY_RANK[a.finding.severity] - SEVERITY_RANK[b.finding.severity] || (order.get(a) as number) - (order.get(b) as number)).slice(0, count));
  return entries.filter((entry) => chosen.has(entry));
}

/** One uriBaseId per repository: `%SRCROOT%` for the scoped repository, the repository's name otherwise. */
class UriBases {
  private readonly used = new Map<string, string>();
  constructor(private readonly scope: string | undefined) {
    if (scope) this.idFor(scope);
  }

  idFor(repo: string): string {
    const key = repo.toLowerCase();
    if (!this.used.has(key)) this.used.set(key, repo);
    return this.scope !== undefined && key === this.scope.toLowerCase() ? SCOPE_BASE_ID : (this.used.get(key) as string);
  }

  /** In name order, so the output does not depend on which result named a repository first. */
  repositories(): string[] {
    return [...this.used.values()].sort((a, b) => compareStrings(a.toLowerCase(), b.toLowerCase()));
  }
}

interface ResultContext {
  inScope(repo: string): boolean;
  bases: UriBases;
  context: FormatContext;
}

function result(finding: Finding, key: string, ruleIndex: number | undefined, { inScope, bases, context }: ResultContext) {
  const related: object[] = [];
  const mentions: string[] = [];
  for (const place of finding.related ?? []) {
    if (inScope(place.repo) && related.length < SARIF_LIMITS.relatedLocations) {
      const id = related.length + 1;
      related.push({ id, physicalLocation: physicalLocation(place, bases), message: { text: place.message } });
      mentions.push(`[${escapeLinkText(`${place.message} (${placeName(place, finding)})`)}](${id})`);
    } else {
      mentions.push(`${escapeLinks(place.message)} (${placeName(place, finding)}: ${context.links.blobUrl(place.repo, place.path, place.line)})`);
    }
  }
  const text = `${sentence(escapeLinks(finding.message))}${mentions.length > 0 ? ` Related: ${mentions.join('; ')}.` : ''}`;
  return {
    ruleId: finding.rule,
    ...(ruleIndex === undefined ? {} : { ruleIndex }),
    level: finding.severity,
    message: { text },
    locations: [{ physicalLocation: physicalLocation(finding.location, bases) }],
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: key },
  };
}

/** `path:line`, after the repository's name when it is not the finding's own. */
function placeName(place: RelatedLocation, finding: Finding): string {
  const sameRepo = place.repo.toLowerCase() === finding.location.repo.toLowerCase();
  return `${sameRepo ? '' : `${place.repo} `}${place.path}:${place.line}`;
}

function physicalLocation(place: Location | RelatedLocation, bases: UriBases) {
  const region: Record<string, number> = { startLine: place.line, startColumn: place.column };
  if ('endLine' in place && (place.endLine > place.line || (place.endLine === place.line && place.endColumn >= place.column))) {
    region.endLine = place.endLine;
    region.endColumn = place.endColumn;
  }
  return { artifactLocation: { uri: encodePath(place.path), uriBaseId: bases.idFor(place.repo) }, region };
}

function sarifLog(report: Report, context: FormatContext, bases: UriBases, results: object[]) {
  const repositories = bases.repositories();
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: PROJECT_URL,
            rules: context.rules.map(ruleDescriptor),
          },
        },
        versionControlProvenance: repositories.map((repo) => {
          const ref = context.links.refFor(repo);
          const branch = context.links.branchFor(repo);
          return {
            repositoryUri: context.links.repoUrl(repo),
            ...(ref === 'HEAD' ? {} : { revisionId: ref }),
            ...(branch ? { branch } : {}),
            mappedTo: { uriBaseId: bases.idFor(repo) },
          };
        }),
        originalUriBaseIds: Object.fromEntries(
          repositories.map((repo) => [bases.idFor(repo), { uri: `${context.links.blobUrl(repo, '')}`, description: { text: `The root of the repository ${repo}.` } }]),
        ),
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

function ruleDescriptor(rule: RuleInfo) {
  const properties: Record<string, unknown> = { tags: rule.security ? ['security', ...rule.security.cwe] : ['correctness'] };
  if (rule.security) {
    properties['security-severity'] = rule.security.severity.toFixed(1);
    properties.precision = rule.security.precision;
  }
  return {
    id: rule.id,
    name: rule.id.replace(/(^|-)([a-z])/g, (_, __, letter: string) => letter.toUpperCase()),
    shortDescription: { text: sentence(capitalise(rule.description)) },
    fullDescription: { text: rule.fullDescription },
    helpUri: rule.docsUrl,
    help: { text: rule.helpText, markdown: rule.help },
    defaultConfiguration: { level: rule.defaultSeverity },
    properties,
  };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/**
 * In SARIF message text `[text](id)` is a link; a literal bracket pair that would read as one is escaped with
 * `\` (SARIF 2.1.0, 3.11.6). Text with no such pattern is left as it is, so GitHub shows it unchanged.
 */
function escapeLinks(text: string): string {
  return /\[[^\]]*\]\(/.test(text) ? text.replace(/[[\]]/g, (bracket) => `\\${bracket}`) : text;
}

function escapeLinkText(text: string): string {
  return text.replace(/[[\]]/g, (bracket) => `\\${bracket}`);
}
