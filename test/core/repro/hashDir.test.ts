import { strict as assert } from 'node:assert';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { compareCodePoints, hashDir, HashPathError, pythonJsonString, serializeDirListing } from '../../../src/core/repro/hashDir';
import { WorkspaceHasher } from '../../../src/core/repro/workspaceHasher';

/** The dataset fixture: unicode names, .dvcignore'd files, a sub-repository, .git, symlinks. */
export function writeDataset(root: string): void {
  const files: [string, string, number?][] = [
    ['dataset/a.txt', 'a\n'],
    ['dataset/a b/c.txt', 'space\n'],
    ['dataset/a/x.txt', 'ax\r\n'],
    ['dataset/b/\u00fc.txt', 'umlaut\r\n'],
    ['dataset/b/\u65e5\u672c/\u30d5\u30a1\u30a4\u30eb.csv', 'x,y\r\n1,2\r\n'],
    ['dataset/\u{1F600}.txt', 'smile\n'],
    ['dataset/\uff46.txt', 'fw\n'],
    ['dataset/quote"back\\slash.txt', 'q\n'],
    ['dataset/tab\tdel\x7fname.txt', 't\n'],
    ['dataset/empty.txt', ''],
    ['dataset/x.tmp', 'ignored\n'],
    ['dataset/keep.tmp', 'kept\n'],
    ['dataset/b/also.tmp', 'ignored too\n'],
    ['dataset/skip_dir/f.txt', 'ignored dir\n'],
    ['dataset/.git', 'gitdir: elsewhere\n'],
    ['dataset/subrepo/.dvc/config', ''],
    ['dataset/subrepo/f.txt', 'in a subrepo\n'],
    ['dataset/run.sh', '#!/bin/sh\n', 0o755],
    ['nested/.dvcignore', '*.log\n/top_only.txt\nlogs/\n'],
    ['nested/top_only.txt', 'top\n'],
    ['nested/inner/top_only.txt', 'inner top\n'],
    ['nested/inner/x.log', 'log\n'],
    ['nested/inner/logs/y.txt', 'log dir\n'],
    ['nested/inner/keep.txt', 'keep\n'],
    ['.dvcignore', '# comment\n*.tmp\ndataset/skip_dir/\n!dataset/keep.tmp\n'],
  ];
  for (const [rel, text, mode] of files) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text, 'utf8');
    if (mode !== undefined) chmodSync(join(root, rel), mode);
  }
  symlinkSync('a.txt', join(root, 'dataset/link_to_a.txt'));
  symlinkSync('b', join(root, 'dataset/link_dir'));
}

