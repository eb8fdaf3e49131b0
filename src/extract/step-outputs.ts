/**
 * Where a step's (or a job's) output comes from, so that a payload filled from `steps.commit.outputs.message`
 * is known to carry a commit message. Outsider text enters a workflow through the event (its context, its file)
 * and through commit text; what a step computes otherwise is the repository's own code and taken as trusted. A `run:` step's outputs are the lines it writes to `$GITHUB_OUTPUT`
 * (`echo "name=value" >> "$GITHUB_OUTPUT"`, `name<<EOF` blocks, the old `::set-output name=x::`); their values
 * are followed through the script's own variables (`MSG=$(git log -1 --pretty=%s)`). An action's outputs are
 * computed by the action, which is taken as trusted (said in payload-injection's docs); a job's outputs are
 * followed to the step outputs they name.
 */
import type { ValueOrigin } from '../model.js';
import { originOfText, worstOrigin, type OriginContext } from './value-origin.js';

export interface StepSource {
  id: string;
  run?: string;
  uses?: string;
}

export interface JobSource {
  steps: StepSource[];
  /** `outputs:` of the job: name → the text it is set to (`${{ steps.x.outputs.y }}`). */
  outputs: Map<string, string>;
}

/** `git log` / `git show` formats that print text a commit's author wrote. */
const AUTHOR_TEXT_FORMAT = /%(?:s|b|B|f|an|ae|aN|aE|cn|ce|cN|cE|N|d|D|(?:\(trailers))/;
const COMMIT_TEXT_COMMAND = /\bgit\s+(?:log|show|rev-list|for-each-ref|cat-file)\b/;

/** The origin of output `name` of step `id` among `steps`, or undefined when no such step is known. */
export function stepOutputOrigin(steps: StepSource[], id: string, name: string, context: OriginContext, depth: number): ValueOrigin | undefined {
  const step = steps.find((candidate) => candidate.id.toLowerCase() === id.toLowerCase());
  if (!step) return undefined;
  const written = `steps.${id}.outputs.${name}`;
  if (step.uses !== undefined) return { trust: 'trusted', source: `${written}, computed by ${step.uses.split('@')[0]}` };
  if (step.run === undefined) return { trust: 'unknown', source: written };
  const values = outputValues(step.run, name);
  // Set by code the step runs (a script file, `core.setOutput`): the repository's own code, taken as trusted.
  if (values.length === 0) return { trust: 'trusted', source: written };
  const origin = worstOrigin(values.map((value) => originOfScriptValue(value, step.run as string, context, depth)));
  return origin.trust === 'trusted' ? { trust: 'trusted', source: written } : { ...origin, source: `${origin.source}, through ${written}` };
}

/** The origin of output `name` of job `id`, through the step output its `outputs:` names. */
export function jobOutputOrigin(jobs: Map<string, JobSource>, id: string, name: string, context: OriginContext, depth: number): ValueOrigin | undefined {
  const job = [...jobs].find(([jobId]) => jobId.toLowerCase() === id.toLowerCase())?.[1];
  const text = job ? [...job.outputs].find(([output]) => output.toLowerCase() === name.toLowerCase())?.[1] : undefined;
  if (!job || text === undefined) return undefined;
  const origin = originOfText(text, false, { ...context, steps: job.steps }, depth + 1);
  const written = `needs.${id}.outputs.${name}`;
  return origin.trust === 'trusted' ? { trust: 'trusted', source: `${written}, from ${origin.source}` } : { ...origin, source: `${origin.source}, through ${written}` };
}

/** Every value a script writes for output `name`. */
export function outputValues(script: string, name: string): string[] {
  const values: string[] = [];
  const lines = script.split('\n');
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const assignment = new RegExp(`(?:^|[\\s"'])${escaped}=(.*)$`);
  const heredoc = new RegExp(`(?:^|[\\s"'])${escaped}<<\\s*['"]?([A-Za-z_][\\w-]*)`);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const setOutput = new RegExp(`::set-output name=${escaped}::(.*)$`).exec(line);
    if (setOutput) values.push(stripQuotes(setOutput[1] as string));
    const block = heredoc.exec(line);
    if (block) {
      const end = lines.findIndex((candidate, at) => at > i && candidate.trim() === block[1]);
      // Written to $GITHUB_OUTPUT on the line itself, or by a `{ ... } >> "$GITHUB_OUTPUT"` group around the block.
      if (!/GITHUB_OUTPUT/.test(lines.slice(i, end < 0 ? undefined : end + 2).join('\n'))) continue;
      const body = lines.slice(i + 1, end < 0 ? undefined : end).join('\n');
      // The block's lines are text, or (in a `{ ...; } >> "$GITHUB_OUTPUT"` group) commands whose output it is.
      values.push(body, `$(${body.replace(/[()]/g, ' ')})`);
      continue;
    }
    if (!/GITHUB_OUTPUT/.test(lines.slice(i, i + 3).join('\n'))) continue;
    const match = assignment.exec(line);
    if (match) values.push(stripQuotes((match[1] as string).replace(/\s*(?:>>|\|\s*tee\b).*$/, '')));
  }
  return values;
}

