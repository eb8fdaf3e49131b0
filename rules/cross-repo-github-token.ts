import { locate, type Rule } from '../src/rule.js';
import { placeKey, uniqueBy, viaRelated } from './support.js';

/** GITHUB_TOKEN is scoped to the repository running the workflow: another repository answers 404. */
export const crossRepoGithubToken: Rule = {
  id: 'cross-repo-github-token',
  defaultSeverity: 'error',
  description: 'a dispatch to another repository with GITHUB_TOKEN or an action\'s default token, which cannot reach it',
  check({ report, index }) {
    const sends = uniqueBy(index.sends, (send) => placeKey(send, send.token.position, send.target.value ?? ''));
    for (const send of sends) {
      const target = send.target.value;
      if (send.token.kind !== 'github-token' || target === undefined || target.toLowerCase() === send.repo.toLowerCase()) continue;
      const which = send.token.explicit ? 'GITHUB_TOKEN' : `the default token (github.token), because ${send.form} is given no token`;
      report({
        location: locate(send, send.token.position),
        identity: [target.toLowerCase(), send.token.explicit ? 'explicit' : 'default'],
        message: `${send.repo} dispatches to ${target} with ${which}; that token only reaches ${send.repo}, so GitHub answers 404 or "Resource not accessible by integration" (use a PAT or a GitHub App token that can reach ${target})`,
        ...(send.via ? { related: viaRelated(send) } : {}),
      });
    }
  },
};
