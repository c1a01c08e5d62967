import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { GitFixture, PIPELINE, params } from '../helpers/gitFixture';
import { indexFolder } from '../helpers/storeFixture';
import type { Store } from '../../src/core/store/store';
import { firstParentDepth, metricLine, numericMetricKeys, stepLines } from '../../src/core/query/historySeries';
import { computeHistoryDelta } from '../../src/extension/metricHistory/historyDelta';
import { metricsAtCursor, wordAt } from '../../src/extension/metricHistory/keyAtCursor';
import { parseHistoryMessage, selectionFromSavedState } from '../../src/extension/metricHistory/messages';
import type { HistoryLine, HistoryState, StepLine } from '../../src/protocol/metricHistory';
import { lineId } from '../../src/protocol/metricHistory';
import {
  applyHistoryDelta,
  overlay,
  commitTooltip,
  dateTick,
  historyCharts,
  historyCsv,
  readPersisted,
  stepCharts,
  stepsCsv,
} from '../../webview/metricHistory/model';
import { emaSmooth } from '../../webview/shared/chartModel';

const metricsJson = (acc: number | string, loss: number) => JSON.stringify({ acc, loss, nested: { f1: 0.5 } });

describe('metric history series (real Git repository)', () => {
  let fx: GitFixture;
  let store: Store;
  let storeFile: string;
  const main: string[] = [];
  let branchTip: string;

  before(async () => {
    fx = GitFixture.create();
    main.push(fx.commit('no metrics yet', { 'README.md': 'hi\n' }));
    main.push(
      fx.commit('pipeline', {
        'dvc.yaml': PIPELINE,
        'params.yaml': params(0.1),
        'train.py': '',
        'metrics.json': metricsJson(0.5, 1),
        'eval/scores.yaml': 'auc: 0.6\n',
      }),
    );
    main.push(fx.commit('better', { 'metrics.json': metricsJson(0.6, 0.8) }));
    main.push(fx.commit('acc as text', { 'metrics.json': metricsJson('n/a', 0.7) }));
    fx.git('checkout', '-q', '-b', 'feature');
    fx.commit('feature 1', { 'metrics.json': metricsJson(0.65, 0.6) });
    branchTip = fx.commit('feature 2', {
      'metrics.json': metricsJson(0.7, 0.5),
      'dvc.yaml': `${PIPELINE}plots:\n- dvclive/plots/metrics:\n    x: step\n`,
      'dvclive/plots/metrics/train/loss.tsv': 'step\tloss\n0\t1\n1\t0.5\n2\tinf\n',
    });
    fx.git('checkout', '-q', 'main');
    main.push(fx.commit('docs', { 'README.md': 'more\n' }));
    ({ store, storeFile } = await indexFolder(fx.dir));
  });

  after(() => {
    store.close();
    for (const s of ['', '-wal', '-shm']) rmSync(storeFile + s, { force: true });
    fx.cleanup();
  });

  it('draws one point per commit with a numeric value, oldest first, with positions from the root', () => {
    const line = metricLine(store, main[4], { file: 'metrics.json', key: 'acc' });
    assert.deepEqual(
      line.points.map((p) => [p.sha, p.value, p.position]),
      [
        [main[1], 0.5, 1],
        [main[2], 0.6, 2],
      ],
    );
    assert.equal(line.nonNumeric, 2, 'the text value and the commit that kept it');
    assert.equal(line.commits, 5);
    assert.equal(line.truncated, false);
    assert.equal(line.points[0].subject, 'pipeline');
  });

  it('follows a branch along its own first parents, sharing the ancestors with main', () => {
    const line = metricLine(store, branchTip, { file: 'metrics.json', key: 'loss' });
    assert.deepEqual(
      line.points.map((p) => [p.value, p.position]),
      [
        [1, 1],
        [0.8, 2],
        [0.7, 3],
        [0.6, 4],
        [0.5, 5],
      ],
    );
    const newest = metricLine(store, branchTip, { file: 'metrics.json', key: 'loss' }, 2);
    assert.deepEqual(
      newest.points.map((p) => p.value),
      [0.6, 0.5],
    );
    assert.equal(newest.truncated, true);
  });

  it('lists numeric keys per file and finds a commit on a chain', () => {
    assert.deepEqual(numericMetricKeys(store), [
      { file: 'eval/scores.yaml', key: 'auc' },
      { file: 'metrics.json', key: 'acc' },
      { file: 'metrics.json', key: 'loss' },
      { file: 'metrics.json', key: 'nested.f1' },
    ]);
    assert.equal(firstParentDepth(store, main[4], main[1]), 3);
    assert.equal(firstParentDepth(store, main[4], main[4]), 0);
    assert.equal(firstParentDepth(store, main[4], branchTip), undefined);
  });

  it('reads DVCLive step series of a revision, non-finite values left out', () => {
    assert.deepEqual(stepLines(store, main[4]), []);
    assert.deepEqual(stepLines(store, branchTip), [
      {
        path: 'dvclive/plots/metrics/train/loss.tsv',
        name: 'train/loss',
        points: [
          [0, 1],
          [1, 0.5],
        ],
      },
    ]);
  });
});

