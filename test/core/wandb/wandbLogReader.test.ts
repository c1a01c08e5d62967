import { strict as assert } from 'node:assert';
import { appendFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WandbLogError, WandbLogReader } from '../../../src/core/wandb/wandbLogReader';
import { encodeRecord } from '../../../src/core/wandb/wandbRecordEncode';
import { summaryRecord } from '../../../src/core/wandb/wandbLogWriter';
import { decodeRecord, type WandbRecord } from '../../../src/core/wandb/wandbRecords';
import { HEADER_HEX, REAL_EXIT_CHUNK, REAL_HISTORY_CHUNK, REAL_SUMMARY_CHUNK, chunk, hex, layout, tempDir } from './fixtures';

const FULL = 1,
  FIRST = 2,
  MIDDLE = 3,
  LAST = 4;
const BLOCK = 32768;
const HEADER = hex(HEADER_HEX);

/** A summary Record {num, update {key "k", value_json "\"xxx…\""}} whose encoding is exactly `size` bytes. */
function payloadOfSize(num: number, size: number): Buffer {
  for (let n = Math.max(0, size - 40); n <= size; n++) {
    const p = encodeRecord({ num, ...summaryRecord({ k: 'x'.repeat(n) }) });
    if (p.length === size) return p;
  }
  throw new Error(`no payload of exactly ${size} bytes`);
}

function valueOf(record: WandbRecord): string {
  assert.equal(record.type, 'summary');
  return record.type === 'summary' ? String(record.update[0].value) : '';
}

