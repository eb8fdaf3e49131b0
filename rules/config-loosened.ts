import type { Rule } from '../src/rule.js';

/**
 * With --base, a change to the config file that lets findings through: a rule switched off or lowered, an event
 * declared as sent from or to outside, a glob ignored, a limit raised, values or names changed. A pull request can
 * otherwise switch off the check that gates it. The engine compares the two configs (src/premerge/config-change.ts)
 * and reports this rule, at the severity the base's config gives it, so `check` has nothing to do.
 */
export const configLoosened: Rule = {
  id: 'config-loosened',
  defaultSeverity: 'note',
  requires: 'base',
  description: '(with --base) the change edits the config file so that findings get through: a rule off or lowered, an exemption, an ignore, a limit',
  check() {},
};
