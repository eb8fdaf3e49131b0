/**
 * The fast path for "quiet" workflow files: files whose text provably holds no dispatch fact. Every sender
 * form, listener, payload read and script injection we recognise needs one of the words in RELEVANT; a file
 * without any of them
 * can only contribute its `name:`, its triggers and whether it is valid YAML. For those, js-yaml (about nine
 * times faster than `yaml`, without positions) validates the whole file and reads `name` and `on`. Anything
 * unusual (an error, a strange `on:`, workflow_dispatch inputs whose positions a finding may need) falls back
 * to the full parse, so the fast path never decides anything the full parse would decide differently.
 */
import { CORE_SCHEMA, load } from 'js-yaml';
import type { Position, WorkflowFacts } from '../model.js';
import { MAX_NESTING_DEPTH } from './limits.js';
import { MAX_COPIED_NODES } from '../yaml/aliases.js';

const RELEVANT =
  /repository.?dispatch|client_payload|dispatches|workflow\s+run|github-script|workflow-dispatch|dispatch-workflow|dispatch-action|return-dispatch|slash-command-dispatch|trigger-workflow|GITHUB_EVENT_PATH|createDispatchEvent|createWorkflowDispatch|github\.event\.inputs|\binputs\b|workflow_call|uses:\s*['"]?\.\/|\/\.github\/workflows\//i;

/** Only what matches this can be a top-level `on:` key: a line starting at column 1 is a top-level key. */
const TOP_LEVEL_ON = /^(?:on|"on"|'on'|true)[ \t]*:/m;

export function isQuiet(text: string): boolean {
  return !RELEVANT.test(text);
}

/** The facts of a quiet file, or undefined when the full parse must decide. */
export function quietFileFacts(facts: WorkflowFacts, text: string): WorkflowFacts | undefined {
  // A CR not followed by LF ends a line for js-yaml but not for `yaml`, which reads the file as one line; js-yaml
  // merges `<<` keys silently, where the full parse reports them.
  // An explicit key (`? [push] : x`) may be a collection, which js-yaml turns into a string and `yaml` keeps.
  // A `#` right after a quote or a closing bracket is an error to `yaml` ("Comments must be separated from other
  // tokens by white space") and plain text to js-yaml.
  if (/\r(?!\n)|<<|!!merge|['"\]}]#/.test(text) || /(?:^|[{,])[ \t]*\?(?:[ \t]|$)/m.test(text)) return undefined;
  let document: unknown;
  try {
    document = load(text, { schema: CORE_SCHEMA, json: false });
  } catch {
    return undefined;
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return undefined;
  // Past the full parse's limits (nesting, aliases expanded) the full parse reports it.
  if (!withinLimits(document, ALIAS.test(text) ? MAX_COPIED_NODES / 10 : MAX_COPIED_NODES)) return undefined;
  const root = document as Record<string, unknown>;
  const on = Object.hasOwn(root, 'on') ? root.on : root.true;
  const onKey = TOP_LEVEL_ON.exec(text);
  if (on === undefined || !onKey) return undefined;
  // `on: >-` (a block scalar naming the trigger): the full parse places the trigger at the scalar, not the word.
  if (/^[ \t]*[|>]/.test(text.slice(onKey.index + onKey[0].length, onKey.index + onKey[0].length + 80))) return undefined;
  const triggers = triggerNames(on);
  if (!triggers || triggers.some(mayBeTypedOtherwise) || (typeof root.name === 'string' && mayBeTypedOtherwise(root.name))) return undefined;
  const manual = typeof on === 'object' && on !== null && !Array.isArray(on) ? (on as Record<string, unknown>).workflow_dispatch : undefined;
  if (manual !== undefined && manual !== null && !(typeof manual === 'object' && !hasInputs(manual))) return undefined;

  const onPosition = positionOfMatch(text, onKey.index, onKey[0].replace(/[ \t]*:$/, '').length);
  let manualPosition: Position | undefined;
  if (triggers.includes('workflow_dispatch')) {
    // A dispatchable workflow whose jobs may all fail at once is a stub the full parse must recognise.
    if (/\bexit\s+[1-9]/.test(text)) return undefined;
    const offset = onlyTriggerMention(text, onKey.index + onKey[0].length);
    if (offset === undefined) return undefined;
    manualPosition = positionOfMatch(text, offset, 'workflow_dispatch'.length);
  }
  facts.triggers = triggers;
  facts.onPosition = onPosition;
  if (typeof root.name === 'string') facts.name = root.name;
  if (manualPosition) facts.workflowDispatch = { position: manualPosition, inputs: [] };
  return facts;
}

/**
 * The offset of the `workflow_dispatch` trigger: its only mention between `on:` and the next top-level key,
 * outside comments. With any other count we cannot be sure which it is, and the full parse decides.
 */
function onlyTriggerMention(text: string, from: number): number | undefined {
  const nextTopLevel = /\n[^\s#]/g;
  nextTopLevel.lastIndex = from;
  const end = nextTopLevel.exec(text)?.index ?? text.length;
  const mentions: number[] = [];
  const word = /(?<![\w-])workflow_dispatch(?![\w-])/g;
  word.lastIndex = from;
  for (let match = word.exec(text); match && match.index < end; match = word.exec(text)) {
    const lineStart = text.lastIndexOf('\n', match.index) + 1;
    if (!text.slice(lineStart, match.index).includes('#')) mentions.push(match.index);
  }
  return mentions.length === 1 ? mentions[0] : undefined;
}

/**
 * js-yaml and `yaml` do not type every plain scalar alike (`1e309` is a string to one, Infinity to the other):
 * a name that could be a number, a null or a boolean is left to the full parse.
 */
function mayBeTypedOtherwise(text: string): boolean {
  return /^(?:[-+.\d]|~$|null$|true$|false$)/i.test(text);
}

/** What may be an alias (`*name` after a space or a flow indicator); a false alarm only costs the full parse. */
const ALIAS = /(?:^|[\s[{,])\*[^\s,[\]{}]/m;

/**
 * At most MAX_NESTING_DEPTH levels deep, and at most `budget` keys and values, aliases counted as copies. The full
 * parse counts its copies of aliased nodes a little differently, so a file with aliases gets a tenth of its budget.
 */
function withinLimits(document: object, budget: number): boolean {
  const stack: [unknown, number][] = [[document, 1]];
  let visited = 0;
  while (stack.length > 0) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (++visited > budget || depth > MAX_NESTING_DEPTH) return false;
    if (value !== null && typeof value === 'object') {
      if (!Array.isArray(value)) visited += Object.keys(value).length;
      for (const child of Object.values(value)) stack.push([child, depth + 1]);
    }
  }
  return true;
}

function triggerNames(on: unknown): string[] | undefined {
  if (typeof on === 'string') return [on.toLowerCase()];
  if (Array.isArray(on)) return on.every((item) => typeof item === 'string') ? on.map((item: string) => item.toLowerCase()) : undefined;
  if (on !== null && typeof on === 'object') return Object.keys(on).map((key) => key.toLowerCase());
  return undefined;
}

function hasInputs(manual: object): boolean {
  const inputs = (manual as Record<string, unknown>).inputs;
  return inputs !== undefined && inputs !== null && !(typeof inputs === 'object' && Object.keys(inputs).length === 0);
}

function positionOfMatch(text: string, offset: number, length: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let index = text.indexOf('\n'); index >= 0 && index < offset; index = text.indexOf('\n', index + 1)) {
    line++;
    lineStart = index + 1;
  }
  const column = offset - lineStart + 1;
  return { line, column, endLine: line, endColumn: column + length };
}
