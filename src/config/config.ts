/**
 * The config file (`.dispatch-lint.yml`): found from the current folder upward, read as YAML, validated
 * against the JSON Schema the package ships (schemas/config.schema.json), and turned into the settings
 * the engine uses. An invalid file is a usage error: the caller exits 2 with the message.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { Ajv, ErrorObject } from 'ajv';
import picomatch from 'picomatch';
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { SeveritySetting } from '../model.js';
import { packageRoot } from '../util/package-root.js';

export interface EventDeclaration {
  repo?: string;
  types: string[];
}

export interface Config {
  /** The file it came from, if any. */
  file?: string;
  rules: Record<string, SeveritySetting>;
  /** Absolute folder → owner/name. */
  repos: Map<string, string>;
  token: { secret?: string };
  events: { fromOutside: EventDeclaration[]; toOutside: EventDeclaration[] };
  values: { expression: string; repo?: string; values: string[] }[];
  ignore: string[];
  limits: { workflowInputs: number };
}

export class ConfigError extends Error {}

export const CONFIG_FILE_NAMES = ['.dispatch-lint.yml', '.dispatch-lint.yaml', join('.github', 'dispatch-lint.yml')];
const DEFAULT_WORKFLOW_INPUTS = 25;

export function defaultConfig(): Config {
  return { rules: {}, repos: new Map(), token: {}, events: { fromOutside: [], toOutside: [] }, values: [], ignore: [], limits: { workflowInputs: DEFAULT_WORKFLOW_INPUTS } };
}

/** The config file named on the command line, or the nearest one from `cwd` upward; undefined if none. */
export function findConfigFile(cwd: string): string | undefined {
  let folder = resolve(cwd);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(folder, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}

export function loadConfig(file: string): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return configFromText(text, file);
}

/** A config file's text as it is somewhere else than on disk (at a git revision, for --base), named `file`. */
export function configFromText(text: string, file: string): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const { line, col } = lineCounter.linePos(yamlError.pos[0]);
    throw new ConfigError(`${file}:${line}:${col}: not valid YAML: ${yamlError.message.split('\n')[0]}`);
  }
  const data: unknown = doc.toJS() ?? {};
  const validate = schemaValidator();
  if (!validate(data)) throw new ConfigError(describeSchemaErrors(validate.errors ?? [], file, doc, lineCounter));
  return fromValidData(data as RawConfig, dirname(resolve(file)), file);
}

interface RawConfig {
  rules?: Record<string, SeveritySetting>;
  repos?: Record<string, string>;
  token?: { secret?: string };
  events?: { fromOutside?: EventDeclaration[]; toOutside?: EventDeclaration[] };
  values?: Config['values'];
  ignore?: string[];
  limits?: { workflowInputs?: number };
}

function fromValidData(raw: RawConfig, folder: string, file: string): Config {
  const config = defaultConfig();
  config.file = file;
  config.rules = { ...(raw.rules ?? {}) };
  for (const [path, name] of Object.entries(raw.repos ?? {})) config.repos.set(resolve(folder, path), name);
  if (raw.token?.secret) config.token.secret = raw.token.secret;
  config.events.fromOutside = raw.events?.fromOutside ?? [];
  config.events.toOutside = raw.events?.toOutside ?? [];
  config.values = raw.values ?? [];
  config.ignore = raw.ignore ?? [];
  config.limits.workflowInputs = raw.limits?.workflowInputs ?? DEFAULT_WORKFLOW_INPUTS;
  return config;
}

let validator: ReturnType<Ajv['compile']> | undefined;

function schemaValidator(): ReturnType<Ajv['compile']> {
  if (!validator) {
    // Loaded here, when there is a config file to check: most lints have none, and ajv is slow to load.
    const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    const ajv = new AjvClass({ allErrors: true, strict: true, verbose: true });
    validator = ajv.compile(JSON.parse(readFileSync(configSchemaPath(), 'utf8')) as object);
  }
  return validator;
}

export function configSchemaPath(): string {
  return join(packageRoot(), 'schemas', 'config.schema.json');
}

/**
 * One line per bad key, with where it is written: `FILE:2:3: invalid config: rules.event-without-listenr: not
 * a rule id`. Keys that are not plain words are quoted (`repos["./a"]`), never shown JSON-pointer-escaped.
 */