const line = (rev: string, key: string, values: number[], extra: Partial<HistoryLine> = {}): HistoryLine => ({
  metric: { file: 'metrics.json', key },
  rev,
  label: rev.replace('refs/heads/', ''),
  tip: 'f'.repeat(40),
  nonNumeric: 0,
  commits: values.length,
  truncated: false,
  points: values.map((value, i) => ({
    sha: `${i}`.padStart(40, 'a'),
    subject: `commit ${i}\nbody`,
    time: 1735689600 + i * 86400,
    position: i,
    value,
  })),
  ...extra,
});

function state(lines: HistoryLine[], steps: StepLine[] = []): HistoryState {
  return {
    selection: {
      metrics: [
        { file: 'metrics.json', key: 'acc' },
        { file: 'metrics.json', key: 'loss' },
      ],
      revisions: [
        { rev: 'refs/heads/main', label: 'main' },
        { rev: 'refs/heads/dev', label: 'dev' },
      ],
      stepRevisions: [{ rev: 'workspace', label: 'workspace' }],
    },
    available: [
      { file: 'metrics.json', key: 'acc' },
      { file: 'metrics.json', key: 'loss' },
    ],
    branches: [{ rev: 'refs/heads/main', label: 'main' }],
    lines,
    steps,
    problems: [],
  };
}

describe('metric history charts (webview model)', () => {
  it('makes one chart per metric with one dataset per branch, x by time or by position', () => {
    const s = state([
      line('refs/heads/main', 'acc', [0.5, 0.6, 0.7]),
      line('refs/heads/dev', 'acc', [0.5, 0.8]),
      line('refs/heads/main', 'loss', [1, 0.5]),
    ]);
    const charts = historyCharts(s, 'time');
    // dev's commits are all on main here: only its tip is drawn again.
    assert.deepEqual(
      charts.map((c) => [c.title, c.datasets.map((d) => [d.label, d.points.length])]),
      [
        [
          'acc',
          [
            ['main', 3],
            ['dev', 1],
          ],
        ],
        ['loss', [['main', 2]]],
      ],
    );
    assert.equal(charts[0].datasets[0].points[1].x, (1735689600 + 86400) * 1000);
    assert.equal(historyCharts(s, 'position')[0].datasets[0].points[2].x, 2);
  });

  it('overlays a branch from its fork point: shared commits are drawn once', () => {
    const p = (sha: string) => ({ sha });
    const out = overlay([
      { points: [p('a'), p('b'), p('c')] },
      { points: [p('a'), p('b'), p('x'), p('y')] },
      { points: [p('a')] },
      { points: [p('q')] },
    ]);
    assert.deepEqual(
      out.map((d) => d.points.map((x) => x.sha).join('')),
      ['abc', 'bxy', 'a', 'q'],
    );
  });

  it('tooltips name the short sha, the subject on one line and the value', () => {
    const p = historyCharts(state([line('refs/heads/main', 'acc', [0.123456789])]), 'time')[0].datasets[0].points[0];
    assert.deepEqual(commitTooltip(p, 'acc', 'main'), ['aaaaaaaa commit 0 body', 'acc: 0.123457', 'main · 2025-01-01 00:00 UTC']);
  });

  it('smooths step series per revision and exports CSV', () => {
    const steps: StepLine[] = [
      {
        rev: 'workspace',
        label: 'workspace',
        sha: 'workspace',
        name: 'train/loss',
        path: 'dvclive/plots/metrics/train/loss.tsv',
        points: [
          [0, 1],
          [1, 0.5],
          [2, 0.25],
        ],
      },
      { rev: 'HEAD', label: 'HEAD', sha: 'h', name: 'train/acc', path: 'x', points: [[0, 0.5]] },
    ];
    const charts = stepCharts(steps, 0.6);
    assert.deepEqual(
      charts.map((c) => c.name),
      ['train/acc', 'train/loss'],
    );
    assert.deepEqual(
      charts[1].datasets[0].smoothed.map((p) => p.y),
      emaSmooth([1, 0.5, 0.25], 0.6),
    );
    assert.equal(stepsCsv(charts[1]).split('\r\n')[0], 'series,revision,step,value,smoothed');
    const csv = historyCsv(historyCharts(state([line('refs/heads/main', 'acc', [0.5])]), 'time')[0]);
    assert.equal(
      csv,
      `metric,file,revision,sha,commit_time,subject,value\r\nacc,metrics.json,main,${'0'.padStart(40, 'a')},2025-01-01T00:00:00.000Z,"commit 0\nbody",0.5\r\n`,
    );
  });

  it('updates by delta: changed lines, removed lines, step series', () => {
    const a = state([line('refs/heads/main', 'acc', [0.5]), line('refs/heads/dev', 'acc', [0.4])]);
    const b = state(
      [line('refs/heads/main', 'acc', [0.5, 0.9])],
      [{ rev: 'workspace', label: 'workspace', sha: 'workspace', name: 'loss', path: 'p', points: [[0, 1]] }],
    );
    const delta = computeHistoryDelta(a, b)!;
    assert.deepEqual(delta.upserts.map(lineId), [lineId(b.lines[0])]);
    assert.deepEqual(delta.removed, [lineId(a.lines[1])]);
    assert.ok(delta.steps);
    assert.equal(delta.available, undefined);
    assert.deepEqual(applyHistoryDelta(a, delta), b);
    assert.equal(computeHistoryDelta(b, b), undefined);
  });

  it('reads persisted view options with defaults, and date ticks by span', () => {
    assert.deepEqual(readPersisted(undefined), { version: 1, selection: undefined, xMode: 'time', smoothing: 0.6 });
    assert.equal(readPersisted({ xMode: 'position', smoothing: 2 }).smoothing, 0.6);
    assert.equal(dateTick(Date.UTC(2025, 0, 2), 86400000), '2025-01-02');
    assert.equal(dateTick(Date.UTC(2025, 0, 2), 500 * 86400000), '2025-01');
  });
});

