import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store, StoreError } from '../../../src/core/store/store';
import { SCHEMA_VERSION } from '../../../src/core/store/schema';
import { generateSyntheticRepo } from '../../../src/demo/syntheticRepo';
import { valuesAt } from '../../../src/core/query/values';
import { listRefRows } from '../../../src/core/query/revisions';
import { indexFolder } from '../../helpers/storeFixture';
import { expectedDriver } from '../../helpers/sqliteDrivers';

const ROOT = join(__dirname, '..', '..', '..', '..');

describe('store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lineage-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates the schema by forward migrations, with WAL and foreign keys', () => {
    const store = Store.open(join(dir, 'a.sqlite'));
    try {
      assert.equal((store.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version, SCHEMA_VERSION);
      assert.equal((store.db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode, 'wal');
      assert.equal((store.db.prepare('PRAGMA foreign_keys').get() as { foreign_keys: number }).foreign_keys, 1);
      assert.equal(store.driver, expectedDriver());
    } finally {
      store.close();
    }
    // Re-opening runs no migration twice.
    Store.open(join(dir, 'a.sqlite')).close();
  });

  it('refuses a store from a newer schema with a message, and leaves it untouched', () => {
    const file = join(dir, 'newer.sqlite');
    const store = Store.open(file);
    store.db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 5}`);
    store.close();
    const before = readFileSync(file);
    assert.throws(
      () => Store.open(file),
      (e: unknown) =>
        e instanceof StoreError && e.problem === 'newer-schema' && /newer ML Lineage/.test(e.message) && /--rebuild/.test(e.message),
    );
    assert.deepEqual(readFileSync(file), before);
  });

  it('refuses a corrupt file with a message naming it and how to rebuild, never overwriting it', () => {
    const file = join(dir, 'corrupt.sqlite');
    const garbage = Buffer.from('this is not a database at all, just some bytes'.repeat(100));
    writeFileSync(file, garbage);
    assert.throws(
      () => Store.open(file),
      (e: unknown) => e instanceof StoreError && e.problem === 'corrupt' && e.message.includes(file) && /--rebuild/.test(e.message),
    );
    assert.deepEqual(readFileSync(file), garbage);
  });
});

describe('a killed indexing process', function () {
  this.timeout(180000);
  let repoDir: string;
  before(async () => {
    repoDir = join(mkdtempSync(join(tmpdir(), 'lineage-kill-')), 'repo');
    await generateSyntheticRepo(repoDir, { commits: 600, branches: 5, expRefs: 10, seed: 7 });
  });
  after(() => rmSync(join(repoDir, '..'), { recursive: true, force: true }));

  it('leaves a store that opens, and the next run resumes and ends like a clean index', async () => {
    const storeFile = join(repoDir, '..', 'killed.sqlite');
    const cli = join(ROOT, 'dist', 'cli.js');
    assert.ok(existsSync(cli), 'run `node esbuild.mjs` first (npm test does)');
    const child = spawn(process.execPath, [cli, '--repo', repoDir, '--store', storeFile, 'index', '--verbose'], {
      env: { ...process.env, LINEAGE_INDEX_BATCH: '25' },
    });
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      child.stderr.on('data', (b: Buffer) => {
        seen += b.toString();
        // Kill mid-way: after some batches are committed, long before the end.
        if (/indexed (1[0-9]{2}|[2-9][0-9]{2})\//.test(seen)) child.kill('SIGKILL');
      });
      child.on('exit', (code, signal) =>
        signal === 'SIGKILL' ? resolve() : reject(new Error(`index finished before it was killed (${code}): ${seen.slice(-200)}`)),
      );
    });
    // The killed store opens and is consistent.
    const killed = Store.open(storeFile);
    const integrity = killed.db.prepare('PRAGMA integrity_check').get() as { integrity_check: string };
    assert.equal(integrity.integrity_check, 'ok');
    const partial = Number((killed.db.prepare('SELECT COUNT(*) AS n FROM revision WHERE indexed_at IS NOT NULL').get() as { n: number }).n);
    assert.ok(partial >= 100 && partial < 600, `partially indexed: ${partial}`);
    assert.equal(listRefRows(killed).length, 0, 'refs are not written before their commits');
    killed.close();

    const resumed = await indexFolder(repoDir, {}, storeFile);
    const clean = await indexFolder(repoDir, {}, join(repoDir, '..', 'clean.sqlite'));
    try {
      const total = Number(
        (
          clean.store.db.prepare("SELECT COUNT(*) AS n FROM revision WHERE indexed_at IS NOT NULL AND sha != 'workspace'").get() as {
            n: number;
          }
        ).n,
      );
      assert.equal(resumed.report.commitsIndexed + partial, total, 'the resumed run indexes exactly what was missing');
      const shas = (
        clean.store.db.prepare("SELECT sha FROM revision WHERE sha != 'workspace' ORDER BY sha").all() as { sha: string }[]
      ).map((r) => r.sha);
      for (const sha of shas.filter((_, i) => i % 37 === 0)) {
        assert.deepEqual(valuesAt(resumed.store, sha, 'metrics'), valuesAt(clean.store, sha, 'metrics'), sha);
        assert.deepEqual(valuesAt(resumed.store, sha, 'params'), valuesAt(clean.store, sha, 'params'), sha);
      }
      assert.deepEqual(listRefRows(resumed.store), listRefRows(clean.store));
    } finally {
      resumed.store.close();
      clean.store.close();
    }
  });
});
