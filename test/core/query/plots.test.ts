import { strict as assert } from 'node:assert';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitFixture } from '../../helpers/gitFixture';
import { indexFolder } from '../../helpers/storeFixture';
import { openRepo } from '../../../src/core/git/repo';
import type { Store } from '../../../src/core/store/store';
import { plotsAt, readPlotImage, seriesTable, type PlotDefinition } from '../../../src/core/query/plots';
import { flattenPlot } from '../../../src/core/query/plotSeries';

// A 1x1 PNG (the smallest valid one) and a second, different one.
const PNG_A = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f2b6d90000000049454e44ae426082',
  'hex',
);
const PNG_B = Buffer.concat([PNG_A, Buffer.from('extra')]);

const DVC_YAML = `stages:
  evaluate:
    cmd: python evaluate.py
    plots:
    - eval/roc.csv:
        cache: false
        x: fpr
        y: tpr
        title: ROC <b>curve</b>
    - eval/confusion.csv:
        cache: false
        template: confusion
        x: actual
        y: predicted
    - eval/importance.png:
        cache: false
plots:
- precision_recall:
    template: simple
    x: recall
    y:
      eval/prc.json: precision
    x_label: Recall
- dvclive/plots/metrics:
    x: step
- eval/roc.csv:
    template: linear
`;

const ROC = 'fpr,tpr,threshold\n0,0,1\n0.1,0.7,0.8\n0.4,0.9,0.5\n1,1,0\n';
const CONFUSION = 'actual,predicted\ncat,cat\ncat,dog\ndog,dog\ndog,dog\nbird,cat\n';
const PRC = JSON.stringify({
  prc: [
    { precision: 1, recall: 0 },
    { precision: 0.8, recall: 0.5 },
    { precision: 0.6, recall: 1 },
  ],
});
const ACC = 'timestamp\tstep\tacc\n1700000000000\t0\t0.5\n1700000001000\t1\t0.7\n1700000002000\t2\tnan\n';
const LOSS = 'step\tloss\n0\t1.0\n1\t0.6\n';

