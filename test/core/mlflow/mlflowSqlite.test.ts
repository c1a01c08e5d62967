import { strict as assert } from 'node:assert';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../src/core/store/driver';
import { readMlflowSqlite } from '../../../src/core/mlflow/mlflowSqlite';
import { readMlflowRegistry } from '../../../src/core/mlflow/mlflowLocalRegistry';
import { MLFLOW_DDL } from './mlflowDdl';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);
const SHA = '0123456789abcdef0123456789abcdef01234567';

/** A store with MLflow 3.17's real DDL, filled as MLflow would: one live run, one deleted, one in a deleted experiment. */
function makeStore(file: string, options: { wal?: boolean } = {}): void {
  const db = openDatabase(file);
  try {
    db.exec(MLFLOW_DDL);
    if (options.wal) db.exec('PRAGMA journal_mode = WAL');
    db.exec(`
      INSERT INTO experiments (experiment_id, name, artifact_location, lifecycle_stage) VALUES (0, 'Default', 'mlruns/0', 'active'), (1, 'exp one', 'mlruns/1', 'active'), (2, 'gone', 'mlruns/2', 'deleted');
      INSERT INTO runs (run_uuid, name, status, start_time, end_time, user_id, artifact_uri, experiment_id, lifecycle_stage, source_type)
        VALUES ('${A}', 'run-a', 'FINISHED', 1700000000000, 1700000009000, 'alice', '/nowhere/${A}/artifacts', 1, 'active', 'LOCAL'),
               ('${B}', 'run-b', 'RUNNING', 1700000000000, NULL, 'bob', NULL, 1, 'deleted', 'LOCAL'),
               ('${C}', 'run-c', 'FAILED', 1700000000000, NULL, 'carol', NULL, 2, 'active', 'LOCAL');
      INSERT INTO params (key, value, run_uuid) VALUES ('lr', '0.01', '${A}'), ('model/layers', '3', '${A}'), ('lr', '9', '${B}');
      INSERT INTO tags (key, value, run_uuid) VALUES ('mlflow.source.git.commit', '${SHA}', '${A}'), ('mlflow.source.git.branch', 'main', '${A}'), ('mlflow.source.name', 'train.py', '${A}'), ('mlflow.runName', 'run-a', '${A}');
      INSERT INTO metrics (key, value, timestamp, run_uuid, step, is_nan) VALUES
        ('loss', 0.9, 1700000001000, '${A}', 0, 0), ('loss', 0.5, 1700000003000, '${A}', 2, 0), ('loss', 0.7, 1700000002000, '${A}', 1, 0),
        ('loss', 0.4, 1700000002500, '${A}', 2, 0), ('acc', 0, 1700000001000, '${A}', 0, 1), ('acc', 0.8, 1700000002000, '${A}', 1, 0),
        ('loss', 5, 1700000001000, '${B}', 0, 0);
      INSERT INTO logged_models (model_id, experiment_id, name, artifact_location, creation_timestamp_ms, last_updated_timestamp_ms, status, lifecycle_stage, source_run_id)
        VALUES ('m-1', 1, 'clf', '/nowhere/m-1/artifacts', 1, 1, 2, 'active', '${A}');
      INSERT INTO registered_models (name, creation_time) VALUES ('my model', 1700000000000);
      INSERT INTO registered_model_tags (key, value, name) VALUES ('deprecated', 'true', 'my model');
      INSERT INTO model_versions (name, version, creation_time, current_stage, source, run_id, user_id, status)
        VALUES ('my model', 1, 1700000001000, 'Staging', 'runs:/${A}/model', '${A}', 'alice', 'READY'),
               ('my model', 2, 1700000002000, 'None', 's3://b/m', NULL, NULL, 'READY');
      INSERT INTO registered_model_aliases (alias, version, name) VALUES ('champion', 2, 'my model');
    `);
  } finally {
    db.close();
  }
}

/** A second process holding a lock, as an MLflow writer mid-transaction does (python's stdlib sqlite3). */
async function holdLock(file: string, begin: 'IMMEDIATE' | 'EXCLUSIVE'): Promise<ChildProcess> {
  const script = `import sqlite3, sys\nc = sqlite3.connect(sys.argv[1], isolation_level=None)\nc.execute("BEGIN ${begin}")\nc.execute("UPDATE runs SET name = name")\nprint("ready", flush=True)\nsys.stdin.read()\n`;
  const child = spawn('python3', ['-c', script, file], { stdio: ['pipe', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
    });
    child.stdout!.on('data', (d) => {
      if (String(d).includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`lock holder exited ${code}: ${err}`)));
  });
  return child;
}

