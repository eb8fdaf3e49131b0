/**
 * The config file (`.dispatch-lint.yml`): found from the current folder upward, read as YAML, validated
 * against the JSON Schema the package ships (schemas/config.schema.json), and turned into the settings
 * the engine uses. An invalid file is a usage error: the caller exits 2 with the message.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
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
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: false }) ?? {};
  } catch (error) {
    throw new ConfigError(`${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const validate = schemaValidator();
  if (!validate(data)) throw new ConfigError(`${file}: ${describeSchemaErrors(validate.errors ?? [])}`);
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
    const ajv = new Ajv({ allErrors: true, strict: true });
    validator = ajv.compile(JSON.parse(readFileSync(configSchemaPath(), 'utf8')) as object);
  }
  return validator;
}

export function configSchemaPath(): string {
  return join(packageRoot(), 'schemas', 'config.schema.json');
}

/** One line naming each bad key, e.g. `rules.event-without-listenr: unknown rule id`. */
function describeSchemaErrors(errors: ErrorObject[]): string {
  const lines = new Set<string>();
  for (const error of errors) {
    const where = error.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(top level)';
    if (error.keyword === 'additionalProperties') {
      lines.add(`${where === '(top level)' ? '' : `${where}.`}${String(error.params.additionalProperty)}: unknown key`);
    } else if (error.keyword === 'propertyNames') {
      lines.add(`${where}.${String(error.params.propertyName)}: not a rule id (see \`dispatch-lint rules\`)`);
    } else if (error.keyword === 'enum' && error.propertyName === undefined) {
      lines.add(`${where}: must be one of ${(error.params.allowedValues as string[]).join(', ')}`);
    } else if (error.keyword !== 'enum' && error.keyword !== 'if') {
      lines.add(`${where}: ${error.message ?? 'invalid'}`);
    }
  }
  return `invalid config: ${[...lines].join('; ')}`;
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
