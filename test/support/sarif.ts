/**
 * SARIF validation two ways: the OASIS schema (draft-04, through ajv-draft-04 with ajv-formats for `uri` and
 * `date-time`), and Microsoft's SARIF Multitool with GitHub's ingestion rules (`--rule-kind "Sarif;Gh"`).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { projectRoot } from './lint.js';

export const SARIF_SCHEMA_FILE = join(projectRoot, '..', 'shared', 'schemas', 'sarif-schema-2.1.0.json');
export const MULTITOOL = join(projectRoot, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');
const OFFLINE_CONFIG = join(projectRoot, 'test', 'support', 'multitool-offline.xml');

let validate: ValidateFunction | undefined;

/** The schema's complaints about `log`, as `path: message` lines (none when it is valid). */
export function schemaErrors(log: unknown): string[] {
  if (!validate) {
    // Both packages are CommonJS whose module is also its own `default`, which is what TypeScript sees.
    const ajv = new ajvDraft04.default({ allErrors: true, strict: false });
    ajvFormats.default(ajv);
    validate = ajv.compile(JSON.parse(readFileSync(SARIF_SCHEMA_FILE, 'utf8')) as object);
  }
  const check = validate;
  if (check(log)) return [];
  return (check.errors ?? []).map((error: ErrorObject) => `${error.instancePath || '/'}: ${error.message ?? 'invalid'}`);
}

export const multitoolAvailable = existsSync(MULTITOOL);

export interface MultitoolVerdict {
  status: number | null;
  /** How many files it says it validated. */
  scanned: number;
  /** `file(line,col): error RULE: text` lines. */
  errors: string[];
  /**
   * Warning lines, less the one the offline settings cause: WRN999 says SARIF2006 was disabled on purpose
   * (see multitool-offline.xml), which is about this run, not about the file.
   */
  warnings: string[];
  stdout: string;
}

/**
 * Runs `Sarif.Multitool validate --rule-kind "Sarif;Gh" FILE... -o OUT` (its `-r` does not reach into
 * sub-folders, so every file is named). npm here does not run the package's postinstall, which would make
 * the binary executable, so this does.
 */
export function multitoolValidate(files: string[], output: string): MultitoolVerdict {
  try {
    accessSync(MULTITOOL, constants.X_OK);
  } catch {
    chmodSync(MULTITOOL, 0o755);
  }
  const args = ['validate', '--rule-kind', 'Sarif;Gh', '--config', OFFLINE_CONFIG, ...files, '-o', output, '--log', 'ForceOverwrite'];
  const run = spawnSync(MULTITOOL, args, { encoding: 'utf8' });
  const lines = `${run.stdout}\n${run.stderr}`.split('\n');
  return {
    status: run.status,
    scanned: Number(/Done\. (\d+) files? scanned/.exec(run.stdout)?.[1] ?? 0),
    errors: lines.filter((line) => /: error [A-Z]+\d*/.test(line)),
    warnings: lines.filter((line) => /: warning [A-Z]+\d*/.test(line) && !/WRN999\.RuleExplicitlyDisabled : Rule 'SARIF2006'/.test(line)),
    stdout: run.stdout,
  };
}