describe('WandbLogReader', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = tempDir();
    file = join(dir, 'run-abc.wandb');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function readAll(options: { chunkSize?: number } = {}) {
    const reader = new WandbLogReader(file, options);
    return { reader, ...(await reader.readAll()) };
  }

  it('reads chunks exactly as wandb 0.31 wrote them', async () => {
    const chunks = [REAL_HISTORY_CHUNK, REAL_SUMMARY_CHUNK, REAL_EXIT_CHUNK].map(hex);
    writeFileSync(file, Buffer.concat([HEADER, ...chunks]));
    const { entries, result, reader } = await readAll();
    assert.deepEqual(
      entries.map((e) => e.offset),
      [7, 7 + chunks[0].length, 7 + chunks[0].length + chunks[1].length],
    );
    const [history, summary, exit] = entries.map((e) => e.record);
    assert.deepEqual(history, {
      num: 11,
      type: 'history',
      step: 0,
      items: [
        { key: 'acc', value: 0 },
        { key: '_timestamp', value: 1795768651.9774163 },
        { key: '_runtime', value: 0.56777154 },
        { key: '_step', value: 0 },
        { key: 'train/loss', value: 1 },
      ],
    });
    assert.deepEqual(summary, { num: 22, type: 'summary', update: [{ key: 'best', value: Infinity }], remove: [] });
    assert.deepEqual(exit, { num: 28, type: 'exit', exitCode: 0, runtime: 0 });
    assert.deepEqual(
      [result.records, result.problems, result.pendingBytes, reader.offset],
      [3, [], 0, 7 + chunks.reduce((n, c) => n + c.length, 0)],
    );
  });

  it('joins a record split into first, middle and last chunks across three blocks', async () => {
    const big = payloadOfSize(1, 70000);
    const after = payloadOfSize(2, 50);
    const firstLen = BLOCK - 7 - 7;
    const middleLen = BLOCK - 7;
    const lastLen = big.length - firstLen - middleLen;
    const lastEnd = 2 * BLOCK + 7 + lastLen;
    writeFileSync(
      file,
      layout([
        [0, HEADER],
        [7, chunk(FIRST, big.subarray(0, firstLen))],
        [BLOCK, chunk(MIDDLE, big.subarray(firstLen, firstLen + middleLen))],
        [2 * BLOCK, chunk(LAST, big.subarray(firstLen + middleLen))],
        [lastEnd, chunk(FULL, after)],
      ]),
    );
    // Chunk sizes smaller than a chunk header, than a chunk, and larger than the file.
    for (const chunkSize of [5, 1000, BLOCK, 1 << 20]) {
      const { entries, result } = await readAll({ chunkSize });
      assert.deepEqual(
        entries.map((e) => [e.offset, e.record.num]),
        [
          [7, 1],
          [lastEnd, 2],
        ],
        `chunkSize ${chunkSize}`,
      );
      assert.deepEqual(entries[0].record, decodeRecord(big));
      assert.ok(valueOf(entries[0].record).length > 69900);
      assert.deepEqual(result.problems, []);
    }
  });

  it('skips fewer than 7 bytes of zero padding at a block end, and takes an empty first chunk when exactly 7 are left', async () => {
    const a = payloadOfSize(1, BLOCK - 3 - 14); // ends 3 bytes before the block end
    const b = payloadOfSize(2, 100);
    const block2 = BLOCK + 7 + b.length;
    const d = payloadOfSize(4, 193);
    const c = payloadOfSize(3, 2 * BLOCK - 7 - block2 - 14 - d.length); // c and d leave exactly 7 bytes in the block
    const e = payloadOfSize(5, 20);
    writeFileSync(
      file,
      layout([
        [0, HEADER],
        [7, chunk(FULL, a)],
        [BLOCK, chunk(FULL, b)],
        [block2, chunk(FULL, c)],
        [block2 + 7 + c.length, chunk(FULL, d)],
        [2 * BLOCK - 7, chunk(FIRST, Buffer.alloc(0))],
        [2 * BLOCK, chunk(LAST, e)],
      ]),
    );
    assert.equal(block2 + 7 + c.length + 7 + d.length, 2 * BLOCK - 7);
    const { entries, result } = await readAll();
    assert.deepEqual(
      entries.map((x) => [x.offset, x.record.num]),
      [
        [7, 1],
        [BLOCK, 2],
        [block2, 3],
        [block2 + 7 + c.length, 4],
        [2 * BLOCK - 7, 5],
      ],
    );
    assert.deepEqual(result.problems, []);
  });

  it('skips a chunk with a bad checksum, reports its byte offset and reads on', async () => {
    const chunks = [1, 2, 3].map((n) => chunk(FULL, payloadOfSize(n, 40)));
    chunks[1][20] ^= 0x01;
    writeFileSync(file, Buffer.concat([HEADER, ...chunks]));
    const { entries, result } = await readAll();
    assert.deepEqual(
      entries.map((e) => e.record.num),
      [1, 3],
    );
    assert.deepEqual(result.problems, [{ offset: 54, message: 'byte 54: bad checksum in a full chunk of 40 bytes; skipped' }]);
  });

  it('drops the rest of a multi-chunk record whose first chunk is damaged, reporting it once', async () => {
    const big = payloadOfSize(1, 40000);
    const firstLen = BLOCK - 14;
    const first = chunk(FIRST, big.subarray(0, firstLen));
    first[100] ^= 0xff;
    const last = chunk(LAST, big.subarray(firstLen));
    writeFileSync(
      file,
      layout([
        [0, HEADER],
        [7, first],
        [BLOCK, last],
        [BLOCK + last.length, chunk(FULL, payloadOfSize(2, 30))],
      ]),
    );
    const { entries, result } = await readAll();
    assert.deepEqual(
      entries.map((e) => e.record.num),
      [2],
    );
    assert.deepEqual(
      result.problems.map((p) => p.offset),
      [7],
    );
    assert.match(result.problems[0].message, /bad checksum in a first chunk/);
  });

  it('skips to the next block when a chunk header is damaged, and reports an orphan chunk', async () => {
    const bad = chunk(FULL, payloadOfSize(1, 30));
    bad.writeUInt16LE(40000, 4); // longer than the block
    const orphan = chunk(LAST, payloadOfSize(9, 20));
    writeFileSync(
      file,
      layout([
        [0, HEADER],
        [7, bad],
        [BLOCK, orphan],
        [BLOCK + orphan.length, chunk(FULL, payloadOfSize(2, 30))],
      ]),
    );
    const { entries, result } = await readAll();
    assert.deepEqual(
      entries.map((e) => e.record.num),
      [2],
    );
    assert.deepEqual(
      result.problems.map((p) => p.message),
      [
        'byte 7: bad chunk header (type 1, length 40000 with 32754 bytes left in the block); skipped the rest of the block',
        `byte ${BLOCK}: a last chunk without the first chunk of its record; skipped`,
      ],
    );
  });

  it('refuses a file that is not a W&B log, naming the header it found', async () => {
    writeFileSync(file, Buffer.from('PK\x03\x04\x14\x00\x00\x00', 'latin1'));
    await assert.rejects(
      new WandbLogReader(file).read(() => undefined),
      (e: Error) =>
        e instanceof WandbLogError &&
        e.message === `${file}: not a W&B log (header 50 4b 03 04 14 00 00; expected 3a 57 26 42 e1 be 00, ":W&B" 0xBEE1 version 0)`,
    );
    writeFileSync(file, hex('3a572642e1be01'));
    await assert.rejects(
      new WandbLogReader(file).read(() => undefined),
      /unsupported W&B log version 1/,
    );
  });

  it('treats an empty file or a partial header as a log with nothing in it yet', async () => {
    for (const bytes of [Buffer.alloc(0), hex('3a5726')]) {
      writeFileSync(file, bytes);
      const { entries, reader } = await readAll();
      assert.deepEqual([entries.length, reader.offset], [0, 0]);
    }
  });

  it('stops at a truncated last record and picks it up once the writer completes it', async () => {
    const whole = [1, 2].map((n) => chunk(FULL, payloadOfSize(n, 60)));
    const big = payloadOfSize(3, 40000);
    const firstLen = BLOCK - 7 - whole[0].length - whole[1].length - 7;
    const first = chunk(FIRST, big.subarray(0, firstLen));
    const last = chunk(LAST, big.subarray(firstLen));
    const image = layout([
      [0, HEADER],
      [7, whole[0]],
      [7 + whole[0].length, whole[1]],
      [7 + 2 * whole[0].length, first],
      [BLOCK, last],
    ]);
    const cut = BLOCK + 100; // inside the last chunk
    writeFileSync(file, image.subarray(0, cut));
    const reader = new WandbLogReader(file);
    const seen: number[] = [];
    const r1 = await reader.read((rec) => seen.push(rec.num));
    assert.deepEqual(seen, [1, 2]);
    assert.equal(reader.offset, 7 + 2 * whole[0].length, 'the offset stays at the start of the unfinished record');
    assert.deepEqual([r1.pendingBytes, r1.problems], [cut - reader.offset, []]);

    appendFileSync(file, image.subarray(cut));
    appendFileSync(file, chunk(FULL, payloadOfSize(4, 20)));
    const r2 = await reader.read((rec) => seen.push(rec.num));
    assert.deepEqual(seen, [1, 2, 3, 4]);
    assert.deepEqual([r2.records, r2.pendingBytes, r2.problems], [2, 0, []]);

    // A new reader resuming from a saved offset reads only what follows it.
    const resumed: number[] = [];
    await new WandbLogReader(file, { offset: 7 + whole[0].length }).read((rec) => resumed.push(rec.num));
    assert.deepEqual(resumed, [2, 3, 4]);
  });

  it('keeps everything before a cut in the middle of a chunk header', async () => {
    writeFileSync(file, Buffer.concat([HEADER, chunk(FULL, payloadOfSize(1, 30)), chunk(FULL, payloadOfSize(2, 30))]));
    truncateSync(file, 7 + 37 + 3);
    const { entries, result } = await readAll();
    assert.deepEqual([entries.map((e) => e.record.num), result.pendingBytes, result.problems], [[1], 3, []]);
  });

  it('reports an undecodable record and reads on', async () => {
    writeFileSync(file, Buffer.concat([HEADER, chunk(FULL, hex('0a 7f')), chunk(FULL, payloadOfSize(2, 30))]));
    const { entries, result } = await readAll();
    assert.deepEqual(
      entries.map((e) => e.record.num),
      [2],
    );
    assert.deepEqual(result.problems, [
      { offset: 7, message: 'byte 7: undecodable record (field 1: expected a varint, got wire type 2); skipped' },
    ]);
  });
});
