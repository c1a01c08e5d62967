import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../src/core/store/store';
import { HashCache, isRacy } from '../../../src/core/repro/hashCache';
import { CHUNK_SIZE } from '../../../src/core/repro/hashFile';
import { WorkspaceHasher } from '../../../src/core/repro/workspaceHasher';

const PAST = new Date('2024-05-01T10:00:00.123Z');
const md5 = (bytes: Buffer | string) => createHash('md5').update(bytes).digest('hex');

describe('repro/hashCache: hashes reused by (path, inode, mtime, size)', () => {
  let root: string;
  let storeFile: string;
  let store: Store;
  let reads: string[];

  const hasher = (cache = new HashCache(store), extra: ConstructorParameters<typeof WorkspaceHasher>[1] = {}) =>
    new WorkspaceHasher(root, {
      cache,
      ...extra,
      hashOptions: { ...extra.hashOptions, onRead: (p) => reads.push(p.slice(root.length + 1)) },
    });

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lineage-hashcache-'));
    storeFile = join(root, '.git', 'lineage', 'index.sqlite');
    for (let i = 0; i < 40; i++) {
      mkdirSync(join(root, 'data', `d${i % 4}`), { recursive: true });
      const file = join(root, 'data', `d${i % 4}`, `f${i}.txt`);
      writeFileSync(file, `file ${i}\r\n`.repeat(i + 1));
      utimesSync(file, PAST, PAST); // old enough not to be "racy"
    }
    store = Store.open(storeFile);
    reads = [];
  });
  afterEach(() => {
    store.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('reads every file once, then nothing on an unchanged folder (one stat per file)', async () => {
    const first = await hasher().hash('data', 'md5');
    assert.equal(reads.length, 40);
    reads = [];
    const cache = new HashCache(store);
    const h = hasher(cache);
    assert.deepEqual(await h.hash('data', 'md5'), first);
    assert.deepEqual(reads, []);
    assert.equal(cache.hits, 40);
    assert.deepEqual(h.stats, { files: 40, cacheHits: 40, filesRead: 0, bytesRead: 0 });
  });

  it('survives closing and reopening the store (persistent)', async () => {
    const first = await hasher().hash('data', 'md5');
    store.close();
    store = Store.open(storeFile);
    reads = [];
    assert.deepEqual(await hasher().hash('data', 'md5'), first);
    assert.deepEqual(reads, []);
  });

  it('re-hashes a touched file, and only that file', async () => {
    await hasher().hash('data', 'md5');
    const file = join(root, 'data', 'd1', 'f5.txt');
    writeFileSync(file, 'changed content, same folder\n');
    utimesSync(file, PAST, new Date('2024-06-01T00:00:00Z'));
    reads = [];
    const h = await hasher().hashWithEntries('data', 'md5');
    assert.deepEqual(reads, ['data/d1/f5.txt']);
    assert.equal(h?.entries?.find((e) => e.relpath === 'd1/f5.txt')?.md5, md5('changed content, same folder\n'));
  });

  it('re-hashes a file replaced by another inode with the same size and mtime', async () => {
    await hasher().hash('data', 'md5');
    const file = join(root, 'data', 'd2', 'f2.txt');
    const before = statSync(file, { bigint: true });
    const tmp = join(root, 'data', 'd2', 'tmp');
    writeFileSync(tmp, readFileSync(file).toString('latin1').toUpperCase(), 'latin1');
    utimesSync(tmp, PAST, PAST);
    renameSync(tmp, file);
    const after = statSync(file, { bigint: true });
    assert.notEqual(after.ino, before.ino);
    assert.equal(after.mtimeNs, before.mtimeNs);
    assert.equal(after.size, before.size);
    reads = [];
    await hasher().hash('data', 'md5');
    assert.deepEqual(reads, ['data/d2/f2.txt']);
  });

  it('keeps md5 and md5-dos2unix apart', async () => {
    const a = await hasher().hash('data/d0/f0.txt', 'md5');
    const b = await hasher().hash('data/d0/f0.txt', 'md5-dos2unix');
    assert.deepEqual(a, { md5: md5('file 0\r\n'), size: 8 });
    assert.deepEqual(b, { md5: md5('file 0\n'), size: 8 });
    reads = [];
    assert.deepEqual(await hasher().hash('data/d0/f0.txt', 'md5-dos2unix'), b);
    assert.deepEqual(await hasher().hash('data/d0/f0.txt', 'md5'), a);
    assert.deepEqual(reads, []);
  });

  it('does not cache a file written just now (same-tick rewrite risk), and does once it is old', async () => {
    const file = join(root, 'data', 'fresh.txt');
    writeFileSync(file, 'fresh\n');
    const mtimeNs = statSync(file, { bigint: true }).mtimeNs;
    // The clock is pinned: 10 ms after the write (racy), then 5 s after it.
    await hasher(new HashCache(store, { nowNs: () => mtimeNs + 10_000_000n })).hash('data/fresh.txt', 'md5');
    reads = [];
    await hasher(new HashCache(store, { nowNs: () => mtimeNs + 5_000_000_000n })).hash('data/fresh.txt', 'md5');
    assert.deepEqual(reads, ['data/fresh.txt']);
    reads = [];
    await hasher().hash('data/fresh.txt', 'md5');
    assert.deepEqual(reads, []);
    assert.equal(isRacy({ ino: 1n, size: 1n, mtimeNs: 5_000_000_001n }, 5_050_000_000n), true);
    assert.equal(isRacy({ ino: 1n, size: 1n, mtimeNs: 5_000_000_001n }, 5_200_000_000n), false);
    assert.equal(isRacy({ ino: 1n, size: 1n, mtimeNs: 5_000_000_000n }, 6_000_000_000n), true); // whole-second mtime: 2 s
  });

  it('drops the rows of files that disappeared from a folder', async () => {
    await hasher().hash('data', 'md5');
    unlinkSync(join(root, 'data', 'd3', 'f7.txt'));
    await hasher().hash('data', 'md5');
    const rows = new HashCache(store).loadUnder('data', 'md5');
    assert.equal(rows.size, 39);
    assert.equal(rows.has('data/d3/f7.txt'), false);
    assert.equal(new HashCache(store).loadUnder('data/d3', 'md5').size, 9);
  });

  it('never caches a wrong hash for a file that changed while it was read', async () => {
    const file = join(root, 'data', 'big.bin');
    writeFileSync(file, Buffer.alloc(3 * CHUNK_SIZE, 7));
    utimesSync(file, PAST, PAST);
    const grown = await hasher(new HashCache(store), {
      hashOptions: {
        afterFirstChunk: (p, attempt) => {
          if (p === file && attempt === 1) {
            appendFileSync(file, 'tail');
            utimesSync(file, PAST, PAST);
          }
        },
      },
    }).hashWithEntries('data', 'md5');
    const bytes = readFileSync(file);
    const entry = grown?.entries?.find((e) => e.relpath === 'big.bin');
    assert.deepEqual(entry && { md5: entry.md5, size: entry.size }, { md5: md5(bytes), size: bytes.length });
    assert.deepEqual(reads.filter((p) => p === 'data/big.bin').length, 2);
    reads = [];
    const again = await hasher().hashWithEntries('data', 'md5');
    assert.deepEqual(reads, []);
    assert.equal(again?.entries?.find((e) => e.relpath === 'big.bin')?.md5, md5(bytes));
  });
});
