import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { GitFixture, PIPELINE, metrics, params } from '../../helpers/gitFixture';
import { indexFolder } from '../../helpers/storeFixture';
import type { Store } from '../../../src/core/store/store';
import {
  commitPage,
  defaultBaselineBranch,
  experimentRuns,
  firstMetricKey,
  headlineValue,
  stagesAt,
  baselinesWithExperiments,
} from '../../../src/core/query/runTree';

describe('run tree queries', () => {
  let fx: GitFixture;
  let store: Store;
  let shas: string[];
  let storeFile: string;

  before(async () => {
    fx = GitFixture.create();
    shas = [];
    shas.push(
      fx.commit('first', {
        'dvc.yaml': PIPELINE,
        'params.yaml': params(0.1),
        'train.py': 'print(1)\n',
        'metrics.json': metrics(0.5, 1),
        'eval/scores.yaml': 'auc: 0.6\n',
      }),
    );
    for (let i = 1; i < 7; i++)
      shas.push(fx.commit(`step ${i}`, { 'params.yaml': params(0.1 + i / 100), 'metrics.json': metrics(0.5 + i / 100, 1 - i / 10) }));
    shas.push(fx.commit('docs only', { 'README.md': 'hi\n' }));
    shas.push(fx.commit('broken metrics <img src=x>', { 'metrics.json': '{"acc": ' }));
    const exp = fx.git('commit-tree', '-p', shas[6], '-m', 'exp run', fx.git('rev-parse', `${shas[6]}^{tree}`));
    fx.git('update-ref', `refs/exps/${shas[6].slice(0, 2)}/${shas[6].slice(2)}/lumpy-kiln`, exp);
    ({ store, storeFile } = await indexFolder(fx.dir));
  });

  after(() => {
    store.close();
    for (const s of ['', '-wal', '-shm']) rmSync(storeFile + s, { force: true });
    fx.cleanup();
  });

  it('finds the first metric key and its value', () => {
    // Accuracy-like keys win over others (auc sorts first by file path, step-like counters never win).
    assert.equal(firstMetricKey(store, shas[0]), 'acc');
    assert.equal(headlineValue(store, shas[3], 'acc'), 0.53);
    assert.equal(headlineValue(store, shas[3], 'no.such'), undefined);
  });

  it('pages the first-parent chain with deltas against the parent', () => {
    const tip = shas[shas.length - 1];
    const page1 = commitPage(store, tip, 'acc', 0, 3);
    assert.deepEqual(
      page1.commits.map((c) => c.sha),
      [shas[8], shas[7], shas[6]],
    );
    assert.equal(page1.hasMore, true);
    assert.equal(page1.commits[0].state, 'failed');
    assert.equal(page1.commits[0].subject, 'broken metrics <img src=x>');
    assert.equal(page1.commits[1].state, 'normal');
    assert.equal(page1.commits[2].state, 'changed');
    assert.ok(Math.abs(page1.commits[2].delta! - 0.01) < 1e-9);
    const last = commitPage(store, tip, 'acc', 6, 3);
    assert.deepEqual(
      last.commits.map((c) => c.sha),
      [shas[2], shas[1], shas[0]],
    );
    assert.equal(last.hasMore, false);
    assert.equal(last.commits[2].delta, undefined);
    assert.equal(last.commits[2].hasPipeline, true);
  });

  it('lists experiments against their baseline and the default branch', () => {
    assert.deepEqual([...baselinesWithExperiments(store)], [shas[6]]);
    const runs = experimentRuns(store, shas[6], 'acc');
    assert.equal(runs.length, 1);
    assert.equal(runs[0].name, 'lumpy-kiln');
    assert.equal(runs[0].delta, 0);
    assert.equal(defaultBaselineBranch(store), 'main');
  });

  it('lists stages of a revision', () => {
    const stages = stagesAt(store, shas[0]);
    assert.deepEqual(
      stages.map((s) => [s.project, s.name, s.cmd]),
      [['', 'train', 'python train.py']],
    );
    assert.ok(stages[0].outs.includes('metrics.json'));
  });
});
