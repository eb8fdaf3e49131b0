import type { PermissionsFacts } from '../src/model.js';
import { locate, relate, type Rule } from '../src/rule.js';
import { placeKey, uniqueBy } from './support.js';

const NEEDED = { repository_dispatch: 'contents', workflow_dispatch: 'actions' } as const;

/**
 * A same-repository dispatch with GITHUB_TOKEN works only with the write scope it needs, and a `permissions:`
 * block sets every scope it does not list to none. Without a block the default depends on repository
 * settings the files cannot show, so that is not reported.
 */
export const githubTokenPermissions: Rule = {
  id: 'github-token-permissions',
  defaultSeverity: 'error',
  description: 'a same-repository dispatch with GITHUB_TOKEN under a permissions: block that lacks contents: write or actions: write',
  check({ index, report }) {
    for (const send of uniqueBy(index.sends, (send) => placeKey(send, send.token.position))) {
      const target = send.target.value;
      if (send.token.kind !== 'github-token' || !send.permissions || target === undefined || target.toLowerCase() !== send.repo.toLowerCase()) continue;
      const scope = NEEDED[send.kind];
      if (grantsWrite(send.permissions, scope)) continue;
      const where = send.permissions.level === 'job' ? `job '${send.job}'` : 'the workflow';
      report({
        location: locate(send, send.token.position),
        identity: [send.kind, scope],
        message: `this ${send.kind} uses GITHUB_TOKEN, but the permissions of ${where} do not grant ${scope}: write, which it needs (GitHub answers 403 "Resource not accessible by integration")`,
        related: [relate(send, send.permissions.position, describe(send.permissions))],
      });
    }
  },
};

function grantsWrite(permissions: PermissionsFacts, scope: string): boolean {
  if (permissions.shorthand !== undefined) return permissions.shorthand.trim() === 'write-all';
  return permissions.scopes?.[scope] === 'write';
}

function describe(permissions: PermissionsFacts): string {
  if (permissions.shorthand !== undefined) return `permissions: ${permissions.shorthand}`;
  const scopes = Object.entries(permissions.scopes ?? {});
  return scopes.length === 0 ? 'permissions: {} (every scope none)' : `permissions: ${scopes.map(([key, value]) => `${key}: ${value}`).join(', ')}`;
}
