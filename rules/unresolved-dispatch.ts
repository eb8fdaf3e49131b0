import type { ResolvedValue } from '../src/model.js';
import { findExpressions } from '../src/expressions/template.js';
import { locate, type Rule } from '../src/rule.js';
import { placeKey, uniqueBy } from './support.js';

/** A target known only at run time cannot be checked; the config can declare its values. */
export const unresolvedDispatch: Rule = {
  id: 'unresolved-dispatch',
  defaultSeverity: 'note',
  description: 'a dispatch whose target repository, event type or workflow stays an expression after resolution, or whose code dispatch-lint cannot read',
  check({ index, report }) {
    for (const workflow of index.workflows) {
      for (const unread of workflow.unreadSends ?? []) report({ location: locate(workflow, unread.position), identity: ['unread', unread.message], message: unread.message });
    }
    for (const send of uniqueBy(index.sends, (send) => placeKey(send, send.position))) {
      const parts: [string, ResolvedValue | undefined][] = [
        ['target repository', send.target],
        [send.kind === 'repository_dispatch' ? 'event type' : 'workflow', send.kind === 'repository_dispatch' ? send.eventType : send.workflow],
      ];
      for (const [what, value] of parts) {
        if (!value || value.value !== undefined) continue;
        const to = what !== 'target repository' && send.target.value ? ` to ${send.target.value}` : '';
        report({ location: locate(send, value.position), identity: [what, value.text], message: `cannot tell the ${what} of this dispatch${to}: ${howToDeclare(value.text, send.repo)}` });
      }
    }
  },
};

function howToDeclare(text: string, repo: string): string {
  const expression = findExpressions(text)[0];
  // A whole request body can be kilobytes long: its start says enough.
  const shown = text.length > 80 ? `${text.slice(0, 77).replace(/\s+/g, ' ')}...` : text;
  if (!expression) return `\`${shown}\` is only known at run time, so it is not checked`;
  return `\`${shown}\` is only known at run time, so it is not checked; declare its values in the config: values: [{ repo: ${repo}, expression: "${expression.source}", values: [...] }]`;
}
