import { mayRunOn } from '../src/extract/conditions.js';
import { locate, type Rule } from '../src/rule.js';
import { describeDispatch, placeKey, uniqueBy } from './support.js';

/**
 * Conditions that keep a pull_request job to branches of the repository itself, where secrets exist: a test of
 * the head repository (`head.repo.full_name == github.repository`, `!head.repo.fork`). `github.repository`
 * alone is no guard: a fork's pull request runs in the base repository, so it names the base.
 */
const FORK_GUARD = /head\.repo\.(?:full_name|fork|id|owner)|github\.event\.pull_request\.head\.repo/i;

/** Workflows from fork pull requests get no secrets: the token is empty and the dispatch fails. */
export const forkSecretDispatch: Rule = {
  id: 'fork-secret-dispatch',
  defaultSeverity: 'warning',
  description: 'a dispatch with a secret token in a pull_request workflow with no guard against fork pull requests (which get no secrets)',
  check({ index, report }) {
    for (const workflow of index.workflows) {
      if (!workflow.triggers.includes('pull_request')) continue;
      for (const send of uniqueBy(workflow.sends, (send) => placeKey(send, send.token.position))) {
        const usesSecret = send.token.kind === 'secret' || (send.token.kind === 'step-output' && send.token.appToken !== undefined);
        if (!usesSecret || !mayRunOn(send.events, 'pull_request') || send.conditions.some((condition) => FORK_GUARD.test(condition))) continue;
        report({
          location: locate(send, send.token.position),
          identity: [send.kind, send.target.value?.toLowerCase() ?? send.target.text, describeDispatch(send)],
          message: `${workflow.path} runs on pull_request and dispatches with a secret, but pull requests from forks get no secrets, so this dispatch fails for them (guard the job with if: github.event.pull_request.head.repo.full_name == github.repository)`,
        });
      }
    }
  },
};
