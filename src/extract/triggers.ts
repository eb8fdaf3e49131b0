/**
 * Reads a workflow's `on:` in every shape GitHub accepts (a string, a list, a mapping, with `null` values)
 * into the list of triggers and the two dispatch listeners.
 */
import { isMap, isPair, isScalar, isSeq, Pair, Scalar, YAMLMap, type Node } from 'yaml';
import type { ListenedType, Position, RefKind, RepositoryDispatchListener, WorkflowDispatchListener, WorkflowInput } from '../model.js';
import type { SourceFile } from '../yaml/source.js';

export interface TriggerFacts {
  triggers: string[];
  triggerRefKinds: Record<string, RefKind[]>;
  onPosition?: Position;
  repositoryDispatch?: RepositoryDispatchListener;
  workflowDispatch?: WorkflowDispatchListener;
  workflowCall?: WorkflowDispatchListener;
  listenerProblems: { message: string; position: Position }[];
  /** A shape GitHub rejects outright (workflow-syntax). */
  syntaxErrors: { message: string; position: Position }[];
}

/** Trigger keys that are near misses of the dispatch triggers; GitHub rejects or ignores them. */
const DISPATCH_TRIGGER_LOOKALIKES = new Map([
  ['repository-dispatch', 'repository_dispatch'],
  ['repositorydispatch', 'repository_dispatch'],
  ['repository_dispatches', 'repository_dispatch'],
  ['workflow-dispatch', 'workflow_dispatch'],
  ['workflowdispatch', 'workflow_dispatch'],
]);

/** Finds the `on:` pair; YAML 1.1 readers turn the key into `true`, so accept that too. */
export function findOnPair(root: YAMLMap): Pair | undefined {
  return root.items.find((pair) => isScalar(pair.key) && (pair.key.value === 'on' || pair.key.value === true));
}

export function readTriggers(root: YAMLMap, source: SourceFile): TriggerFacts {
  const facts: TriggerFacts = { triggers: [], triggerRefKinds: {}, listenerProblems: [], syntaxErrors: [] };
  const onPair = findOnPair(root);
  if (!onPair) {
    facts.syntaxErrors.push({ message: 'the workflow has no `on:` key, so no event can start it', position: source.positionOfOffsets(0, 0) });
    return facts;
  }
  const onNode = onPair.value as Node | null;
  const onPosition = source.positionOf(onPair.key as Node);
  facts.onPosition = onPosition;
  const entries: { name: string; keyNode: Node; value: Node | null }[] = [];
  if (isScalar(onNode) && typeof onNode.value === 'string') {
    entries.push({ name: onNode.value, keyNode: onNode, value: null });
  } else if (isSeq(onNode)) {
    for (const item of onNode.items) {
      if (isScalar(item) && typeof item.value === 'string') entries.push({ name: item.value, keyNode: item, value: null });
      else facts.syntaxErrors.push({ message: '`on:` list entries must be event names', position: source.positionOf(item as Node, onPosition) });
    }
  } else if (isMap(onNode)) {
    for (const pair of onNode.items) {
      if (isScalar(pair.key) && typeof pair.key.value === 'string') {
        entries.push({ name: pair.key.value, keyNode: pair.key, value: (pair.value as Node | null) ?? null });
      }
    }
  } else {
    const shape = onNode === null || (isScalar(onNode) && onNode.value === null) ? 'empty' : describeNode(onNode);
    facts.syntaxErrors.push({
      message: `\`on:\` is ${shape}; it must be an event name, a list of event names, or a mapping of events`,
      position: source.positionOf(onNode ?? (onPair.key as Node), onPosition),
    });
    return facts;
  }

  const dispatchEntry = entries.find((entry) => entry.name.toLowerCase() === 'repository_dispatch');
  for (const entry of entries) {
    const name = entry.name.toLowerCase();
    const position = source.positionOf(entry.keyNode);
    // `types:` one level too far out: an event named "types" to GitHub, which rejects the file. Read as meant.
    if ((name === 'types' || name === 'type') && dispatchEntry && isEmpty(dispatchEntry.value)) {
      facts.listenerProblems.push({
        message: `\`${entry.name}:\` is indented as a sibling of \`repository_dispatch:\`, so GitHub reads it as an event named \`${entry.name}\` and rejects the workflow ("Unexpected value '${entry.name}'"); indent it under \`repository_dispatch:\``,
        position,
      });
      dispatchEntry.value = siblingTypes(entry);
      continue;
    }
    facts.triggers.push(name);
    const kinds = refKindsOf(name, entry.value);
    if (kinds) facts.triggerRefKinds[name] = kinds;
    if (name !== entry.name && (name === 'repository_dispatch' || name === 'workflow_dispatch')) {
      facts.listenerProblems.push({
        message: `event names are lower case: GitHub's workflow schema rejects \`${entry.name}\` ("Unexpected value '${entry.name}'"); write \`${name}\``,
        position,
      });
    }
    const meant = DISPATCH_TRIGGER_LOOKALIKES.get(name);
    if (meant) {
      facts.listenerProblems.push({
        message: `\`${entry.name}\` is not an event GitHub knows, so this workflow never runs on a dispatch (did you mean \`${meant}\`?)`,
        position,
      });
    }
  }
  for (const entry of entries) {
    const name = entry.name.toLowerCase();
    const position = source.positionOf(entry.keyNode);
    if (name === 'repository_dispatch') facts.repositoryDispatch = readRepositoryDispatch(entry.value, position, source, facts.listenerProblems);
    if (name === 'workflow_dispatch') facts.workflowDispatch = readWorkflowDispatch(entry.value, position, source);
    // workflow_call declares inputs the same way (its `type` is required and `secrets:` sit beside them).
    if (name === 'workflow_call') facts.workflowCall = readWorkflowDispatch(entry.value, position, source);
  }
  return facts;
}

