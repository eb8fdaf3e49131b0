/**
 * Resolves the shell variables a `run:` script sets itself (extract/shell-scope.ts finds them): each
 * combination of their values is one scope, in which a send's target, event type and payload are resolved.
 */
import type { RawBinding, RawValueFilter } from '../extract/raw-send.js';
import { resolveText, type Scope } from './resolver.js';

/**
 * The scopes of every combination of values the bindings give, each binding resolved in the scope of those
 * before it; undefined when there are more than `limit`. A binding with no values (only known at
 * run time) removes its variable, so that whatever reads it stays unresolved.
 */
export function bindingScopes(bindings: RawBinding[], scope: Scope, limit: number): Scope[] | undefined {
  let scopes = [scope];
  for (const binding of bindings) {
    const next: Scope[] = [];
    for (const outer of scopes) {
      const values = binding.values ? bindingValues(binding, outer, limit) : undefined;
      if (values === undefined) next.push(withoutVariables(outer, [binding.name]));
      else for (const value of values) next.push({ ...outer, shellEnv: { ...outer.shellEnv, [binding.name]: value } });
      if (next.length > limit) return undefined;
    }
    scopes = next;
  }
  return scopes;
}

/** The values of a binding in a scope, split as bash splits them and kept only where its filters pass. */
function bindingValues(binding: RawBinding, scope: Scope, limit: number): string[] | undefined {
  const values: string[] = [];
  for (const source of binding.values ?? []) {
    // Past the limit the caller gives up anyway: stop before resolving a long list in full.
    if (values.length > limit) break;
    const texts = resolveText(source.text, scope, { shell: source.expand });
    if (!texts) return undefined;
    for (const text of texts) {
      if (source.split === 'none') values.push(text);
      else if (source.split === 'words') values.push(...text.split(/[ \t\n]+/).filter((word) => word !== ''));
      else values.push(...text.split('\n').map((line) => line.trim()).filter((line) => line !== ''));
    }
  }
  const kept: string[] = [];
  for (const value of values) {
    const passes = passesFilters(value, binding.filters ?? []);
    if (passes === undefined) return undefined;
    if (passes) kept.push(value);
  }
  return [...new Set(kept)];
}

function passesFilters(value: string, filters: RawValueFilter[]): boolean | undefined {
  for (const filter of filters) {
    const anyOf = filter.anyOf?.map(matchesGlob(value));
    const noneOf = filter.noneOf?.map(matchesGlob(value));
    if (anyOf?.includes(undefined) || noneOf?.includes(undefined)) return undefined;
    if (anyOf && !anyOf.includes(true)) return false;
    if (noneOf?.includes(true)) return false;
  }
  return true;
}

/** Whether a value matches a bash glob (`*`, `?`, `[...]`, `\x`); undefined for extended globs. */
function matchesGlob(value: string): (glob: string) => boolean | undefined {
  return (glob) => {
    let source = '';
    for (let i = 0; i < glob.length; i++) {
      const ch = glob.charAt(i);
      if (ch === '\\') source += escapeRegExp(glob.charAt(++i));
      else if (ch === '*') source += '[\\s\\S]*';
      else if (ch === '?') source += '[\\s\\S]';
      else if (ch === '[') {
        const close = glob.indexOf(']', i + 2);
        if (close < 0) source += '\\[';
        else {
          const body = glob.slice(i + 1, close).replace(/^[!^]/, '^').replace(/\\/g, '\\\\');
          source += `[${body}]`;
          i = close;
        }
      } else if ('()|'.includes(ch) && /[?*+@!]\(/.test(glob)) return undefined;
      else source += escapeRegExp(ch);
    }
    try {
      return new RegExp(`^${source}$`).test(value);
    } catch {
      return undefined;
    }
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function withoutVariables(scope: Scope, names: string[]): Scope {
  const shellEnv = { ...scope.shellEnv };
  for (const name of names) delete shellEnv[name];
  return { ...scope, shellEnv };
}

