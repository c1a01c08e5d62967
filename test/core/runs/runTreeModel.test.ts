import { strict as assert } from 'node:assert';
import { groupLabel, runDescription, runTooltipFields, statusIcon } from '../../../src/core/runs/runTreeModel';
import { headlineKeys, headlineOf } from '../../../src/core/runs/runHeadline';
import { externalRun } from './mlflowFolders';

describe('Runs tree model (pure)', () => {
  it('picks quality metrics as headlines before counters and W&B internals', () => {
    const runs: { metrics: Record<string, number> }[] = [
      { metrics: { _step: 10, _runtime: 3, epoch: 10, 'train/loss': 0.2, val_accuracy: 0.9 } },
      { metrics: { _step: 5, epoch: 5, 'train/loss': 0.3, zeta: 1 } },
    ];
    assert.deepEqual(headlineKeys(runs, 3), ['val_accuracy', 'train/loss', 'zeta']);
    assert.deepEqual(headlineKeys(runs, 1, 'epoch'), ['epoch'], 'the configured headline wins');
    assert.deepEqual(headlineOf({ metrics: { _step: 1, rmse: 0.5 } }), { key: 'rmse', value: 0.5 });
    assert.equal(headlineOf({ metrics: {} }), undefined);
  });

  it('describes a run by status, headline, commit and date', () => {
    const run = externalRun({
      id: 'r',
      status: 'failed',
      metrics: { acc: 0.91234567 },
      git: { commit: 'abcdef1234567890', branch: null, remote: null },
      startTime: Date.UTC(2025, 0, 2),
    });
    assert.equal(runDescription(run), 'failed · acc 0.91235 · abcdef12 · 2025-01-02');
    assert.equal(runDescription(externalRun({ id: 'r', startTime: null, status: 'running' })), 'running · unlinked');
    assert.equal(runDescription(run, undefined, { withCommit: false }), 'failed · acc 0.91235 · 2025-01-02', 'under its commit node');
  });

  it('names groups and status icons', () => {
    assert.equal(groupLabel({ source: 'mlflow', experiment: 'churn', experimentId: '3' }), 'MLflow · churn');
    assert.equal(groupLabel({ source: 'wandb', experiment: null, experimentId: null }), 'W&B · (no project)');
    assert.equal(groupLabel({ source: 'mlflow', experiment: null, experimentId: '7' }), 'MLflow · experiment 7');
    assert.deepEqual(statusIcon('finished'), { icon: 'pass', color: 'testing.iconPassed' });
    assert.equal(statusIcon('unknown').icon, 'circle-outline');
  });

  it('lists params and metrics in the tooltip, bounded, NaN shown as such', () => {
    const params = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${String(i).padStart(2, '0')}`, String(i)]));
    const { title, fields } = runTooltipFields(
      externalRun({ id: 'r1', name: 'fox', params, metrics: { loss: NaN }, startTime: 0, endTime: 3723000 }),
      25,
    );
    assert.equal(title, 'MLflow run fox');
    const map = new Map(fields);
    assert.equal(map.get('Duration'), '1 h 2 min');
    assert.equal(map.get('Commit'), 'unlinked (no Git commit recorded)');
    assert.equal(map.get('param p00'), '0');
    assert.equal(map.get('param p25'), undefined);
    assert.equal(map.get('param'), '… and 5 more');
    assert.equal(map.get('metric loss'), 'NaN');
  });
});
