import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { cacheDirOf, isInCache, objectPath, putInCache, readDirListing } from '../../../src/core/repro/dvcObjectCache';
import { WorkspaceHasher } from '../../../src/core/repro/workspaceHasher';
import type { HashKind } from '../../../src/core/repro/types';
import { DATASET_LISTING, writeDataset } from './hashDir.test';
import { writeFileFixtures } from './hashFile.test';

// The tree `dvc commit -f make` (dvc 3.67.1, dvc-data 3.18.3, umask 022) left in .dvc/cache of
// a twin repository holding the same files, for a stage whose outs were files/run.sh,
// files/crlf.txt, files/empty.txt and dataset: [object path, size]; every object 0444,
// every folder 0755 (0777 & ~umask). The .dir object's bytes are DATASET_LISTING.
const DVC3_LAYOUT: [string, number][] = [
  ['files/md5/08/e54ce4e5242dce7c97d2c10c69202a', 6],
  ['files/md5/23/7b85a370fb8d450e54be151b0a0401', 8],
  ['files/md5/27/937069f3854be211a87754939316ca.dir', 962],
  ['files/md5/3e/2b31c72181b87149ff995e7202c0e3', 10],
  ['files/md5/60/b725f10c9c85c70d97880dfe8191b3', 2],
  ['files/md5/64/9c727626d5a242b871347db6558c50', 5],
  ['files/md5/78/b12c3428b6a6bae461e77803898431', 3],
  ['files/md5/7b/30f58e3b3a97095dca751fbf144753', 32],
  ['files/md5/88/0452a52a07b96e6e32a7089aef77fb', 4],
  ['files/md5/b7/269fa2508548e4032c455818f1e321', 2],
  ['files/md5/c3/be117041a113540deb0ff532b19543', 2],
  ['files/md5/d4/1d8cd98f00b204e9800998ecf8427e', 0],
  ['files/md5/d6/30b700b935323438a4804c51e8cc04', 20],
  ['files/md5/ef/4330228809c42919ada65a11393fd1', 10],
  ['files/md5/f9/45ece6b359adf187927f1b8063610f', 6],
];

// Same, from a twin whose dvc.lock had legacy entries (no `hash: md5`) for files/crlf.txt,
// files/run.sh and dataset: `dvc commit -f` kept them legacy and wrote the objects at the
// top of the cache under their md5-dos2unix names, with the files' raw (CRLF) bytes.
const LEGACY_LAYOUT: [string, number][] = [
  ['08/e54ce4e5242dce7c97d2c10c69202a', 6],
  ['09/c2a27685821cc70b29b7465028c05a.dir', 962],
  ['24/94c7c9eaf2adde069af6b1b43012f7', 32],
  ['34/4fd2323dd33d5c058b7cf27de029e8', 10],
  ['3e/2b31c72181b87149ff995e7202c0e3', 10],
  ['46/bbbe8aa98cc0714426e948474eaaf4', 20],
  ['60/b725f10c9c85c70d97880dfe8191b3', 2],
  ['64/5aedc8a285fef107aaa656bef82788', 4],
  ['64/9c727626d5a242b871347db6558c50', 5],
  ['78/b12c3428b6a6bae461e77803898431', 3],
  ['b7/269fa2508548e4032c455818f1e321', 2],
  ['be/7b8f8778c66108434d60a64b27e129', 8],
  ['c3/be117041a113540deb0ff532b19543', 2],
  ['d4/1d8cd98f00b204e9800998ecf8427e', 0],
  ['f9/45ece6b359adf187927f1b8063610f', 6],
];

function tree(dir: string): { files: [string, number][]; modes: Set<string> } {
  const files: [string, number][] = [];
  const modes = new Set<string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const mode = (statSync(p).mode & 0o777).toString(8);
      if (e.isDirectory()) {
        modes.add(`dir ${mode}`);
        walk(p);
      } else {
        files.push([relative(dir, p), statSync(p).size]);
        modes.add(`file ${mode}`);
      }
    }
  };
  walk(dir);
  return { files: files.sort((a, b) => (a[0] < b[0] ? -1 : 1)), modes };
}

