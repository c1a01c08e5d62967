// DVC's directory hash (dvc-data hashfile/build.py _build_tree and tree.py): walk like os.walk
// (symlinked folders are listed but never entered; symlinked files are followed), drop what
// .dvcignore ignores, hash each file, then md5 the `.dir` listing: Python's
// json.dumps(sorted [{"md5", "relpath"}], sort_keys=True) with its default separators and
// ensure_ascii escaping, sorted by code point. The lock records `<md5>.dir`, the sum of the
// file sizes and the file count.

import { readdirSync, realpathSync, statSync, type BigIntStats, type Dirent } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { DvcIgnore } from './dvcIgnore';
import { CHUNK_SIZE, hashBytes, hashFileStamped, isExecutable, type HashFileOptions } from './hashFile';
import type { DirEntry, HashKind, PathHash } from './types';

/** A path DVC could not hash either, or that we refuse (outside the repository). */
export class HashPathError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'HashPathError';
  }
}

/**
 * One file to hash, with what the hash cache needs from its stat. The stat object itself is
 * not kept: 10,000 retained BigIntStats cost more garbage collection than the stats took.
 */
export interface WalkedFile {
  /** Path inside the hashed folder, '/'-separated: the listing's relpath. */
  relpath: string;
  /** Path from the repository root (the hash cache key). */
  repoPath: string;
  absPath: string;
  size: number;
  mode: number;
  /** stampKey() of the stat: "<inode> <mtime ns> <size>". */
  stamp: string;
}

export function isInside(real: string, realRoot: string): boolean {
  return real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);
}

/**
 * The files DVC would hash in `dirRel` (relative to `root`), each stat-ed once. Sync per
 * folder (a stat answered from the inode cache costs microseconds; a promise per file costs
 * more than the stat), yielding to the event loop between folders.
 */
export async function walkDir(root: string, dirRel: string, ignore: DvcIgnore = new DvcIgnore(root)): Promise<WalkedFile[]> {
  const realRoot = realpathSync(root);
  const out: WalkedFile[] = [];
  // DvcIgnorePatterns._ignore tries every leading folder of a path; below the start, the walk
  // only enters folders that passed, and a folder's own .dvcignore rules only match paths
  // under it, so each entry then needs its own last-rule-wins decision only.
  if (dirRel !== '' && ignore.isIgnored(dirRel, true)) return out;
  const pending: string[] = [''];
  let visited = 0;
  while (pending.length > 0) {
    const sub = pending.pop()!;
    const repoDir = dirRel && sub ? `${dirRel}/${sub}` : dirRel || sub;
    const absDir = repoDir ? join(root, repoDir) : root;
    const matcher = ignore.forDir(repoDir);
    let dirents: Dirent[];
    try {
      dirents = readdirSync(absDir, { withFileTypes: true });
    } catch (error) {
      throw new HashPathError(repoDir, `cannot list ${repoDir}: ${(error as Error).message}`);
    }
    for (const d of dirents) {
      const name = d.name;
      const repoPath = repoDir ? `${repoDir}/${name}` : name;
      if (name.includes('\uFFFD'))
        throw new HashPathError(
          repoPath,
          `${repoPath}: the file name is not valid UTF-8; DVC's hash of this folder cannot be reproduced. Rename the file.`,
        );
      const relpath = sub ? `${sub}/${name}` : name;
      const absPath = `${absDir}${sep}${name}`;
      const link = d.isSymbolicLink();
      let stat: BigIntStats | undefined;
      let isDir = d.isDirectory();
      if (link) {
        try {
          stat = statSync(absPath, { bigint: true });
        } catch {
          throw new HashPathError(
            repoPath,
            `${repoPath} is a broken symbolic link; DVC cannot hash ${dirRel || 'the folder'} with it either. Remove it or list it in .dvcignore.`,
          );
        }
        isDir = stat.isDirectory();
      }
      if (isDir) {
        // os.walk(followlinks=False) lists a symlinked folder but never enters it.
        if (link || matcher.decide(repoPath, true) || ignore.isSubRepo(repoPath)) continue;
        pending.push(relpath);
        continue;
      }
      if (matcher.decide(repoPath, false)) continue;
      if (name === '.dvcignore')
        throw new HashPathError(
          repoPath,
          `${repoPath}: a .dvcignore file inside a tracked folder is not allowed by DVC (it fails with "should not be in collected dir path"). Move its rules to a .dvcignore outside ${dirRel || 'the folder'}.`,
        );
      if (link) {
        const real = realpathSync(absPath);
        if (!isInside(real, realRoot))
          throw new HashPathError(
            repoPath,
            `${repoPath} is a symbolic link to ${real}, outside the repository; refused. Copy the file in, or list the link in .dvcignore.`,
          );
      }
      stat ??= statSync(absPath, { bigint: true });
      if (!stat.isFile())
        throw new HashPathError(
          repoPath,
          `${repoPath} is not a regular file (a FIFO, socket or device); DVC cannot hash it. List it in .dvcignore.`,
        );
      out.push({
        relpath,
        repoPath,
        absPath,
        size: Number(stat.size),
        mode: Number(stat.mode),
        stamp: `${stat.ino} ${stat.mtimeNs} ${stat.size}`,
      });
    }
    if (++visited % 16 === 0) await new Promise((r) => setImmediate(r));
  }
  return out;
}

