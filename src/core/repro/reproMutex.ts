// One repro at a time per repository: two runs writing dvc.lock and the DVC cache at once
// would interleave. The lock file is never seen half-written: its owner record (pid, host,
// start time) is written to a temporary file first and hard-linked onto the lock name, which
// fails atomically when the name exists. A lock that is empty or unreadable (made by an older
// version, or damaged), or whose owner process on this host is gone, is taken over with a
// warning; taking over renames the stale file away first, so of two processes only one wins.

import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempNameIn, writeAllSync } from '../util/atomicWrite';

export class ReproBusyError extends Error {}

interface Owner { pid?: number; host?: string; started?: string }

export interface ReproLock {
  release(): void;
  /** Set when a stale lock was taken over: say so to the user. */
  warning?: string;
}

export function lockFileOf(root: string): string {
  if (existsSync(join(root, '.dvc'))) return join(root, '.dvc', 'tmp', 'lineage-repro.lock');
  return join(tmpdir(), `lineage-repro-${createHash('sha1').update(root).digest('hex').slice(0, 16)}.lock`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates `file` holding our owner record, or returns false when it exists. */
function createWithOwner(file: string, owner: Owner): boolean {
  const tmp = tempNameIn(join(file, '..'));
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    try { writeAllSync(fd, Buffer.from(JSON.stringify(owner))); fsyncSync(fd); } finally { closeSync(fd); }
    linkSync(tmp, file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
}

function readOwner(file: string): Owner | 'gone' | 'unreadable' {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) { return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'gone' : 'unreadable'; }
  try {
    const o = JSON.parse(text) as Owner;
    return typeof o === 'object' && o !== null && Number.isInteger(o.pid) ? o : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** Why a lock held by `owner` may be taken over, or undefined when its owner may still run. */
function staleReason(owner: Owner | 'unreadable'): string | undefined {
  if (owner === 'unreadable') return 'it was empty or unreadable';
  if (owner.host && owner.host !== hostname()) return undefined; // another machine's process: cannot tell
  if (!alive(owner.pid!)) return `its owner (pid ${owner.pid}, since ${owner.started ?? '?'}) is no longer running`;
  return undefined;
}

/** Takes the repository's repro lock or throws ReproBusyError. */
export function acquireReproLock(root: string): ReproLock {
  const file = lockFileOf(root);
  mkdirSync(join(file, '..'), { recursive: true });
  const me: Owner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  let warning: string | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (createWithOwner(file, me)) {
      let released = false;
      return { warning, release: () => { if (!released) { released = true; rmSync(file, { force: true }); } } };
    }
    const owner = readOwner(file);
    if (owner === 'gone') continue;
    const why = staleReason(owner);
    if (!why) throw new ReproBusyError(`Another repro is running in this repository (pid ${(owner as Owner).pid}${(owner as Owner).host ? ` on ${(owner as Owner).host}` : ''}, since ${(owner as Owner).started ?? '?'}); wait for it to finish. Lock file: ${file}`);
    // Only one of two processes can move the stale file away; the other sees it gone and retries.
    const aside = tempNameIn(join(file, '..'));
    try { renameSync(file, aside); } catch { continue; }
    const moved = readOwner(aside);
    if (moved !== 'gone' && !staleReason(moved)) {
      // Between our read and the rename another process took the lock over: give it back.
      try { linkSync(aside, file); } catch { /* a third process holds it now */ }
      rmSync(aside, { force: true });
      continue;
    }
    rmSync(aside, { force: true });
    warning = `Took over the repro lock ${file}: ${why}.`;
  }
  throw new ReproBusyError(`Could not take the repro lock ${file}; another process keeps taking it.`);
}
