import { locate, type Rule } from '../src/rule.js';
import { placeKey, uniqueBy } from './support.js';

/** A step output read before (or without) its step is an empty string: the dispatch sends blanks. */
export const stepOutputUndefined: Rule = {
  id: 'step-output-undefined',
  defaultSeverity: 'error',
  description: 'a dispatch input reads steps.X.outputs.Y and no step with id X comes before it in the job',
  check({ index, report }) {
    const refs = index.sends.flatMap((send) => send.stepOutputRefs.map((ref) => ({ send, ref })));
    for (const { send, ref } of uniqueBy(refs, ({ send, ref }) => placeKey(send, ref.position, ref.stepId, ref.output))) {
      if (ref.definedBefore) continue;
      const read = `steps.${ref.stepId}.outputs.${ref.output}`;
      report({
        location: locate(send, ref.position),
        identity: [ref.stepId.toLowerCase(), ref.output.toLowerCase()],
        message: ref.definedAfter
          ? `this dispatch reads ${read}, but step '${ref.stepId}' runs after it in job '${send.job}', so the value is empty`
          : `this dispatch reads ${read}, but no step with id '${ref.stepId}' comes before it in job '${send.job}', so the value is empty`,
      });
    }
  },
};