/** Events that run on the default branch: GITHUB_REF is its ref (docs: events that trigger workflows). */
const DEFAULT_BRANCH_EVENTS = new Set([
  'schedule', 'repository_dispatch', 'workflow_run', 'issues', 'issue_comment', 'discussion', 'discussion_comment',
  'label', 'milestone', 'watch', 'fork', 'gollum', 'page_build', 'public', 'status', 'check_run', 'check_suite',
  'branch_protection_rule', 'project', 'project_card', 'project_column', 'pull_request_target', 'merge_group',
]);

/**
 * The kinds of github.ref a trigger runs with, or undefined where `on:` does not show it. `push` with only
 * `tags`/`tags-ignore` runs on tags alone and with only `branches`/`branches-ignore` on branches alone ("If you define
 * only tags/tags-ignore or only branches/branches-ignore, the workflow won't run for events affecting the undefined
 * Git ref", docs: workflow syntax, on.push).
 */
function refKindsOf(event: string, config: Node | null): RefKind[] | undefined {
  if (event === 'pull_request') return ['pull'];
  if (event === 'release') return ['tag'];
  if (DEFAULT_BRANCH_EVENTS.has(event)) return ['branch'];
  if (event !== 'push') return undefined;
  if (!isMap(config)) return ['branch', 'tag'];
  const has = (key: string) => config.items.some((pair) => isScalar(pair.key) && pair.key.value === key);
  const tags = has('tags') || has('tags-ignore');
  const branches = has('branches') || has('branches-ignore');
  if (tags && !branches) return ['tag'];
  if (branches && !tags) return ['branch'];
  return ['branch', 'tag'];
}

