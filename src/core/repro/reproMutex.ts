// One repro at a time per repository: two runs writing dvc.lock and the DVC cache at once
// would interleave. The second run refuses with the first one's pid, host and start time; a
// stale lock (empty, unreadable, or its owner gone) is taken over with a warning.

import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tryOwnerLock, type OwnerLock } from '../util/ownerLock';

export class ReproBusyError extends Error {}

export type ReproLock = OwnerLock;

export function lockFileOf(root: string): string {
  if (existsSync(join(root, '.dvc'))) return join(root, '.dvc', 'tmp', 'lineage-repro.lock');
  return join(tmpdir(), `lineage-repro-${createHash('sha1').update(root).digest('hex').slice(0, 16)}.lock`);
}

/** Takes the repository's repro lock or throws ReproBusyError. */
export function acquireReproLock(root: string): ReproLock {
  const file = lockFileOf(root);
  const r = tryOwnerLock(file);
  if ('lock' in r) return r.lock;
  const h = r.holder;
  throw new ReproBusyError(
    `Another repro is running in this repository (pid ${h.pid}${h.host ? ` on ${h.host}` : ''}, since ${h.started ?? '?'}); wait for it to finish. Lock file: ${file}`,
  );
}
