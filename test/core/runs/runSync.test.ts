import { strict as assert } from 'node:assert';
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitFixture } from '../../helpers/gitFixture';
import { indexFolder } from '../../helpers/storeFixture';
import { Store } from '../../../src/core/store/store';
import { DEFAULT_READERS, syncRuns, type RunReaders } from '../../../src/core/workspace/runSync';
import { commitsWithRuns, listRuns, runById, runProblems, runsForCommit, unlinkedRuns } from '../../../src/core/runs/runQueries';
import { listSources } from '../../../src/core/runs/runStore';
import { comparisonReader } from '../../../src/core/runs/runDiff';
import { buildDiffTable } from '../../../src/core/query/diffTable';
import { externalRun, writeMlflowRun } from './mlflowFolders';

const RUN_A = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const RUN_B = '1b2c3d4e5f60718293a4b5c6d7e8f90a';
const RUN_C = '2c3d4e5f60718293a4b5c6d7e8f90a1b';

/** The real readers, counting which sources they are asked to read (a spy, not a stand-in). */
function countingReaders(reads: string[]): RunReaders {
  return {
    local: (format, root, location) => {
      reads.push(location);
      return DEFAULT_READERS.local(format, root, location);
    },
    server: (url, token) => {
      reads.push(url);
      return DEFAULT_READERS.server(url, token);
    },
  };
}

