// Persistent file-hash cache in the store (table hash_cache), like DVC's state db: a hash is
// reused while the file's (inode, mtime, size) are what they were when it was hashed.

import type { BigIntStats } from 'node:fs';
import type { Store } from '../store/store';
import type { HashKind } from './types';

/** What identifies one version of a file's bytes without reading them. */
export interface FileStamp {
  ino: bigint;
  mtimeNs: bigint;
  size: bigint;
}

export interface HashCacheWrite {
  path: string;
  stat: FileStamp;
  md5: string;
}

export interface HashCacheOptions {
  /** Clock in ns since the epoch (tests move it). */
  nowNs?: () => bigint;
}

const SECOND = 1_000_000_000n;

/**
 * Racy-clean guard (as Git's index does): a file modified again within the same timestamp
 * tick as the version we hashed keeps its (mtime, size), so a hash taken less than one tick
 * after the last write is not cached. Whole-second mtimes suggest a coarse file system
 * (2 s, FAT-like); otherwise the kernel's coarse clock ticks in milliseconds (100 ms margin).
 */
export function isRacy(stat: FileStamp, nowNs: bigint): boolean {
  const window = stat.mtimeNs % SECOND === 0n ? 2n * SECOND : SECOND / 10n;
  return stat.mtimeNs + window > nowNs;
}

/** "<inode> <mtime ns> <size>": the stamp compared as one string (SQLite builds the same). */
export function stampKey(stat: FileStamp): string {
  return `${stat.ino} ${stat.mtimeNs} ${stat.size}`;
}

export function stampOf(stat: BigIntStats): FileStamp {
  return { ino: stat.ino, mtimeNs: stat.mtimeNs, size: stat.size };
}

const STAMP_SQL = `inode || ' ' || mtime_ns || ' ' || size`;
const MD5_LENGTH = 32;

const nowNsDefault = () => BigInt(Date.now()) * 1_000_000n;

/** A loaded folder: path -> "<stamp> <md5>" (kept as one string; split only on a hit). */
export type LoadedHashes = Map<string, string>;

export class HashCache {
  /** Lookups answered without reading the file, and those that were not. */
  hits = 0;
  misses = 0;
  writes = 0;
  private readonly nowNs: () => bigint;

  constructor(
    readonly store: Store,
    options: HashCacheOptions = {},
  ) {
    this.nowNs = options.nowNs ?? nowNsDefault;
  }

  /** One file's cached md5 when its stamp still matches. */
  get(path: string, kind: HashKind, stat: FileStamp): string | undefined {
    const row = this.store.sql(`SELECT ${STAMP_SQL} || ' ' || md5 AS v FROM hash_cache WHERE kind = ? AND path = ?`).get(kind, path) as
      { v: string } | undefined;
    return this.match(row?.v, stampKey(stat));
  }

  /**
   * Every row under folder `dir` ('' = all) in one range query. The rows come back as two JSON
   * arrays built by SQLite: for 10,000 rows that is about half the time of 10,000 row objects,
   * and this load is most of what a warm check costs beyond its stats.
   */
  loadUnder(dir: string, kind: HashKind): LoadedHashes {
    const select = `SELECT json_group_array(path) AS paths, json_group_array(${STAMP_SQL} || ' ' || md5) AS vals FROM hash_cache WHERE kind = ?`;
    const row = (
      dir === ''
        ? this.store.sql(select).get(kind)
        : // '/' + 1 is '0': every 'dir/...' path sorts between 'dir/' and 'dir0' (BINARY collation).
          this.store.sql(`${select} AND path > ? AND path < ?`).get(kind, `${dir}/`, `${dir}0`)
    ) as { paths: string; vals: string };
    const paths = JSON.parse(row.paths) as string[];
    const vals = JSON.parse(row.vals) as string[];
    const map: LoadedHashes = new Map();
    for (let i = 0; i < paths.length; i++) map.set(paths[i], vals[i]);
    return map;
  }

  /** The md5 in a loaded value when its stamp is `stamp` (counted as a hit), else undefined. */
  match(value: string | undefined, stamp: string): string | undefined {
    if (value !== undefined && value.length === stamp.length + 1 + MD5_LENGTH && value.startsWith(stamp)) {
      this.hits++;
      return value.slice(-MD5_LENGTH);
    }
    this.misses++;
    return undefined;
  }

  /** Stores fresh hashes and drops rows of files that are gone, in one transaction. Racy ones are skipped. */
  update(kind: HashKind, writes: readonly HashCacheWrite[], removed: readonly string[] = []): void {
    const now = this.nowNs();
    const keep = writes.filter((w) => !isRacy(w.stat, now));
    if (keep.length === 0 && removed.length === 0) return;
    const put = this.store.sql(
      'INSERT INTO hash_cache (kind, path, inode, mtime_ns, size, md5) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (kind, path) DO UPDATE SET inode = excluded.inode, mtime_ns = excluded.mtime_ns, size = excluded.size, md5 = excluded.md5',
    );
    const del = this.store.sql('DELETE FROM hash_cache WHERE kind = ? AND path = ?');
    this.store.transaction(() => {
      for (const w of keep) put.run(kind, w.path, String(w.stat.ino), String(w.stat.mtimeNs), Number(w.stat.size), w.md5);
      for (const path of removed) del.run(kind, path);
    });
    this.writes += keep.length;
  }

  /** Forgets everything under `dir` (or one file): after a checkout or when asked to re-hash. */
  clear(dir = ''): void {
    if (dir === '') this.store.sql('DELETE FROM hash_cache').run();
    else this.store.sql('DELETE FROM hash_cache WHERE path = ? OR (path > ? AND path < ?)').run(dir, `${dir}/`, `${dir}0`);
  }
}
