import { strict as assert } from 'node:assert';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LiveSeriesTracker, type SeriesDelta } from '../../../src/core/live/liveSeriesTracker';
import { stepLines } from '../../../src/core/query/historySeries';
import { GitFixture, PIPELINE, params } from '../../helpers/gitFixture';
import { indexFolder } from '../../helpers/storeFixture';

const byKey = (deltas: SeriesDelta[]) => Object.fromEntries(deltas.map((d) => [d.key, d]));

describe('LiveSeriesTracker: DVCLive plots/metrics/**.tsv', () => {
  let root: string;
  const put = (rel: string, text: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  const add = (rel: string, text: string) => appendFileSync(join(root, rel), text);
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lineage-live-series-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reads the existing rows, then only appended complete rows, keyed as the indexer keys them', () => {
    put('dvclive/plots/metrics/train/acc.tsv', 'timestamp\tstep\tacc\n1700000000000\t0\t0.5\n');
    const tracker = LiveSeriesTracker.dvcLive(root, 'dvclive');
    const first = tracker.poll();
    assert.deepEqual(first.deltas, [
      {
        key: 'train/acc',
        file: 'dvclive/plots/metrics/train/acc.tsv',
        points: [{ step: 0, value: 0.5, timestamp: 1700000000000 }],
        reset: false,
      },
    ]);
    assert.deepEqual(first.problems, []);
    assert.ok(first.lastWriteMs! > 0);
    add('dvclive/plots/metrics/train/acc.tsv', '1700000000100\t1\t0.6');
    assert.deepEqual(tracker.poll().deltas, [], 'a row without its newline waits');
    add('dvclive/plots/metrics/train/acc.tsv', '25\n1700000000200\t2\tnan\n');
    const next = tracker.poll().deltas;
    assert.equal(next.length, 1);
    assert.equal(next[0].reset, false);
    assert.deepEqual(
      next[0].points.map((p) => p.step),
      [1, 2],
    );
    assert.equal(next[0].points[0].value, 0.625);
    assert.ok(Number.isNaN(next[0].points[1].value), 'nan stays a point; the chart drops non-finite values');
    assert.deepEqual(tracker.poll().deltas, [], 'nothing new: no delta');
    assert.deepEqual(
      tracker
        .series()
        .get('train/acc')!
        .points.map((p) => p.step),
      [0, 1, 2],
    );
  });

  it('picks up TSV files that appear while the run goes on, with CRLF rows', () => {
    const tracker = LiveSeriesTracker.dvcLive(root, 'dvclive');
    assert.deepEqual(tracker.poll().deltas, [], 'no dvclive folder yet');
    put('dvclive/plots/metrics/loss.tsv', 'step\tloss\r\n0\t2.5\r\n');
    assert.deepEqual(byKey(tracker.poll().deltas).loss.points, [{ step: 0, value: 2.5, timestamp: null }]);
    put('dvclive/plots/metrics/val/f1.tsv', 'step\tf1\r\n');
    assert.deepEqual(tracker.poll().deltas, [], 'a header alone is no point yet');
    add('dvclive/plots/metrics/val/f1.tsv', '0\t0.3\r\n');
    add('dvclive/plots/metrics/loss.tsv', '1\t2.0\r\n');
    const deltas = byKey(tracker.poll().deltas);
    assert.deepEqual(Object.keys(deltas).sort(), ['loss', 'val/f1']);
    assert.deepEqual(deltas['val/f1'].points, [{ step: 0, value: 0.3, timestamp: null }]);
    assert.deepEqual(deltas.loss.points, [{ step: 1, value: 2, timestamp: null }]);
    put('dvclive/plots/metrics/notes.txt', 'not a series\n');
    assert.deepEqual(tracker.poll().deltas, []);
  });

  it('a rewritten (resumed) or deleted TSV replaces its series instead of appending', () => {
    put('dvclive/plots/metrics/acc.tsv', 'step\tacc\n0\t0.1\n1\t0.2\n2\t0.3\n');
    const tracker = LiveSeriesTracker.dvcLive(root, 'dvclive/');
    tracker.poll();
    truncateSync(join(root, 'dvclive/plots/metrics/acc.tsv'), 0);
    put('dvclive/plots/metrics/acc.tsv', 'step\tacc\n0\t0.1\n1\t0.25\n');
    const [resumed] = tracker.poll().deltas;
    assert.equal(resumed.reset, true);
    assert.deepEqual(
      resumed.points.map((p) => p.value),
      [0.1, 0.25],
      'the whole series as it is now',
    );
    assert.deepEqual(
      tracker
        .series()
        .get('acc')!
        .points.map((p) => p.value),
      [0.1, 0.25],
    );
    rmSync(join(root, 'dvclive'), { recursive: true });
    assert.deepEqual(tracker.poll().deltas, [{ key: 'acc', file: 'dvclive/plots/metrics/acc.tsv', points: [], reset: true, gone: true }]);
    assert.equal(tracker.series().size, 0);
  });

  it('skips bad rows and a bad header with a problem naming the file and line; the other series go on', () => {
    put('dvclive/plots/metrics/acc.tsv', 'step\tacc\n0\t0.1\nx\t0.2\n2\t\n3\t0.4\n');
    put('dvclive/plots/metrics/bad.tsv', 'time\tvalue\n0\t1\n');
    const tracker = LiveSeriesTracker.dvcLive(root, 'dvclive');
    const poll = tracker.poll();
    assert.deepEqual(
      byKey(poll.deltas).acc.points.map((p) => p.step),
      [0, 3],
    );
    assert.equal(byKey(poll.deltas).bad, undefined);
    assert.deepEqual(
      poll.problems.map((p) => [p.file, p.line]),
      [
        ['dvclive/plots/metrics/acc.tsv', 3],
        ['dvclive/plots/metrics/acc.tsv', 4],
        ['dvclive/plots/metrics/bad.tsv', 1],
      ],
    );
    assert.match(poll.problems[0].message, /'x' is not a step number/);
    assert.match(poll.problems[2].message, /no 'step' column/);
    add('dvclive/plots/metrics/acc.tsv', '4\tgarbage\n');
    const later = tracker.poll();
    assert.deepEqual(
      later.problems.map((p) => [p.file, p.line]),
      [['dvclive/plots/metrics/acc.tsv', 6]],
      'each bad line is reported once, by its line number',
    );
  });

  it('names and reads series exactly as the index does for the workspace (real Git repository, real indexer)', async () => {
    const fx = GitFixture.create();
    const plotsYaml = `${PIPELINE}plots:\n- dvclive/plots/metrics:\n    x: step\n`;
    fx.commit('pipeline', { 'dvc.yaml': plotsYaml, 'params.yaml': params(0.1), 'train.py': '', 'metrics.json': '{"acc": 1}' });
    fx.write({
      'dvclive/plots/metrics/train/acc.tsv': 'timestamp\tstep\tacc\r\n1700000000000\t0\t0.5\r\n1700000000100\t1\t0.75\r\n',
      'dvclive/plots/metrics/loss.tsv': 'step\tloss\n0\t2\n1\tinf\n2\t1.5\n',
      'dvclive/plots/metrics/deep/er/x.tsv': 'step\tx\n5\t-1e-3\n',
    });
    const { store, storeFile } = await indexFolder(fx.dir);
    try {
      const indexed = stepLines(store, 'workspace').map((s) => ({ name: s.name, path: s.path, points: s.points }));
      assert.equal(indexed.length, 3);
      const tracker = LiveSeriesTracker.dvcLive(fx.dir, 'dvclive');
      tracker.poll();
      const live = [...tracker.series()].map(([name, s]) => ({
        name,
        path: s.file,
        points: s.points.filter((p) => Number.isFinite(p.value)).map((p) => [p.step, p.value]),
      }));
      assert.deepEqual(live, indexed);
    } finally {
      store.close();
      for (const s of ['', '-wal', '-shm']) rmSync(storeFile + s, { force: true });
      rmSync(fx.dir, { recursive: true, force: true });
    }
  });
});