// Produced by dvc-data 3.18.3 (dvc 3.67.1): build(..., ignore=repo.dvcignore, dry_run=True)
// on the same tree; `.dir` bytes are Tree.as_bytes(). The same md5s appear in the dvc.lock that
// `dvc commit` wrote in a twin repository (see objectCache.test.ts).
const DATASET_MD5 = { md5: '27937069f3854be211a87754939316ca.dir', size: 60, nfiles: 13 };
const DATASET_DOS2UNIX = { md5: '09c2a27685821cc70b29b7465028c05a.dir', size: 60, nfiles: 13 };
export const DATASET_LISTING = String.raw`[{"md5": "f945ece6b359adf187927f1b8063610f", "relpath": "a b/c.txt"}, {"md5": "60b725f10c9c85c70d97880dfe8191b3", "relpath": "a.txt"}, {"md5": "880452a52a07b96e6e32a7089aef77fb", "relpath": "a/x.txt"}, {"md5": "237b85a370fb8d450e54be151b0a0401", "relpath": "b/\u00fc.txt"}, {"md5": "ef4330228809c42919ada65a11393fd1", "relpath": "b/\u65e5\u672c/\u30d5\u30a1\u30a4\u30eb.csv"}, {"md5": "d41d8cd98f00b204e9800998ecf8427e", "relpath": "empty.txt"}, {"md5": "649c727626d5a242b871347db6558c50", "relpath": "keep.tmp"}, {"md5": "60b725f10c9c85c70d97880dfe8191b3", "relpath": "link_to_a.txt"}, {"md5": "c3be117041a113540deb0ff532b19543", "relpath": "quote\"back\\slash.txt"}, {"md5": "3e2b31c72181b87149ff995e7202c0e3", "relpath": "run.sh"}, {"md5": "b7269fa2508548e4032c455818f1e321", "relpath": "tab\tdel\u007fname.txt"}, {"md5": "78b12c3428b6a6bae461e77803898431", "relpath": "\uff46.txt"}, {"md5": "08e54ce4e5242dce7c97d2c10c69202a", "relpath": "\ud83d\ude00.txt"}]`;
const DATASET_LISTING_DOS2UNIX = String.raw`[{"md5": "f945ece6b359adf187927f1b8063610f", "relpath": "a b/c.txt"}, {"md5": "60b725f10c9c85c70d97880dfe8191b3", "relpath": "a.txt"}, {"md5": "645aedc8a285fef107aaa656bef82788", "relpath": "a/x.txt"}, {"md5": "be7b8f8778c66108434d60a64b27e129", "relpath": "b/\u00fc.txt"}, {"md5": "344fd2323dd33d5c058b7cf27de029e8", "relpath": "b/\u65e5\u672c/\u30d5\u30a1\u30a4\u30eb.csv"}, {"md5": "d41d8cd98f00b204e9800998ecf8427e", "relpath": "empty.txt"}, {"md5": "649c727626d5a242b871347db6558c50", "relpath": "keep.tmp"}, {"md5": "60b725f10c9c85c70d97880dfe8191b3", "relpath": "link_to_a.txt"}, {"md5": "c3be117041a113540deb0ff532b19543", "relpath": "quote\"back\\slash.txt"}, {"md5": "3e2b31c72181b87149ff995e7202c0e3", "relpath": "run.sh"}, {"md5": "b7269fa2508548e4032c455818f1e321", "relpath": "tab\tdel\u007fname.txt"}, {"md5": "78b12c3428b6a6bae461e77803898431", "relpath": "\uff46.txt"}, {"md5": "08e54ce4e5242dce7c97d2c10c69202a", "relpath": "\ud83d\ude00.txt"}]`;
const DATASET_SIZES: [string, number, boolean][] = [
  ['a b/c.txt', 6, false],
  ['a.txt', 2, false],
  ['a/x.txt', 4, false],
  ['b/\u00fc.txt', 8, false],
  ['b/\u65e5\u672c/\u30d5\u30a1\u30a4\u30eb.csv', 10, false],
  ['empty.txt', 0, false],
  ['keep.tmp', 5, false],
  ['link_to_a.txt', 2, false],
  ['quote"back\\slash.txt', 2, false],
  ['run.sh', 10, true],
  ['tab\tdel\x7fname.txt', 2, false],
  ['\uff46.txt', 3, false],
  ['\u{1F600}.txt', 6, false],
];

