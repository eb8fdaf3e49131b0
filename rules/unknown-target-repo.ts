import { declares } from '../src/config/config.js';
import { locate, type Rule } from '../src/rule.js';
import { describeDispatch, placeKey, uniqueBy } from './support.js';

/** Outside the scanned set nothing can be checked: say so rather than guess. */
export const unknownTargetRepo: Rule = {
  id: 'unknown-target-repo',
  defaultSeverity: 'note',
  description: 'a dispatch to a repository outside the scanned set, which cannot be checked',
  check({ index, config, report }) {
    for (const send of uniqueBy(index.sends, (send) => placeKey(send, send.position, send.target.value ?? ''))) {
      const target = send.target.value;
      if (target === undefined || index.isScanned(target)) continue;
      const type = send.kind === 'repository_dispatch' ? send.eventType?.value : undefined;
      if (type !== undefined && declares(config.events.toOutside, target, type)) continue;
      report({
        location: locate(send, send.target.position),
        identity: [target.toLowerCase(), describeDispatch(send)],
        message: `${send.repo} dispatches ${describeDispatch(send)} to ${target}, which is not among the scanned repositories, so the dispatch cannot be checked`,
      });
    }
  },
};
