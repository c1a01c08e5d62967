import { strict as assert } from 'node:assert';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LiveSeriesTracker } from '../../src/core/live/liveSeriesTracker';
import { computeHistoryDelta } from '../../src/extension/metricHistory/historyDelta';
import { appendsOf, liveDirsOf, withLiveSeries, type TrackedSeries } from '../../src/extension/metricHistory/liveSteps';
import type { HistoryState, StepAppend, StepLine } from '../../src/protocol/metricHistory';
import { applyStepAppends } from '../../src/protocol/metricHistory';

const WS = { rev: 'workspace', label: 'workspace' };
const MAIN = { rev: 'refs/heads/main', label: 'main' };
const line = (
  rev: { rev: string; label: string },
  name: string,
  points: [number, number][],
  path = `dvclive/plots/metrics/${name}.tsv`,
): StepLine => ({ rev: rev.rev, label: rev.label, sha: rev.rev === 'workspace' ? 'workspace' : 'a'.repeat(40), name, path, points });
const append = (name: string, points: [number, number][], extra: Partial<StepAppend> = {}): StepAppend => ({
  rev: WS.rev,
  label: WS.label,
  sha: 'workspace',
  name,
  path: `dvclive/plots/metrics/${name}.tsv`,
  points,
  reset: false,
  ...extra,
});
const state = (steps: StepLine[], problems: string[] = []): HistoryState => ({
  selection: { metrics: [], revisions: [], stepRevisions: [MAIN, WS] },
  available: [],
  branches: [],
  lines: [],
  steps,
  problems,
});

describe('live step series: the panel side (pure)', () => {
  it('applyStepAppends appends, replaces on reset, drops a deleted series and places a new one by path', () => {
    const steps = [line(MAIN, 'loss', [[0, 1]]), line(WS, 'acc', [[0, 0.5]]), line(WS, 'train/loss', [[0, 2]])];
    const after = applyStepAppends(steps, [
      append('acc', [[1, 0.6]]),
      append('train/loss', [[0, 1.5]], { reset: true }),
      append('lr', [[0, 0.1]]),
    ]);
    assert.deepEqual(
      after.map((s) => [s.rev, s.name, s.points]),
      [
        ['refs/heads/main', 'loss', [[0, 1]]],
        [
          'workspace',
          'acc',
          [
            [0, 0.5],
            [1, 0.6],
          ],
        ],
        ['workspace', 'lr', [[0, 0.1]]],
        ['workspace', 'train/loss', [[0, 1.5]]],
      ],
    );
    assert.deepEqual(steps[1].points, [[0, 0.5]], 'the input is not changed');
    assert.deepEqual(
      applyStepAppends(after, [append('acc', [], { reset: true, gone: true })]).map((s) => s.name),
      ['loss', 'lr', 'train/loss'],
    );
    assert.deepEqual(
      applyStepAppends([line(MAIN, 'x', [])], [append('y', [[1, 1]])]).map((s) => s.name),
      ['x', 'y'],
      'a first workspace series comes last',
    );
  });

  it("liveDirsOf follows the workspace series folders and DVCLive's default, not other revisions'", () => {
    assert.deepEqual(liveDirsOf([line(MAIN, 'a', [], 'old/plots/metrics/a.tsv'), line(WS, 'b', [], 'runs/live/plots/metrics/b.tsv')]), [
      'dvclive',
      'runs/live',
    ]);
  });

  it("withLiveSeries puts the files' series in place of the indexed ones of the same files, in the index's order", () => {
    const indexed = state(
      [line(MAIN, 'acc', [[0, 0.1]]), line(WS, 'acc', [[0, 0.5]]), line(WS, 'other', [[3, 3]], 'elsewhere/plots/metrics/other.tsv')],
      ['No DVCLive step series (dvclive/plots/metrics/*.tsv) at workspace.', 'kept'],
    );
    const tracked: TrackedSeries[] = [
      {
        key: 'acc',
        file: 'dvclive/plots/metrics/acc.tsv',
        points: [
          { step: 0, value: 0.5, timestamp: null },
          { step: 1, value: Infinity, timestamp: null },
          { step: 2, value: 0.7, timestamp: null },
        ],
      },
      { key: 'new', file: 'dvclive/plots/metrics/new.tsv', points: [{ step: 0, value: 1, timestamp: null }] },
    ];
    const next = withLiveSeries(indexed, WS, tracked);
    assert.deepEqual(
      next.steps.map((s) => [s.rev, s.path, s.points]),
      [
        ['refs/heads/main', 'dvclive/plots/metrics/acc.tsv', [[0, 0.1]]],
        [
          'workspace',
          'dvclive/plots/metrics/acc.tsv',
          [
            [0, 0.5],
            [2, 0.7],
          ],
        ],
        ['workspace', 'dvclive/plots/metrics/new.tsv', [[0, 1]]],
        ['workspace', 'elsewhere/plots/metrics/other.tsv', [[3, 3]]],
      ],
    );
    assert.deepEqual(next.problems, ['kept']);
  });

  it('appendsOf drops non-finite points and deltas left empty, keeps resets and deletions', () => {
    const appends = appendsOf(WS, [
      { key: 'a', file: 'dvclive/plots/metrics/a.tsv', points: [{ step: 1, value: NaN, timestamp: null }], reset: false },
      { key: 'b', file: 'dvclive/plots/metrics/b.tsv', points: [], reset: true, gone: true },
      { key: 'c', file: 'dvclive/plots/metrics/c.tsv', points: [{ step: 1, value: 2, timestamp: 5 }], reset: false },
    ]);
    assert.deepEqual(
      appends.map((a) => [a.name, a.points, a.reset, a.gone ?? false]),
      [
        ['b', [], true, true],
        ['c', [[1, 2]], false, false],
      ],
    );
  });

  it('appends of successive polls of real files give the state a reload builds: the reload posts no step delta', () => {
    const root = mkdtempSync(join(tmpdir(), 'lineage-live-unit-'));
    const put = (rel: string, text: string) => {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    };
    try {
      put('dvclive/plots/metrics/train/loss.tsv', 'step\tloss\n0\t2\n');
      const tracker = LiveSeriesTracker.dvcLive(root, 'dvclive');
      tracker.poll();
      const seriesNow = (): TrackedSeries[] => [...tracker.series()].map(([key, s]) => ({ key, file: s.file, points: s.points }));
      const indexed = state([line(MAIN, 'train/loss', [[0, 3]])]);
      let shown = withLiveSeries(indexed, WS, seriesNow());
      appendFileSync(join(root, 'dvclive/plots/metrics/train/loss.tsv'), '1\t1.5\n2\tnan\n3\t1.2\n');
      put('dvclive/plots/metrics/acc.tsv', 'step\tacc\n0\t0.4\n');
      shown = { ...shown, steps: applyStepAppends(shown.steps, appendsOf(WS, tracker.poll().deltas)) };
      put('dvclive/plots/metrics/train/loss.tsv', 'step\tloss\n0\t2\n1\t1.4\n');
      shown = { ...shown, steps: applyStepAppends(shown.steps, appendsOf(WS, tracker.poll().deltas)) };
      const reloaded = withLiveSeries(indexed, WS, seriesNow());
      assert.deepEqual(shown.steps, reloaded.steps);
      assert.equal(computeHistoryDelta(shown, reloaded), undefined);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
