/**
 * Links to repositories and files on GitHub. Inside Actions the repository being built is known exactly
 * (GITHUB_REPOSITORY at GITHUB_SHA); for every other repository the default branch is not known locally, so
 * links use `HEAD`, which GitHub resolves to it. GITHUB_SERVER_URL points them at GitHub Enterprise Server.
 */

export interface Links {
  repoUrl(repo: string): string;
  /** The file at the ref `refFor(repo)`, at `line` when given. */
  blobUrl(repo: string, path: string, line?: number): string;
  /** A commit SHA for the repository being built, else `HEAD`. */
  refFor(repo: string): string;
  /** The branch being built, for the repository being built (undefined for tags, pull requests and others). */
  branchFor(repo: string): string | undefined;
}

export function githubLinks(env: NodeJS.ProcessEnv): Links {
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const current = env.GITHUB_REPOSITORY?.toLowerCase();
  const isCurrent = (repo: string) => current !== undefined && repo.toLowerCase() === current;
  const sha = env.GITHUB_SHA && /^[0-9a-f]{40}$/i.test(env.GITHUB_SHA) ? env.GITHUB_SHA : undefined;
  const branch = env.GITHUB_REF?.startsWith('refs/heads/') ? env.GITHUB_REF.slice('refs/heads/'.length) : undefined;
  const links: Links = {
    repoUrl: (repo) => `${server}/${encodePath(repo)}`,
    refFor: (repo) => (isCurrent(repo) && sha ? sha : 'HEAD'),
    branchFor: (repo) => (isCurrent(repo) ? branch : undefined),
    blobUrl: (repo, path, line) => {
      return `${links.repoUrl(repo)}/blob/${links.refFor(repo)}/${encodePath(path)}${line === undefined ? '' : `#L${line}`}`;
    },
  };
  return links;
}

/** Each segment percent-encoded, parentheses too, so the URL also stands inside a Markdown link. */
export function encodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[()]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}
