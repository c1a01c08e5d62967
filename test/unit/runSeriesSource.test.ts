import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followRun, type RunFollower } from '../../src/core/live/runFollower';
import { syncRuns } from '../../src/core/workspace/runSync';
import { Store } from '../../src/core/store/store';
import { parseSelection } from '../../src/extension/metricHistory/messages';
import { runAppends, runChoiceOf, withFollowedSeries, withRun } from '../../src/extension/metricHistory/runSeriesSource';
import { loadRunSeries } from '../../src/core/workspace/runSeries';
import type { HistorySelection, HistoryState, RunChoice, StepLine } from '../../src/protocol/metricHistory';
import { applyStepAppends, runRev } from '../../src/protocol/metricHistory';
import { writeMlflowRun } from '../core/runs/mlflowFolders';

const LIVE = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const DONE = '1b2c3d4e5f60718293a4b5c6d7e8f90a';
const T = 1735689700000;
const EMPTY: HistorySelection = { metrics: [], revisions: [], stepRevisions: [] };

describe('Metric History: MLflow/W&B runs (pure and store parts)', () => {
  it('labels a run with its name and tool, and tells two runs of one name apart', () => {
    const a = runChoiceOf({ source: 'mlflow', id: LIVE, name: 'baseline' });
    assert.deepEqual(a, { source: 'mlflow', id: LIVE, label: 'baseline · MLflow' });
    assert.equal(runChoiceOf({ source: 'mlflow', id: DONE, name: 'baseline' }, [a]).label, 'baseline · MLflow 1b2c3d4e');
    assert.equal(runChoiceOf({ source: 'wandb', id: 'k3x9q2', name: null }).label, 'k3x9q2 · W&B');
    const one = withRun(EMPTY, { source: 'mlflow', id: LIVE, name: 'baseline' });
    const two = withRun(one, { source: 'wandb', id: 'k3x9q2', name: 'baseline' });
    assert.deepEqual(
      two.runs!.map((r) => r.label),
      ['baseline · MLflow', 'baseline · W&B'],
      'a run is added after the others',
    );
    assert.equal(withRun(two, { source: 'mlflow', id: LIVE, name: 'renamed' }), two, 'a run shown already stays');
  });

  it('parses runs in a selection from the page, refusing ids that could leave a runs folder', () => {
    const runs: RunChoice[] = [{ source: 'wandb', id: 'k3x9q2', label: 'x · W&B' }];
    assert.deepEqual(parseSelection({ ...EMPTY, runs }), { ...EMPTY, runs });
    assert.deepEqual(parseSelection(EMPTY), EMPTY, 'a selection without runs stays without');
    assert.equal(parseSelection({ ...EMPTY, runs: [{ source: 'mlflow', id: '../1', label: 'x' }] }), undefined);
    assert.equal(parseSelection({ ...EMPTY, runs: [{ source: 'neptune', id: 'a', label: 'x' }] }), undefined);
    assert.equal(parseSelection({ ...EMPTY, runs: 'all' }), undefined);
  });

  it("withFollowedSeries puts a run's read series in place of its indexed lines and leaves the rest", () => {
    const run: RunChoice = { source: 'mlflow', id: LIVE, label: 'r · MLflow' };
    const rev = runRev(run);
    const other: StepLine = {
      rev: 'workspace',
      label: 'workspace',
      sha: 'workspace',
      name: 'loss',
      path: 'dvclive/plots/metrics/loss.tsv',
      points: [[0, 1]],
    };
    const state: HistoryState = {
      selection: { ...EMPTY, runs: [run] },
      available: [],
      branches: [],
      lines: [],
      problems: ['r · MLflow: the run logged no step series.', 'kept'],
      steps: [other, { rev, label: run.label, sha: LIVE, name: 'loss', path: 'loss', points: [[0, 1]] }],
      runs: [{ ...run, rev, status: 'running', location: 'mlruns', experimentId: '1', live: true }],
    };
    const next = withFollowedSeries(
      state,
      rev,
      new Map([
        [
          'loss',
          [
            { step: 0, value: 1, timestamp: 1 },
            { step: 1, value: NaN, timestamp: 2 },
            { step: 2, value: 0.5, timestamp: 3 },
          ],
        ],
        ['acc', [{ step: 0, value: 0.3, timestamp: 1 }]],
      ]),
    );
    assert.deepEqual(
      next.steps.map((s) => [s.rev, s.name, s.points]),
      [
        ['workspace', 'loss', [[0, 1]]],
        [rev, 'acc', [[0, 0.3]]],
        [
          rev,
          'loss',
          [
            [0, 1],
            [2, 0.5],
          ],
        ],
      ],
    );
    assert.deepEqual(next.problems, ['kept']);
    assert.equal(withFollowedSeries(state, rev, new Map()), state, "nothing read yet: the index's lines stay");
  });

  describe('with an index of real run folders', () => {
    let root: string;
    let store: Store;
    beforeEach(async () => {
      root = mkdtempSync(join(tmpdir(), 'lineage-run-series-'));
      writeMlflowRun(root, 'mlruns', {
        id: LIVE,
        name: 'live',
        status: 1,
        metrics: {
          loss: [
            [T, '1.0', 0],
            [T + 1, '0.8', 1],
          ],
        },
      });
      writeMlflowRun(root, 'mlruns', {
        id: DONE,
        name: 'done',
        status: 3,
        metrics: {
          loss: [[T, '0.9', 0]],
          'val/acc': [
            [T, '0.5', 0],
            [T, 'nan', 1],
          ],
        },
      });
      store = Store.open(join(root, 'index.sqlite'));
      await syncRuns(root, store);
    });
    afterEach(() => {
      store.close();
      rmSync(root, { recursive: true, force: true });
    });

    it('loads one line per metric key per run, labelled with the run, and says what it cannot show', () => {
      const live = runChoiceOf({ source: 'mlflow', id: LIVE, name: 'live' });
      const done = runChoiceOf({ source: 'mlflow', id: DONE, name: 'done' });
      const gone: RunChoice = { source: 'wandb', id: 'nothere', label: 'old · W&B' };
      const loaded = loadRunSeries(store, [live, done, gone]);
      assert.deepEqual(
        loaded.steps.map((s) => [s.rev, s.label, s.name, s.points]),
        [
          [
            runRev(live),
            'live · MLflow',
            'loss',
            [
              [0, 1],
              [1, 0.8],
            ],
          ],
          [runRev(done), 'done · MLflow', 'loss', [[0, 0.9]]],
          [runRev(done), 'done · MLflow', 'val/acc', [[0, 0.5]]],
        ],
      );
      assert.deepEqual(
        loaded.shown.map((r) => [r.label, r.status, r.location, r.experimentId]),
        [
          ['live · MLflow', 'running', 'mlruns', '1'],
          ['done · MLflow', 'finished', 'mlruns', '1'],
        ],
      );
      assert.deepEqual(loaded.problems, ['old · W&B: the run is not in the index (any more).']);
    });

    it("a followed run's appends bring the loaded state to what the files hold, until the run ends", async () => {
      const live = runChoiceOf({ source: 'mlflow', id: LIVE, name: 'live' });
      const loaded = loadRunSeries(store, [live]);
      const f = followRun(root, loaded.shown[0]) as RunFollower;
      assert.notEqual(typeof f, 'string');
      await f.poll();
      const state: HistoryState = {
        selection: { ...EMPTY, runs: [live] },
        available: [],
        branches: [],
        lines: [],
        problems: [],
        steps: loaded.steps,
        runs: loaded.shown,
      };
      let shown = withFollowedSeries(state, runRev(live), f.series());
      assert.deepEqual(shown.steps, state.steps, 'the index was up to date');

      const metrics = join(root, 'mlruns', '1', LIVE, 'metrics');
      appendFileSync(join(metrics, 'loss'), `${T + 2} 0.7 2\n`);
      writeFileSync(join(metrics, 'lr'), `${T + 2} 0.01 2\n`);
      const metaFile = join(root, 'mlruns', '1', LIVE, 'meta.yaml');
      writeFileSync(metaFile, readFileSync(metaFile, 'utf8').replace(/^status: 1$/m, 'status: 3'));
      const poll = await f.poll();
      assert.equal(poll.finished, true);
      const appends = runAppends(live, poll.deltas);
      assert.deepEqual(
        appends.map((a) => [a.rev, a.label, a.name, a.path, a.points, a.reset]),
        [
          [runRev(live), 'live · MLflow', 'loss', 'loss', [[2, 0.7]], false],
          [runRev(live), 'live · MLflow', 'lr', 'lr', [[2, 0.01]], false],
        ],
      );
      shown = { ...shown, steps: applyStepAppends(shown.steps, appends) };
      assert.deepEqual(shown.steps, withFollowedSeries(state, runRev(live), f.series()).steps, 'appending gives what a reload shows');
      assert.deepEqual(
        shown.steps.map((s) => s.name),
        ['loss', 'lr'],
      );
    });
  });
});
