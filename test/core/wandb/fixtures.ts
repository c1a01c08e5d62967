// Byte fixtures for the .wandb tests. REAL_* are chunks copied byte for byte from a log that
// wandb 0.31 wrote (offline run, `run.log({"train/loss": 1, "acc": 0})`, `run.summary["best"] =
// float("inf")`, `run.finish()`); the builders lay out hand-made chunks at exact offsets.

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32 } from '../../../src/core/wandb/crc32';

export const HEADER_HEX = '3a572642e1be00';

/** Record 11: a history row (acc 0, _timestamp, _runtime, _step 0, train/loss 1), step {} (0). */
export const REAL_HISTORY_CHUNK =
  '69485193700001080b126c0a091203616363820101300a25120a5f74696d657374616d70820116312e37393537363836353139373734313633652b30390a1712085f72756e74696d6582010a302e35363737373135340a0b12055f73746570820101300a10120a747261696e2f6c6f7373820101311200';
/** Record 22: summary update best = Infinity (value_json written bare), with _info {stream_id}. */
export const REAL_SUMMARY_CHUNK = '58ffe36b2400010816c20c0a0a0830376e656d746c631a130a110a0462657374820108496e66696e697479';
/** Record 28: exit {} (exit code 0), with control {mailbox_slot} and _info. */
export const REAL_EXIT_CHUNK = '2311a7ec230001081c82010e220c793034676369767065647835c20c0a0a0830376e656d746c63920100';

export function hex(s: string): Buffer {
  return Buffer.from(s.replace(/\s+/g, ''), 'hex');
}

/** One chunk: crc32(type + payload) LE, length LE, type, payload. */
export function chunk(type: number, payload: Uint8Array): Buffer {
  const out = Buffer.alloc(7 + payload.length);
  out[6] = type;
  Buffer.from(payload).copy(out, 7);
  out.writeUInt32LE(crc32(out, 6, out.length), 0);
  out.writeUInt16LE(payload.length, 4);
  return out;
}

/** A file image: pieces placed at explicit offsets (zeros in between), e.g. [[0, header], [7, chunk]]. */
export function layout(pieces: [number, Uint8Array][]): Buffer {
  const size = Math.max(...pieces.map(([at, b]) => at + b.length));
  const out = Buffer.alloc(size);
  for (const [at, b] of pieces) Buffer.from(b).copy(out, at);
  return out;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'lineage-wandb-'));
}

export function writeFiles(root: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}
