/**
 * Secret NAMES (never values: the API has none to give) that a repository's workflows can see: its own, the
 * organisation's that are visible to it, and each used environment's. Listed only for repositories that
 * dispatch with a secret token, so an audit asks only what secret-not-defined needs.
 */
import type { GitHubClient } from './client.js';

/** What one repository's jobs can see; `unreadable` when the token may not list them (why). */
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

type OrgSecret = { name: string; visibility: string; repositories?: string[] };

export async function listSecrets(client: GitHubClient, requests: SecretRequest[]): Promise<Map<string, SecretScope>> {
  const { octokit } = client;
  const orgSecrets = new Map<string, Promise<OrgSecret[] | string>>();
  const orgSecretsOf = (org: string) => {
    let pending = orgSecrets.get(org.toLowerCase());
    if (!pending) {
      pending = listOrgSecrets(client, org);
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
        const own = (await octokit.paginate('GET /repos/{owner}/{repo}/actions/secrets', { owner, repo, per_page: 100 })) as unknown as { name: string }[];
        scope.names.push(...own.map((secret) => secret.name));
      } catch (error) {
        scope.unreadable = `the token may not list the secrets of ${request.repository} (${client.describe(error)})`;
      }
      const org = await orgSecretsOf(owner);
      if (typeof org === 'string') scope.unreadable ??= org;
      else {
        for (const secret of org) {
          const visible =
            secret.visibility === 'all' ||
            (secret.visibility === 'private' && request.private) ||
            (secret.visibility === 'selected' && (secret.repositories ?? []).some((name) => name.toLowerCase() === repo.toLowerCase()));
          if (visible) scope.names.push(secret.name);
        }
      }
      for (const environment of request.environments) {
        try {
          const secrets = (await octokit.paginate('GET /repos/{owner}/{repo}/environments/{environment_name}/secrets', { owner, repo, environment_name: environment, per_page: 100 })) as unknown as { name: string }[];
          scope.environments[environment] = secrets.map((secret) => secret.name);
        } catch (error) {
          // An environment that does not exist has no secrets; one we may not read is unknown.
          scope.environments[environment] = (error as { status?: number }).status === 404 ? [] : null;
        }
      }
      scopes.set(request.repository.toLowerCase(), scope);
    }),
  );
  return scopes;
}

/** The organisation's secrets with their visibility; a user account has none; a string says why they are unknown. */
async function listOrgSecrets(client: GitHubClient, org: string): Promise<OrgSecret[] | string> {
  const { octokit } = client;
  try {
    const secrets = (await octokit.paginate('GET /orgs/{org}/actions/secrets', { org, per_page: 100 })) as unknown as { name: string; visibility: string }[];
    return await Promise.all(
      secrets.map(async (secret) => {
        if (secret.visibility !== 'selected') return { name: secret.name, visibility: secret.visibility };
        const repositories = (await octokit.paginate('GET /orgs/{org}/actions/secrets/{secret_name}/repositories', { org, secret_name: secret.name, per_page: 100 })) as unknown as { name: string }[];
        return { name: secret.name, visibility: secret.visibility, repositories: repositories.map((repository) => repository.name) };
      }),
    );
  } catch (error) {
    // 404 is what a user account answers, but also what an organisation answers a token without access.
    if ((error as { status?: number }).status === 404 && (await isUser(client, org))) return [];
    return `the token may not list the organisation secrets of ${org} (${client.describe(error)})`;
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
