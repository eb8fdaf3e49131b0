/**
 * The other files a remote repository's workflows load: local composite actions (`./.github/actions/x/action.yml`),
 * reusable workflows outside `.github/workflows` listings, scripts a github-script step requires, a slash-command
 * config. Extraction says which paths it asked for; this fetches them from the default branch (`HEAD:path`), many
 * per GraphQL query, so the workflows can be extracted again with them.
 *
 * As for workflows, nothing is trusted that can be checked: a file's text must hash to the blob id GitHub gives
 * with it. A file that is absent is absent (extraction says so); one that could not be fetched makes the
 * repository's scan incomplete, since a dispatch in it would go unseen.
 */
import { gitBlobOid, type BlobCache } from './blob-cache.js';
import type { GitHubClient } from './client.js';
import { isGraphqlErrors } from './faults.js';

export interface FileRequest {
  /** `owner/name` as the scan spells it. */
  repo: string;
  /** Normalised path inside the repository (src/extract/repository-files.ts). */
  path: string;
}

export interface LoadedFilesFetch {
  /** Lower-case `owner/name` → path → text, for every requested file that exists (texts that hash to their ids). */
  texts: Map<string, Map<string, string>>;
  /** One line per file that could not be fetched, naming the repository and path. */
  errors: string[];
  fetched: number;
  fromCache: number;
}

const FILES_PER_QUERY = 200;
/** Larger files are not what a workflow loads: the limit workflows themselves have. */
const MAX_FILE_BYTES = 1024 * 1024;

interface GraphqlBlob {
  oid?: string;
  text?: string | null;
  byteSize?: number;
  isBinary?: boolean;
}

export async function fetchLoadedFiles(client: GitHubClient, cache: BlobCache, requests: FileRequest[]): Promise<LoadedFilesFetch> {
  const result: LoadedFilesFetch = { texts: new Map(), errors: [], fetched: 0, fromCache: 0 };
  const batches: FileRequest[][] = [];
  for (let start = 0; start < requests.length; start += FILES_PER_QUERY) batches.push(requests.slice(start, start + FILES_PER_QUERY));
  await Promise.all(batches.map((batch) => fetchBatch(client, cache, batch, result)));
  result.errors.sort();
  return result;
}

async function fetchBatch(client: GitHubClient, cache: BlobCache, batch: FileRequest[], result: LoadedFilesFetch): Promise<void> {
  const byRepository = new Map<string, FileRequest[]>();
  for (const request of batch) byRepository.set(request.repo, [...(byRepository.get(request.repo) ?? []), request]);
  const repositories = [...byRepository.values()];
  const query = `query {\n${repositories
    .map((requests, r) => {
      const [owner, name] = (requests[0] as FileRequest).repo.split('/');
      const objects = requests.map(({ path }, f) => `f${f}: object(expression: ${JSON.stringify(`HEAD:${path}`)}) { ... on Blob { oid byteSize isBinary text } }`).join(' ');
      return `  r${r}: repository(owner: ${JSON.stringify(owner)}, name: ${JSON.stringify(name)}) { ${objects} }`;
    })
    .join('\n')}\n}`;
  type Answer = Record<string, Record<string, GraphqlBlob | null> | null>;
  let data: Answer | undefined;
  try {
    data = await client.octokit.graphql<Answer>(query);
  } catch (error) {
    // A path that names nothing is a null object, not an error; errors beside data (a repository gone) are partial.
    if (isGraphqlErrors(error) && error.data && typeof error.data === 'object') data = error.data as Answer;
    else {
      const failure = client.explain(error, 'files the workflows load');
      for (const request of batch) result.errors.push(client.mask(`${request.repo}: could not read ${request.path}, which a workflow loads (${failure.reason}); ${failure.advice}`));
      return;
    }
  }
  repositories.forEach((requests, r) => {
    requests.forEach((request, f) => {
      const answer = data?.[`r${r}`];
      const blob = answer?.[`f${f}`];
      if (answer === undefined || answer === null) {
        result.errors.push(`${request.repo}: could not read ${request.path}, which a workflow loads (the API did not answer for the repository); try again`);
        return;
      }
      // Absent (or a folder): extraction reports the missing file as it does for a local repository.
      if (!blob || typeof blob.oid !== 'string') return;
      if (blob.isBinary || (blob.byteSize ?? 0) > MAX_FILE_BYTES) return;
      const cached = cache.get(blob.oid);
      if (cached !== undefined) {
        keep(result, request, cached);
        result.fromCache++;
        return;
      }
      const bytes = typeof blob.text === 'string' ? Buffer.from(blob.text, 'utf8') : undefined;
      if (!bytes || gitBlobOid(bytes) !== blob.oid) {
        result.errors.push(`${request.repo}: could not read ${request.path}, which a workflow loads (the content served for it does not match its blob id ${blob.oid.slice(0, 12)}); check the proxies and caches on the way to --github-api-url, then run again`);
        return;
      }
      cache.put(blob.oid, bytes);
      keep(result, request, bytes.toString('utf8'));
      result.fetched++;
    });
  });
}

function keep(result: LoadedFilesFetch, request: FileRequest, text: string): void {
  const key = request.repo.toLowerCase();
  let texts = result.texts.get(key);
  if (!texts) result.texts.set(key, (texts = new Map()));
  texts.set(request.path, text);
}
