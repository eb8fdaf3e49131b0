/**
 * Writes workflow YAML as text. The generator builds files from lines rather than from objects through a YAML
 * library because real workflows carry comments, block scalars and a human key order, and the linter should be
 * measured on files that look like what people write.
 *
 * Conventions: every helper returns an array of lines indented from column 0; callers indent them into place.
 */

/** @param {string[]} lines @param {number} spaces */
export function indent(lines, spaces) {
  const pad = ' '.repeat(spaces);
  return lines.map((line) => (line === '' ? '' : pad + line));
}

/** A block scalar value: `{ block: '|', lines: [...] }` renders as `key: |` followed by the lines. */
export function block(lines, style = '|') {
  return { block: style, lines };
}

// Strings that YAML would read as something other than a plain string.
const LOOKS_TYPED = /^(?:true|false|yes|no|on|off|null|~|[-+]?\d[\d._]*(?:e[-+]?\d+)?)$/i;
const STARTS_WITH_INDICATOR = /^[-?:,[\]{}#&*!|>'"%@`]/;

/** A string as a plain scalar when YAML reads it back unchanged, single-quoted otherwise. */
export function scalar(value) {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  const needsQuotes =
    value === '' ||
    LOOKS_TYPED.test(value) ||
    STARTS_WITH_INDICATOR.test(value) ||
    value.includes(': ') ||
    value.includes(' #') ||
    value.endsWith(':') ||
    value !== value.trim();
  return needsQuotes ? `'${value.replaceAll("'", "''")}'` : value;
}

/**
 * `key: value` for a scalar, a block scalar, a nested mapping (an array of [key, value] pairs) or a raw
 * pre-rendered value (`{ raw: '[a, b]' }`, for flow sequences written the way people write them).
 */
export function entry(key, value) {
  if (value && typeof value === 'object' && 'block' in value) {
    return [`${key}: ${value.block}`, ...indent(value.lines, 2)];
  }
  if (value && typeof value === 'object' && 'raw' in value) return [`${key}: ${value.raw}`];
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${key}: {}`];
    return [`${key}:`, ...indent(mapping(value), 2)];
  }
  return [`${key}: ${scalar(value)}`];
}

/** A mapping from [key, value] pairs; pairs whose value is undefined are left out. */
export function mapping(pairs) {
  return pairs.filter(([, value]) => value !== undefined).flatMap(([key, value]) => entry(key, value));
}

/** A flow sequence, `[a, b, c]`, as people write short lists of versions or branches. */
export function flowList(items) {
  return { raw: `[${items.map((item) => scalar(item)).join(', ')}]` };
}

/**
 * One step. Fields are written in the order people usually write them. `with` and `env` are [key, value] pairs.
 * `run` is a single line or an array of lines (then a `|` block).
 */
export function step({ name, id, ifExpr, uses, withPairs, env, run, shell, workingDirectory, continueOnError, timeout }) {
  const pairs = [
    ['name', name],
    ['id', id],
    ['if', ifExpr],
    ['uses', uses],
    ['continue-on-error', continueOnError],
    ['timeout-minutes', timeout],
    ['working-directory', workingDirectory],
    ['shell', shell],
    ['with', withPairs],
    ['env', env],
    ['run', Array.isArray(run) ? block(run) : run],
  ];
  const lines = mapping(pairs);
  return [`- ${lines[0]}`, ...indent(lines.slice(1), 2)];
}

/** One job, with its steps (each an array of lines from `step`). */
export function job(id, { name, runsOn = 'ubuntu-latest', needs, ifExpr, environment, permissions, timeout, strategy, services, outputs, env, steps, comment }) {
  const head = mapping([
    ['name', name],
    ['needs', needs],
    ['if', ifExpr],
    ['runs-on', runsOn],
    ['environment', environment],
    ['timeout-minutes', timeout],
    ['permissions', permissions],
  ]);
  const body = [
    ...(strategy ? ['strategy:', ...indent(strategy, 2)] : []),
    ...(services ? ['services:', ...indent(services, 2)] : []),
    ...mapping([
      ['outputs', outputs],
      ['env', env],
    ]),
    'steps:',
    ...indent(steps.flat(), 2),
  ];
  const commentLines = comment ? comment.map((text) => `# ${text}`) : [];
  return [...commentLines, `${id}:`, ...indent([...head, ...body], 2)];
}

/**
 * A whole workflow file. `on` is an array of lines (the trigger mapping); jobs are arrays of lines from `job`.
 * Jobs are separated by blank lines, as most hand-written workflows are.
 */
export function workflowFile({ comments = [], name, runName, on, permissions, env, concurrency, defaults, jobs }) {
  const lines = [
    ...comments.map((text) => (text === '' ? '#' : `# ${text}`)),
    ...(comments.length ? [''] : []),
    ...mapping([
      ['name', name],
      ['run-name', runName],
    ]),
    '',
    'on:',
    ...indent(on, 2),
    '',
    ...(permissions ? [...entry('permissions', permissions), ''] : []),
    ...(concurrency ? [...entry('concurrency', concurrency), ''] : []),
    ...(env ? [...entry('env', env), ''] : []),
    ...(defaults ? [...entry('defaults', defaults), ''] : []),
    'jobs:',
    ...withUniqueJobIds(jobs).flatMap((jobLines, index) => [...(index ? [''] : []), ...indent(jobLines, 2)]),
  ];
  return lines.join('\n') + '\n';
}

const JOB_ID_LINE = /^([a-z][\w-]*):$/;

/** Renames a repeated job id (`label`, `label-2`): two housekeeping jobs of one kind would be a duplicate key. */
function withUniqueJobIds(jobs) {
  const seen = new Set();
  return jobs.map((jobLines) => {
    const index = jobLines.findIndex((line) => JOB_ID_LINE.test(line));
    const id = jobLines[index].slice(0, -1);
    let unique = id;
    for (let n = 2; seen.has(unique); n++) unique = `${id}-${n}`;
    seen.add(unique);
    return unique === id ? jobLines : jobLines.map((line, i) => (i === index ? `${unique}:` : line));
  });
}

/** A `${{ }}` expression, so call sites read as what they mean. */
export function expr(text) {
  return '${{ ' + text + ' }}';
}
