import type { Rule } from '../src/rule.js';
import { SUPPRESSION_WITHOUT_REASON } from '../src/suppressions.js';

/**
 * A suppression must say why (` -- reason`), as Biome requires of its ignore comments: one without a reason
 * suppresses nothing and is reported. The engine reports it (src/suppressions.ts), so `check` has nothing to do.
 */
export const suppressionWithoutReason: Rule = {
  id: SUPPRESSION_WITHOUT_REASON,
  defaultSeverity: 'note',
  description: 'a dispatch-lint-disable comment without a reason after " -- "; it suppresses nothing',
  check() {},
};
