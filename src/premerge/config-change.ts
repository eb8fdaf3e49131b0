/**
 * A pull request can edit `.dispatch-lint.yml` to switch off the check that gates it. With --base, the config in
 * force is compared with the base's, and each change that lets findings through is named: a rule switched off or
 * lowered, an event declared as sent from or to outside, a repository or file ignored, a limit raised, a canonical
 * token secret changed, declared values or repository names changed. Changes that only tighten the check (a rule
 * raised, an exemption removed) are not reported: nobody games a gate by making it stricter.
 */
import { dirname, relative, resolve, sep } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Config, EventDeclaration } from '../config/config.js';
import type { Position, SeveritySetting } from '../model.js';
import type { Rule } from '../rule.js';

export interface ConfigChange {
  /** Where the change shows in the head config: a key path, [] for the file as a whole. */
  path: (string | number)[];
  /** What the change does, as a clause: "switches off event-without-listener (error at the base)". */
  description: string;
  /** For the finding's fingerprint: what changed, never where. */
  identity: string[];
}

const RANK: Record<SeveritySetting, number> = { off: 0, note: 1, warning: 2, error: 3 };

export function configLoosenings(base: Config, head: Config, rules: readonly Rule[]): ConfigChange[] {
  const changes: ConfigChange[] = [];
  for (const rule of rules) {
    const before = base.rules[rule.id] ?? rule.defaultSeverity;
    const after = head.rules[rule.id] ?? rule.defaultSeverity;
    if (RANK[after] >= RANK[before]) continue;
    changes.push({
      path: ['rules', rule.id],
      description: after === 'off' ? `switches off ${rule.id} (${before} at the base)` : `lowers ${rule.id} from ${before} to ${after}`,
      identity: ['rules', rule.id, after],
    });
  }
  for (const direction of ['fromOutside', 'toOutside'] as const) {
    const known = new Set(base.events[direction].flatMap(declarationKeys));
    head.events[direction].forEach((declaration, index) => {
      for (const type of declaration.types) {
        if (known.has(declarationKey(declaration.repo, type))) continue;
        const exempt = direction === 'fromOutside' ? 'listener-without-sender' : 'event-without-listener and unknown-target-repo';
        changes.push({
          path: ['events', direction, index],
          description: `declares '${type}'${declaration.repo ? ` for ${declaration.repo}` : ''} under events.${direction}, which exempts it from ${exempt}`,
          identity: ['events', direction, declaration.repo?.toLowerCase() ?? '*', type],
        });
      }
    });
  }
  const ignored = new Set(base.ignore);
  head.ignore.forEach((glob, index) => {
    if (!ignored.has(glob)) changes.push({ path: ['ignore', index], description: `ignores '${glob}', which leaves what it matches out of the scan`, identity: ['ignore', glob] });
  });
  if (head.limits.workflowInputs > base.limits.workflowInputs) {
    changes.push({
      path: ['limits', 'workflowInputs'],
      description: `raises limits.workflowInputs from ${base.limits.workflowInputs} to ${head.limits.workflowInputs}`,
      identity: ['limits', 'workflowInputs', String(head.limits.workflowInputs)],
    });
  }
  if (base.token.secret !== undefined && head.token.secret !== base.token.secret) {
    changes.push({
      path: head.token.secret === undefined ? ['token'] : ['token', 'secret'],
      description: head.token.secret === undefined ? `removes token.secret (${base.token.secret} at the base), the name token-secret-drift compares with` : `changes token.secret from ${base.token.secret} to ${head.token.secret}`,
      identity: ['token', head.token.secret ?? ''],
    });
  }
  const baseValues = new Map(base.values.map((entry) => [valuesKey(entry), [...entry.values].sort().join('\u0000')]));
  head.values.forEach((entry, index) => {
    if (baseValues.get(valuesKey(entry)) === [...entry.values].sort().join('\u0000')) return;
    changes.push({
      path: ['values', index],
      description: `declares values for '${entry.expression}'${entry.repo ? ` in ${entry.repo}` : ''} (${entry.values.join(', ')}), which changes what dispatches resolve to`,
      identity: ['values', entry.repo?.toLowerCase() ?? '*', entry.expression, ...[...entry.values].sort()],
    });
  });
  const baseNames = new Map([...base.repos].map(([folder, name]) => [folder, name.toLowerCase()]));
  for (const [folder, name] of head.repos) {
    if (baseNames.get(folder) === name.toLowerCase()) continue;
    // Config keeps the folder resolved; relative to the config file it is what the file most likely says.
    const key = head.file ? relative(dirname(resolve(head.file)), folder).split(sep).join('/') || '.' : folder;
    changes.push({ path: ['repos', key], description: `names the folder ${key} ${name} under repos, which changes what is linted as ${name}`, identity: ['repos', name.toLowerCase()] });
  }
  return changes;
}

function declarationKeys(declaration: EventDeclaration): string[] {
  return declaration.types.map((type) => declarationKey(declaration.repo, type));
}

function declarationKey(repo: string | undefined, type: string): string {
  return `${repo?.toLowerCase() ?? '*'}\u0000${type}`;
}

function valuesKey(entry: Config['values'][number]): string {
  return `${entry.repo?.toLowerCase() ?? '*'}\u0000${entry.expression}`;
}

/**
 * Where a key path is in a YAML text: the key (for a mapping entry) or the item (for a list entry). A path that is
 * not there (a key the change removed) falls back to its nearest ancestor, then to the first line.
 */
export function positionOfPath(text: string, path: readonly (string | number)[]): Position {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const at = (node: Node | null | undefined): Position | undefined => {
    const range = node?.range;
    if (!range) return undefined;
    const start = lineCounter.linePos(range[0]);
    const end = lineCounter.linePos(range[1]);
    return { line: start.line, column: start.col, endLine: end.line, endColumn: end.col };
  };
  let found: Position | undefined;
  let node: unknown = doc.contents;
  for (const segment of path) {
    if (typeof segment === 'number' && isSeq(node)) {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      found = at(item) ?? found;
      node = item;
    } else if (isMap(node)) {
      const pair = node.items.find((candidate) => isScalar(candidate.key) && String(candidate.key.value) === String(segment));
      if (!pair) break;
      found = at(pair.key as Node) ?? found;
      node = pair.value;
    } else break;
  }
  return found ?? { line: 1, column: 1, endLine: 1, endColumn: 1 };
}
