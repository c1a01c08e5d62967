// Hashes workspace paths (deps and outs of stages) the way DVC does, through the hash cache:
// an unchanged file costs one stat, a changed one is read once. Paths are repository-relative
// and never resolve outside the repository, through `..` or through a symbolic link.

import { realpathSync, statSync, type BigIntStats } from 'node:fs';
import { join } from 'node:path';
import { resolveInRepo } from '../util/paths';
import { DvcIgnore } from './dvcIgnore';
import { HashPathError, hashDir, hashWalkedFiles, isInside, type WalkedFile } from './hashDir';
import { hashFileStamped, isExecutable, type HashFileOptions } from './hashFile';
import { stampOf, type HashCache, type HashCacheWrite } from './hashCache';
import type { DirEntry, HashKind, PathHash } from './types';

export interface WorkspaceHasherOptions {
  cache?: HashCache;
  /** Files read at once: 2-4 keeps the disk and the md5 on the main thread both busy. */
  concurrency?: number;
  hashOptions?: HashFileOptions;
}

export interface HashStats {
  /** Files whose stat was checked. */
  files: number;
  /** Files answered from the hash cache. */
  cacheHits: number;
  /** Files read and hashed. */
  filesRead: number;
  bytesRead: number;
}

export interface HashedPath {
  hash: PathHash;
  entries?: DirEntry[];
  listing?: Buffer;
}

export class WorkspaceHasher {
  readonly stats: HashStats = { files: 0, cacheHits: 0, filesRead: 0, bytesRead: 0 };
  private readonly cache?: HashCache;
  private readonly concurrency: number;
  private readonly hashOptions: HashFileOptions;
  private realRoot?: string;

  constructor(
    readonly root: string,
    options: WorkspaceHasherOptions = {},
  ) {
    this.cache = options.cache;
    this.concurrency = options.concurrency ?? 3;
    const onRead = options.hashOptions?.onRead;
    this.hashOptions = {
      ...options.hashOptions,
      onRead: (path, bytes) => {
        this.stats.filesRead++;
        this.stats.bytesRead += bytes;
        onRead?.(path, bytes);
      },
    };
  }

  /** DVC's hash of a file or folder, or undefined when it does not exist. */
  async hash(relPath: string, kind: HashKind): Promise<PathHash | undefined> {
    return (await this.hashWithEntries(relPath, kind))?.hash;
  }

  /** Like hash(), plus a folder's listing entries (and the `.dir` object bytes) for the cache. */
  async hashWithEntries(relPath: string, kind: HashKind): Promise<HashedPath | undefined> {
    const rel = this.resolve(relPath);
    const abs = join(this.root, rel);
    let stat: BigIntStats;
    try {
      stat = statSync(abs, { bigint: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      throw error;
    }
    this.checkInside(rel, abs);
    if (stat.isDirectory()) return this.hashFolder(rel, abs, kind);
    if (!stat.isFile()) throw new HashPathError(rel, `${rel} is not a regular file or folder; DVC cannot hash it.`);
    return { hash: await this.hashOne(rel, abs, stat, kind) };
  }

  /**
   * Whether DVC ignores this path through .dvcignore: DVC treats an ignored out as missing
   * (deps are not checked). Reads the .dvcignore files again on each call.
   */
  isIgnored(relPath: string): boolean {
    const rel = this.resolve(relPath);
    let isDir = false;
    try {
      isDir = statSync(join(this.root, rel)).isDirectory();
    } catch {
      // a missing path is tested as a file, like DvcIgnoreFilter.is_ignored
    }
    return new DvcIgnore(this.root).isIgnored(rel, isDir);
  }

  private resolve(relPath: string): string {
    const r = resolveInRepo('', relPath);
    if (!r.ok) throw new HashPathError(relPath, r.reason);
    return r.path;
  }

  /** A path whose real location (symbolic links resolved) is outside the repository is refused. */
  private checkInside(rel: string, abs: string): void {
    this.realRoot ??= realpathSync.native(this.root);
    const real = realpathSync.native(abs);
    if (!isInside(real, this.realRoot)) {
      throw new HashPathError(rel, `${rel} resolves to ${real}, outside the repository (a symbolic link); refused.`);
    }
  }

  private async hashOne(rel: string, abs: string, stat: BigIntStats, kind: HashKind): Promise<PathHash> {
    this.stats.files++;
    const cached = this.cache?.get(rel, kind, stampOf(stat));
    if (cached !== undefined) {
      this.stats.cacheHits++;
      return { md5: cached, size: Number(stat.size), ...(isExecutable(stat.mode) ? { isexec: true } : {}) };
    }
    const r = await hashFileStamped(abs, kind, this.hashOptions, stat);
    this.cache?.update(kind, [{ path: rel, stat: stampOf(r.stat), md5: r.hash.md5 }]);
    return r.hash;
  }

  private async hashFolder(rel: string, abs: string, kind: HashKind): Promise<HashedPath> {
    const dir = await hashDir(abs, kind, {
      root: this.root,
      ignore: new DvcIgnore(this.root),
      resolve: (files, k) => this.resolveFiles(rel, files, k),
    });
    return { hash: dir.hash, entries: dir.entries, listing: dir.listing };
  }

  /** Cache hits by stamp; the rest read `concurrency` at a time; one transaction for the writes. */
  private async resolveFiles(rel: string, files: WalkedFile[], kind: HashKind): Promise<{ md5: string; size: number }[]> {
    this.stats.files += files.length;
    const cache = this.cache;
    const known = cache?.loadUnder(rel, kind);
    const out = new Array<{ md5: string; size: number }>(files.length);
    const missing: number[] = [];
    let rowsSeen = 0;
    for (let i = 0; i < files.length; i++) {
      const f = files[i];
      const row = known?.get(f.repoPath);
      if (row !== undefined) rowsSeen++;
      const md5 = cache?.match(row, f.stamp);
      if (md5 !== undefined) out[i] = { md5, size: f.size };
      else missing.push(i);
    }
    this.stats.cacheHits += files.length - missing.length;
    const writes: HashCacheWrite[] = [];
    if (missing.length > 0) {
      // Keyed by the stat taken after reading, which describes exactly the bytes hashed.
      const hashed = await hashWalkedFiles(
        missing.map((i) => files[i]),
        kind,
        this.concurrency,
        this.hashOptions,
      );
      missing.forEach((i, j) => {
        out[i] = { md5: hashed[j].md5, size: hashed[j].size };
        writes.push({ path: files[i].repoPath, stat: stampOf(hashed[j].stat), md5: hashed[j].md5 });
      });
    }
    if (cache && known) {
      // Rows of files no longer there (only looked for when some row found no file).
      let removed: string[] = [];
      if (rowsSeen < known.size) {
        const present = new Set(files.map((f) => f.repoPath));
        removed = [...known.keys()].filter((p) => !present.has(p));
      }
      cache.update(kind, writes, removed);
    }
    return out;
  }
}
