/**
 * What a bash script does to its own variables, as far as the values a send reads depend on it.
 *
 * The shell reader (shell.ts) tells this module where each command sits (loop bodies, branches, subshells:
 * `Block`s), which names each command assigns, and which loops bind a name once per iteration. From that it
 * answers, for every `$NAME` a send reads, which values the script gives NAME at the send:
 * - the values of the innermost enclosing loop that binds it (a `for` list, the lines a `while read` loop
 *   reads), unless the loop body assigns it too;
 * - the value of a plain assignment (`NAME=word`, `export NAME=word`), when it is the only assignment to NAME
 *   in the script and it runs before the send on every path (see `dominates`);
 * - nothing, when the script never assigns NAME: the step's `env:` then applies, as today;
 * - "only known at run time" in every other case (assigned twice, in a branch, by `read`, from `$(...)`).
 *
 * Values stay texts (with `${{ }}` and `$VAR`): they are resolved later, in the step's scope, one concrete
 * send per value (senders/concretize.ts). Splitting happens only where bash splits: an unquoted expansion in a
 * `for` list, the lines `read` reads; never inside double quotes.
 */
import type { RawBinding, RawBindingValue, RawValueFilter, Span } from './raw-send.js';

export type BlockKind = 'script' | 'substitution' | 'subshell' | 'group' | 'if' | 'branch' | 'case' | 'loop';

/** A stretch of script whose commands run together: the script itself, a loop body, an `if` branch, ... */
export interface Block {
  kind: BlockKind;
  parent: Block | undefined;
  /** Numbered when opened and when closed, so that one block contains another iff its interval does. */
  open: number;
  close: number;
  /** kind 'loop': what the loop binds, and the names assigned inside its body. */
  loop?: Loop;
  assignedInside?: Map<string, number>;
  /** kind 'case': between `in` (or `;;`) and the `)` ending a pattern. */
  inPattern?: boolean;
  /** kind 'branch': what the branch's condition requires of variables (no filter: a test not followed). */
  guards?: Guard[];
}

/** A branch's condition on one variable; without a filter the reader could not follow the test. */
export interface Guard {
  name: string;
  filter?: RawValueFilter;
}

/** Where a command runs: its place in reading order, its block, and whether it may not run at all. */
export interface Site {
  seq: number;
  block: Block;
  /** After `&&` / `||`, in a pipeline (a subshell), or sent to the background. */
  conditional: boolean;
}

/** A text a variable takes its values from, once expanded and split as bash would. */
export interface ValueItem extends RawBindingValue {
  /** False when the text is not one the reader could read (`$(...)`): the values are then unknown. */
  exact: boolean;
  /** Where the text is expanded, for the variables it reads in turn. */
  site: Site;
}

export interface Loop {
  /** The names the loop assigns once per iteration: a `for` variable, the variables of `while read`. */
  binds: string[];
  /** Its iteration values (one-name loops only), once the script is read; undefined when only known at run time. */
  values: (scope: ScriptScope) => ValueItem[] | undefined;
}

export type Definition =
  /** `NAME=word`, `export NAME=word`, `local NAME=word`. */
  | { kind: 'value'; value: ValueItem }
  /** `NAME=(a b)`, `mapfile -t NAME <<< ...`; undefined elements: not readable. */
  | { kind: 'array'; elements: ValueItem[] | undefined }
  /** Anything else that changes NAME: `read`, a loop, `unset`, `+=`, arithmetic. */
  | { kind: 'other' };

interface Assignment {
  site: Site;
  definition: Definition;
}

type Lookup =
  | { kind: 'environment' }
  | { kind: 'unknown' }
  | { kind: 'values'; items: ValueItem[]; source: object; filters: RawValueFilter[] };

/** Loops nested deeper than this, or dependency chains longer, are not followed: the values are unknown. */
const MAX_DEPTH = 32;
const VARIABLE_REFERENCE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))/g;