function isEmpty(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

/** A one-pair mapping `types: <value>` built from the misplaced pair, so it is read as its author meant. */
function siblingTypes(entry: { keyNode: Node; value: Node | null }): Node {
  const map = new YAMLMap();
  const key = new Scalar('types');
  key.range = entry.keyNode.range ?? null;
  map.items.push(new Pair(key, entry.value));
  return map;
}

function readRepositoryDispatch(
  config: Node | null,
  position: Position,
  source: SourceFile,
  problems: TriggerFacts['listenerProblems'],
): RepositoryDispatchListener {
  const listener: RepositoryDispatchListener = { position };
  if (config === null || (isScalar(config) && config.value === null)) return listener;
  if (!isMap(config)) {
    problems.push({
      message: `\`repository_dispatch:\` must be empty or a mapping with \`types:\`; GitHub ignores ${describeNode(config)} here and runs the workflow on every event type`,
      position: source.positionOf(config, position),
    });
    return listener;
  }
  for (const pair of config.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '?';
    const keyPosition = source.positionOf(pair.key as Node, position);
    if (key !== 'types') {
      const hint = key.toLowerCase().startsWith('type') || key.toLowerCase() === 'events' ? ' (did you mean `types:`?)' : '';
      problems.push({
        message: `unknown key \`${key}:\` under \`repository_dispatch\` is ignored, so the workflow runs on every event type${hint}`,
        position: keyPosition,
      });
      continue;
    }
    const typesNode = pair.value as Node | null;
    if (isSeq(typesNode)) {
      const types: ListenedType[] = [];
      for (const item of typesNode.items) {
        if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number') && String(item.value) !== '') {
          types.push({ value: String(item.value), position: source.positionOf(item) });
        } else {
          problems.push({ message: '`types:` entries must be non-empty event type names', position: source.positionOf(item as Node, keyPosition) });
        }
      }
      if (typesNode.items.length === 0) {
        problems.push({ message: '`types:` is an empty list, so the workflow runs on every event type', position: source.positionOf(typesNode, keyPosition) });
      } else if (types.length > 0) {
        listener.types = types;
      }
    } else if (isScalar(typesNode) && typeof typesNode.value === 'string' && typesNode.value !== '') {
      problems.push({
        message: `\`types:\` must be a list: GitHub's workflow schema rejects a plain string ("Unexpected value '${typesNode.value}'"); write \`types: [${typesNode.value}]\``,
        position: source.positionOf(typesNode),
      });
      // Read as meant, so this one mistake is one finding and not also a missing listener elsewhere.
      listener.types = [{ value: typesNode.value, position: source.positionOf(typesNode) }];
    } else {
      problems.push({
        message: '`types:` is empty, so the workflow runs on every event type',
        position: source.positionOf(typesNode ?? (pair.key as Node), keyPosition),
      });
    }
  }
  return listener;
}

function readWorkflowDispatch(config: Node | null, position: Position, source: SourceFile): WorkflowDispatchListener {
  const listener: WorkflowDispatchListener = { position, inputs: [] };
  if (!isMap(config)) return listener;
  const inputsPair = config.items.find((pair) => isScalar(pair.key) && pair.key.value === 'inputs');
  if (!inputsPair) return listener;
  listener.inputsPosition = source.positionOf(inputsPair.key as Node);
  if (!isMap(inputsPair.value)) return listener;
  for (const pair of inputsPair.value.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    listener.inputs.push(readInput(String(pair.key.value), pair.value as Node | null, source.positionOf(pair.key as Node)));
  }
  return listener;
}

function readInput(name: string, config: Node | null, position: Position): WorkflowInput {
  const input: WorkflowInput = { name, type: 'string', required: false, hasDefault: false, position };
  if (!isMap(config)) return input;
  for (const pair of config.items) {
    if (!isScalar(pair.key)) continue;
    const value = pair.value as Node | null;
    switch (pair.key.value) {
      case 'type':
        if (isScalar(value)) input.type = String(value.value);
        break;
      case 'required':
        input.required = isScalar(value) && (value.value === true || value.value === 'true');
        break;
      case 'default':
        input.hasDefault = isScalar(value) ? value.value !== null : value !== null;
        break;
      case 'options':
        if (isSeq(value)) input.options = value.items.map((item) => (isScalar(item) ? String(item.value) : ''));
        break;
    }
  }
  return input;
}

export function describeNode(node: Node | null): string {
  if (node === null) return 'empty';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    if (node.value === null) return 'empty';
    return `a ${typeof node.value === 'string' ? 'string' : typeof node.value}`;
  }
  return 'an alias';
}
