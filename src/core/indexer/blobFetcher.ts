import type { ObjectReader } from '../git/catFile';
import { MAX_PARSE_BYTES } from '../formats/content';
import type { DvcCache } from './dvcCache';

export type Fetched = { bytes: Buffer } | { skipped: string };

/** Blob ids that are DVC cache objects rather than Git objects carry this prefix. */
export const CACHE_OID_PREFIX = 'md5:';

/**
 * Reads blob bytes by id from wherever they live: the workspace read-ahead, the DVC cache, or
 * Git (sizes checked with --batch-check first so a 50 MB blob is never pulled through the pipe).
 */
export class BlobFetcher {
  constructor(
    private readonly objects: ObjectReader | undefined,
    private readonly cache: DvcCache,
    private readonly workspaceBytes: Map<string, Buffer>,
  ) {}

  async fetch(oids: readonly string[]): Promise<Map<string, Fetched>> {
    const result = new Map<string, Fetched>();
    const fromGit: string[] = [];
    for (const oid of oids) {
      if (result.has(oid)) continue;
      if (oid.startsWith(CACHE_OID_PREFIX)) {
        const read = this.cache.read(oid.slice(CACHE_OID_PREFIX.length), MAX_PARSE_BYTES);
        result.set(oid, read.ok ? { bytes: read.bytes } : { skipped: read.reason });
      } else if (this.workspaceBytes.has(oid)) {
        result.set(oid, { bytes: this.workspaceBytes.get(oid)! });
      } else {
        fromGit.push(oid);
      }
    }
    if (fromGit.length === 0 || !this.objects) {
      for (const oid of fromGit) result.set(oid, { skipped: 'object not available' });
      return result;
    }
    const infos = await this.objects.info(fromGit);
    const small: string[] = [];
    fromGit.forEach((oid, i) => {
      const info = infos[i];
      if ('missing' in info) result.set(oid, { skipped: `Git object ${oid} is missing (shallow or partial clone?)` });
      else if (info.size > MAX_PARSE_BYTES)
        result.set(oid, {
          skipped: `file is ${(info.size / 1048576).toFixed(1)} MB, over the ${MAX_PARSE_BYTES / 1048576} MB limit for parsed files`,
        });
      else small.push(oid);
    });
    const contents = await this.objects.read(small);
    small.forEach((oid, i) => {
      const content = contents[i];
      result.set(oid, 'missing' in content ? { skipped: `Git object ${oid} is missing` } : { bytes: content.bytes });
    });
    return result;
  }
}
