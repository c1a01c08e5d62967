// Puts outs into the local DVC cache the way DVC 3's `dvc commit` does (cache type
// 'reflink,copy' = a copy on file systems without reflinks): each file under its md5 as
// `files/md5/<2>/<30>` (legacy md5-dos2unix hashes as `<2>/<30>`, still raw bytes), a folder's
// files plus its `.dir` listing, objects read-only (0444), folders 0777 & ~umask, present
// objects skipped. Writes go to a temp file in the object's folder, then rename.

import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { fsyncDir, sweepTemporaries, tempNameIn } from '../util/atomicWrite';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DvcCache } from '../indexer/dvcCache';
import { resolveInRepo } from '../util/paths';
import { DvcIgnore } from './dvcIgnore';
import { HashPathError, hashDir, mapLimit, serializeDirListing } from './hashDir';
import { CHUNK_SIZE, DvcHasher, hashBytes } from './hashFile';
import type { DirEntry, HashKind, PathHash } from './types';

/** LocalHashFileDB.CACHE_MODE. */
export const CACHE_FILE_MODE = 0o444;

export interface ListingEntry {
  relpath: string;
  md5: string;
}

/** The cache folder: `[cache] dir` from .dvc/config.local or .dvc/config, else .dvc/cache. */
export function cacheDirOf(root: string): string {
  return new DvcCache(root).dir;
}

/** Where DVC keeps an object of this kind: DVC 3 under files/md5/, legacy at the top. */
export function objectPath(cacheDir: string, md5: string, kind: HashKind = 'md5'): string {
  if (!/^[0-9a-f]{32}(\.dir)?$/.test(md5)) throw new Error(`"${md5}" is not an md5 DVC would store`);
  const base = kind === 'md5' ? join(cacheDir, 'files', 'md5') : cacheDir;
  return join(base, md5.slice(0, 2), md5.slice(2));
}

/** A folder's listing from its `.dir` object, or undefined when absent or unreadable. */
export function readDirListing(root: string, md5: string, kind: HashKind = 'md5'): ListingEntry[] | undefined {
  const file = objectPath(cacheDirOf(root), md5.endsWith('.dir') ? md5 : `${md5}.dir`, kind);
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (!Array.isArray(raw)) return undefined;
    return raw
      .filter((e): e is ListingEntry => typeof e?.md5 === 'string' && typeof e?.relpath === 'string')
      .map((e) => ({ relpath: e.relpath, md5: e.md5 }));
  } catch {
    return undefined;
  }
}

/**
 * DVC's "not in cache" test (output.changed_cache + hashfile.check): a file's object exists;
 * for a folder, its `.dir` object and the object of every file it lists. Contents are not
 * re-hashed (DVC trusts read-only objects too).
 */
export function isInCache(root: string, hash: PathHash, kind: HashKind = 'md5'): boolean {
  const cacheDir = cacheDirOf(root);
  if (!hash.md5.endsWith('.dir')) return existsSync(objectPath(cacheDir, hash.md5, kind));
  const listing = readDirListing(root, hash.md5, kind);
  return listing !== undefined && listing.every((e) => existsSync(objectPath(cacheDir, e.md5, kind)));
}

export interface PutResult {
  added: number;
  present: number;
}

/**
 * Removes temporaries that killed runs left in the cache and in .dvc/tmp (only names this
 * project makes, only of processes that are gone). Called at the start of a repro.
 */
export function sweepReproTemporaries(root: string): string[] {
  const cacheDir = cacheDirOf(root);
  // Objects sit at <cache>/<2>/ (legacy) and <cache>/files/md5/<2>/.
  return [
    ...sweepTemporaries(cacheDir, 1),
    ...sweepTemporaries(join(cacheDir, 'files', 'md5'), 1),
    ...sweepTemporaries(join(root, '.dvc', 'tmp')),
  ];
}

/**
 * A finished object under its final name: temp file (written, fsynced and checked by
 * `write`), read-only, rename (atomic on one file system). A failure removes the temp file.
 */
function placeObject(dest: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const dir = dirname(dest);
  mkdirSync(dir, { recursive: true });
  const tmp = tempNameIn(dir);
  return write(tmp).then(
    () => {
      chmodSync(tmp, CACHE_FILE_MODE);
      renameSync(tmp, dest);
      fsyncDir(dir);
    },
    (error) => {
      try {
        unlinkSync(tmp);
      } catch {
        /* never created */
      }
      throw error;
    },
  );
}

/** A full disk may take part of a buffer: loop until every byte is written or an error says why. */
async function writeAll(output: FileHandle, data: Buffer, position: number): Promise<void> {
  for (let off = 0; off < data.length;) {
    const { bytesWritten } = await output.write(data, off, data.length - off, position + off);
    if (bytesWritten <= 0) throw Object.assign(new Error(`write accepted no bytes at offset ${position + off}`), { code: 'ENOSPC' });
    off += bytesWritten;
  }
}

