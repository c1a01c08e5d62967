import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../../../src/core/store/store';
import { listSources, recordSourceFailure, replaceSource, type RunSource } from '../../../src/core/runs/runStore';
import { hasRunTables, listRuns, runById, runProblems, runSeries, runsForCommit, runGroups } from '../../../src/core/runs/runQueries';
import { MIGRATIONS } from '../../../src/core/store/schema';
import { openDatabase } from '../../../src/core/store/driver';
import { externalRun } from './mlflowFolders';

const MLRUNS: RunSource = { kind: 'mlflow', format: 'mlflow-files', location: 'mlruns' };
const SHA = 'abcdef1234567890abcdef1234567890abcdef12';

describe('runs in the store', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lineage-runstore-'));
    file = join(dir, 'index.sqlite');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips a run through the file, NaN and ±Infinity included', () => {
    const run = externalRun({
      id: 'r1',
      name: 'bright-fox',
      git: { commit: SHA, branch: 'main', remote: 'git@example.com:x.git' },
      params: { lr: '0.01', layers: 3, dropout: null, augment: true },
      metrics: { acc: 0.91, loss: NaN, grad: Infinity, floor: -Infinity },
      series: {
        loss: [
          { step: 0, value: 1.5, timestamp: 1 },
          { step: 1, value: NaN, timestamp: 2 },
          { step: 1, value: Infinity, timestamp: 3 },
        ],
        acc: [{ step: 2.5, value: 0.91, timestamp: null }],
      },
      tags: { 'mlflow.runName': 'bright-fox' },
      environment: { python: '3.12', gpu: { count: 0, util: NaN } },
      models: [{ artifactPath: 'model', flavors: ['sklearn'], modelUuid: 'u1', createdAt: null }],
      artifacts: ['model/MLmodel'],
      labels: ['baseline'],
      parentId: 'p0',
    });
    const store = Store.open(file);
    replaceSource(store, MLRUNS, 'fp1', [run], [{ file: 'mlruns/1/r1/metrics/bad', line: 2, message: 'not a number' }], 5);
    store.close();
    const again = Store.open(file);
    try {
      assert.deepStrictEqual(runById(again, 'mlflow', 'r1'), run);
      assert.deepStrictEqual(runSeries(again, 'mlflow', 'r1', 'loss'), run.series.loss);
      const listed = listRuns(again);
      assert.equal(listed.length, 1);
      assert.deepStrictEqual(listed[0].metrics, run.metrics);
      assert.deepStrictEqual(listed[0].series, {}, 'lists leave series out');
      assert.deepStrictEqual(runProblems(again), [
        { kind: 'mlflow', source: 'mlruns', file: 'mlruns/1/r1/metrics/bad', line: 2, message: 'not a number' },
      ]);
    } finally {
      again.close();
    }
  });

  it('replaces a source as a whole and leaves other sources alone', () => {
    const store = Store.open(file);
    try {
      const wandb: RunSource = { kind: 'wandb', format: 'wandb-dir', location: 'wandb' };
      replaceSource(store, MLRUNS, 'a', [externalRun({ id: 'old1' }), externalRun({ id: 'old2' })], [], 1);
      replaceSource(
        store,
        wandb,
        'w',
        [externalRun({ id: 'w1', source: 'wandb', experiment: 'proj', location: 'wandb/offline-run-20250101_000000-w1' })],
        [],
        1,
      );
      replaceSource(store, MLRUNS, 'b', [externalRun({ id: 'new1', metrics: { acc: 1 } })], [], 1);
      assert.deepEqual(
        listRuns(store)
          .map((r) => `${r.source}:${r.id}`)
          .sort(),
        ['mlflow:new1', 'wandb:w1'],
      );
      assert.deepEqual(
        listRuns(store, { source: 'wandb' }).map((r) => r.id),
        ['w1'],
      );
      assert.deepEqual(
        listRuns(store, { experiment: 'proj' }).map((r) => r.id),
        ['w1'],
      );
      // Cascades: nothing of the old runs is left behind.
      assert.equal((store.sql('SELECT COUNT(*) AS n FROM ext_run_metric').get() as { n: number }).n, 1);
      assert.deepEqual(
        runGroups(store).map((g) => [g.source, g.experiment, g.runs]),
        [
          ['mlflow', 'demo', 1],
          ['wandb', 'proj', 1],
        ],
      );
    } finally {
      store.close();
    }
  });

  it('a failed read keeps the earlier runs, records the problem and clears the fingerprint', () => {
    const store = Store.open(file);
    try {
      replaceSource(store, MLRUNS, 'a', [externalRun({ id: 'kept' })], [], 1);
      recordSourceFailure(store, MLRUNS, 'mlruns/1/meta.yaml: truncated');
      assert.deepEqual(
        listRuns(store).map((r) => r.id),
        ['kept'],
      );
      assert.deepEqual(
        runProblems(store).map((p) => p.message),
        ['mlruns/1/meta.yaml: truncated'],
      );
      const [source] = listSources(store);
      assert.equal(source.fingerprint, null);
      assert.equal(source.error, 'mlruns/1/meta.yaml: truncated');
    } finally {
      store.close();
    }
  });

  it('an index from before the runs tables, opened read-only, has none (and gets them when migrated)', () => {
    // Through the seam, so the node:sqlite run of the suite never requires better-sqlite3.
    const db = openDatabase(file);
    for (const migration of MIGRATIONS.slice(0, 3)) db.exec(migration);
    db.exec('PRAGMA user_version = 3');
    db.close();
    const readonly = Store.open(file, { readonly: true });
    try {
      assert.equal(hasRunTables(readonly), false);
    } finally {
      readonly.close();
    }
    const migrated = Store.open(file);
    try {
      assert.equal(hasRunTables(migrated), true);
    } finally {
      migrated.close();
    }
  });

  it('links runs to a commit by full or abbreviated id, newest first, the same run once', () => {
    const store = Store.open(file);
    try {
      replaceSource(
        store,
        MLRUNS,
        'a',
        [
          externalRun({ id: 'full', startTime: 1, git: { commit: SHA, branch: null, remote: null } }),
          externalRun({ id: 'short', startTime: 2, git: { commit: SHA.slice(0, 9).toUpperCase(), branch: null, remote: null } }),
          externalRun({ id: 'other', git: { commit: '1234567', branch: null, remote: null } }),
          externalRun({ id: 'none' }),
        ],
        [],
        1,
      );
      replaceSource(
        store,
        { kind: 'mlflow', format: 'mlflow-server', location: 'http://mlflow.example' },
        's',
        [externalRun({ id: 'full', startTime: 1, location: 'http://mlflow.example', git: { commit: SHA, branch: null, remote: null } })],
        [],
        1,
      );
      assert.deepEqual(
        runsForCommit(store, SHA).map((r) => r.id),
        ['short', 'full'],
      );
      assert.deepEqual(runsForCommit(store, '0'.repeat(40)), []);
    } finally {
      store.close();
    }
  });
});
