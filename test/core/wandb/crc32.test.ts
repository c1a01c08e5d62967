import { strict as assert } from 'node:assert';
import * as zlib from 'node:zlib';
import { crc32 } from '../../../src/core/wandb/crc32';
import { REAL_EXIT_CHUNK, REAL_HISTORY_CHUNK, hex } from './fixtures';

describe('crc32', () => {
  it('matches the IEEE check value and known vectors', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32(Buffer.alloc(0)), 0);
    assert.equal(crc32(Buffer.from('The quick brown fox jumps over the lazy dog')), 0x414fa339);
  });

  it('reproduces the checksums wandb wrote (type byte + payload)', () => {
    for (const c of [REAL_HISTORY_CHUNK, REAL_EXIT_CHUNK]) {
      const b = hex(c);
      assert.equal(crc32(b, 6, b.length), b.readUInt32LE(0));
    }
  });

  it('continues from a previous value and agrees on every length across the slicing boundary', () => {
    const data = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 151 + 7) & 0xff));
    for (let split = 0; split <= 40; split++) {
      assert.equal(crc32(data, split, data.length, crc32(data, 0, split)), crc32(data), `split at ${split}`);
    }
    const native = (zlib as unknown as { crc32?: (d: Uint8Array) => number }).crc32;
    // zlib.crc32 exists from Node 22.2; where it does, compare on every prefix length.
    if (native) for (let n = 0; n <= data.length; n++) assert.equal(crc32(data, 0, n), native(data.subarray(0, n)), `length ${n}`);
  });
});
