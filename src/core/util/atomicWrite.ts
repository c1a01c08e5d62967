// The one way this project replaces a file it may write (dvc.lock, .dvc files, .gitignore,
// DVC cache objects): bytes go to a temporary file in the same folder, every write count is
// checked (a full disk may accept part of a buffer), the file is fsynced and its size checked,
// and only then renamed over the final name. On any error the temporary file is removed, so a
// final name never holds a partial file. Temporary names carry the writer's pid so a sweep can
// tell an abandoned one (its process is gone) from one being written right now.

import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fchmodSync,
  fstatSync,
  fsyncSync,
  openSync,
  readdirSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { processAlive } from './processAlive';

const TEMP_MARK = '.lineage-';
const TEMP_RE = /^\.lineage-(\d+)-[A-Za-z0-9_-]+\.tmp$/;

/** A fresh temporary name in `dir`, recognisable by sweepTemporaries. */
export function tempNameIn(dir: string): string {
  return join(dir, `${TEMP_MARK}${process.pid}-${randomBytes(9).toString('base64url')}.tmp`);
}

/** Writes all of `buf` at `position` (or the current offset), looping over short writes. */
export function writeAllSync(fd: number, buf: Buffer, position?: number): void {
  let off = 0;
  while (off < buf.length) {
    const n = writeSync(fd, buf, off, buf.length - off, position === undefined ? null : position + off);
    // A write that takes nothing would loop for ever: the device is out of space or broken.
    if (n <= 0) throw Object.assign(new Error(`write accepted ${n} of ${buf.length - off} bytes`), { code: 'ENOSPC' });
    off += n;
  }
}

/** fsyncs a folder so a rename in it survives a crash; not possible everywhere (Windows). */
export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // the rename is done; durability of the folder entry is best effort here
  }
}

export interface AtomicWriteOptions {
  /** File mode of a new file (an existing file keeps its mode); default 0o666 & ~umask. */
  mode?: number;
  /** Follow a symlink at `path` and replace its target, as DVC's open() does (default true). */
  followSymlink?: boolean;
}

/**
 * Replaces `path` with `data`, atomically: after it returns the file holds exactly `data`;
 * after a throw (full disk, kill, anything) it holds what it held before.
 */
export function writeFileAtomic(path: string, data: string | Buffer, options: AtomicWriteOptions = {}): void {
  let target = path;
  if (options.followSymlink !== false) {
    try {
      target = realpathSync(path);
    } catch {
      /* does not exist yet */
    }
  }
  const dir = dirname(target);
  let mode = options.mode;
  try {
    mode = statSync(target).mode & 0o7777;
  } catch {
    /* new file */
  }
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const tmp = tempNameIn(dir);
  try {
    const fd = openSync(tmp, 'wx', 0o666);
    try {
      if (mode !== undefined) fchmodSync(fd, mode);
      writeAllSync(fd, buf, 0);
      fsyncSync(fd);
      const size = fstatSync(fd).size;
      if (size !== buf.length) throw new Error(`${tmp}: ${size} bytes on disk after writing ${buf.length}`);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* never created, or renamed */
    }
    throw new Error(`could not write ${target}: ${(e as Error).message}`, { cause: e });
  }
  fsyncDir(dir);
}

/**
 * Removes this project's temporary files left in `dir` (and, with `depth`, its sub-folders)
 * by processes that no longer run: a kill between create and rename leaves one behind.
 * Only names tempNameIn makes are touched. Returns the paths removed.
 */
export function sweepTemporaries(dir: string, depth = 0): string[] {
  const removed: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return removed;
  }
  for (const e of entries) {
    if (e.isDirectory()) {
      if (depth > 0) removed.push(...sweepTemporaries(join(dir, e.name), depth - 1));
      continue;
    }
    const m = TEMP_RE.exec(e.name);
    if (!m || !e.isFile() || processAlive(Number(m[1]))) continue;
    try {
      unlinkSync(join(dir, e.name));
      removed.push(join(dir, e.name));
    } catch {
      /* gone already */
    }
  }
  return removed;
}

/** True for a name tempNameIn makes (walkers skip them). */
export function isTemporaryName(name: string): boolean {
  return TEMP_RE.test(basename(name));
}
