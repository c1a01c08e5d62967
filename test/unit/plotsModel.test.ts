import { strict as assert } from 'node:assert';
import type { PlotTable } from '../../src/core/formats/plotData';
import type { PlotDefinition, PlotFile, RevisionPlots } from '../../src/core/query/plots';
import { confusionMatrix, flattenPlot, normalizeConfusion, sortLabels, thin } from '../../src/core/query/plotSeries';
import { buildPlotsState, templateInfo, type RevisionInput } from '../../src/extension/plots/buildPlots';
import { computePlotsDelta } from '../../src/extension/plots/plotsDelta';
import type { PlotView } from '../../src/protocol/plots';
import { applyPlotsDelta, barSeries, lineSeries, plotCsv, pointCounts, readPersisted, shortFile } from '../../webview/plots/model';
import { emaSmooth, formatNumber, luminance, mix, numericPoints, parseColor, toCsv } from '../../webview/shared/chartModel';

const def = (id: string, props: PlotDefinition['props'], files = [id]): PlotDefinition => ({ id, project: '', files, props, image: false });
const tables = (map: Record<string, PlotTable>) => (path: string) => map[path];
const table = (columns: string[], rows: unknown[][]): PlotTable => ({
  columns,
  rows: rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i] as never]))),
});

describe('plot series (DVC flat_datapoints)', () => {
  const roc = table(
    ['fpr', 'tpr', 'threshold'],
    [
      [0, 0, 1],
      [0.2, 0.8, 0.5],
      [1, 1, 0],
    ],
  );

  it('infers y from the last column and x from the row index, labels from the fields', () => {
    const flat = flattenPlot(def('roc.csv', {}), tables({ 'roc.csv': roc }));
    assert.equal(flat.yLabel, 'threshold');
    assert.equal(flat.xLabel, 'step');
    assert.deepEqual(flat.series[0].points, [
      { x: 0, y: 1 },
      { x: 1, y: 0.5 },
      { x: 2, y: 0 },
    ]);
  });

  it('uses x and y columns, several y columns as several series, and the labels given', () => {
    const flat = flattenPlot(def('roc.csv', { x: 'fpr', y: ['tpr', 'threshold'], y_label: 'rate' }), tables({ 'roc.csv': roc }));
    assert.deepEqual(
      flat.series.map((s) => [s.field, s.xField, s.points.length]),
      [
        ['tpr', 'fpr', 3],
        ['threshold', 'fpr', 3],
      ],
    );
    assert.equal(flat.yLabel, 'rate');
    assert.equal(flat.xLabel, 'fpr');
  });

  it('pairs x with every y file, joins an x file row by row, and refuses files of different lengths', () => {
    const a = table(
      ['recall', 'precision'],
      [
        [0, 1],
        [1, 0.5],
      ],
    );
    const b = table(
      ['recall', 'precision'],
      [
        [0, 0.9],
        [1, 0.4],
      ],
    );
    const xs = table(['r'], [[10], [20]]);
    const two = flattenPlot(
      def('pr', { x: 'recall', y: { 'a.json': 'precision', 'b.json': 'precision' } }, ['a.json', 'b.json']),
      tables({ 'a.json': a, 'b.json': b }),
    );
    assert.deepEqual(
      two.series.map((s) => [s.file, s.points[1]]),
      [
        ['a.json', { x: 1, y: 0.5 }],
        ['b.json', { x: 1, y: 0.4 }],
      ],
    );
    assert.equal(two.yLabel, 'precision');
    const joined = flattenPlot(
      def('j', { x: { 'x.csv': 'r' }, y: { 'a.json': 'precision' } }, ['x.csv', 'a.json']),
      tables({ 'a.json': a, 'x.csv': xs }),
    );
    assert.deepEqual(joined.series[0].points, [
      { x: 10, y: 1 },
      { x: 20, y: 0.5 },
    ]);
    const short = table(['r'], [[10]]);
    const bad = flattenPlot(
      def('j', { x: { 'x.csv': 'r' }, y: { 'a.json': 'precision' } }, ['x.csv', 'a.json']),
      tables({ 'a.json': a, 'x.csv': short }),
    );
    assert.equal(bad.series.length, 0);
    assert.match(bad.problems[0], /Cannot join 'r' from 'x.csv' and 'precision' from 'a.json'/);
  });

  it('reports a missing field and a mismatch of x and y source counts', () => {
    const missing = flattenPlot(def('roc.csv', { x: 'fpr', y: 'nope' }), tables({ 'roc.csv': roc }));
    assert.match(missing.problems[0], /could not find the field 'nope' in its data fields \(fpr, tpr, threshold\)/);
    const counts = flattenPlot(def('p', { x: { a: 'x', b: 'x' }, y: { a: ['y1', 'y2', 'y3'] } }, ['a', 'b']), tables({}));
    assert.match(counts.problems[0], /Found 2 x and 3 y data sources/);
  });

  it('thins long series, keeping the first and the last point', () => {
    const points = Array.from({ length: 1001 }, (_, i) => i);
    const out = thin(points, 11);
    assert.equal(out.length, 11);
    assert.equal(out[0], 0);
    assert.equal(out[10], 1000);
    const flat = flattenPlot(
      def('big.csv', { x: 'x', y: 'y' }),
      tables({
        'big.csv': table(
          ['x', 'y'],
          points.map((i) => [i, i * 2]),
        ),
      }),
      100,
    );
    assert.equal(flat.series[0].points.length, 100);
    assert.match(flat.problems[0], /1001 points/);
  });
});

