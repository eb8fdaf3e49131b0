import type { DispatchIndex } from '../src/graph/index.js';
import type { Injection, Send, ValueOrigin, WorkflowFacts } from '../src/model.js';
import { locate, relate, type Rule } from '../src/rule.js';
import { TRUSTED_LITERAL, worstOrigin } from '../src/extract/value-origin.js';

/**
 * `${{ }}` is pasted into the script before it runs: a value with quotes or `$(...)` in it becomes code. What no
 * single-repository linter can tell is who controls that value, because it is filled in another repository. So
 * each expansion is followed back to the senders that reach this workflow: where one fills the field from text an
 * outsider can write (a commit message, a pull request title), or forwards a value it received, or sends
 * something the files cannot show, it is a real injection (a warning naming that sender and its source); where
 * every sender fills it from values only trusted actors set, passing it through `env:` is hardening (a note).
 */
export const payloadInjection: Rule = {
  id: 'payload-injection',
  defaultSeverity: 'warning',
  // A script injection runs an outsider's text as code with the job's token and secrets (CodeQL's
  // actions/code-injection and zizmor's template-injection rate it high as well).
  security: { severity: 7.5, precision: 'high', cwe: ['external/cwe/cwe-094'] },
  description: '${{ github.event.client_payload.* }} or a string workflow_dispatch input expanded straight into a run: or github-script script; a warning where a sender fills it from text an outsider can write',
  check({ index, report }) {
    for (const workflow of index.workflows) {
      for (const injection of workflow.injections ?? []) {
        const provenance = provenanceOf(injection, workflow, index);
        const advice =
          injection.script === 'run'
            ? 'set it in env: and use "$NAME" in the script'
            : 'set it in env: and read process.env.NAME in the script';
        const pasted = `\${{ ${injection.expression} }} is pasted into the ${injection.script === 'run' ? 'run:' : 'github-script'} script before it runs`;
        const consequence = injection.script === 'run' ? 'a value holding quotes or $(...) runs as shell code' : 'a value holding a quote runs as JavaScript';
        const worst = provenance.worst;
        if (worst && worst.origin.trust !== 'trusted') {
          report({
            location: locate(workflow, injection.position),
            identity: [injection.script, injection.expression],
            message: `${pasted}, and ${worst.send.repo} ${describeFilling(worst)}, so ${consequence} here; ${advice}`,
            related: [relate(worst.send, worst.position, `fills ${worst.field} from ${worst.trail[0] ?? worst.origin.source}`)],
          });
          continue;
        }
        const trusted = provenance.senders.length === 0
          ? injection.reads.some((read) => read.kind === 'client_payload')
            ? 'no scanned workflow sends it, and a dispatch needs a token with write access'
            : 'no scanned workflow dispatches it, so it is typed by someone with write access who runs the workflow'
          : `every sender fills it from values only trusted actors set (${provenance.senders.map((entry) => `${entry.send.repo}: ${entry.trail.length > 0 ? entry.trail.join(', ') : entry.origin.source}`).filter(unique).join('; ')})`;
        report({
          location: locate(workflow, injection.position),
          identity: [injection.script, injection.expression],
          message: `${pasted}; ${trusted}. Hardening: ${advice}, since ${consequence.replace(' runs as ', ' would run as ')}`,
          asNote: true,
        });
      }
    }
  },
};

interface FilledBy {
  send: Send;
  origin: ValueOrigin;
  /** `client_payload.message` or `input version`. */
  field: string;
  position: Send['position'];
  /** Where a forwarded value was followed to, hop by hop: "which acme/core fills from github.sha". */
  trail: string[];
}

type Read = Injection['reads'][number];

/** Every sender of what the injection pastes, with the origin of the value it sends; the least trusted first. */
function provenanceOf(injection: Injection, workflow: WorkflowFacts, index: DispatchIndex): { senders: FilledBy[]; worst?: FilledBy } {
  const senders = injection.reads.flatMap((read) => fillersOf(read, workflow, index, 0, new Set([workflow])));
  const worst = [...senders].sort((a, b) => RANK.indexOf(b.origin.trust) - RANK.indexOf(a.origin.trust))[0];
  return worst ? { senders, worst } : { senders };
}