/** Copies `src` to `tmp` in DVC-sized chunks, hashing what is copied: the object holds exactly the bytes that have `md5`. */
async function copyVerified(src: string, tmp: string, md5: string, kind: HashKind, buffer: Buffer): Promise<void> {
  const input = await open(src, 'r');
  try {
    const output = await open(tmp, 'wx', 0o644);
    try {
      const hasher = new DvcHasher(kind);
      let pos = 0;
      for (;;) {
        let filled = 0;
        while (filled < CHUNK_SIZE) {
          const { bytesRead } = await input.read(buffer, filled, CHUNK_SIZE - filled, pos + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        if (filled === 0) break;
        hasher.update(buffer.subarray(0, filled));
        await writeAll(output, buffer.subarray(0, filled), pos);
        pos += filled;
        if (filled < CHUNK_SIZE) break;
      }
      const actual = hasher.digest();
      if (actual !== md5)
        throw new HashPathError(
          src,
          `${src} changed after it was hashed (md5 ${actual}, expected ${md5}); not put into the DVC cache. Run the stage again or re-hash.`,
        );
      await output.sync();
      // The bytes hashed are the bytes read; the file on disk must hold all of them.
      const written = (await output.stat()).size;
      if (written !== pos)
        throw new HashPathError(src, `${tmp}: ${written} bytes on disk after copying ${pos}; not put into the DVC cache.`);
    } finally {
      await output.close();
    }
  } finally {
    await input.close();
  }
}

/**
 * Puts the out at `relPath` (hashed as `hash`) into the DVC cache. For a folder, `entries`
 * are its listing (from WorkspaceHasher.hashWithEntries); without them it is hashed again.
 * Files go first and the `.dir` object last, so a present `.dir` means a complete folder.
 */
export async function putInCache(
  root: string,
  relPath: string,
  hash: PathHash,
  entries?: readonly Pick<DirEntry, 'relpath' | 'md5'>[],
  kind: HashKind = 'md5',
): Promise<PutResult> {
  const r = resolveInRepo('', relPath);
  if (!r.ok) throw new HashPathError(relPath, r.reason);
  const cacheDir = cacheDirOf(root);
  const abs = join(root, r.path);
  const result: PutResult = { added: 0, present: 0 };
  const putFile = async (src: string, md5: string, buffer: Buffer) => {
    const dest = objectPath(cacheDir, md5, kind);
    if (existsSync(dest)) {
      result.present++;
      return;
    }
    await placeObject(dest, (tmp) => copyVerified(src, tmp, md5, kind, buffer));
    result.added++;
  };
  if (!hash.md5.endsWith('.dir')) {
    if (statSync(abs).isDirectory()) throw new HashPathError(r.path, `${r.path} is a folder but its hash ${hash.md5} is a file's`);
    await putFile(abs, hash.md5, Buffer.allocUnsafe(CHUNK_SIZE));
    return result;
  }
  const list = entries ?? (await hashDir(abs, kind, { root, ignore: new DvcIgnore(root) })).entries;
  const listing = Buffer.from(serializeDirListing(list), 'latin1');
  const listingMd5 = hashBytes(listing, kind) + '.dir';
  if (listingMd5 !== hash.md5)
    throw new HashPathError(
      r.path,
      `${r.path}: the listing hashes to ${listingMd5}, not ${hash.md5}; the folder changed since it was hashed. Run the stage again or re-hash.`,
    );
  for (const e of list) {
    const inside = resolveInRepo(r.path, e.relpath);
    if (!inside.ok || !(inside.path.startsWith(r.path + '/') || r.path === ''))
      throw new HashPathError(e.relpath, `listing entry "${e.relpath}" leads outside ${r.path}; refused`);
  }
  const buffers: Buffer[] = [];
  // One object per distinct md5: two identical files share it, and must not race on it.
  const unique = [...new Map(list.map((e) => [e.md5, e])).values()];
  await mapLimit(unique, 3, (e, slot) =>
    putFile(join(abs, ...e.relpath.split('/')), e.md5, (buffers[slot] ??= Buffer.allocUnsafe(CHUNK_SIZE))),
  );
  const dirDest = objectPath(cacheDir, hash.md5, kind);
  if (existsSync(dirDest)) result.present++;
  else {
    await placeObject(dirDest, async (tmp) => {
      const out = await open(tmp, 'wx', 0o644);
      try {
        await writeAll(out, listing, 0);
        await out.sync();
        if ((await out.stat()).size !== listing.length) throw new Error(`${tmp}: short write of the .dir listing`);
      } finally {
        await out.close();
      }
    });
    result.added++;
  }
  return result;
}
