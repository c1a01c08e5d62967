// Writes .wandb logs byte-compatible with wandb's own (framing in wandbLogFormat.ts): used by
// the tests, the benchmark's 100 MB log and the demo repository. Interop tests read what it
// writes with wandb's `wandb leet inspect`.

import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { crc32 } from './crc32';
import { encodeRecord } from './wandbRecordEncode';
import { BLOCK_SIZE, CHUNK_HEADER_SIZE, FIRST, FULL, HEADER, LAST, MIDDLE } from './wandbLogFormat';
import type { WandbItem, WandbRecord, WandbRecordBody, WandbRunInfo } from './wandbRecords';
import type { DataValue } from '../data/types';

const TYPE_CRC = [0, 1, 2, 3, 4].map((t) => crc32(Uint8Array.of(t)));

/** Frames records into chunks and blocks; `sink` receives the bytes in file order, the header first. */
export class WandbLogWriter {
  /** Bytes written so far, header included. */
  size = 0;
  private nextNum = 1;

  constructor(private readonly sink: (bytes: Uint8Array) => void) {
    this.emit(HEADER);
  }

  private emit(bytes: Uint8Array): void {
    this.sink(bytes);
    this.size += bytes.length;
  }

  /** Writes a record; a body without `num` gets the next number (1, 2, …), as wandb numbers them. */
  write(record: WandbRecordBody & { num?: number }): void {
    const num = record.num ?? this.nextNum;
    this.nextNum = num + 1;
    this.writePayload(encodeRecord({ ...record, num } as WandbRecord));
  }

  /** Frames one already-encoded Record. */
  writePayload(payload: Uint8Array): void {
    let p = 0;
    let first = true;
    for (;;) {
      const left = BLOCK_SIZE - (this.size % BLOCK_SIZE);
      if (left < CHUNK_HEADER_SIZE) {
        this.emit(new Uint8Array(left));
        continue;
      }
      // As LevelDB does, exactly 7 bytes left still take a chunk header (an empty FIRST chunk).
      const n = Math.min(left - CHUNK_HEADER_SIZE, payload.length - p);
      const last = p + n === payload.length;
      const type = first && last ? FULL : first ? FIRST : last ? LAST : MIDDLE;
      const header = Buffer.allocUnsafe(CHUNK_HEADER_SIZE);
      header.writeUInt32LE(crc32(payload, p, p + n, TYPE_CRC[type]), 0);
      header.writeUInt16LE(n, 4);
      header[6] = type;
      this.emit(header);
      this.emit(payload.subarray(p, p + n));
      p += n;
      first = false;
      if (last) return;
    }
  }
}

/** A whole log in memory. */
export function encodeWandbLog(records: Iterable<WandbRecordBody & { num?: number }>): Buffer {
  const parts: Uint8Array[] = [];
  const writer = new WandbLogWriter((b) => parts.push(b));
  for (const r of records) writer.write(r);
  return Buffer.concat(parts);
}

/** Writes a log to `path` atomically (temp file, fsync, rename), buffering writes in 1 MiB pieces. */
export function writeWandbLogFile(path: string, records: Iterable<WandbRecordBody & { num?: number }>): number {
  const temp = `${path}.tmp-${process.pid}`;
  const fd = openSync(temp, 'w');
  try {
    const pending: Uint8Array[] = [];
    let pendingBytes = 0;
    const flush = () => {
      if (pendingBytes === 0) return;
      writeSync(fd, Buffer.concat(pending, pendingBytes));
      pending.length = 0;
      pendingBytes = 0;
    };
    const writer = new WandbLogWriter((b) => {
      pending.push(b);
      pendingBytes += b.length;
      if (pendingBytes >= 1 << 20) flush();
    });
    for (const r of records) writer.write(r);
    flush();
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
    return writer.size;
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Items from a plain object (values written as Python's json writes them). */
export function wandbItems(values: Record<string, DataValue>): WandbItem[] {
  return Object.entries(values).map(([key, value]) => ({ key, value }));
}

export function runRecord(run: Partial<WandbRunInfo> & { runId: string }): WandbRecordBody {
  return {
    type: 'run',
    run: {
      entity: '',
      project: '',
      displayName: '',
      group: '',
      jobType: '',
      notes: '',
      sweepId: '',
      host: '',
      tags: [],
      startTime: null,
      git: null,
      config: [],
      ...run,
    },
  };
}

/** A history row as wandb.log writes it: `_step` (and whatever else is given) among the items, and the step. */
export function historyRecord(step: number, values: Record<string, DataValue>): WandbRecordBody {
  return { type: 'history', items: wandbItems({ ...values, _step: step }), step };
}

export function summaryRecord(values: Record<string, DataValue>, remove: string[] = []): WandbRecordBody {
  return { type: 'summary', update: wandbItems(values), remove };
}

export function configRecord(values: Record<string, DataValue>, remove: string[] = []): WandbRecordBody {
  return { type: 'config', update: wandbItems(values), remove };
}

export function exitRecord(exitCode: number, runtime = 0): WandbRecordBody {
  return { type: 'exit', exitCode, runtime };
}
