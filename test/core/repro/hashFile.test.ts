import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHUNK_SIZE, FileChangedError, hashBytes, hashFile, hashFileStamped, isTextBlock } from '../../../src/core/repro/hashFile';

const M = CHUNK_SIZE;
const b = (s: string) => Buffer.from(s, 'latin1');
const u = (s: string) => Buffer.from(s, 'utf8');
const rep = (s: string | Buffer, n: number) => (typeof s === 'string' ? b(s.repeat(n)) : Buffer.concat(Array.from({ length: n }, () => s)));

/** The bytes of each fixture (the same generator was run under Python to get the values below). */
export function fileFixtures(): Record<string, { bytes: Buffer; mode?: number }> {
  return {
    'crlf.txt': { bytes: b('first line\r\nsecond line\r\nthird\r\n') },
    'lf.txt': { bytes: b('first line\nsecond line\nthird\n') },
    'bin_crlf.bin': { bytes: b('\x00\x01\x02\r\n\xff\xfe\r\nabc\r\n') },
    // A CRLF split by the 1 MiB chunk boundary: the \r ends chunk 1, the \n starts chunk 2.
    'big_crlf.txt': { bytes: Buffer.concat([rep('a', M - 1), b('\r\n'), rep('b\r\n', 1000)]) },
    // Chunk 1 binary (NUL first), chunk 2 text: only chunk 2's CRLFs are converted.
    'mixed_chunks.bin': { bytes: Buffer.concat([b('\x00'), rep('xy\r\n', (M - 1) >> 2), b('zzz'), rep('text\r\n', 500)]) },
    // Chunk 1 text, chunk 2 binary.
    'late_binary.txt': { bytes: Buffer.concat([rep('row,1\r\n', 149796), b('\r\n\r\n'), rep('\x00\x00\r\n', 100)]) },
    // Only the first 512 bytes of a chunk decide: a NUL after them does not make it binary.
    'late_nul.txt': { bytes: Buffer.concat([rep('ok\r\n', 128), b('\x00\r\n')]) },
    'empty.txt': { bytes: Buffer.alloc(0) },
    'utf8_mostly.txt': { bytes: rep(u('日本語のテキスト、改行はCRLF。\r\n'), 20) },
    'utf8_some.txt': { bytes: rep(u('Grüße aus der Stadt Köln\r\n'), 20) },
    'thirty.txt': { bytes: b('\xe9\xe9\xe9abcd\r\nx') },
    'thirty_one.txt': { bytes: b('\xe9\xe9\xe9\xe9abcdefg\r\n') },
    'lone_cr.txt': { bytes: b('a\rb\r\r\nc\n\r') },
    'run.sh': { bytes: b('#!/bin/sh\r\necho hi\r\n'), mode: 0o755 },
    'group_exec.sh': { bytes: b('echo g\n'), mode: 0o610 },
  };
}

// [name, md5 (DVC 3), md5-dos2unix (DVC 2), size, isexec]. Produced by dvc-data 3.18.3
// (dvc 3.67.1): dvc_data.hashfile.build.build(..., name, dry_run=True) over the same bytes.
const EXPECTED: [string, string, string, number, boolean?][] = [
  ['big_crlf.txt', '4e3fc79a611a5fd5fb4320f4a6b3fe05', '51eec7c8d41c9c7410b26cbeb02049aa', 1051577],
  ['bin_crlf.bin', '515b631464150361428fe9ec164055c8', '515b631464150361428fe9ec164055c8', 14],
  ['crlf.txt', '7b30f58e3b3a97095dca751fbf144753', '2494c7c9eaf2adde069af6b1b43012f7', 32],
  ['empty.txt', 'd41d8cd98f00b204e9800998ecf8427e', 'd41d8cd98f00b204e9800998ecf8427e', 0],
  ['group_exec.sh', 'd31def2cf53e5209fe33f2ee3ae2dc11', 'd31def2cf53e5209fe33f2ee3ae2dc11', 7, true],
  ['late_binary.txt', 'dd94714092c4547de926ad66473a0db8', '44c334ffc158157075658d35f0c11c61', 1048976],
  ['late_nul.txt', '210d40c3084a98dc364254fa90b64667', '73c5f33d9a326b4e5364a01132015830', 515],
  ['lf.txt', '2494c7c9eaf2adde069af6b1b43012f7', '2494c7c9eaf2adde069af6b1b43012f7', 29],
  ['lone_cr.txt', '4a7ae889ce8277c71c9a7fa3db8713ed', 'cc6c8bcb6216648b93bf628d2c4c647e', 9],
  ['mixed_chunks.bin', '93e00d893c06100451cdb46d214f8033', 'b57c91366eb17248c5afc59ffd3804a9', 1051576],
  ['run.sh', 'd630b700b935323438a4804c51e8cc04', '46bbbe8aa98cc0714426e948474eaaf4', 20, true],
  ['thirty.txt', 'df543b5216c61756eeb7371321c89ba8', '4ca617552343483d5a1e2a53863d6461', 10],
  ['thirty_one.txt', 'a0dfe6b4e933c7d755d6f9658a14bc76', 'a0dfe6b4e933c7d755d6f9658a14bc76', 13],
  ['utf8_mostly.txt', 'a48e2d4c5df458c2f672129751ab7c0e', 'a48e2d4c5df458c2f672129751ab7c0e', 900],
  ['utf8_some.txt', '543726a54a2a439eebf656474898835c', '14dea2a67d7b58e9bdb7248ce220b823', 580],
];