describe('confusion matrices', () => {
  const points = [
    ['cat', 'cat'],
    ['cat', 'dog'],
    ['dog', 'dog'],
    ['dog', 'dog'],
    ['bird', 'cat'],
  ].map(([x, y]) => ({ x, y }));

  it('counts rows per (actual, predicted), labels ascending, absent pairs 0', () => {
    const m = confusionMatrix(points);
    assert.deepEqual(m.xLabels, ['bird', 'cat', 'dog']);
    assert.deepEqual(m.yLabels, ['cat', 'dog']);
    // counts[predicted][actual]
    assert.deepEqual(m.counts, [
      [1, 1, 0],
      [0, 1, 2],
    ]);
    assert.equal(m.total, 5);
  });

  it('normalizes each predicted row to 1, keeps empty rows at 0, and sorts numeric labels numerically', () => {
    assert.deepEqual(normalizeConfusion(confusionMatrix(points)), [
      [0.5, 0.5, 0],
      [0, 1 / 3, 2 / 3],
    ]);
    assert.deepEqual(normalizeConfusion({ xLabels: ['a'], yLabels: ['a'], counts: [[0]], total: 0 }), [[0]]);
    assert.deepEqual(sortLabels(['10', '9', '1']), ['1', '9', '10']);
    assert.deepEqual(sortLabels(['b', 'B', 'a']), ['B', 'a', 'b']);
  });

  it('draws the matrices of several revisions over the union of labels', () => {
    const files = (rows: [string, string][]) =>
      new Map<string, PlotFile>([
        [
          'c.csv',
          {
            path: 'c.csv',
            role: 'plots',
            status: 'ok',
            source: 'git',
            oid: 'x',
            image: false,
            table: table(['actual', 'predicted'], rows),
          },
        ],
      ]);
    const d = def('c.csv', { template: 'confusion', x: 'actual', y: 'predicted' });
    const input = (label: string, rows: [string, string][]): RevisionInput => ({
      revision: { rev: label, label, sha: label },
      plots: { sha: label, definitions: [d], files: files(rows) } as RevisionPlots,
      images: new Map(),
    });
    const state = buildPlotsState([
      input('main', [
        ['a', 'a'],
        ['b', 'b'],
      ]),
      input('workspace', [
        ['a', 'a'],
        ['c', 'a'],
      ]),
    ]);
    const view = state.plots[0];
    assert.equal(view.kind, 'confusion');
    assert.deepEqual(
      view.matrices.map((m) => [m.revision, m.xLabels, m.yLabels, m.counts]),
      [
        [
          'main',
          ['a', 'b', 'c'],
          ['a', 'b'],
          [
            [1, 0, 0],
            [0, 1, 0],
          ],
        ],
        [
          'workspace',
          ['a', 'b', 'c'],
          ['a', 'b'],
          [
            [1, 0, 1],
            [0, 0, 0],
          ],
        ],
      ],
    );
    assert.deepEqual(pointCounts(view), { main: 2, workspace: 2 });
    assert.match(plotCsv(view), /^rev,filename,actual,predicted,count\r\nmain,c\.csv,a,a,1\r\n/);
  });
});

