/**
 * Secret NAMES (never values: the API has none to give) that a repository's workflows can see: its own, the
 * organisation's that are visible to it, and each used environment's. Listed only for repositories that
 * dispatch with a secret token, so an audit asks only what secret-not-defined needs.
 *
 * A listing the token may not read (401, 403, 404) skips the rule for that repository, with a note. Any other
 * failure (a timeout, a 5xx after its retries, an answer that is not JSON, pages that never end) leaves the scan
 * incomplete: it is an error line, and the run exits 2.
 */
import type { GitHubClient } from './client.js';
import { isPermissionDenied } from './faults.js';
import { paginateSafely } from './paginate.js';

/** What one repository's jobs can see; `unreadable` when the names are unknown (why). */
export interface SecretScope {
  names: string[];
  environments: Record<string, string[] | null>;
  unreadable?: string;
}

export interface SecretRequest {
  repository: string;
  private: boolean;
  environments: string[];
}

export interface SecretListing {
  /** Repository name (lower case) → what its jobs can see. */
  scopes: Map<string, SecretScope>;
  /** Listings that failed for another reason than permission: each line names the repository or organisation. */
  errors: string[];
}

type OrgSecret = { name: string; visibility: string; repositories?: string[] };
/** The organisation's secrets, or why they are unknown. */
type OrgSecrets = { secrets: OrgSecret[] } | { unreadable: string };

export async function listSecrets(client: GitHubClient, requests: SecretRequest[]): Promise<SecretListing> {
  const { octokit } = client;
  const errors: string[] = [];
  const orgSecrets = new Map<string, Promise<OrgSecrets>>();
  const orgSecretsOf = (org: string) => {
    let pending = orgSecrets.get(org.toLowerCase());
    if (!pending) {
      pending = listOrgSecrets(client, org, errors);
      orgSecrets.set(org.toLowerCase(), pending);
    }
    return pending;
  };

  const scopes = new Map<string, SecretScope>();
  await Promise.all(
    requests.map(async (request) => {
      const [owner, repo] = request.repository.split('/') as [string, string];
      const scope: SecretScope = { names: [], environments: {} };
      try {
        const own = await paginateSafely<{ name: string }>(octokit, 'GET /repos/{owner}/{repo}/actions/secrets', { owner, repo, per_page: 100 });
        scope.names.push(...own.map((secret) => secret.name));
      } catch (error) {
        const reason = client.explain(error).reason;
        if (isPermissionDenied(error)) scope.unreadable = `the token may not list the secrets of ${request.repository} (${reason})`;
        else {
          scope.unreadable = `the secrets of ${request.repository} could not be listed (${reason})`;
          errors.push(client.failure(request.repository, 'list its secret names', error));
        }
      }
      const org = await orgSecretsOf(owner);
      if ('unreadable' in org) scope.unreadable ??= org.unreadable;
      else {
        for (const secret of org.secrets) {
          const visible =
            secret.visibility === 'all' ||
            (secret.visibility === 'private' && request.private) ||
            (secret.visibility === 'selected' && (secret.repositories ?? []).some((name) => name.toLowerCase() === repo.toLowerCase()));
          if (visible) scope.names.push(secret.name);
        }
      }
      for (const environment of request.environments) {
        try {
          const secrets = await paginateSafely<{ name: string }>(octokit, 'GET /repos/{owner}/{repo}/environments/{environment_name}/secrets', { owner, repo, environment_name: environment, per_page: 100 });
          scope.environments[environment] = secrets.map((secret) => secret.name);
        } catch (error) {
          // An environment that does not exist has no secrets; one we may not read is unknown.
          scope.environments[environment] = (error as { status?: number }).status === 404 ? [] : null;
          if (!isPermissionDenied(error)) errors.push(client.failure(request.repository, `list the secret names of its environment '${environment}'`, error));
        }
      }
      scopes.set(request.repository.toLowerCase(), scope);
    }),
  );
  return { scopes, errors };
}

/** The organisation's secrets with their visibility; a user account has none. */
async function listOrgSecrets(client: GitHubClient, org: string, errors: string[]): Promise<OrgSecrets> {
  const { octokit } = client;
  try {
    const secrets = await paginateSafely<{ name: string; visibility: string }>(octokit, 'GET /orgs/{org}/actions/secrets', { org, per_page: 100 });
    return {
      secrets: await Promise.all(
        secrets.map(async (secret) => {
          if (secret.visibility !== 'selected') return { name: secret.name, visibility: secret.visibility };
          const repositories = await paginateSafely<{ name: string }>(octokit, 'GET /orgs/{org}/actions/secrets/{secret_name}/repositories', { org, secret_name: secret.name, per_page: 100 });
          return { name: secret.name, visibility: secret.visibility, repositories: repositories.map((repository) => repository.name) };
        }),
      ),
    };
  } catch (error) {
    // 404 is what a user account answers, but also what an organisation answers a token without access.
    if ((error as { status?: number }).status === 404 && (await isUser(client, org))) return { secrets: [] };
    const reason = client.explain(error).reason;
    if (isPermissionDenied(error)) return { unreadable: `the token may not list the organisation secrets of ${org} (${reason})` };
    errors.push(client.failure(org, "list the organisation's secret names", error));
    return { unreadable: `the organisation secrets of ${org} could not be listed (${reason})` };
  }
}

async function isUser(client: GitHubClient, login: string): Promise<boolean> {
  try {
    const { data } = await client.octokit.request('GET /users/{username}', { username: login });
    return (data as { type?: string }).type === 'User';
  } catch {
    return false;
  }
}