export function writeFileFixtures(dir: string): void {
  for (const [name, f] of Object.entries(fileFixtures())) {
    writeFileSync(join(dir, name), f.bytes);
    if (f.mode !== undefined) chmodSync(join(dir, name), f.mode);
  }
}

describe('repro/hashFile: DVC file hashes', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lineage-hashfile-'));
    writeFileFixtures(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [name, md5, dos2unix, size, isexec] of EXPECTED) {
    it(`${name}: md5 and md5-dos2unix as dvc-data computes them`, async () => {
      const expectExec = isexec ? { isexec: true } : {};
      assert.deepEqual(await hashFile(join(dir, name), 'md5'), { md5, size, ...expectExec });
      assert.deepEqual(await hashFile(join(dir, name), 'md5-dos2unix'), { md5: dos2unix, size, ...expectExec });
    });
  }

  it('hashes a CRLF that straddles the chunk boundary unconverted (not a whole-file dos2unix)', () => {
    const bytes = fileFixtures()['big_crlf.txt'].bytes;
    const wholeFile = createHash('md5')
      .update(Buffer.from(bytes.toString('latin1').replace(/\r\n/g, '\n'), 'latin1'))
      .digest('hex');
    assert.notEqual(wholeFile, '51eec7c8d41c9c7410b26cbeb02049aa');
    assert.equal(hashBytes(bytes, 'md5-dos2unix'), '51eec7c8d41c9c7410b26cbeb02049aa');
  });

  it('classifies blocks like istextblock', () => {
    assert.equal(isTextBlock(Buffer.alloc(0)), true);
    assert.equal(isTextBlock(b('plain\r\n\t\f\b')), true);
    assert.equal(isTextBlock(b('abc\x00')), false);
    assert.equal(isTextBlock(b('\xe9\xe9\xe9abcdefg')), true); // exactly 30%
    assert.equal(isTextBlock(b('\xe9\xe9\xe9abcdef')), false);
    assert.equal(isTextBlock(b('\x7f\x7f\x7fabcdefg')), true); // DEL is not a text byte
    assert.equal(isTextBlock(b('\x7f\x7f\x7f\x7fabcdefg')), false);
  });

  it('re-reads a file appended to while it is hashed, and returns the hash of what is there', async () => {
    const file = join(dir, 'growing.bin');
    writeFileSync(file, rep('x', 3 * M));
    let calls = 0;
    const r = await hashFileStamped(file, 'md5', {
      afterFirstChunk: (_path, attempt) => {
        calls++;
        if (attempt === 1) appendFileSync(file, 'more');
      },
    });
    assert.equal(calls, 2);
    const bytes = readFileSync(file);
    assert.deepEqual(r.hash, { md5: createHash('md5').update(bytes).digest('hex'), size: bytes.length });
    assert.equal(r.stat.size, BigInt(bytes.length));
  });

  it('gives up with FileChangedError on a file that keeps changing, instead of a wrong hash', async () => {
    const file = join(dir, 'busy.bin');
    writeFileSync(file, rep('y', 2 * M));
    await assert.rejects(hashFile(file, 'md5', { afterFirstChunk: () => appendFileSync(file, 'z') }), FileChangedError);
  });

  it('notices a same-size rewrite while reading (mtime/ctime differ)', async () => {
    const file = join(dir, 'rewrite.bin');
    writeFileSync(file, rep('a', 2 * M));
    const r = await hashFileStamped(file, 'md5', {
      afterFirstChunk: async (_p, attempt) => {
        if (attempt > 1) return;
        await new Promise((res) => setTimeout(res, 20));
        writeFileSync(file, rep('b', 2 * M));
      },
    });
    assert.equal(
      r.hash.md5,
      createHash('md5')
        .update(rep('b', 2 * M))
        .digest('hex'),
    );
  });

  it('streams: the whole file is never in memory (one chunk buffer reused)', async () => {
    const file = join(dir, 'stream.bin');
    writeFileSync(file, rep('s', 5 * M + 7));
    const buffer = Buffer.alloc(CHUNK_SIZE);
    let reads = 0;
    const h = await hashFile(file, 'md5', {
      buffer,
      onRead: (_p, n) => {
        reads += n;
      },
    });
    assert.equal(h.size, 5 * M + 7);
    assert.equal(reads, 5 * M + 7);
  });
});
