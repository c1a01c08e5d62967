// A lock file that names its owner, for work two processes must not do at once (a repro, an
// indexing run). It is never seen half-written: the owner record (pid, host, start time) is
// written to a temporary file first and hard-linked onto the lock name, which fails
// atomically when the name exists. A lock that is empty or unreadable, or whose owner on this
// host is gone, is taken over with a warning; taking over renames the stale file away first,
// so of two processes only one wins.

import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { tempNameIn, writeAllSync } from './atomicWrite';
import { processAlive } from './processAlive';

export interface LockOwner {
  pid: number;
  host?: string;
  started?: string;
}

export interface OwnerLock {
  release(): void;
  /** Set when a stale lock was taken over: say so to the user. */
  warning?: string;
}

export type TryLock = { lock: OwnerLock } | { holder: LockOwner };

/** Creates `file` holding our owner record, or returns false when it exists. */
function createWithOwner(file: string, owner: LockOwner): boolean {
  const tmp = tempNameIn(dirname(file));
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    try {
      writeAllSync(fd, Buffer.from(JSON.stringify(owner)));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

function readOwner(file: string): LockOwner | 'gone' | 'unreadable' {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : 'unreadable';
  }
  try {
    const o = JSON.parse(text) as LockOwner;
    return typeof o === 'object' && o !== null && Number.isInteger(o.pid) ? o : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** Why a lock held by `owner` may be taken over, or undefined when its owner may still run. */
function staleReason(owner: LockOwner | 'unreadable'): string | undefined {
  if (owner === 'unreadable') return 'it was empty or unreadable';
  if (owner.host && owner.host !== hostname()) return undefined; // another machine's process: cannot tell
  if (!processAlive(owner.pid)) return `its owner (pid ${owner.pid}, since ${owner.started ?? '?'}) is no longer running`;
  return undefined;
}

/** Takes the lock, or returns who holds it. */
export function tryOwnerLock(file: string): TryLock {
  mkdirSync(dirname(file), { recursive: true });
  const me: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  let warning: string | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createWithOwner(file, me)) {
      let released = false;
      return {
        lock: {
          warning,
          release: () => {
            if (!released) {
              released = true;
              rmSync(file, { force: true });
            }
          },
        },
      };
    }
    const owner = readOwner(file);
    if (owner === 'gone') continue;
    const why = staleReason(owner);
    if (!why) return { holder: owner as LockOwner };
    const aside = tempNameIn(dirname(file));
    try {
      renameSync(file, aside);
    } catch {
      continue;
    }
    const moved = readOwner(aside);
    if (moved !== 'gone' && !staleReason(moved)) {
      // Between our read and the rename another process took the lock over: give it back.
      try {
        linkSync(aside, file);
      } catch {
        /* a third process holds it now */
      }
      rmSync(aside, { force: true });
      continue;
    }
    rmSync(aside, { force: true });
    warning = `Took over the lock ${file}: ${why}.`;
  }
  const last = readOwner(file);
  return { holder: typeof last === 'object' ? last : { pid: 0 } };
}

/**
 * Waits for the lock (polling; lock files cannot be waited on portably). `onWait` is called
 * once, after `noticeMs`, with the holder, so a user learns why nothing happens.
 */
export async function waitForOwnerLock(
  file: string,
  onWait: (holder: LockOwner) => void,
  options: { noticeMs?: number; pollMs?: number; signal?: AbortSignal } = {},
): Promise<OwnerLock> {
  const started = Date.now();
  let told = false;
  for (;;) {
    const r = tryOwnerLock(file);
    if ('lock' in r) return r.lock;
    if (options.signal?.aborted) throw new Error(`gave up waiting for ${file} (held by pid ${r.holder.pid})`);
    if (!told && Date.now() - started >= (options.noticeMs ?? 1000)) {
      told = true;
      onWait(r.holder);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
  }
}
