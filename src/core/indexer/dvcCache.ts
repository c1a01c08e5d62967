import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, isAbsolute, resolve } from 'node:path';

export type CacheRead = { ok: true; bytes: Buffer } | { ok: false; reason: string };

/**
 * Read-only view of the local DVC cache. Metrics that are cached outs are usually not in Git,
 * so their bytes at a past revision are only here, under the md5 the dvc.lock recorded.
 */
export class DvcCache {
  readonly dir: string;

  constructor(readonly root: string) {
    this.dir = cacheDirFromConfig(root) ?? join(root, '.dvc', 'cache');
  }

  /** DVC 3 layout first (files/md5/xx/rest), then the 2.x layout (xx/rest). */
  objectPath(md5: string): string | undefined {
    const hex = md5.replace(/\.dir$/, '');
    if (!/^[0-9a-f]{32}$/.test(hex)) return undefined;
    const suffix = md5.endsWith('.dir') ? '.dir' : '';
    for (const candidate of [
      join(this.dir, 'files', 'md5', hex.slice(0, 2), hex.slice(2) + suffix),
      join(this.dir, hex.slice(0, 2), hex.slice(2) + suffix),
    ]) {
      if (existsSync(candidate)) return candidate;
    }
    return undefined;
  }

  read(md5: string, maxBytes: number): CacheRead {
    const file = this.objectPath(md5);
    if (!file) return { ok: false, reason: `not in cache (md5 ${md5})` };
    const size = statSync(file).size;
    if (size > maxBytes) return { ok: false, reason: `cached object ${md5} is ${size} bytes, over the ${maxBytes}-byte limit` };
    return { ok: true, bytes: readFileSync(file) };
  }

  /** The md5 of `relpath` inside a cached directory out, from the `.dir` listing. */
  fileInDirectory(dirMd5: string, relpath: string): { ok: true; md5: string } | { ok: false; reason: string } {
    const listing = this.read(dirMd5, 256 * 1024 * 1024);
    if (!listing.ok) return listing;
    try {
      const entries = JSON.parse(listing.bytes.toString('utf8')) as { md5: string; relpath: string }[];
      const entry = entries.find((e) => e.relpath === relpath);
      return entry ? { ok: true, md5: entry.md5 } : { ok: false, reason: `${relpath} is not listed in directory ${dirMd5}` };
    } catch {
      return { ok: false, reason: `directory listing ${dirMd5} in the cache is not valid JSON` };
    }
  }
}

/** `[cache] dir = ...` from .dvc/config.local or .dvc/config (relative to .dvc/). */
function cacheDirFromConfig(root: string): string | undefined {
  for (const name of ['config.local', 'config']) {
    const file = join(root, '.dvc', name);
    if (!existsSync(file)) continue;
    let section = '';
    for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
      const line = raw.trim();
      const header = /^\[\s*"?([^"\]]+)"?\s*\]$/.exec(line);
      if (header) {
        section = header[1].trim();
        continue;
      }
      const kv = /^dir\s*=\s*(.+)$/.exec(line);
      if (section === 'cache' && kv) {
        const dir = kv[1].trim();
        return isAbsolute(dir) ? dir : resolve(root, '.dvc', dir);
      }
    }
  }
  return undefined;
}