describe('LiveSeriesTracker: MLflow file-store run metrics', () => {
  let root: string;
  const run = 'mlruns/0/0123456789abcdef';
  const put = (rel: string, text: string) => {
    mkdirSync(dirname(join(root, run, rel)), { recursive: true });
    writeFileSync(join(root, run, rel), text);
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'lineage-live-mlflow-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reads `<ts> <value> <step>` lines per metric key (nested keys are folders), two fields meaning step 0', () => {
    put('metrics/loss', '1700000000000 2.5 0\n1700000000100 nan 1\n');
    put('metrics/val/acc', '1700000000200 0.5\n');
    const tracker = LiveSeriesTracker.mlflowRun(root, run);
    const deltas = byKey(tracker.poll().deltas);
    assert.deepEqual(Object.keys(deltas).sort(), ['loss', 'val/acc']);
    assert.equal(deltas.loss.file, `${run}/metrics/loss`);
    assert.deepEqual(deltas['val/acc'].points, [{ step: 0, value: 0.5, timestamp: 1700000000200 }]);
    assert.ok(Number.isNaN(deltas.loss.points[1].value));
    appendFileSync(join(root, run, 'metrics/loss'), '1700000000300 -inf 2\n1700000000400 1.0 ');
    const next = tracker.poll().deltas;
    assert.deepEqual(
      next.map((d) => [d.key, d.reset, d.points.map((p) => p.value)]),
      [['loss', false, [-Infinity]]],
    );
  });

  it('skips garbage lines with a problem naming the file and line', () => {
    put(
      'metrics/loss',
      '1700000000000 2.5 0\nhello\n1 2 3 4\n1700000000000 abc 1\n1.5 2 3\n1700000000000 0.5 1.5\n\n1700000000000 0.25 7\n',
    );
    const poll = LiveSeriesTracker.mlflowRun(root, run).poll();
    assert.deepEqual(
      poll.deltas[0].points.map((p) => [p.step, p.value]),
      [
        [0, 2.5],
        [7, 0.25],
      ],
    );
    assert.deepEqual(
      poll.problems.map((p) => [p.file, p.line]),
      [2, 3, 4, 5, 6].map((line) => [`${run}/metrics/loss`, line]),
    );
    assert.match(poll.problems[0].message, /found 1 field/);
    assert.match(poll.problems[2].message, /'abc' is not a number/);
  });
});
