import type { Rule } from '../src/rule.js';
import { UNUSED_SUPPRESSION } from '../src/suppressions.js';

/**
 * A suppression comment that suppresses nothing: misplaced, stale, or naming a rule id that does not exist. A
 * silently ignored ignore is the commonest complaint about other linters' ignore comments, so it is reported.
 *
 * Only the engine can tell, once every other rule has run, which comments silenced a finding: it reports this
 * rule's findings (src/suppressions.ts), so `check` has nothing to do.
 */
export const unusedSuppression: Rule = {
  id: UNUSED_SUPPRESSION,
  defaultSeverity: 'note',
  description: 'a dispatch-lint-disable comment that suppresses nothing: misplaced, stale, an unknown directive or rule id',
  check() {},
};
