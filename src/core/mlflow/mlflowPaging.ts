import { MlflowServerError } from './mlflowErrors';
import { LIMIT_HINTS } from './mlflowLimits';
import type { MlflowHttp } from './mlflowHttp';

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON that parsed but is not what the endpoint returns: named, never a TypeError later on. */
export function shapeError(http: MlflowHttp, what: string, detail: string): MlflowServerError {
  return new MlflowServerError(`MLflow server ${http.base} answered ${what} with JSON of an unexpected shape: ${detail}`, null, null);
}

/** A list field of a JSON object: absent is empty, anything but an array is a shape error. */
export function listField(http: MlflowHttp, what: string, value: Record<string, unknown>, field: string): unknown[] {
  const list = value[field];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw shapeError(http, what, `"${field}" is ${typeof list}, not a list`);
  return list;
}

const short = (token: string) => JSON.stringify(token.length > 40 ? `${token.slice(0, 40)}…` : token);

export interface PagedSearch {
  method: 'GET' | 'POST';
  path: string;
  /** The list each page carries (`runs`, `experiments`…). */
  field: string;
  /** One page: the request with `token` (undefined for the first). */
  page: (token: string | undefined) => Promise<unknown>;
  /** Told when paging is cut short (the caller records it where the user sees it). */
  warn: (message: string) => void;
}

/**
 * Every item of a paged search. A server is not trusted to end its own paging: a token it sent
 * before (a loop, which would otherwise be paged forever) or more than http.maxPages pages end
 * the search with a warning, keeping what was read. A page that is not an object with a list
 * and a string token is a shape error naming the request.
 */
export async function allPages(http: MlflowHttp, search: PagedSearch): Promise<unknown[]> {
  const what = http.describe(search.method, search.path);
  const out: unknown[] = [];
  const seen = new Set<string>();
  let token: string | undefined;
  for (let pages = 1; ; pages++) {
    const page = await search.page(token);
    if (!isObject(page))
      throw shapeError(
        http,
        what,
        `expected an object with "${search.field}", got ${Array.isArray(page) ? 'a list' : JSON.stringify(page)?.slice(0, 40)}`,
      );
    for (const item of listField(http, what, page, search.field)) out.push(item);
    const next = page.next_page_token;
    if (next === undefined || next === null || next === '') return out;
    if (typeof next !== 'string') throw shapeError(http, what, `"next_page_token" is ${typeof next}, not a string`);
    if (seen.has(next)) {
      search.warn(
        `MLflow server ${http.base} sent the page token ${short(next)} again for ${what} (page ${pages}): stopped paging there, the ${search.field} read so far (${out.length}) may be incomplete`,
      );
      return out;
    }
    if (pages >= http.maxPages) {
      search.warn(
        `MLflow server ${http.base} had more pages of ${what} after ${pages}: stopped there, the ${search.field} read so far (${out.length}) may be incomplete (${LIMIT_HINTS.pages})`,
      );
      return out;
    }
    seen.add(next);
    token = next;
  }
}