describe('plots state for the webview', () => {
  const file = (path: string, t: PlotTable | undefined, problem?: string): PlotFile => ({
    path,
    role: 'plots',
    status: problem ? 'missing' : 'ok',
    source: 'git',
    oid: 'o',
    image: false,
    table: t,
    problem,
  });
  const roc = (tpr: number) =>
    table(
      ['fpr', 'tpr'],
      [
        [0, 0],
        [0.5, tpr],
        [1, 1],
      ],
    );
  const rev = (label: string, defs: PlotDefinition[], files: PlotFile[]): RevisionInput => ({
    revision: { rev: label, label, sha: label },
    plots: { sha: label, definitions: defs, files: new Map(files.map((f) => [f.path, f])) },
    images: new Map(),
  });
  const rocDef = def('roc.csv', { x: 'fpr', y: 'tpr', title: 'ROC' });

  it('maps DVC templates to drawings and says when a custom template is drawn as linear', () => {
    assert.equal(templateInfo(undefined).kind, 'line');
    assert.equal(templateInfo('smooth').smooth, true);
    assert.equal(templateInfo('scatter_jitter').kind, 'scatter');
    assert.equal(templateInfo('confusion_normalized').normalized, true);
    assert.equal(templateInfo('bar_horizontal_sorted').kind, 'bar');
    assert.deepEqual([templateInfo('.dvc/plots/mine.json').known, templateInfo('.dvc/plots/mine.json').kind], [false, 'line']);
    assert.equal(templateInfo('.dvc/plots/confusion.json').kind, 'confusion');
  });

  it('puts every revision of a plot id in one view, with problems per revision', () => {
    const state = buildPlotsState([
      rev('main', [rocDef], [file('roc.csv', roc(0.7))]),
      rev('exp', [rocDef], [file('roc.csv', undefined, 'roc.csv is not in cache')]),
    ]);
    assert.equal(state.plots.length, 1);
    const view = state.plots[0];
    assert.deepEqual([view.title, view.xLabel, view.yLabel, view.kind], ['ROC', 'fpr', 'tpr', 'line']);
    assert.deepEqual(
      view.series.map((s) => [s.revision, s.points.length]),
      [['main', 3]],
    );
    assert.deepEqual(view.problems, ['exp: roc.csv is not in cache']);
    const lines = lineSeries(view);
    assert.deepEqual(
      lines.map((l) => l.label),
      ['main'],
    );
    assert.match(plotCsv(view), /^rev,filename,field,fpr,tpr\r\nmain,roc\.csv,tpr,0,0\r\n/);
  });

  it('sends only changed plots as a delta, and the webview rebuilds the same state from it', () => {
    const a = buildPlotsState([rev('main', [rocDef, def('b.csv', {})], [file('roc.csv', roc(0.7)), file('b.csv', table(['v'], [[1]]))])]);
    const b = buildPlotsState([rev('main', [rocDef, def('c.csv', {})], [file('roc.csv', roc(0.9)), file('c.csv', table(['v'], [[2]]))])]);
    const delta = computePlotsDelta(a, b)!;
    assert.deepEqual(
      delta.upserts.map((p) => p.id),
      ['roc.csv', 'c.csv'],
    );
    assert.deepEqual(delta.removed, ['b.csv']);
    assert.deepEqual(applyPlotsDelta(a, delta), b);
    assert.equal(computePlotsDelta(b, b), undefined);
  });

  it('labels series by what differs, smooths, and builds horizontal bars by category', () => {
    const view: PlotView = {
      id: 'p',
      name: 'p',
      title: 'p',
      template: 'smooth',
      kind: 'line',
      smooth: true,
      normalized: false,
      xLabel: 'step',
      yLabel: 'v',
      matrices: [],
      images: [],
      problems: [],
      series: [
        {
          revision: 'main',
          file: 'logs/a/loss.tsv',
          field: 'loss',
          xField: 'step',
          points: [
            { x: 0, y: 1 },
            { x: 1, y: 'n/a' },
            { x: 2, y: 3 },
          ],
        },
        { revision: 'main', file: 'logs/b/loss.tsv', field: 'loss', xField: 'step', points: [{ x: 0, y: 2 }] },
      ],
    };
    const lines = lineSeries(view, 0.5);
    assert.deepEqual(
      lines.map((l) => l.label),
      ['main · a/loss.tsv', 'main · b/loss.tsv'],
    );
    assert.deepEqual(lines[0].points, [
      { x: 0, y: 1 },
      { x: 2, y: 3 },
    ]);
    assert.deepEqual(lines[0].smoothed, emaSmooth([1, 3], 0.5));
    assert.equal(shortFile('a/b/c.tsv', ['a/b/c.tsv', 'a/d/c.tsv']), 'b/c.tsv');
    const bars = barSeries({
      ...view,
      template: 'bar_horizontal_sorted',
      kind: 'bar',
      series: [
        {
          revision: 'main',
          file: 'f',
          field: 'name',
          xField: 'imp',
          points: [
            { x: 0.2, y: 'age' },
            { x: 0.7, y: 'income' },
          ],
        },
        { revision: 'exp', file: 'f', field: 'name', xField: 'imp', points: [{ x: 0.5, y: 'age' }] },
      ],
    });
    assert.deepEqual(bars.labels, ['income', 'age']);
    assert.deepEqual(bars.datasets, [
      { label: 'main', values: [0.7, 0.2] },
      { label: 'exp', values: [null, 0.5] },
    ]);
  });

  it('restores only well-formed saved state', () => {
    assert.deepEqual(readPersisted({ revisions: ['HEAD', 'workspace'], smoothing: 0.3 }), {
      version: 1,
      revisions: ['HEAD', 'workspace'],
      smoothing: 0.3,
    });
    assert.deepEqual(readPersisted({ revisions: [1], smoothing: 7 }), { version: 1, revisions: undefined, smoothing: undefined });
    assert.deepEqual(readPersisted(null), { version: 1, revisions: undefined, smoothing: undefined });
  });
});

