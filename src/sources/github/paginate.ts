/**
 * REST listings page by page, following the Link header, but never for ever: a next link to a page already
 * fetched, more pages than the first page's `rel="last"` or the answer's `total_count` allows, or an empty page
 * that still links a next one is a PaginationFault, not a reason to keep asking.
 */
import type { Octokit } from '@octokit/rest';
import { PaginationFault, UnexpectedAnswer } from './faults.js';

export async function paginateSafely<T>(octokit: Octokit, route: string, parameters: Record<string, unknown>): Promise<T[]> {
  const items: T[] = [];
  const fetched = new Set<string>();
  let lastPage: number | undefined;
  let page = 0;
  for await (const response of octokit.paginate.iterator(route, parameters)) {
    page++;
    const url = new URL(response.url);
    const where = `GET ${decodedPath(url)}, page ${page}`;
    fetched.add(comparable(url));
    const data = response.data as unknown;
    if (!Array.isArray(data)) throw new UnexpectedAnswer(`${where} answered JSON that is not a list`);
    items.push(...(data as T[]));

    const links = parseLinks(response.headers.link);
    if (page === 1 && links.last) lastPage = pageNumber(links.last);
    const total = (data as { total_count?: unknown }).total_count;
    const perPage = Number(url.searchParams.get('per_page')) || 30;
    const pagesAllowed = typeof total === 'number' ? Math.max(1, Math.ceil(total / perPage)) : lastPage;
    if (!links.next) break;
    const next = new URL(links.next, url);
    if (fetched.has(comparable(next))) throw new PaginationFault(`${where}: its Link header names a page already fetched as the next one`);
    if (data.length === 0) throw new PaginationFault(`${where}: an empty page that links a next one`);
    if (pagesAllowed !== undefined && page >= pagesAllowed) {
      const said = typeof total === 'number' ? `its total_count of ${total} fits in ${pagesAllowed}` : `page 1 said page ${pagesAllowed} is the last`;
      throw new PaginationFault(`${where}: it links a page ${pageNumber(next.href) ?? page + 1}, but ${said}`);
    }
  }
  return items;
}

/** rel → URL from a Link header (`<url>; rel="next", <url>; rel="last"`). */
function parseLinks(header: string | undefined): Record<string, string> {
  const links: Record<string, string> = {};
  for (const match of (header ?? '').matchAll(/<([^<>]+)>\s*;\s*rel="([^"]+)"/g)) {
    const [, url, rels] = match;
    for (const rel of (rels ?? '').split(/\s+/)) if (url && rel) links[rel] = url;
  }
  return links;
}

function pageNumber(url: string): number | undefined {
  const page = Number(new URL(url, 'http://page.test').searchParams.get('page'));
  return Number.isInteger(page) && page > 0 ? page : undefined;
}

/** A URL compared without the order of its query parameters. */
function comparable(url: URL): string {
  const query = [...url.searchParams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${url.origin}${url.pathname}?${new URLSearchParams(query).toString()}`;
}

function decodedPath(url: URL): string {
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    return url.pathname;
  }
}