describe('repro/dvcObjectCache: outs into the local DVC cache like `dvc commit`', () => {
  let root: string;
  const dirMode = (0o777 & ~process.umask()).toString(8);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lineage-objcache-'));
    mkdirSync(join(root, '.dvc'));
    writeFileSync(join(root, '.dvc', 'config'), '');
    mkdirSync(join(root, 'files'));
    writeFileFixtures(join(root, 'files'));
    writeDataset(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  async function commit(outs: string[], kind: HashKind) {
    const hasher = new WorkspaceHasher(root);
    for (const out of outs) {
      const h = await hasher.hashWithEntries(out, kind);
      await putInCache(root, out, h!.hash, h!.entries, kind);
    }
  }

  it('writes the same objects, sizes and modes as dvc commit (DVC 3 layout)', async () => {
    await commit(['files/run.sh', 'files/crlf.txt', 'files/empty.txt', 'dataset'], 'md5');
    const t = tree(join(root, '.dvc', 'cache'));
    assert.deepEqual(t.files, DVC3_LAYOUT);
    assert.deepEqual([...t.modes].sort(), [`dir ${dirMode}`, 'file 444']);
    assert.equal(readFileSync(objectPath(cacheDirOf(root), '27937069f3854be211a87754939316ca.dir'), 'latin1'), DATASET_LISTING);
    assert.equal(
      readFileSync(objectPath(cacheDirOf(root), '7b30f58e3b3a97095dca751fbf144753'), 'latin1'),
      'first line\r\nsecond line\r\nthird\r\n',
    );
  });

  it('writes the legacy layout for md5-dos2unix hashes (raw bytes under the dos2unix md5)', async () => {
    await commit(['files/crlf.txt', 'files/run.sh', 'dataset'], 'md5-dos2unix');
    const t = tree(join(root, '.dvc', 'cache'));
    assert.deepEqual(t.files, LEGACY_LAYOUT);
    assert.equal(
      readFileSync(join(root, '.dvc', 'cache', '24', '94c7c9eaf2adde069af6b1b43012f7'), 'latin1'),
      'first line\r\nsecond line\r\nthird\r\n',
    );
  });

  it('answers isInCache and readDirListing from the objects; a missing file object means not in cache', async () => {
    const hasher = new WorkspaceHasher(root);
    const ds = (await hasher.hashWithEntries('dataset', 'md5'))!;
    assert.equal(isInCache(root, ds.hash, 'md5'), false);
    await putInCache(root, 'dataset', ds.hash, ds.entries);
    assert.equal(isInCache(root, ds.hash, 'md5'), true);
    assert.equal(isInCache(root, ds.hash, 'md5-dos2unix'), false);
    assert.deepEqual(
      readDirListing(root, ds.hash.md5),
      ds.entries!.map((e) => ({ relpath: e.relpath, md5: e.md5 })),
    );
    const object = objectPath(cacheDirOf(root), '880452a52a07b96e6e32a7089aef77fb');
    chmodSync(object, 0o644);
    rmSync(object);
    assert.equal(isInCache(root, ds.hash, 'md5'), false);
  });

  it('skips objects already present and leaves no temp files', async () => {
    await commit(['dataset'], 'md5');
    const dirObject = objectPath(cacheDirOf(root), '27937069f3854be211a87754939316ca.dir');
    const before = statSync(dirObject).mtimeMs;
    const hasher = new WorkspaceHasher(root);
    const h = (await hasher.hashWithEntries('dataset', 'md5'))!;
    const r = await putInCache(root, 'dataset', h.hash, h.entries);
    assert.deepEqual(r, { added: 0, present: 13 }); // 12 distinct file objects + the .dir
    assert.equal(statSync(dirObject).mtimeMs, before);
    assert.equal(
      tree(join(root, '.dvc', 'cache')).files.some(([p]) => p.endsWith('.tmp')),
      false,
    );
  });

  it('refuses to cache a file that changed after it was hashed, leaving nothing behind', async () => {
    const h = (await new WorkspaceHasher(root).hash('files/crlf.txt', 'md5'))!;
    writeFileSync(join(root, 'files', 'crlf.txt'), 'other bytes\n');
    await assert.rejects(putInCache(root, 'files/crlf.txt', h), /changed after it was hashed/);
    assert.deepEqual(tree(join(root, '.dvc', 'cache')).files, []);
  });

  it('re-hashes a folder given without entries, and refuses a stale folder hash', async () => {
    const h = (await new WorkspaceHasher(root).hash('dataset', 'md5'))!;
    await putInCache(root, 'dataset', h);
    assert.equal(isInCache(root, h), true);
    writeFileSync(join(root, 'dataset', 'a.txt'), 'new\n');
    await assert.rejects(putInCache(root, 'dataset', h), /changed since it was hashed/);
  });

  it('uses [cache] dir from .dvc/config (relative to .dvc)', async () => {
    writeFileSync(join(root, '.dvc', 'config'), '[cache]\n    dir = ../shared-cache\n');
    assert.equal(cacheDirOf(root), join(root, 'shared-cache'));
    await commit(['files/empty.txt'], 'md5');
    assert.equal(statSync(join(root, 'shared-cache', 'files', 'md5', 'd4', '1d8cd98f00b204e9800998ecf8427e')).size, 0);
  });
});
