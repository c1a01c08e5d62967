// Whether one recorded data version is in the local DVC cache: a file's object, or a folder's
// `.dir` listing and every object it lists (DVC 3 layout files/md5/xx/rest, then 2.x xx/rest).

import type { DvcCache } from '../indexer/dvcCache';
import type { CacheState } from './types';

export function cacheStateOf(cache: DvcCache, md5: string): { state: CacheState; detail: string } {
  if (!/^[0-9a-f]{32}(\.dir)?$/.test(md5)) return { state: 'not-cached', detail: `"${md5}" is not an md5 DVC stores` };
  if (!md5.endsWith('.dir')) {
    return cache.objectPath(md5)
      ? { state: 'yes', detail: 'in the local DVC cache' }
      : { state: 'no', detail: 'not in the local DVC cache (dvc pull fetches it)' };
  }
  const listing = cache.read(md5, 256 * 1024 * 1024);
  if (!listing.ok) return { state: 'no', detail: 'the folder listing is not in the local DVC cache (dvc pull fetches it)' };
  let entries: { md5?: unknown }[];
  try {
    entries = JSON.parse(listing.bytes.toString('utf8')) as { md5?: unknown }[];
    if (!Array.isArray(entries)) throw new Error('not a list');
  } catch {
    return { state: 'no', detail: `the cached listing ${md5} is not valid JSON` };
  }
  const missing = entries.filter((e) => typeof e?.md5 !== 'string' || !cache.objectPath(e.md5)).length;
  if (missing === 0) return { state: 'yes', detail: `all ${entries.length} files in the local DVC cache` };
  return { state: 'partial', detail: `${missing} of ${entries.length} files missing from the local DVC cache (dvc pull fetches them)` };
}