function describeSchemaErrors(errors: ErrorObject[], file: string, doc: Document, lineCounter: LineCounter): string {
  const lines = new Map<string, string>();
  for (const error of errors) {
    const path = error.instancePath.split('/').slice(1).map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
    let key: string[] = path;
    let problem: string | undefined;
    if (error.keyword === 'additionalProperties') {
      key = [...path, String(error.params.additionalProperty)];
      problem = 'unknown key';
    } else if (error.keyword === 'propertyNames') {
      key = [...path, String(error.params.propertyName)];
      problem = 'not a rule id (see `dispatch-lint rules`)';
    } else if (error.keyword === 'enum' && error.propertyName === undefined) {
      problem = `must be one of ${(error.params.allowedValues as string[]).join(', ')}`;
    } else if (error.keyword === 'pattern' && String(error.params.pattern).includes('/[A-Za-z0-9_.-]+$')) {
      problem = `must be a repository as owner/name, got '${String(error.data)}'`;
    } else if (error.keyword !== 'enum' && error.keyword !== 'if') {
      problem = error.message ?? 'invalid';
    }
    if (!problem) continue;
    const where = positionOfKey(doc, lineCounter, path, key.length > path.length ? key[key.length - 1] : undefined);
    const text = `${file}${where}: invalid config: ${formatKey(key)}: ${problem}`;
    lines.set(text, text);
  }
  const byPosition = (text: string) => (/^.*?:(\d+):(\d+): invalid config/.exec(text) ?? []).slice(1).map(Number);
  return [...lines.values()].sort((a, b) => (byPosition(a)[0] ?? 0) - (byPosition(b)[0] ?? 0) || (byPosition(a)[1] ?? 0) - (byPosition(b)[1] ?? 0)).join('\n');
}

/** `rules.x`, `repos["./a"]`, `values[0].repo`. */
function formatKey(path: string[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((segment, index) => (/^\d+$/.test(segment) ? `[${segment}]` : /^[A-Za-z_][\w-]*$/.test(segment) ? `${index === 0 ? '' : '.'}${segment}` : `[${JSON.stringify(segment)}]`)).join('');
}

/** `:line:column` of a config key (the key itself when `childKey` names one below `path`), or ''. */
function positionOfKey(doc: Document, lineCounter: LineCounter, path: string[], childKey: string | undefined): string {
  const keys = path.map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  const node = keys.length === 0 ? doc.contents : doc.getIn(keys, true);
  let range = isNode(node) ? node.range : undefined;
  if (childKey !== undefined && isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === childKey);
    if (pair && isNode(pair.key) && pair.key.range) range = pair.key.range;
  }
  if (!range) return '';
  const { line, col } = lineCounter.linePos(range[0]);
  return `:${line}:${col}`;
}

/** Whether an event declaration covers `repo` and `type`. */
export function declares(declarations: EventDeclaration[], repo: string, type: string): boolean {
  return declarations.some((declaration) => (declaration.repo === undefined || matchesRepo(declaration.repo, repo)) && declaration.types.includes(type));
}

export function matchesRepo(pattern: string, repo: string): boolean {
  return picomatch.isMatch(repo, pattern, { nocase: true });
}

/** Declared values for an expression in a repository, normalised as the resolver normalises. */
export function declaredValues(config: Config): (repo: string, expression: string) => string[] | undefined {
  const entries = config.values.map((entry) => ({ ...entry, expression: entry.expression.replace(/^\$\{\{\s*|\s*\}\}$/g, '').replace(/\s+/g, ' ').trim() }));
  return (repo, expression) => {
    const found = entries.filter((entry) => entry.expression === expression && (entry.repo === undefined || matchesRepo(entry.repo, repo)));
    return found.length > 0 ? [...new Set(found.flatMap((entry) => entry.values))] : undefined;
  };
}

/** A predicate for the config's `ignore` globs over `owner/name` and `owner/name/path`. */
export function ignoreMatcher(config: Config): (repo: string, path?: string) => boolean {
  if (config.ignore.length === 0) return () => false;
  const match = picomatch(config.ignore, { nocase: true, dot: true });
  return (repo, path) => match(repo) || (path !== undefined && match(`${repo}/${path}`));
}
