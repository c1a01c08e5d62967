// Records that exist only on this machine (the environments `lineage repro` recorded) survive
// `lineage index --rebuild`, a rebuild of a damaged index, and schema migrations.

import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitFixture } from '../../helpers/gitFixture';
import { runCli } from '../../helpers/runCli';
import { openDatabase } from '../../../src/core/store/driver';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../src/core/store/schema';
import { Store } from '../../../src/core/store/store';
import { rebuildStore } from '../../../src/core/store/rebuild';

const scratch = () => join(mkdtempSync(join(tmpdir(), 'lineage-rebuild-')), 'index.sqlite');

const insertRun = (db: { prepare(sql: string): { run(...a: unknown[]): unknown } }, env: string) =>
  db
    .prepare(
      "INSERT INTO repro_run (project, stage, head, dirty, cmd, started_at, status, env) VALUES ('', 'train', 'abc', 0, 'python train.py', 1700000000000, 'ok', ?)",
    )
    .run(env);

const envs = (store: Store) => (store.db.prepare('SELECT env FROM repro_run ORDER BY id').all() as { env: string }[]).map((r) => r.env);

describe('local-only records survive rebuilds and migrations', function () {
  this.timeout(60000);

  it('lineage index --rebuild keeps what lineage env shows, and re-indexes everything else', () => {
    const repo = GitFixture.create();
    repo.commit('pipeline', {
      '.dvc/config': '',
      'raw.txt': 'x\n',
      'dvc.yaml': 'stages:\n  train:\n    cmd: cp raw.txt model.txt\n    deps: [raw.txt]\n    outs: [model.txt]\n',
    });
    const store = scratch();
    assert.equal(runCli(['repro'], { repo: repo.dir, store }).status, 0);
    repo.commit('results');
    const before = runCli(['env', '--json'], { repo: repo.dir, store });
    assert.equal(before.status, 0, before.stderr);
    assert.match(before.stdout, /cp raw\.txt model\.txt/, 'the run environment is there to lose');
    const rebuilt = runCli(['index', '--rebuild', '--quiet'], { repo: repo.dir, store });
    assert.equal(rebuilt.status, 0, rebuilt.stderr);
    assert.equal(rebuilt.stderr, '');
    const after = runCli(['env', '--json'], { repo: repo.dir, store });
    assert.equal(after.stdout, before.stdout);
    assert.deepEqual(
      readdirSync(join(store, '..')).filter((f) => f.includes('before-rebuild')),
      [],
      'the old file is gone once its rows are copied',
    );
  });

  it('a damaged index is rebuilt and kept beside the new one when its records cannot be read', () => {
    const file = scratch();
    writeFileSync(file, Buffer.alloc(8192, 7));
    const result = rebuildStore(file);
    try {
      assert.match(result.warning ?? '', /could not be read .* kept at /);
      assert.ok(result.keptFile && existsSync(result.keptFile), 'the damaged file is kept, not deleted');
      assert.equal(Number((result.store.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version), SCHEMA_VERSION);
    } finally {
      result.store.close();
    }
  });

  it('rows written before every later migration are still there after migrating', () => {
    const file = scratch();
    const db = openDatabase(file);
    // Schema as of the migration that created repro_run, with one recorded run.
    const createdAt = MIGRATIONS.findIndex((m) => m.includes('CREATE TABLE repro_run'));
    for (let v = 0; v <= createdAt; v++) db.exec(MIGRATIONS[v]);
    db.exec(`PRAGMA user_version = ${createdAt + 1}`);
    insertRun(db, '{"python":"3.11.7"}');
    db.close();
    const store = Store.open(file);
    try {
      assert.deepEqual(envs(store), ['{"python":"3.11.7"}']);
    } finally {
      store.close();
    }
    const rebuilt = rebuildStore(file);
    try {
      // Every local-only table is carried over; the index had no stars or notes yet.
      assert.deepEqual(rebuilt.kept, { repro_run: 1, exp_mark: 0 });
      assert.deepEqual(envs(rebuilt.store), ['{"python":"3.11.7"}']);
    } finally {
      rebuilt.store.close();
    }
  });
});
