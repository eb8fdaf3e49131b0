import { canRunOnAnyTrigger } from '../src/extract/conditions.js';
import { locate, relate, type Rule } from '../src/rule.js';
import { describeDispatch, placeKey, uniqueBy } from './support.js';

/**
 * A dispatch whose `if:` can never hold on any of its workflow's triggers never fires: a branch check in a
 * workflow that runs only on tag pushes (frostyard: `github.ref == format('refs/heads/{0}', ...)` under
 * `on: push: tags`), an event-name test for an event the workflow does not have. The listener it should start
 * waits for nothing, and GitHub reports no error anywhere: the step is skipped.
 */
const REF_KIND_NAMES = { branch: 'branches', tag: 'tags', pull: 'pull request refs' } as const;

export const deadDispatch: Rule = {
  id: 'dead-dispatch',
  defaultSeverity: 'warning',
  description: 'a dispatch whose job or step if: contradicts every trigger of its workflow, so it never runs',
  check({ index, report }) {
    for (const workflow of index.workflows) {
      for (const send of uniqueBy(workflow.sends, (send) => placeKey(send, send.position))) {
        if (canRunOnAnyTrigger(send.events, workflow.triggers, workflow.triggerRefKinds)) continue;
        const needs = send.events?.refKinds ? `a ${send.events.refKinds.join(' or ')} ref` : `the event ${send.events?.only?.join(' or ') ?? ''}`;
        const runsOn = workflow.triggers.map((trigger) => {
          const kinds = workflow.triggerRefKinds?.[trigger];
          return kinds ? `${trigger} (${kinds.map((kind) => REF_KIND_NAMES[kind]).join(', ')})` : trigger;
        });
        report({
          location: locate(send, send.position),
          identity: [send.kind, send.target.value?.toLowerCase() ?? send.target.text, describeDispatch(send)],
          message: `this dispatch of ${describeDispatch(send)} never runs: its if: needs ${needs}${send.events?.refCondition ? ` (${send.events.refCondition})` : ''}, but ${workflow.path} runs only on ${runsOn.join(', ')}; the step is skipped every time`,
          related: workflow.onPosition ? [relate(workflow, workflow.onPosition, `triggers: ${workflow.triggers.join(', ')}`)] : [],
        });
      }
    }
  },
};