describe('chart helpers', () => {
  it('writes RFC 4180 CSV and defuses spreadsheet formulas', () => {
    assert.equal(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['line\nbreak', null],
          ['=1+1', -3],
          [NaN, '-x'],
        ],
      ),
      'a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",\r\n\'=1+1,-3\r\nNaN,\'-x\r\n',
    );
  });

  it('smooths with a debiased EMA (TensorBoard), passing non-finite values through', () => {
    assert.deepEqual(emaSmooth([1, 2, 3], 0), [1, 2, 3]);
    const s = emaSmooth([2, 2, 2], 0.9);
    assert.ok(
      s.every((v) => Math.abs(v - 2) < 1e-12),
      String(s),
    );
    const t = emaSmooth([0, NaN, 10], 0.5);
    assert.ok(Number.isNaN(t[1]));
    assert.ok(Math.abs(t[2] - (0.5 * 0 * 0.5 + 0.5 * 10) / (1 - 0.25)) < 1e-12);
  });

  it('formats numbers, parses theme colors and picks readable text', () => {
    assert.equal(formatNumber(0.123456789), '0.123457');
    assert.equal(formatNumber(1234567), '1.235e+6');
    assert.equal(formatNumber(0), '0');
    assert.deepEqual(parseColor('#3794ff'), [55, 148, 255]);
    assert.deepEqual(parseColor('#fff'), [255, 255, 255]);
    assert.deepEqual(parseColor('rgba(1, 2, 3, 0.5)'), [1, 2, 3]);
    assert.equal(parseColor('var(--x)'), undefined);
    assert.equal(mix([0, 0, 0], [200, 100, 50], 0.5), 'rgb(100, 50, 25)');
    assert.ok(luminance([255, 255, 255]) > 0.9 && luminance([0, 0, 0]) === 0);
    assert.deepEqual(
      numericPoints([
        { x: 'a', y: 1 },
        { x: 1, y: null },
        { x: 2, y: Infinity },
      ]),
      [{ x: 'a', y: 1 }],
    );
  });
});