export class ScriptScope {
  readonly root: Block;
  /** The innermost open block. */
  current: Block;
  /** Set when reserved words do not nest (a `done` with no `do`, an unclosed `if`): no assignment is trusted. */
  broken = false;
  private counter = 0;
  private readonly assignments = new Map<string, Assignment[]>();
  /** One array of raw values per list, shared by every send that reads it (sends × values stays linear). */
  private readonly shared = new WeakMap<ValueItem[], RawBindingValue[]>();
  private readonly dependenciesOf = new WeakMap<ValueItem[], { name: string; site: Site }[]>();

  constructor() {
    this.root = { kind: 'script', parent: undefined, open: this.counter++, close: Infinity };
    this.current = this.root;
  }

  push(kind: BlockKind, loop?: Loop): Block {
    const block: Block = { kind, parent: this.current, open: this.counter++, close: Infinity };
    if (loop) {
      block.loop = loop;
      block.assignedInside = new Map();
    }
    this.current = block;
    return block;
  }

  /** Closes the innermost block when it is of `kind`; otherwise the structure is not what bash would accept. */
  pop(kind: BlockKind): Block | undefined {
    const block = this.current;
    if (block.kind !== kind || !block.parent) {
      this.broken = true;
      return undefined;
    }
    block.close = this.counter++;
    this.current = block.parent;
    return block;
  }

  /** Closes blocks until `block` is the innermost again (the end of a `$(...)`); any left open is a fault. */
  unwindTo(block: Block): void {
    while (this.current !== block && this.current.parent) {
      this.broken = true;
      this.current.close = this.counter++;
      this.current = this.current.parent;
    }
  }

  /** Called once the script is read: a block still open means the reader lost track of the structure. */
  finish(): void {
    if (this.current !== this.root) this.broken = true;
  }

  assign(name: string, site: Site, definition: Definition): void {
    const list = this.assignments.get(name);
    if (list) list.push({ site, definition });
    else this.assignments.set(name, [{ site, definition }]);
    let depth = 0;
    for (let block: Block | undefined = site.block; block && depth < MAX_DEPTH; block = block.parent, depth++) {
      if (block.assignedInside) block.assignedInside.set(name, (block.assignedInside.get(name) ?? 0) + 1);
    }
  }

  /** True when the script assigns IFS, so that word splitting is not on blanks and newlines. */
  get splitsUnknown(): boolean {
    return this.assignments.has('IFS');
  }

  /**
   * The bindings the texts of one send depend on, dependencies first: every script variable they read, with
   * its values, or with none when only known at run time. Variables the script never assigns are left out.
   */
  bindingsFor(texts: string[], site: Site): RawBinding[] {
    const order: RawBinding[] = [];
    const found = new Map<string, { binding: RawBinding; key: unknown }>();
    const visit = (name: string, at: Site, depth: number): void => {
      const lookup: Lookup = depth > MAX_DEPTH ? { kind: 'unknown' } : this.lookup(name, at);
      if (lookup.kind === 'environment') return;
      const key = lookup.kind === 'values' ? [lookup.source, JSON.stringify(lookup.filters)] : undefined;
      const existing = found.get(name);
      if (existing) {
        // One name standing for two different things in one send: do not guess which.
        const same = Array.isArray(existing.key) && Array.isArray(key) && existing.key[0] === key[0] && existing.key[1] === key[1];
        if (!same) {
          delete existing.binding.values;
          delete existing.binding.filters;
        }
        return;
      }
      const binding: RawBinding = { name };
      found.set(name, { binding, key });
      if (lookup.kind === 'values') {
        for (const dependency of this.dependencies(lookup.items)) visit(dependency.name, dependency.site, depth + 1);
        binding.values = this.rawValues(lookup.items);
        if (lookup.filters.length > 0) binding.filters = lookup.filters;
      }
      order.push(binding);
    };
    for (const text of texts) for (const name of referencedNames(text)) visit(name, site, 0);
    return order;
  }

  /** The variables a list's texts read, each once per site, found once per list. */
  private dependencies(items: ValueItem[]): { name: string; site: Site }[] {
    let found = this.dependenciesOf.get(items);
    if (!found) {
      const seen = new Map<string, { name: string; site: Site }>();
      for (const item of items) {
        if (!item.expand) continue;
        for (const name of referencedNames(item.text)) seen.set(`${name}\u0000${item.site.seq}`, { name, site: item.site });
      }
      found = [...seen.values()];
      this.dependenciesOf.set(items, found);
    }
    return found;
  }

