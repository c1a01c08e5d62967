import { strict as assert } from 'node:assert';
import { Store } from '../../../src/core/store/store';
import { replaceSource } from '../../../src/core/runs/runStore';
import { isRunRevision, resolveRunRevision, runLabel, RunRevisionError } from '../../../src/core/runs/runRevision';
import { comparisonReader, pythonParams } from '../../../src/core/runs/runDiff';
import { diffValues } from '../../../src/core/diff/diff';
import { externalRun } from './mlflowFolders';

describe('run revisions', () => {
  let store: Store;
  before(() => {
    store = Store.open(':memory:');
    replaceSource(
      store,
      { kind: 'mlflow', format: 'mlflow-files', location: 'mlruns' },
      'a',
      [
        externalRun({
          id: 'a1b2c3d4e5f60000',
          name: 'fox',
          experiment: 'team/churn',
          metrics: { acc: 0.8, loss: 0.5 },
          params: { lr: '0.01', epochs: '10', opt: 'adam', fast: 'True' },
        }),
        externalRun({
          id: 'a1b2c3ffff',
          name: 'owl',
          experiment: 'team/churn',
          metrics: { acc: 0.9, loss: NaN },
          params: { lr: '0.02', epochs: '10', opt: 'adam', fast: 'False' },
        }),
        externalRun({ id: 'dup1', name: 'same', experiment: 'x' }),
        externalRun({ id: 'dup2', name: 'same', experiment: 'x' }),
      ],
      [],
      1,
    );
    replaceSource(
      store,
      { kind: 'wandb', format: 'wandb-dir', location: 'wandb' },
      'w',
      [
        externalRun({
          id: 'k3j9x2aa',
          source: 'wandb',
          name: 'misty-1',
          experiment: 'proj',
          metrics: { acc: 0.85 },
          params: { lr: 0.01, epochs: 10 },
        }),
      ],
      [],
      1,
    );
  });
  after(() => store.close());

  it('tells run revisions from Git revisions', () => {
    assert.ok(isRunRevision('mlflow:abc'));
    assert.ok(isRunRevision('wandb:proj/run'));
    for (const text of ['main', 'HEAD~1', 'refs/exps/ab/cd/exp', 'mlflow', 'comet:abc']) assert.ok(!isRunRevision(text), text);
  });

  it('resolves ids, experiment/name (slashes in the experiment) and unique id prefixes', () => {
    assert.equal(resolveRunRevision(store, 'mlflow:a1b2c3ffff').name, 'owl');
    assert.equal(resolveRunRevision(store, 'mlflow:team/churn/fox').id, 'a1b2c3d4e5f60000');
    assert.equal(resolveRunRevision(store, 'mlflow:a1b2c3d4').id, 'a1b2c3d4e5f60000');
    assert.equal(resolveRunRevision(store, 'wandb:proj/misty-1').id, 'k3j9x2aa');
    assert.equal(runLabel(resolveRunRevision(store, 'wandb:k3j9x2aa')), 'wandb:misty-1');
  });

  it('refuses ambiguous and unknown names with what would match', () => {
    assert.throws(
      () => resolveRunRevision(store, 'mlflow:x/same'),
      (e: unknown) => e instanceof RunRevisionError && /ambiguous/.test(e.message) && /mlflow:dup1/.test(e.message),
    );
    assert.throws(
      () => resolveRunRevision(store, 'mlflow:a1b2c3'),
      (e: unknown) => e instanceof RunRevisionError && /ambiguous/.test(e.message),
    );
    assert.throws(
      () => resolveRunRevision(store, 'wandb:nothing'),
      (e: unknown) => e instanceof RunRevisionError && /unknown run "wandb:nothing"/.test(e.message) && /--source wandb/.test(e.message),
    );
    assert.throws(() => resolveRunRevision(store, 'mlflow:bad\nname'), RunRevisionError);
  });

  it('compares two runs with DVC diff semantics: flat keys, latest metrics, typed MLflow params', () => {
    const read = comparisonReader(store, 'mlflow:a1b2c3d4e5f60000', 'wandb:k3j9x2aa');
    const metrics = diffValues(read('mlflow:a1b2c3d4e5f60000', 'metrics').values, read('wandb:k3j9x2aa', 'metrics').values);
    assert.equal(metrics.metrics.acc.old, 0.8);
    assert.equal(metrics.metrics.acc.new, 0.85);
    assert.ok(Math.abs(Number(metrics.metrics.acc.diff!) - 0.05) < 1e-12);
    assert.deepEqual(metrics.metrics.loss, { old: 0.5, new: null });
    // "0.01" logged by MLflow equals W&B's 0.01: no change; the bool param has no W&B side.
    const params = diffValues(read('mlflow:a1b2c3d4e5f60000', 'params').values, read('wandb:k3j9x2aa', 'params').values);
    assert.deepEqual(params, { params: { fast: { old: true, new: null }, opt: { old: 'adam', new: null } } });
  });

  it('reads MLflow params back as the Python values they were', () => {
    assert.deepEqual(pythonParams({ a: '1', b: '-2.5e-3', c: 'True', d: 'False', e: 'adam', f: '1.2.3', g: 'nan', h: '' }), {
      a: 1,
      b: -0.0025,
      c: true,
      d: false,
      e: 'adam',
      f: '1.2.3',
      g: 'nan',
      h: '',
    });
  });
});
