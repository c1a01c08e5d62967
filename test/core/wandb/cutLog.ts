// A .wandb log that never got its exit record, written by the project's own writer, for the
// tests of logs cut off mid-record.

import { spawnSync } from 'node:child_process';
import { WandbLogWriter, historyRecord, runRecord } from '../../../src/core/wandb/wandbLogWriter';
import type { WandbRecordBody } from '../../../src/core/wandb/wandbRecords';

/**
 * The log and where its last record starts: a history row big enough to span blocks (FIRST,
 * MIDDLE… chunks), so a cut inside it leaves whole chunks of an unfinished record.
 */
export function unfinishedLog(runId: string, host: string): { bytes: Buffer; lastRecordAt: number } {
  const parts: Uint8Array[] = [];
  const writer = new WandbLogWriter((b) => parts.push(b));
  const records: WandbRecordBody[] = [
    { type: 'header', producer: '0.31.0', minConsumer: '0.70.0' },
    runRecord({ runId, project: 'p', host }),
    historyRecord(0, { loss: 1 }),
    historyRecord(1, { loss: 0.5 }),
  ];
  for (const r of records) writer.write(r);
  const lastRecordAt = writer.size;
  writer.write(historyRecord(2, { loss: 0.25, notes: 'x'.repeat(80 * 1024) }));
  return { bytes: Buffer.concat(parts), lastRecordAt };
}

/** wandb's debug.log names the process that called wandb.init on every line. */
export const debugLog = (pid: number) =>
  `2025-01-02 09:30:00,001 INFO    MainThread:${pid} [wandb_setup.py:_flush():81] Current SDK version is 0.31.0\n`;

/** A pid no process has any more: a child that has already exited. */
export function exitedPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}