  private rawValues(items: ValueItem[]): RawBindingValue[] {
    let values = this.shared.get(items);
    if (!values) {
      values = items.map(({ text, span, split, expand }) => ({ text, span, split, expand }));
      this.shared.set(items, values);
    }
    return values;
  }

  /** The elements of an array the script assigns once, before `site` on every path. */
  arrayElements(name: string, site: Site): ValueItem[] | undefined {
    const only = this.onlyAssignment(name, site);
    return only?.definition.kind === 'array' ? only.definition.elements : undefined;
  }

  private lookup(name: string, site: Site): Lookup {
    if (this.broken) return this.assignments.has(name) ? { kind: 'unknown' } : { kind: 'environment' };
    const filters: RawValueFilter[] = [];
    let opaque = false;
    const guardsOf = (block: Block): void => {
      for (const guard of block.guards ?? []) {
        if (guard.name !== name) continue;
        if (guard.filter) filters.push(guard.filter);
        else opaque = true;
      }
    };
    let depth = 0;
    for (let block: Block | undefined = site.block; block; block = block.parent) {
      if (++depth > MAX_DEPTH) return { kind: 'unknown' };
      const loop = block.loop;
      if (!loop?.binds.includes(name)) {
        guardsOf(block);
        continue;
      }
      // Reassigned inside the body, or one of several names `read` splits a line into: not followed.
      if (opaque || (block.assignedInside?.get(name) ?? 0) > 0 || loop.binds.length !== 1) return { kind: 'unknown' };
      const items = loop.values(this);
      return items && items.every((item) => item.exact) ? { kind: 'values', items, source: loop, filters } : { kind: 'unknown' };
    }
    if (!this.assignments.has(name)) return { kind: 'environment' };
    const only = this.onlyAssignment(name, site);
    if (only?.definition.kind !== 'value' || !only.definition.value.exact) return { kind: 'unknown' };
    // Only the tests between the assignment and the send apply (the walk above went up to the script).
    const between = filtersBelow(site.block, only.site.block, name);
    if (!between) return { kind: 'unknown' };
    return { kind: 'values', items: [only.definition.value], source: only, filters: between };
  }

  /** NAME's one assignment in the whole script, when it runs before `site` on every path. */
  private onlyAssignment(name: string, site: Site): Assignment | undefined {
    const list = this.assignments.get(name);
    if (this.broken || list?.length !== 1) return undefined;
    const only = list[0] as Assignment;
    return dominates(only.site, site) ? only : undefined;
  }
}

/**
 * An assignment runs before a use on every path when it comes first, is not conditional, and sits in a block
 * that holds the use: the same block or an enclosing one. Blocks nest, so containment is an interval test.
 */
function dominates(definition: Site, use: Site): boolean {
  return (
    definition.seq < use.seq &&
    !definition.conditional &&
    definition.block.open <= use.block.open &&
    use.block.close <= definition.block.close
  );
}

/** The filters of the guards on `name` from `block` up to (not including) `top`; undefined if one is opaque. */
function filtersBelow(block: Block, top: Block, name: string): RawValueFilter[] | undefined {
  const filters: RawValueFilter[] = [];
  for (let at: Block | undefined = block; at && at !== top; at = at.parent) {
    for (const guard of at.guards ?? []) {
      if (guard.name !== name) continue;
      if (!guard.filter) return undefined;
      filters.push(guard.filter);
    }
  }
  return filters;
}

export function referencedNames(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(VARIABLE_REFERENCE)) names.add((match[1] ?? match[2]) as string);
  return [...names];
}

export function itemOf(text: string, span: Span, site: Site, options: { split: ValueItem['split']; expand?: boolean; exact?: boolean }): ValueItem {
  return { text, span, split: options.split, expand: options.expand ?? true, exact: options.exact ?? true, site };
}