const nativeCompare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const HIGH_UNITS = /[\uD800-\uFFFF]/;

/** Sorts by relpath in Python's order; JS's own comparison is that order below U+D800. */
export function sortByRelpath<T extends { relpath: string }>(entries: T[]): T[] {
  const compare = entries.some((e) => HIGH_UNITS.test(e.relpath)) ? compareCodePoints : nativeCompare;
  return entries.sort((a, b) => compare(a.relpath, b.relpath));
}

/** Python's str < str: code point order (UTF-16 order differs for astral vs U+E000..U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      // Move surrogates above the rest of the BMP so pairs sort as the code points they encode.
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

const SHORT_ESCAPES: Record<number, string> = {
  0x22: '\\"',
  0x5c: '\\\\',
  0x0a: '\\n',
  0x0d: '\\r',
  0x09: '\\t',
  0x08: '\\b',
  0x0c: '\\f',
};

const NEEDS_ESCAPE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;

/** Python json.dumps(str) with ensure_ascii: only ' '..'~' stay; UTF-16 units as \uXXXX (lowercase). */
export function pythonJsonString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c <= 0x7e && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(start, i) + (SHORT_ESCAPES[c] ?? '\\u' + c.toString(16).padStart(4, '0'));
    start = i + 1;
  }
  return out + s.slice(start) + '"';
}

function isSorted(entries: readonly { relpath: string }[]): boolean {
  for (let i = 1; i < entries.length; i++) if (compareCodePoints(entries[i - 1].relpath, entries[i].relpath) >= 0) return false;
  return true;
}

/** The `.dir` object's bytes: Tree.as_bytes() without meta. */
export function serializeDirListing(entries: readonly { relpath: string; md5: string }[]): string {
  const sorted = isSorted(entries) ? entries : sortByRelpath([...entries]);
  return '[' + sorted.map((e) => `{"md5": ${pythonJsonString(e.md5)}, "relpath": ${pythonJsonString(e.relpath)}}`).join(', ') + ']';
}

/** `<md5>.dir`, size and nfiles of a listing, with the listing's bytes (the cache object). */
export function dirHashOf(entries: readonly DirEntry[], kind: HashKind): { hash: PathHash; listing: Buffer } {
  // Tree.digest hashes with plain md5 and legacy trees re-hash the same bytes with
  // md5-dos2unix; the listing is ASCII without raw CR/LF, so both give the same value.
  const listing = Buffer.from(serializeDirListing(entries), 'latin1');
  const size = entries.reduce((n, e) => n + e.size, 0);
  return { hash: { md5: hashBytes(listing, kind) + '.dir', size, nfiles: entries.length }, listing };
}

/** Runs `fn` over `items` with at most `limit` in flight, results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, slot: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (slot: number) => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], slot);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, (_, slot) => worker(slot)));
  return results;
}

export interface HashDirOptions {
  /** Repository root: where .dvcignore rules start and what symbolic links may not leave. Default: absDir. */
  root?: string;
  ignore?: DvcIgnore;
  concurrency?: number;
  hashOptions?: HashFileOptions;
  /** Supplies each file's hash (the workspace hasher answers from its cache here); default: read every file. */
  resolve?: (files: WalkedFile[], kind: HashKind) => Promise<{ md5: string; size: number }[]>;
}

export interface DirHash {
  hash: PathHash;
  entries: DirEntry[];
  listing: Buffer;
}

/** Reads every file, `concurrency` at a time, one CHUNK_SIZE buffer per slot. */
export async function hashWalkedFiles(
  files: WalkedFile[],
  kind: HashKind,
  concurrency = 3,
  hashOptions: HashFileOptions = {},
): Promise<{ md5: string; size: number; stat: BigIntStats }[]> {
  const buffers: Buffer[] = [];
  return mapLimit(files, concurrency, async (file, slot) => {
    buffers[slot] ??= Buffer.allocUnsafe(CHUNK_SIZE);
    const r = await hashFileStamped(file.absPath, kind, { ...hashOptions, buffer: buffers[slot] });
    return { md5: r.hash.md5, size: r.hash.size, stat: r.stat };
  });
}

/** DVC's hash of the folder `absDir` with its listing entries. */
export async function hashDir(absDir: string, kind: HashKind, options: HashDirOptions = {}): Promise<DirHash> {
  const root = options.root ?? absDir;
  const rel = relative(root, absDir).split(sep).join('/');
  if (rel === '..' || rel.startsWith('../') || isAbsolute(rel))
    throw new HashPathError(absDir, `${absDir} is not inside the repository ${root}; refused.`);
  const files = await walkDir(root, rel, options.ignore ?? new DvcIgnore(root));
  const hashes = options.resolve
    ? await options.resolve(files, kind)
    : await hashWalkedFiles(files, kind, options.concurrency, options.hashOptions);
  const entries: DirEntry[] = files.map((f, i) => ({
    relpath: f.relpath,
    md5: hashes[i].md5,
    size: hashes[i].size,
    isexec: isExecutable(f.mode),
  }));
  sortByRelpath(entries);
  const { hash, listing } = dirHashOf(entries, kind);
  return { hash, entries, listing };
}
