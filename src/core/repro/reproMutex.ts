// One repro at a time per repository: two runs writing dvc.lock and the DVC cache at once
// would interleave. The second run refuses with the first one's pid and start time; a lock
// left behind by a process that no longer exists is taken over.

import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class ReproBusyError extends Error {}

function lockFileOf(root: string): string {
  const dvcTmp = join(root, '.dvc', 'tmp');
  if (existsSync(join(root, '.dvc'))) return join(dvcTmp, 'lineage-repro.lock');
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

/** Takes the repository's repro lock or throws ReproBusyError; call the returned function to release. */
export function acquireReproLock(root: string): () => void {
  const file = lockFileOf(root);
  mkdirSync(join(file, '..'), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, started: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      return () => { if (!released) { released = true; rmSync(file, { force: true }); } };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let holder: { pid?: number; started?: string } = {};
      try { holder = JSON.parse(readFileSync(file, 'utf8')) as typeof holder; } catch { /* being written or garbage */ }
      if (holder.pid && !alive(holder.pid)) { rmSync(file, { force: true }); continue; }
      throw new ReproBusyError(`Another repro is running in this repository (pid ${holder.pid ?? '?'}, since ${holder.started ?? '?'}); wait for it to finish. Lock file: ${file}`);
    }
  }
  throw new ReproBusyError(`Could not take the repro lock ${file}.`);
}
