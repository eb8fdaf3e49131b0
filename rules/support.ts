/** Small helpers the rules share: deduplication by location, and naming a dispatch in messages. */
import type { PayloadField, Position, RelatedLocation, Send } from '../src/model.js';

/** A key for "the same place": matrix combinations of one step share positions and should report once. */
export function placeKey(owner: { repo: string; path: string }, position: Position, ...extra: string[]): string {
  const place = `${owner.repo.toLowerCase()}\u0000${owner.path}\u0000${position.line}\u0000${position.column}`;
  return extra.length === 0 ? place : `${place}\u0000${extra.join('\u0000')}`;
}

/** Keeps the first of each key. */
export function uniqueBy<T>(items: Iterable<T>, key: (item: T) => string): T[] {
  // Most workflows have no send, read or field of the kind asked: no Set for them (rules ask once per workflow).
  if (Array.isArray(items) && items.length < 2) return items.slice() as T[];
  const seen = new Set<string>();
  const kept: T[] = [];
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) continue;
    seen.add(k);
    kept.push(item);
  }
  return kept;
}

/** 'deploy' (repository_dispatch) or 'workflow deploy.yml' (workflow_dispatch), as resolved. */
export function describeDispatch(send: Send): string {
  if (send.kind === 'repository_dispatch') return `'${send.eventType?.value ?? send.eventType?.text ?? ''}'`;
  return `workflow '${send.workflow?.value ?? send.workflow?.text ?? ''}'`;
}

export function where(owner: { path: string }, position: Position): string {
  return `${owner.path}:${position.line}`;
}

export function quoteList(values: string[]): string {
  return values.map((value) => `'${value}'`).join(', ');
}

/** The distinct top-level keys of a payload: `a` for both `a` and `a.b` (gh's `client_payload[a][b]=x`). */
export function topLevelKeys(fields: PayloadField[]): string[] {
  return [...new Set(fields.map((field) => field.path[0] as string))];
}

/** workflow_dispatch sends, one per step and resolved target (matrix combinations that agree count once). */
export function distinctWorkflowDispatches(sends: Send[]): Send[] {
  return uniqueBy(
    sends.filter((send) => send.kind === 'workflow_dispatch'),
    (send) => placeKey(send, send.position, send.target.value ?? '', send.workflow?.value ?? ''),
  );
}

/**
 * Where a send written in a loaded file (a composite action, a reusable workflow) is brought in: the caller's
 * `uses:`, where the fix often is (the `with:` or `secrets:` passed). Empty for a send written in its workflow.
 */
export function viaRelated(send: Send): RelatedLocation[] {
  if (!send.via) return [];
  const what = send.via.kind === 'composite' ? 'the composite action is used here' : send.via.kind === 'script' ? 'the script is required here' : 'the reusable workflow is called here';
  return [{ repo: send.repo, path: send.via.path, line: send.via.position.line, column: send.via.position.column, message: what }];
}