describe('MLflow SQLite reader', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lineage-mlflow-db-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads runs, params, every metric step, tags and git; hides deleted runs and experiments', async () => {
    makeStore(join(dir, 'mlflow.db'));
    const { runs, problems } = await readMlflowSqlite(dir, 'mlflow.db');
    assert.deepEqual(problems, []);
    assert.deepEqual(
      runs.map((r) => r.id),
      [A],
    );
    const run = runs[0];
    assert.equal(run.location, 'mlflow.db');
    assert.equal(run.experiment, 'exp one');
    assert.equal(run.status, 'finished');
    assert.deepEqual(run.git, { commit: SHA, branch: 'main', remote: null });
    assert.deepEqual(run.params, { lr: '0.01', 'model/layers': '3' });
    assert.deepEqual(
      run.series.loss.map((p) => [p.step, p.value]),
      [
        [0, 0.9],
        [1, 0.7],
        [2, 0.4],
        [2, 0.5],
      ],
    );
    assert.equal(run.metrics.loss, 0.5, 'latest = greatest (step, timestamp)');
    assert.ok(Number.isNaN(run.series.acc[0].value), 'is_nan rows read as NaN');
    assert.equal(run.metrics.acc, 0.8);
    assert.deepEqual(run.models, [{ artifactPath: 'clf', flavors: [], modelUuid: null, createdAt: null }]);
    assert.deepEqual(run.environment, { source: 'train.py' });
  });

  it('reads a WAL database read-only without changing it', async () => {
    const file = join(dir, 'mlflow.db');
    makeStore(file, { wal: true });
    const before = statSync(file).mtimeMs;
    const { runs } = await readMlflowSqlite(dir, 'mlflow.db');
    assert.equal(runs.length, 1);
    assert.equal(statSync(file).mtimeMs, before);
  });

  it('reads a WAL database in a folder it cannot write (no -shm possible) from a temporary copy', async () => {
    makeStore(join(dir, 'mlflow.db'), { wal: true });
    const reader = join(__dirname, '..', '..', '..', 'src', 'core', 'mlflow', 'mlflowSqlite.js');
    const script = `require(${JSON.stringify(reader)}).readMlflowSqlite(process.argv[1], 'mlflow.db').then((r) => console.log(JSON.stringify({ runs: r.runs.map((x) => x.id), problems: r.problems })))`;
    let out: string;
    chmodSync(dir, 0o555);
    try {
      // Root writes anywhere, so as root the reader runs as `nobody` to meet the read-only folder.
      const argv = ['-e', script, dir];
      out =
        process.getuid?.() === 0
          ? execFileSync('runuser', ['-u', 'nobody', '--', process.execPath, ...argv], { encoding: 'utf8' })
          : execFileSync(process.execPath, argv, { encoding: 'utf8' });
    } finally {
      chmodSync(dir, 0o755);
    }
    const result = JSON.parse(out) as { runs: string[]; problems: { file: string; message: string }[] };
    assert.deepEqual(result.runs, [A]);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0].message, /^WAL database cannot be opened read-only in place \(.*\); read from a temporary copy$/);
  });

  it('still reads while a writer holds a RESERVED lock (BEGIN IMMEDIATE)', async () => {
    makeStore(join(dir, 'mlflow.db'));
    const writer = await holdLock(join(dir, 'mlflow.db'), 'IMMEDIATE');
    try {
      const { runs } = await readMlflowSqlite(dir, 'mlflow.db', { busyTimeoutMs: 200 });
      assert.equal(runs.length, 1);
    } finally {
      writer.kill();
    }
  });

  it('says "locked", naming the file, while a writer holds an EXCLUSIVE lock', async () => {
    makeStore(join(dir, 'mlflow.db'));
    const writer = await holdLock(join(dir, 'mlflow.db'), 'EXCLUSIVE');
    try {
      await assert.rejects(readMlflowSqlite(dir, 'mlflow.db', { busyTimeoutMs: 200 }), /^Error: mlflow\.db is locked: another process/);
    } finally {
      writer.kill();
    }
  });

  it('reads what it knows of an unknown future schema and reports the rest', async () => {
    const file = join(dir, 'mlflow.db');
    makeStore(file);
    const db = openDatabase(file);
    db.exec(`PRAGMA foreign_keys = OFF; UPDATE alembic_version SET version_num = 'ffffffffffff';
      CREATE TABLE runs_new AS SELECT run_uuid, name, status, start_time, end_time, artifact_uri, experiment_id, lifecycle_stage, 'x' AS future_column FROM runs;
      DROP TABLE runs; ALTER TABLE runs_new RENAME TO runs; DROP TABLE params;`);
    db.close();
    const { runs, problems } = await readMlflowSqlite(dir, 'mlflow.db');
    assert.deepEqual(
      runs.map((r) => [r.id, r.user, r.metrics.loss]),
      [[A, null, 0.5]],
    );
    assert.deepEqual(
      problems.map((p) => `${p.file}: ${p.message}`),
      [
        "mlflow.db: schema revision ffffffffffff is unknown to this reader (it knows MLflow's up to dc11669786a5, MLflow 3.17); reading the tables and columns it knows",
        'mlflow.db: table runs has no column user_id; read as empty',
        'mlflow.db: no params table; runs read without params',
      ],
    );
  });

  it('reports a SQLite file that is not an MLflow store', async () => {
    const db = openDatabase(join(dir, 'other.db'));
    db.exec('CREATE TABLE t (x)');
    db.close();
    const { runs, problems } = await readMlflowSqlite(dir, 'other.db');
    assert.equal(runs.length, 0);
    assert.deepEqual(
      problems.map((p) => p.message),
      [
        'no alembic_version: not a database MLflow created, or a damaged one; reading the tables it has',
        'no experiments table: not an MLflow tracking database; nothing read',
      ],
    );
  });

  it('reads the registry tables: stages (not None), aliases, deprecation, source commit', async () => {
    makeStore(join(dir, 'mlflow.db'));
    const { state, problems } = await readMlflowRegistry(dir, 'mlflow.db');
    assert.deepEqual(problems, []);
    const [model] = state.artifacts;
    assert.equal(model.deprecated, true);
    assert.deepEqual(
      model.versions.map((v) => [v.version, v.commit, v.stages, v.author]),
      [
        ['2', '', ['champion'], null],
        ['1', SHA, ['Staging'], 'alice'],
      ],
    );
    assert.deepEqual(model.stages, { champion: ['2'], Staging: ['1'] });
  });
});
