import { strict as assert } from 'node:assert';
import { GitFixture, PIPELINE, params, metrics } from '../../helpers/gitFixture';
import { indexFolder } from '../../helpers/storeFixture';
import { valuesAt, problemsAt } from '../../../src/core/query/values';
import { listRefRows, listExperiments, firstParentChain } from '../../../src/core/query/revisions';
import { metricHistory } from '../../../src/core/query/history';
import { diffValues } from '../../../src/core/diff/diff';
import { openRepo } from '../../../src/core/git/repo';
import { indexRepository } from '../../../src/core/indexer/indexer';

describe('indexer on a real repository', () => {
  let repo: GitFixture;
  const shas: string[] = [];

  before(() => {
    repo = GitFixture.create();
    repo.write({ 'dvc.yaml': PIPELINE, 'train.py': 'print(1)\n', 'eval/scores.yaml': 'auc: 0.5\n' });
    for (let i = 0; i < 5; i++) {
      shas.push(repo.commit(`step ${i}`, { 'params.yaml': params(0.1 / (i + 1)), 'metrics.json': metrics(0.5 + i / 10, 1 - i / 10) }));
    }
    repo.git('tag', '-a', 'v1', '-m', 'Release v1', shas[1]);
    repo.git('tag', 'light', shas[2]);
    repo.git('checkout', '-q', '-b', 'feature/größe', shas[2]);
    shas.push(repo.commit('feature', { 'metrics.json': metrics(0.99, 0.01) }));
    repo.git('checkout', '-q', 'main');
    // A DVC experiment ref on shas[4]: refs/exps/<2>/<38>/<name>.
    repo.git('update-ref', `refs/exps/${shas[4].slice(0, 2)}/${shas[4].slice(2)}/exp-abc12`, shas[5]);
  });

  after(() => repo.cleanup());

  it('indexes every commit with its metrics and the params the pipeline tracks', async () => {
    const { store, report } = await indexFolder(repo.dir);
    try {
      assert.equal(report.commitsIndexed, 6);
      const at0 = valuesAt(store, shas[0], 'metrics').values;
      assert.deepEqual(at0['metrics.json'], { acc: 0.5, loss: 1, 'nested.f1': 0.49 });
      assert.deepEqual(at0['eval/scores.yaml'], { auc: 0.5 });
      // No stage tracks `unused`, but DVC reads the root params.yaml whole, so it shows it too.
      assert.deepEqual(valuesAt(store, shas[1], 'params').values, { 'params.yaml': { 'train.lr': 0.05, 'train.epochs': 10, unused: 1 } });
    } finally {
      store.close();
    }
  });

  it('knows branches, annotated and lightweight tags, unicode names and experiments with their baseline', async () => {
    const { store } = await indexFolder(repo.dir);
    try {
      const refs = listRefRows(store);
      const byName = new Map(refs.map((r) => [r.short, r]));
      assert.equal(byName.get('main')!.sha, shas[4]);
      assert.equal(byName.get('feature/größe')!.kind, 'branch');
      assert.equal(byName.get('v1')!.annotated, true);
      assert.equal(byName.get('v1')!.message, 'Release v1');
      assert.equal(byName.get('v1')!.sha, shas[1]);
      assert.equal(byName.get('light')!.annotated, false);
      const exps = listExperiments(store);
      assert.deepEqual(
        exps.map((e) => [e.name, e.baseline, e.sha]),
        [['exp-abc12', shas[4], shas[5]]],
      );
    } finally {
      store.close();
    }
  });

  it('diffs like dvc metrics diff and walks a metric along the first-parent chain', async () => {
    const { store } = await indexFolder(repo.dir);
    try {
      const d = diffValues(valuesAt(store, shas[0], 'metrics').values, valuesAt(store, shas[4], 'metrics').values);
      assert.deepEqual(Object.keys(d), ['metrics.json']);
      assert.equal(d['metrics.json'].acc.old, 0.5);
      assert.equal(d['metrics.json'].acc.new, 0.9);
      assert.equal(d['metrics.json'].acc.diff, 0.9 - 0.5);
      const history = metricHistory(store, shas[4], 'acc');
      assert.deepEqual(
        history.map((p) => p.values[0]?.value),
        [0.9, 0.8, 0.7, 0.6, 0.5],
      );
      assert.deepEqual(
        firstParentChain(store, shas[4]).map((r) => r.sha),
        [...shas.slice(0, 5)].reverse(),
      );
    } finally {
      store.close();
    }
  });

  it('is incremental: one new commit walks one commit, a deleted branch disappears without re-reading history', async () => {
    const first = await indexFolder(repo.dir);
    first.store.close();
    const sha = repo.commit('one more', { 'metrics.json': metrics(0.95, 0.05) });
    const second = await indexFolder(repo.dir);
    try {
      assert.equal(second.report.commitsWalked, 1);
      assert.equal(second.report.commitsIndexed, 1);
      assert.deepEqual(valuesAt(second.store, sha, 'metrics').values['metrics.json'].acc, 0.95);
    } finally {
      second.store.close();
    }
    repo.git('branch', '-D', 'feature/größe');
    const third = await indexFolder(repo.dir);
    try {
      assert.equal(third.report.commitsWalked, 0);
      assert.equal(third.report.refs.removed, 1);
      assert.equal(third.report.blobsParsed, 0, 'nothing re-parsed');
      assert.ok(!listRefRows(third.store).some((r) => r.short === 'feature/größe'));
    } finally {
      third.store.close();
    }
  });

  it('indexes the workspace as a pseudo-revision, including unsaved-to-git edits', async () => {
    repo.write({ 'metrics.json': metrics(0.42, 0.5) });
    const { store } = await indexFolder(repo.dir);
    try {
      assert.equal(valuesAt(store, 'workspace', 'metrics').values['metrics.json'].acc, 0.42);
    } finally {
      store.close();
      repo.git('checkout', '--', 'metrics.json');
    }
  });
});

