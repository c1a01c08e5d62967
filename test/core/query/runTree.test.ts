import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { GitFixture, PIPELINE, metrics, params } from '../../helpers/gitFixture';
import { indexFolder } from '../../helpers/storeFixture';
import type { Store } from '../../../src/core/store/store';
import { commitPage, defaultBaselineBranch, experimentRuns, firstMetricKey, headlineValue, stagesAt, baselinesWithExperiments } from '../../../src/core/query/runTree';
import { WorkspaceHasher, dagOrder, fileMd5, pipelineStatus } from '../../../src/core/query/pipelineStatus';
import type { StageDef } from '../../../src/core/formats/dvcYaml';

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe('run tree queries', () => {
  let fx: GitFixture;
  let store: Store;
  let shas: string[];
  let storeFile: string;

  before(async () => {
    fx = GitFixture.create();
    shas = [];
    shas.push(fx.commit('first', { 'dvc.yaml': PIPELINE, 'params.yaml': params(0.1), 'train.py': 'print(1)\n', 'metrics.json': metrics(0.5, 1), 'eval/scores.yaml': 'auc: 0.6\n' }));
    for (let i = 1; i < 7; i++) shas.push(fx.commit(`step ${i}`, { 'params.yaml': params(0.1 + i / 100), 'metrics.json': metrics(0.5 + i / 100, 1 - i / 10) }));
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
    assert.deepEqual(page1.commits.map((c) => c.sha), [shas[8], shas[7], shas[6]]);
    assert.equal(page1.hasMore, true);
    assert.equal(page1.commits[0].state, 'failed');
    assert.equal(page1.commits[0].subject, 'broken metrics <img src=x>');
    assert.equal(page1.commits[1].state, 'normal');
    assert.equal(page1.commits[2].state, 'changed');
    assert.ok(Math.abs(page1.commits[2].delta! - 0.01) < 1e-9);
    const last = commitPage(store, tip, 'acc', 6, 3);
    assert.deepEqual(last.commits.map((c) => c.sha), [shas[2], shas[1], shas[0]]);
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
    assert.deepEqual(stages.map((s) => [s.project, s.name, s.cmd]), [['', 'train', 'python train.py']]);
    assert.ok(stages[0].outs.includes('metrics.json'));
  });
});

describe('pipeline status', () => {
  it('orders stages so producers come first', () => {
    const stage = (name: string, deps: string[], outs: string[]) => ({ name, deps: deps.map((p) => ({ path: p, projectPath: p })), outs: outs.map((p) => ({ projectPath: p })) }) as unknown as StageDef;
    const order = dagOrder([stage('train', ['data/clean'], ['model.pkl']), stage('eval', ['model.pkl'], ['m.json']), stage('prep', ['raw.csv'], ['data/clean'])]);
    assert.deepEqual(order.map((s) => s.name), ['prep', 'train', 'eval']);
  });

  it('hashes like DVC, with dos2unix for DVC 2 text hashes', async () => {
    const fx = GitFixture.create({ init: false });
    try {
      fx.write({ 'a.txt': 'x\r\ny\r\n' });
      assert.equal(await fileMd5(`${fx.dir}/a.txt`, false), md5('x\r\ny\r\n'));
      assert.equal(await fileMd5(`${fx.dir}/a.txt`, true), md5('x\ny\n'));
    } finally {
      fx.cleanup();
    }
  });

  it('compares dvc.lock md5s with workspace files', async () => {
    const fx = GitFixture.create();
    const pipeline = 'stages:\n  prep:\n    cmd: python prep.py\n    deps:\n    - raw.csv\n    outs:\n    - data\n  train:\n    cmd: python train.py\n    deps:\n    - train.py\n    - data\n    outs:\n    - model.pkl\n  report:\n    cmd: echo\n';
    const lock = `schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    deps:\n    - path: train.py\n      hash: md5\n      md5: ${md5('print(1)\n')}\n    - path: data\n      hash: md5\n      md5: 0123456789abcdef0123456789abcdef.dir\n    outs:\n    - path: model.pkl\n      hash: md5\n      md5: ${md5('model')}\n  prep:\n    cmd: python prep.py\n    deps:\n    - path: raw.csv\n      hash: md5\n      md5: ${md5('a,b\n')}\n    outs:\n    - path: data\n      hash: md5\n      md5: 0123456789abcdef0123456789abcdef.dir\n`;
    fx.commit('pipeline', { 'dvc.yaml': pipeline, 'dvc.lock': lock, 'train.py': 'print(1)\n', 'raw.csv': 'a,b\n', 'model.pkl': 'model', 'data/x': '1' });
    fx.write({ 'train.py': 'print(2)\n' });
    const { store, storeFile } = await indexFolder(fx.dir);
    try {
      const [project] = await pipelineStatus(store, fx.dir, new WorkspaceHasher());
      assert.deepEqual(project.stages.map((s) => [s.name, s.state]), [['prep', 'up-to-date'], ['train', 'changed'], ['report', 'never-run']]);
      const train = project.stages[1];
      assert.deepEqual(train.deps.map((d) => [d.path, d.state]), [['train.py', 'changed'], ['data', 'not-checked']]);
      assert.deepEqual(train.outs.map((d) => d.state), ['same']);
    } finally {
      store.close();
      for (const s of ['', '-wal', '-shm']) rmSync(storeFile + s, { force: true });
      fx.cleanup();
    }
  });
});