const RANK: ValueOrigin['trust'][] = ['trusted', 'unknown', 'forwarded', 'outsider'];
const MAX_HOPS = 4;

/** The senders that fill `read` for `workflow`, a forwarded value followed to the senders of the forwarding workflow. */
function fillersOf(read: Read, workflow: WorkflowFacts, index: DispatchIndex, hops: number, seen: Set<WorkflowFacts>): FilledBy[] {
  const sends = read.kind === 'client_payload' ? index.sendsStarting(workflow) : index.workflowDispatchesOf(workflow);
  const fillers: FilledBy[] = [];
  for (const send of sends) {
    const filled = fill(send, read.path);
    if (!filled) continue;
    const field = read.kind === 'client_payload' ? ['client_payload', ...read.path].join('.') : read.path.length > 0 ? `input ${read.path[0]}` : 'its inputs';
    const entry: FilledBy = { send, field, ...filled, trail: [] };
    fillers.push(followForwarded(entry, index, hops, seen));
  }
  return fillers;
}

/**
 * A value the sender forwards from its own trigger is as trusted as what fills that: follow it to the senders of
 * the sending workflow (at most MAX_HOPS, never round a loop). Nobody scanned sending it means someone with
 * write access did (a dispatch needs such a token; a manual run needs such a user).
 */
function followForwarded(entry: FilledBy, index: DispatchIndex, hops: number, seen: Set<WorkflowFacts>): FilledBy {
  const forwards = entry.origin.trust === 'forwarded' ? entry.origin.forwards : undefined;
  const sender = forwards && index.workflowOf(entry.send);
  if (!forwards || !sender || hops >= MAX_HOPS || seen.has(sender)) return entry;
  const upstream = fillersOf(forwards, sender, index, hops + 1, new Set([...seen, sender]));
  const worst = [...upstream].sort((a, b) => RANK.indexOf(b.origin.trust) - RANK.indexOf(a.origin.trust))[0];
  if (!worst) return { ...entry, origin: { trust: 'trusted', source: `${entry.origin.source}, which only someone with write access sets` } };
  return { ...entry, origin: worst.origin, trail: [`${entry.origin.source}, which ${worst.send.repo} fills from ${worst.origin.source}`, ...worst.trail] };
}

/** What a send puts at `path` of its payload, and where; undefined when it does not send it (GitHub gives ''). */
function fill(send: Send, path: string[]): { origin: ValueOrigin; position: Send['position'] } | undefined {
  const payload = send.payload;
  if (payload.kind === 'none' || payload.kind === 'not-object') return undefined;
  if (payload.kind === 'unknown') return { origin: payload.origin ?? { trust: 'unknown', source: payload.reason }, position: payload.position };
  const lowered = path.map((key) => key.toLowerCase());
  // The field itself, the object it sits in, or (for a read of a whole object) every field below it.
  const matching = payload.fields.filter((field) => {
    const keys = field.path.map((key) => key.toLowerCase());
    const shared = Math.min(keys.length, lowered.length);
    return keys.slice(0, shared).every((key, at) => key === lowered[at]);
  });
  if (matching.length === 0) return undefined;
  const origin = worstOrigin(matching.map((field) => field.origin ?? TRUSTED_LITERAL));
  const at = matching.find((field) => field.origin === origin) ?? matching[0];
  return { origin, position: at?.valuePosition ?? at?.position ?? payload.position };
}

function describeFilling(filled: FilledBy): string {
  const { origin, field } = filled;
  const from = filled.trail.length > 0 ? filled.trail.join(', ') : origin.source;
  switch (origin.trust) {
    case 'outsider':
      return `fills ${field} from ${from}, text an outsider can write`;
    case 'forwarded':
      return `fills ${field} from ${from}, a value it received and passes on unchecked`;
    default:
      return `fills ${field} from ${from}, which the files do not show`;
  }
}

function unique(value: string, index: number, all: string[]): boolean {
  return all.indexOf(value) === index;
}