/** A value in a script: its expressions and variables, the variables followed to their assignments in the script. */
function originOfScriptValue(value: string, script: string, context: OriginContext, depth: number): ValueOrigin {
  if (depth > 4) return { trust: 'unknown', source: `\`${value}\`` };
  const origins: ValueOrigin[] = [commandOrigin(value)];
  const rest: string[] = [];
  for (const match of value.matchAll(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|([A-Za-z_][A-Za-z0-9_]*))/g)) {
    const variable = (match[1] ?? match[2]) as string;
    const assigned = scriptAssignments(script, variable);
    if (assigned.length === 0) {
      rest.push(match[0]);
      continue;
    }
    const origin = worstOrigin(assigned.map((text) => originOfScriptValue(text, script, context, depth + 1)));
    origins.push(origin.trust === 'trusted' ? origin : { ...origin, source: `${origin.source}, through $${variable}` });
  }
  // What is left: `${{ }}` expressions and the step's env, as anywhere else.
  const withoutCommands = value.replace(/\$\([^)]*\)|`[^`]*`/g, '');
  origins.push(originOfText(withoutCommands.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|([A-Za-z_][A-Za-z0-9_]*))/g, (text) => (rest.includes(text) ? text : '')), true, context, depth + 1));
  return worstOrigin(origins);
}

/** A command substitution's origin: a commit's text for `git log --pretty=%s`, unknown for anything else. */
export function commandOrigin(value: string): ValueOrigin {
  const commands = [...value.matchAll(/\$\(([^)]*)\)|`([^`]*)`/g)].map((match) => (match[1] ?? match[2]) as string);
  const origins = commands.map((command): ValueOrigin => {
    if (COMMIT_TEXT_COMMAND.test(command) && AUTHOR_TEXT_FORMAT.test(command)) return { trust: 'outsider', source: `a commit's message or author (\`${command.trim()}\`)` };
    // The event file holds pull request titles, comments and commit messages: a read of it is untrusted text.
    if (/GITHUB_EVENT_PATH|github\.event_path/.test(command)) return { trust: 'outsider', source: `the event file (\`${command.trim().slice(0, 60)}\`)` };
    // Anything else the step computes is the repository's own code: taken as trusted.
    return { trust: 'trusted', source: `the output of \`${command.trim().slice(0, 40)}\`` };
  });
  return worstOrigin(origins);
}

/** The texts a script assigns to `variable` (`VAR=x`, `export VAR="$(...)"`, `local VAR=...`). */
function scriptAssignments(script: string, variable: string): string[] {
  const pattern = new RegExp(`(?:^|[;&|]\\s*|\\b(?:export|local|declare|readonly)\\s+)${variable}=("(?:[^"\\\\]|\\\\.)*"|'[^']*'|\\$\\((?:[^()]|\\([^()]*\\))*\\)|\\S*)`, 'gm');
  return [...script.matchAll(pattern)].map((match) => stripQuotes(match[1] as string));
}

function stripQuotes(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length >= 2 && (trimmed[0] === '"' || trimmed[0] === "'") && trimmed[trimmed.length - 1] === trimmed[0]) return trimmed.slice(1, -1);
  return trimmed.replace(/^["']|["']$/g, '');
}