describe('repro/hashDir: DVC directory hashes', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lineage-hashdir-'));
    writeDataset(root);
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('hashes the dataset like dvc-data: .dir md5, size, nfiles and the exact listing bytes (md5)', async () => {
    const r = await hashDir(join(root, 'dataset'), 'md5', { root });
    assert.deepEqual(r.hash, DATASET_MD5);
    assert.equal(r.listing.toString('latin1'), DATASET_LISTING);
    assert.deepEqual(
      r.entries.map((e) => [e.relpath, e.size, e.isexec]),
      DATASET_SIZES,
    );
  });

  it('hashes the dataset like dvc-data with md5-dos2unix (legacy lock entries)', async () => {
    const r = await hashDir(join(root, 'dataset'), 'md5-dos2unix', { root });
    assert.deepEqual(r.hash, DATASET_DOS2UNIX);
    assert.equal(r.listing.toString('latin1'), DATASET_LISTING_DOS2UNIX);
  });

  it("applies a parent folder's .dvcignore rebased onto the root (nested/inner)", async () => {
    const r = await new WorkspaceHasher(root).hashWithEntries('nested/inner', 'md5');
    assert.deepEqual(r?.hash, { md5: '246d9f47d2036a4c5ee4c9bef0bc4bc7.dir', size: 15, nfiles: 2 });
    assert.equal(
      r?.listing?.toString('latin1'),
      '[{"md5": "b260098afc93a054427d63c4de6be6a1", "relpath": "keep.txt"}, {"md5": "a319a9b1a5e2616c2285c0bec7a073b8", "relpath": "top_only.txt"}]',
    );
  });

  it('hashes an empty folder (and one with only ignored files) as the empty listing', async () => {
    mkdirSync(join(root, 'emptydir'));
    mkdirSync(join(root, 'onlyignored'));
    writeFileSync(join(root, 'onlyignored', 'a.tmp'), 'x\n');
    const hasher = new WorkspaceHasher(root);
    for (const dir of ['emptydir', 'onlyignored'])
      assert.deepEqual(await hasher.hash(dir, 'md5'), { md5: 'd751713988987e9331980363e24189ce.dir', size: 0, nfiles: 0 });
  });

  it('refuses a .dvcignore inside the hashed folder, as DVC does', async () => {
    await assert.rejects(
      new WorkspaceHasher(root).hash('nested', 'md5'),
      (e: Error) => e instanceof HashPathError && /nested\/\.dvcignore.*not allowed/.test(e.message),
    );
  });

  it('refuses a symbolic link to a file outside the repository', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'lineage-outside-'));
    try {
      writeFileSync(join(outside, 'secret.txt'), 'secret\n');
      symlinkSync(join(outside, 'secret.txt'), join(root, 'dataset', 'escape.txt'));
      await assert.rejects(hashDir(join(root, 'dataset'), 'md5', { root }), /outside the repository; refused/);
      symlinkSync(outside, join(root, 'linked_out'));
      await assert.rejects(new WorkspaceHasher(root).hash('linked_out/secret.txt', 'md5'), /outside the repository/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('reports a broken symbolic link with its path', async () => {
    symlinkSync('nowhere', join(root, 'dataset', 'broken'));
    await assert.rejects(hashDir(join(root, 'dataset'), 'md5', { root }), /dataset\/broken is a broken symbolic link/);
  });

  it('hashes through a symlinked folder given as the path itself, with .dvcignore rules matched on that path', async () => {
    // os.walk lists the top even when it is a link; the rules `dataset/skip_dir/` and
    // `!dataset/keep.tmp` do not apply under `alias/`, so DVC (dvc-data 3.18.3) gets another hash.
    symlinkSync('dataset', join(root, 'alias'));
    assert.deepEqual(await new WorkspaceHasher(root).hash('alias', 'md5'), {
      md5: '53d78917aecf6f4b17107356c6b2eb22.dir',
      size: 67,
      nfiles: 13,
    });
  });

  it('tells which paths DVC ignores (an ignored out counts as missing for DVC)', () => {
    const hasher = new WorkspaceHasher(root);
    assert.deepEqual(
      ['dataset/x.tmp', 'dataset/keep.tmp', 'dataset/skip_dir', 'dataset/subrepo/f.txt', 'nested/inner/x.log', 'nested/inner/keep.txt'].map(
        (p) => hasher.isIgnored(p),
      ),
      [true, false, true, true, true, false],
    );
  });

  it('returns undefined for a missing path and refuses paths leaving the repository', async () => {
    const hasher = new WorkspaceHasher(root);
    assert.equal(await hasher.hash('nope/missing.txt', 'md5'), undefined);
    assert.equal(await hasher.hash('dataset/a.txt/below', 'md5'), undefined);
    await assert.rejects(hasher.hash('../etc/passwd', 'md5'), /outside the repository/);
    await assert.rejects(hasher.hash('/etc/passwd', 'md5'), /outside the repository/);
  });
});

describe('repro/hashDir: Python json.dumps and sort order', () => {
  it('escapes like json.dumps(ensure_ascii=True)', () => {
    assert.equal(pythonJsonString('a"b\\c\n\r\t\b\f\x01\x7f~ é\u{1F600}'), String.raw`"a\"b\\c\n\r\t\b\f\u0001\u007f~ \u00e9\ud83d\ude00"`);
  });

  it('sorts relpaths by code point, not UTF-16 unit (astral after U+FF46)', () => {
    const names = ['\u{1F600}.txt', '\uff46.txt', 'a/x', 'a.txt', 'a b', 'Z'];
    assert.deepEqual([...names].sort(compareCodePoints), ['Z', 'a b', 'a.txt', 'a/x', '\uff46.txt', '\u{1F600}.txt']);
    assert.deepEqual([...names].sort(), ['Z', 'a b', 'a.txt', 'a/x', '\u{1F600}.txt', '\uff46.txt']); // what JS would do
  });

  it('serializes an empty listing as []', () => {
    assert.equal(serializeDirListing([]), '[]');
  });
});