describe('syncing MLflow/W&B runs into the index', function () {
  this.timeout(60000);
  let repo: GitFixture;
  let store: Store;
  let head: string;

  beforeEach(async () => {
    repo = GitFixture.create();
    head = repo.commit('train', {
      'metrics.json': '{"acc": 0.8, "loss": 0.4}\n',
      'params.yaml': 'lr: 0.01\n',
      'dvc.yaml': 'metrics:\n- metrics.json\nparams:\n- params.yaml\n',
    });
    ({ store } = await indexFolder(repo.dir));
    // Real MLflow file-store folders: one linked to HEAD, one with no commit, one in a sub-project.
    writeMlflowRun(repo.dir, 'mlruns', {
      id: RUN_A,
      name: 'linked',
      start: 1735689700000,
      params: { lr: '0.02' },
      metrics: {
        acc: [
          [1735689700001, '0.7', 0],
          [1735689700002, '0.9', 1],
        ],
        loss: [[1735689700001, 'nan', 0]],
      },
      tags: { 'mlflow.source.git.commit': head, 'mlflow.source.git.branch': 'main' },
    });
    writeMlflowRun(repo.dir, 'mlruns', { id: RUN_B, name: 'loose', start: 1735689800000, metrics: { acc: [[1735689800001, '0.5', 0]] } });
    writeMlflowRun(repo.dir, 'vision/mlruns', { id: RUN_C, name: 'sub', experiment: 'vision', metrics: { acc: [[1, '0.6', 0]] } });
  });
  afterEach(() => {
    store.close();
    rmSync(`${repo.dir}.sqlite`, { force: true });
    rmSync(`${repo.dir}.sqlite-wal`, { force: true });
    rmSync(`${repo.dir}.sqlite-shm`, { force: true });
    repo.cleanup();
  });

  it('reads every source with the real MLflow reader and links runs to their commit', async () => {
    const report = await syncRuns(repo.dir, store);
    assert.deepEqual(runProblems(store), []);
    assert.deepEqual(
      { sources: report.sources, read: report.read, failed: report.failed, runs: report.runs },
      { sources: 2, read: 2, failed: 0, runs: 3 },
    );
    const linked = runById(store, 'mlflow', RUN_A)!;
    assert.equal(linked.name, 'linked');
    assert.equal(linked.status, 'finished');
    assert.equal(linked.git.commit, head);
    assert.equal(linked.metrics.acc, 0.9, 'latest by step');
    assert.ok(Number.isNaN(linked.metrics.loss), 'NaN survives reader and store');
    assert.deepEqual(
      linked.series.acc.map((p) => [p.step, p.value]),
      [
        [0, 0.7],
        [1, 0.9],
      ],
    );
    assert.deepEqual(
      runsForCommit(store, head).map((r) => r.id),
      [RUN_A],
    );
    assert.deepEqual([...commitsWithRuns(store)], [head]);
    assert.deepEqual(
      unlinkedRuns(store).map((r) => r.id),
      [RUN_B, RUN_C],
    );
    assert.deepEqual(
      listRuns(store, { experiment: 'vision' }).map((r) => r.location.split('/')[0]),
      ['vision'],
    );
  });

  it('re-reads only sources that changed, replacing their runs, and drops sources that are gone', async () => {
    const reads: string[] = [];
    const readers = countingReaders(reads);
    await syncRuns(repo.dir, store, { readers });
    assert.deepEqual(reads.sort(), ['mlruns', 'vision/mlruns']);
    reads.length = 0;
    const again = await syncRuns(repo.dir, store, { readers });
    assert.deepEqual(reads, [], 'nothing changed: nothing read');
    assert.equal(again.unchanged, 2);

    appendFileSync(join(repo.dir, 'vision/mlruns/1', RUN_C, 'metrics/acc'), '2 0.75 1\n');
    await syncRuns(repo.dir, store, { readers });
    assert.deepEqual(reads, ['vision/mlruns']);
    assert.equal(runById(store, 'mlflow', RUN_C)!.metrics.acc, 0.75);
    assert.equal(runById(store, 'mlflow', RUN_A)!.metrics.acc, 0.9, 'the other source is untouched');

    rmSync(join(repo.dir, 'vision'), { recursive: true });
    const pruned = await syncRuns(repo.dir, store, { readers });
    assert.equal(pruned.removed, 1);
    assert.equal(runById(store, 'mlflow', RUN_C), undefined);
    assert.deepEqual(
      listSources(store).map((s) => s.location),
      ['mlruns'],
    );
  });

  it('a reader that throws costs only its own source, recorded as a problem', async () => {
    writeFileSync(join(repo.dir, 'mlflow.db'), 'not read');
    // A reader that fails on purpose for the database (the real one would read it): the
    // point is what the sync does with any thrown error.
    const readers: RunReaders = {
      local: (format, root, location) =>
        format === 'mlflow-sqlite'
          ? Promise.reject(new Error('database disk image is malformed'))
          : DEFAULT_READERS.local(format, root, location),
      server: DEFAULT_READERS.server,
    };
    const report = await syncRuns(repo.dir, store, { readers });
    assert.deepEqual({ read: report.read, failed: report.failed }, { read: 2, failed: 1 });
    assert.deepEqual(
      listRuns(store)
        .map((r) => r.id)
        .sort(),
      [RUN_A, RUN_B, RUN_C],
    );
    assert.deepEqual(
      runProblems(store).map((p) => [p.source, p.file, p.message]),
      [['mlflow.db', 'mlflow.db', 'database disk image is malformed']],
    );
    // A failed source is tried again on the next sync, even though its files did not change.
    const reads: string[] = [];
    await syncRuns(repo.dir, store, {
      readers: {
        ...countingReaders(reads),
        local: (f, r, l) => {
          reads.push(l);
          return readers.local(f, r, l);
        },
      },
    });
    assert.deepEqual(reads, ['mlflow.db']);
  });

  it('reads a tracking server when due, keyed by its URL without credentials, with its token', async () => {
    // No MLflow server runs in this test: a stand-in reader records what the sync asks of it.
    const calls: [string, string | undefined][] = [];
    let fail = false;
    const readers: RunReaders = {
      local: DEFAULT_READERS.local,
      server: async (url, token) => {
        calls.push([url, token]);
        if (fail) throw new Error(`${url}: connection refused`);
        return { runs: [externalRun({ id: 'srv1', location: url })], problems: [] };
      },
    };
    const servers = [{ url: 'http://alice:pw@mlflow.example:5000/', token: 't0k' }];
    await syncRuns(repo.dir, store, { readers, servers, serverMinIntervalMs: 60000 });
    assert.deepEqual(calls, [['http://mlflow.example:5000', 't0k']]);
    assert.ok(listSources(store).some((s) => s.location === 'http://mlflow.example:5000'));
    assert.ok(!JSON.stringify(listSources(store)).includes('pw'));
    await syncRuns(repo.dir, store, { readers, servers, serverMinIntervalMs: 60000 });
    assert.equal(calls.length, 1, 'not due yet');
    fail = true;
    const report = await syncRuns(repo.dir, store, { readers, servers, serverMinIntervalMs: 0 });
    assert.equal(report.failed, 1);
    assert.equal(calls.length, 2);
    assert.deepEqual(runById(store, 'mlflow', 'srv1')?.location, 'http://mlflow.example:5000', 'a server that is down keeps its last runs');
    assert.match(
      runProblems(store)
        .map((p) => p.message)
        .join('\n'),
      /connection refused/,
    );
    // Servers not asked for this time keep their rows; local sources are synced as usual.
    await syncRuns(repo.dir, store, { readers });
    assert.ok(runById(store, 'mlflow', 'srv1'));
  });

  it('refuses a malformed server URL without reading anything, and never stores credentials', async () => {
    const report = await syncRuns(repo.dir, store, { servers: [{ url: 'ftp://user:secret@host/' }] });
    assert.equal(report.errors.length, 1);
    assert.match(report.errors[0], /not an http\(s\) server/);
    assert.ok(!report.errors[0].includes('secret'), report.errors[0]);
  });

  it('indexes W&B run folders with the real reader beside MLflow, linked to their commit', async () => {
    // An online-style W&B run folder: its files/ hold config, summary (bare NaN, as wandb writes) and metadata.
    const files = 'wandb/run-20250101_120000-abcd1234/files';
    repo.write({
      [`${files}/config.yaml`]: 'wandb_version: 1\n\nlr:\n  desc: null\n  value: 0.03\n',
      [`${files}/wandb-summary.json`]: '{"acc": 0.95, "loss": NaN, "_step": 3}\n',
      [`${files}/wandb-metadata.json`]: JSON.stringify({
        git: { commit: head, remote: 'git@example.com:x.git' },
        startedAt: '2025-01-01T12:00:00Z',
      }),
    });
    const report = await syncRuns(repo.dir, store);
    assert.equal(report.failed, 0);
    const run = runById(store, 'wandb', 'abcd1234')!;
    assert.equal(run.git.commit, head);
    assert.equal(run.metrics.acc, 0.95);
    assert.ok(Number.isNaN(run.metrics.loss));
    assert.deepEqual(
      runsForCommit(store, head)
        .map((r) => `${r.source}:${r.id}`)
        .sort(),
      [`mlflow:${RUN_A}`, 'wandb:abcd1234'],
    );
    const read = comparisonReader(store, `mlflow:${RUN_A}`, 'wandb:abcd1234');
    assert.deepEqual(read('wandb:abcd1234', 'params').values, { params: { lr: 0.03 } });
  });

  it('compares a run with a commit by key, whatever file the commit keeps them in', async () => {
    await syncRuns(repo.dir, store);
    const run = `mlflow:${RUN_A}`;
    const table = buildDiffTable(store, head, run, {}, comparisonReader(store, head, run));
    const acc = table.rows.find((r) => r.kind === 'metric' && r.key === 'acc')!;
    assert.deepEqual([acc.file, acc.old, acc.new, acc.changed], ['metrics', 0.8, 0.9, true]);
    const loss = table.rows.find((r) => r.kind === 'metric' && r.key === 'loss')!;
    assert.equal(loss.old, 0.4);
    assert.ok(Number.isNaN(loss.new as number));
    const lr = table.rows.find((r) => r.kind === 'param' && r.key === 'lr')!;
    assert.deepEqual([lr.file, lr.old, lr.new], ['params', 0.01, 0.02]);
  });
});