describe('plots of a revision (index + Git)', () => {
  let fx: GitFixture;
  let store: Store;
  let storeFile: string;
  let first: string;
  let second: string;

  before(async () => {
    fx = GitFixture.create();
    first = fx.commit('plots', {
      'dvc.yaml': DVC_YAML,
      'eval/roc.csv': ROC,
      'eval/confusion.csv': CONFUSION,
      'eval/prc.json': PRC,
      'eval/importance.png': PNG_A,
      'dvclive/plots/metrics/train/acc.tsv': ACC,
      'dvclive/plots/metrics/loss.tsv': LOSS,
    });
    second = fx.commit('better model', { 'eval/roc.csv': 'fpr,tpr,threshold\n0,0,1\n0.1,0.8,0.8\n1,1,0\n', 'eval/importance.png': PNG_B });
    // The workspace: an edited confusion file and a broken PRC file.
    writeFileSync(join(fx.dir, 'eval', 'confusion.csv'), 'actual,predicted\ncat,cat\ndog,dog\n');
    writeFileSync(join(fx.dir, 'eval', 'prc.json'), '{"prc": [');
    ({ store, storeFile } = await indexFolder(fx.dir));
  });

  after(() => {
    store.close();
    for (const s of ['', '-wal', '-shm']) rmSync(storeFile + s, { force: true });
    fx.cleanup();
  });

  const byId = (defs: PlotDefinition[], id: string) => {
    const def = defs.find((d) => d.id === id);
    assert.ok(def, `no plot ${id} among ${defs.map((d) => d.id).join(', ')}`);
    return def;
  };

  it('lists top-level definitions, then stage plots, directories expanded, the same id merged', () => {
    const { definitions } = plotsAt(store, first);
    assert.deepEqual(
      definitions.map((d) => d.id),
      [
        'precision_recall',
        'dvclive/plots/metrics/loss.tsv',
        'dvclive/plots/metrics/train/acc.tsv',
        'eval/roc.csv',
        'eval/confusion.csv',
        'eval/importance.png',
      ],
    );
    const roc = byId(definitions, 'eval/roc.csv');
    // The top-level entry named the template; the stage out added x, y and title.
    assert.deepEqual(roc.props, { template: 'linear', x: 'fpr', y: 'tpr', title: 'ROC <b>curve</b>' });
    assert.deepEqual(byId(definitions, 'precision_recall').files, ['eval/prc.json']);
    assert.deepEqual(byId(definitions, 'precision_recall').props.y, { 'eval/prc.json': 'precision' });
    assert.equal(byId(definitions, 'eval/importance.png').image, true);
    assert.equal(byId(definitions, 'eval/roc.csv').image, false);
  });

  it('reads tables from the index: CSV, JSON datapoints and DVCLive series as DVC reads the TSV', () => {
    const { files } = plotsAt(store, first);
    assert.deepEqual(files.get('eval/roc.csv')!.table!.rows[1], { fpr: 0.1, tpr: 0.7, threshold: 0.8 });
    assert.deepEqual(files.get('eval/prc.json')!.table!.columns, ['precision', 'recall']);
    const acc = files.get('dvclive/plots/metrics/train/acc.tsv')!;
    assert.equal(acc.role, 'series');
    assert.deepEqual(acc.table!.columns, ['timestamp', 'step', 'acc']);
    assert.equal(acc.table!.rows.length, 3);
    assert.ok(Number.isNaN(acc.table!.rows[2].acc as number));
    assert.deepEqual(seriesTable('a/loss.tsv', [{ step: 0, value: 1 }]), { columns: ['step', 'loss'], rows: [{ step: 0, loss: 1 }] });
  });

  it('flattens plots as DVC: x/y from the definition, y inferred from the last column, x dict joined', () => {
    const { definitions, files } = plotsAt(store, first);
    const table = (p: string) => files.get(p)?.table;
    const roc = flattenPlot(byId(definitions, 'eval/roc.csv'), table);
    assert.equal(roc.xLabel, 'fpr');
    assert.equal(roc.yLabel, 'tpr');
    assert.deepEqual(
      roc.series.map((s) => s.points.length),
      [4],
    );
    assert.deepEqual(roc.series[0].points[1], { x: 0.1, y: 0.7 });
    const pr = flattenPlot(byId(definitions, 'precision_recall'), table);
    assert.equal(pr.xLabel, 'Recall');
    assert.deepEqual(pr.series[0].points, [
      { x: 0, y: 1 },
      { x: 0.5, y: 0.8 },
      { x: 1, y: 0.6 },
    ]);
    const loss = flattenPlot(byId(definitions, 'dvclive/plots/metrics/loss.tsv'), table);
    assert.equal(loss.yLabel, 'loss');
    assert.deepEqual(loss.series[0].points, [
      { x: 0, y: 1 },
      { x: 1, y: 0.6 },
    ]);
  });

  it('follows each revision: the workspace has its own edits and reports a broken file with its position', () => {
    const ws = plotsAt(store, 'workspace');
    assert.deepEqual(ws.files.get('eval/confusion.csv')!.table!.rows, [
      { actual: 'cat', predicted: 'cat' },
      { actual: 'dog', predicted: 'dog' },
    ]);
    const prc = ws.files.get('eval/prc.json')!;
    assert.equal(prc.table, undefined);
    assert.match(prc.problem!, /^eval\/prc\.json, line 1/);
    assert.equal(plotsAt(store, second).files.get('eval/roc.csv')!.table!.rows.length, 3);
  });

  it('reads image bytes from the Git blob at a commit and from the workspace file', async () => {
    const repo = await openRepo(fx.dir);
    const atFirst = await readPlotImage(repo, plotsAt(store, first).files.get('eval/importance.png')!);
    const atSecond = await readPlotImage(repo, plotsAt(store, second).files.get('eval/importance.png')!);
    const inWorkspace = await readPlotImage(repo, plotsAt(store, 'workspace').files.get('eval/importance.png')!);
    assert.ok(atFirst.ok && atSecond.ok && inWorkspace.ok);
    assert.deepEqual(atFirst.bytes, PNG_A);
    assert.deepEqual(atSecond.bytes, PNG_B);
    assert.deepEqual(inWorkspace.bytes, PNG_B);
    assert.equal(atFirst.mime, 'image/png');
    const tooBig = await readPlotImage(repo, plotsAt(store, first).files.get('eval/importance.png')!, 10);
    assert.equal(tooBig.ok, false);
    assert.match(!tooBig.ok ? tooBig.reason : '', /over the/);
  });
});
