// Whether anyone may still be appending to a run's .wandb log. A log without an exit record,
// or one that ends inside a record, is normal while a run is alive and a sign of a crash or a
// cut copy once it is not; the rule below tells the two apart from what a run folder holds.
//
// The rule: a log has a live writer when
//   1. it changed within RUNNING_WINDOW_MS (wandb appends a system-metrics record every 15 s
//      and history as the script logs), and
//   2. its writer is not known to be gone. logs/debug.log names the pid of the process that
//      called wandb.init (`MainThread:<pid>` on each line); wandb-core, which writes the log,
//      exits when that process does. When the run was made on this machine (the run record's
//      host, else the environment's, is this hostname) and no process has that pid, nobody
//      can be writing. A pid since reused reads as alive: then rule 1 decides alone, erring
//      towards "running" for at most RUNNING_WINDOW_MS. A run from another machine (a shared
//      or copied folder) is judged by rule 1 alone.

import { lstat, open } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { processAlive } from '../util/processAlive';

/** The first lines are enough: wandb writes the pid on every line from the first. */
const HEAD_BYTES = 4096;
const PID = /\bMainThread:(\d+)\b/;

/** The pid of the process that called wandb.init, from `logs/debug.log` (never through a symlink), or null. */
export async function wandbInitPid(folder: string): Promise<number | null> {
  const path = join(folder, 'logs', 'debug.log');
  try {
    if (!(await lstat(path)).isFile()) return null;
    const handle = await open(path, 'r');
    try {
      const buf = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
      const pid = Number(PID.exec(buf.toString('utf8', 0, bytesRead))?.[1]);
      return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

/** True only when this machine has no process with that pid (EPERM means one exists, owned by someone else). */
export function processGone(pid: number): boolean {
  return !processAlive(pid);
}

/** Rule 2: the run was made here and the process that wrote its log has exited. */
export async function writerKnownGone(folder: string, runHost: string | null): Promise<boolean> {
  if (!runHost || runHost !== hostname()) return false;
  const pid = await wandbInitPid(folder);
  return pid !== null && processGone(pid);
}