describe('metric history messages and the key under the cursor', () => {
  it('accepts a selection, a reveal of a full sha, and drops malformed messages', () => {
    const selection = {
      metrics: [{ file: 'm.json', key: 'acc' }],
      revisions: [{ rev: 'refs/heads/main', label: 'main' }],
      stepRevisions: [],
    };
    assert.deepEqual(parseHistoryMessage({ type: 'select', selection }), { type: 'select', selection });
    assert.equal(parseHistoryMessage({ type: 'select', selection: { ...selection, metrics: [{ file: 'm.json', key: '' }] } }), undefined);
    assert.equal(parseHistoryMessage({ type: 'select', selection: { ...selection, revisions: [{ rev: '-x\n', label: 'x' }] } }), undefined);
    assert.deepEqual(parseHistoryMessage({ type: 'reveal', sha: 'a'.repeat(40), rev: 'refs/heads/main' }), {
      type: 'reveal',
      sha: 'a'.repeat(40),
      rev: 'refs/heads/main',
    });
    assert.equal(parseHistoryMessage({ type: 'reveal', sha: 'HEAD', rev: 'main' }), undefined);
    assert.equal(parseHistoryMessage({ type: 'pickRevisions', target: 'other' }), undefined);
    assert.deepEqual(selectionFromSavedState({ selection }), selection);
    assert.equal(selectionFromSavedState({ selection: { metrics: 'acc' } }), undefined);
  });

  it("maps the word under the cursor to the file's metric keys", () => {
    const text = '{\n  "train": {\n    "loss": 0.1,\n    "acc": 0.9\n  }\n}';
    assert.equal(wordAt(text, text.indexOf('loss') + 2), 'loss');
    assert.equal(wordAt(text, 0), undefined);
    const all = [
      { file: 'm.json', key: 'train.loss' },
      { file: 'm.json', key: 'train.acc' },
      { file: 'm.json', key: 'eval.loss' },
      { file: 'o.json', key: 'loss' },
    ];
    assert.deepEqual(metricsAtCursor(all, 'm.json', 'acc'), [{ file: 'm.json', key: 'train.acc' }]);
    assert.deepEqual(
      metricsAtCursor(all, 'm.json', 'loss').map((m) => m.key),
      ['train.loss', 'eval.loss'],
    );
    assert.deepEqual(
      metricsAtCursor(all, 'm.json', 'train.acc').map((m) => m.key),
      ['train.acc'],
    );
    assert.equal(metricsAtCursor(all, 'm.json', 'nothing').length, 3);
  });
});
