import type { AppTokenFacts } from '../src/model.js';
import { locate, relate, type Rule } from '../src/rule.js';
import { placeKey, uniqueBy } from './support.js';

/**
 * actions/create-github-app-token with neither `owner` nor `repositories` mints a token for the current
 * repository only; a dispatch to another repository with it answers 404.
 */
export const appTokenScope: Rule = {
  id: 'app-token-scope',
  defaultSeverity: 'warning',
  description: 'a GitHub App token from actions/create-github-app-token whose owner/repositories do not cover the repository it dispatches to',
  check({ index, report }) {
    for (const send of uniqueBy(index.sends, (send) => placeKey(send, send.token.position, send.target.value ?? ''))) {
      const target = send.target.value;
      const token = send.token;
      if (token.kind !== 'step-output' || !token.appToken || target === undefined || target.toLowerCase() === send.repo.toLowerCase()) continue;
      const app = token.appToken;
      const problem = scopeProblem(app, send.repo, target);
      if (!problem) continue;
      report({
        location: locate(send, token.position),
        identity: [target.toLowerCase(), token.stepId.toLowerCase()],
        message: `${send.repo} dispatches to ${target} with the app token of step '${token.stepId}', ${problem}`,
        related: [relate(send, app.position, 'the token is created here')],
      });
    }
  },
};

/**
 * Why the token cannot reach the target, or undefined when it can (or when an expression hides the scope).
 * Without owner and repositories it covers the current repository; `repositories` lists names in `owner`
 * (default: the current owner).
 */
function scopeProblem(app: AppTokenFacts, sender: string, target: string): string | undefined {
  const [targetOwner = '', targetName = ''] = target.toLowerCase().split('/');
  if (app.owner === undefined && app.repositories === undefined) {
    return `which has neither owner nor repositories, so it covers ${sender} only (set owner: and repositories: to include ${target})`;
  }
  if ([app.owner, app.repositories].some((value) => value?.includes('${{') || value?.includes('$'))) return undefined;
  const owner = (app.owner ?? sender.split('/')[0] ?? '').trim().toLowerCase();
  if (owner !== targetOwner) return `which is minted for owner '${owner}', not ${targetOwner}`;
  if (app.repositories === undefined) return undefined;
  const names = app.repositories.split(/[\s,]+/).map((name) => name.trim().toLowerCase()).filter((name) => name !== '');
  if (names.includes(targetName)) return undefined;
  return `whose repositories (${names.join(', ')}) do not include ${targetName}, so GitHub answers 404`;
}
