import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nativeBindingCandidates, openDatabase } from '../../../src/core/store/driver';

const ROOT = join(__dirname, '..', '..', '..', '..');
const BUILT = join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const NAME = `better_sqlite3-${process.platform}-${process.arch}-abi${process.versions.modules}.node`;

describe('SQLite driver seam', () => {
  let dir: string;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'lineage-driver-')); });
  afterEach(() => { rmSync(dir, { recursive: true, force: true }); delete process.env.LINEAGE_SQLITE_BINDING; });

  it('picks the binary for this runtime from <extension>/native/ and says so', () => {
    mkdirSync(join(dir, 'native'));
    copyFileSync(BUILT, join(dir, 'native', NAME));
    writeFileSync(join(dir, 'native', 'better_sqlite3-linux-x64-abi1.node'), 'another runtime');
    assert.deepEqual(nativeBindingCandidates(dir), [join(dir, 'native', NAME)]);
    const logs: string[] = [];
    const db = openDatabase(join(dir, 'a.sqlite'), { extensionRoot: dir, log: (m) => logs.push(m) });
    try {
      assert.equal(db.driver, 'better-sqlite3');
      assert.deepEqual(logs, [`SQLite driver: better-sqlite3 (${join(dir, 'native', NAME)})`]);
      assert.deepEqual(db.prepare('SELECT 1 + 1 AS two').get(), { two: 2 });
    } finally { db.close(); }
  });

  it('skips a binary that does not load and falls back to the package build', () => {
    process.env.LINEAGE_SQLITE_BINDING = join(dir, 'broken.node');
    writeFileSync(process.env.LINEAGE_SQLITE_BINDING, 'not an ELF file');
    const logs: string[] = [];
    const db = openDatabase(join(dir, 'b.sqlite'), { log: (m) => logs.push(m) });
    try {
      assert.deepEqual(logs, ['SQLite driver: better-sqlite3']);
    } finally { db.close(); }
  });

  it('reports a file it cannot open as it is, instead of blaming the driver', () => {
    assert.throws(() => openDatabase(dir), (e: Error) => !/No SQLite driver/.test(e.message));
  });
});