describe('indexer: repository shapes', () => {
  it('a folder without Git indexes the workspace only and says so', async () => {
    const folder = GitFixture.create({ init: false });
    folder.write({ 'dvc.yaml': PIPELINE, 'params.yaml': params(0.3), 'metrics.json': metrics(0.7, 0.3) });
    const { store, report } = await indexFolder(folder.dir);
    try {
      assert.match(report.limitations.join(' '), /not inside a Git repository/);
      assert.equal(valuesAt(store, 'workspace', 'metrics').values['metrics.json'].acc, 0.7);
    } finally {
      store.close();
      folder.cleanup();
    }
  });

  it('an empty repository (no commits) works and says it has no commits', async () => {
    const empty = GitFixture.create();
    empty.write({ 'dvc.yaml': PIPELINE, 'metrics.json': metrics(0.1, 0.9) });
    const { store, report } = await indexFolder(empty.dir);
    try {
      assert.match(report.limitations.join(' '), /no commits yet/);
      assert.equal(report.commitsIndexed, 0);
      assert.equal(valuesAt(store, 'workspace', 'metrics').values['metrics.json'].acc, 0.1);
    } finally {
      store.close();
      empty.cleanup();
    }
  });

  it('a detached HEAD is indexed as a revision without a branch', async () => {
    const r = GitFixture.create();
    r.write({ 'dvc.yaml': PIPELINE });
    const a = r.commit('a', { 'metrics.json': metrics(0.1, 0.9) });
    r.commit('b', { 'metrics.json': metrics(0.2, 0.8) });
    r.git('checkout', '-q', '--detach', a);
    r.git('branch', '-D', 'main');
    const { store, report } = await indexFolder(r.dir);
    try {
      assert.match(report.limitations.join(' '), /detached/);
      assert.equal(valuesAt(store, a, 'metrics').values['metrics.json'].acc, 0.1);
    } finally {
      store.close();
      r.cleanup();
    }
  });

  it('a shallow clone indexes what it has and says history is cut', async () => {
    const origin = GitFixture.create();
    origin.write({ 'dvc.yaml': PIPELINE });
    for (let i = 0; i < 4; i++) origin.commit(`c${i}`, { 'metrics.json': metrics(i / 10, 1) });
    const clone = GitFixture.create({ init: false });
    clone.remove('');
    origin.git('clone', '-q', '--depth', '2', `file://${origin.dir}`, clone.dir);
    const { store, report } = await indexFolder(clone.dir);
    try {
      assert.match(report.limitations.join(' '), /shallow/);
      assert.equal(report.commitsIndexed, 2);
      const head = clone.git('rev-parse', 'HEAD');
      assert.equal(valuesAt(store, head, 'metrics').values['metrics.json'].acc, 0.3);
      const parent = clone.git('rev-parse', 'HEAD~1');
      assert.equal(valuesAt(store, parent, 'metrics').values['metrics.json'].acc, 0.2, 'the shallow boundary commit has all its files');
    } finally {
      store.close();
      origin.cleanup();
      clone.cleanup();
    }
  });

  it('is cancellable between batches and resumes on the next run', async () => {
    const r = GitFixture.create();
    r.write({ 'dvc.yaml': PIPELINE });
    for (let i = 0; i < 12; i++) r.commit(`c${i}`, { 'metrics.json': metrics(i / 100, 1) });
    const controller = new AbortController();
    const storeFile = `${r.dir}.sqlite`;
    const first = await indexFolder(
      r.dir,
      {
        batchSize: 4,
        signal: controller.signal,
        onProgress: (p) => {
          if (p.phase === 'commits' && p.done >= 4) controller.abort();
        },
      },
      storeFile,
    );
    assert.equal(first.report.cancelled, true);
    assert.equal(first.report.commitsIndexed, 4);
    assert.equal(listRefRows(first.store).length, 0, 'refs are written only when every commit they need is indexed');
    first.store.close();
    const second = await indexFolder(r.dir, {}, storeFile);
    try {
      assert.equal(second.report.commitsIndexed, 8, 'only the rest is indexed');
      assert.equal(listRefRows(second.store).length, 1);
    } finally {
      second.store.close();
      r.cleanup();
    }
  });

  it('indexes a commit the refs do not reach when asked (extraTips)', async () => {
    const r = GitFixture.create();
    r.write({ 'dvc.yaml': PIPELINE });
    r.commit('a', { 'metrics.json': metrics(0.1, 0.9) });
    const dangling = r.commit('b', { 'metrics.json': metrics(0.2, 0.8) });
    r.git('reset', '-q', '--hard', 'HEAD~1');
    const { store } = await indexFolder(r.dir);
    try {
      assert.deepEqual(valuesAt(store, dangling, 'metrics').values, {});
      await indexRepository(await openRepo(r.dir), store, { extraTips: [dangling] });
      assert.equal(valuesAt(store, dangling, 'metrics').values['metrics.json'].acc, 0.2);
      assert.deepEqual(
        problemsAt(store, dangling).filter((p) => p.path === 'metrics.json'),
        [],
      );
    } finally {
      store.close();
      r.cleanup();
    }
  });
});
