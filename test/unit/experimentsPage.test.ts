// The Experiments page's decisions, without a browser: column geometry and the columns in
// view, the row cache and the windows it asks for, the filter bar's language, cell text and
// colour against the baseline, selection and sort clicks, and the charts' arithmetic.
import { strict as assert } from 'node:assert';
import type { ColumnInfo, RowsWindow, TableRow } from '../../src/protocol/experiments';
import { cellView, formatDelta, formatNumber, rowTitle } from '../../webview/experiments/cells';
import { extent, nearest, niceTicks, rowTone, scale } from '../../webview/experiments/chartMath';
import { filterLabel, parseFilterInput, resolveColumn } from '../../webview/experiments/filterSyntax';
import {
  columnAt,
  geometry,
  moveColumn,
  resizeColumn,
  setHidden,
  togglePinned,
  visibleColumns,
  visibleRows,
  DEFAULT_LABEL_WIDTH,
} from '../../webview/experiments/layout';
import { BLOCK, RowCache } from '../../webview/experiments/rowCache';
import { nextSort, Selection } from '../../webview/experiments/selection';

const c = (id: string, numeric = true, direction?: 'higher' | 'lower'): ColumnInfo => {
  const [group, ...rest] = id.split(':');
  const key = rest.pop()!;
  return { id, group: group as ColumnInfo['group'], source: rest.join(':'), key, numeric, direction };
};

const COLUMNS: ColumnInfo[] = [
  c('meta:created'),
  c('meta:state', false),
  c('metrics:eval/metrics.json:accuracy', true, 'higher'),
  c('metrics:eval/metrics.json:loss', true, 'lower'),
  c('metrics:mlflow:accuracy', true, 'higher'),
  c('params:params.yaml:train.lr'),
  c('params:params.yaml:train.model.name', false),
];
const EMPTY_LAYOUT = { hidden: [], order: [], pinned: [], widths: {} };

function row(id: string, cells: TableRow['cells'] = {}, extra: Partial<TableRow> = {}): TableRow {
  return {
    id,
    kind: 'commit',
    label: id,
    parentId: null,
    depth: 0,
    commit: id,
    created: null,
    message: '',
    state: '',
    starred: false,
    note: '',
    cells,
    refs: [],
    group: null,
    ...extra,
  };
}

describe('Experiments page: column geometry', () => {
  it('lays out the label column, the pinned columns, then the rest with their offsets', () => {
    const g = geometry(COLUMNS, {
      hidden: ['meta:created'],
      order: [],
      pinned: ['params:params.yaml:train.lr'],
      widths: { 'metrics:eval/metrics.json:loss': 150, label: 200 },
    });
    assert.equal(g.labelWidth, 200);
    assert.deepEqual(
      g.pinned.map((x) => x.id),
      ['params:params.yaml:train.lr'],
    );
    assert.deepEqual(g.pinnedLeft, [200]);
    assert.equal(g.pinnedWidth, 296);
    assert.deepEqual(
      g.rest.map((x) => x.key),
      ['state', 'accuracy', 'loss', 'accuracy', 'train.model.name'],
    );
    assert.deepEqual(g.restOffsets, [0, 90, 186, 336, 432, 552]);
    assert.equal(g.totalWidth, 296 + 552);
    assert.equal(geometry(COLUMNS, EMPTY_LAYOUT).labelWidth, DEFAULT_LABEL_WIDTH);
  });

  it('finds the columns in view by binary search, with a margin, for 1,000 columns', () => {
    const many = Array.from({ length: 1000 }, (_, i) => c(`metrics:m.json:k${i}`));
    const g = geometry(many, EMPTY_LAYOUT);
    assert.equal(columnAt(g.restOffsets, 0), 0);
    assert.equal(columnAt(g.restOffsets, 95), 0);
    assert.equal(columnAt(g.restOffsets, 96), 1);
    assert.equal(columnAt(g.restOffsets, 1e9), 999);
    const v = visibleColumns(g, 96 * 500, 1000, 2);
    // 1000 px wide, 240 of them the label column: 760 px of 96-px columns from column 500.
    assert.deepEqual(v, { start: 498, end: 510 });
    assert.deepEqual(visibleColumns(g, 96 * 998, 1000, 2), { start: 996, end: 1000 });
    assert.deepEqual(visibleColumns(geometry([], EMPTY_LAYOUT), 0, 1000, 2), { start: 0, end: 0 });
  });

  it('finds the rows in view with a margin, clamped to the table', () => {
    assert.deepEqual(visibleRows(0, 240, 24, 10000, 5), { start: 0, end: 15 });
    assert.deepEqual(visibleRows(24 * 5000, 240, 24, 10000, 5), { start: 4995, end: 5015 });
    assert.deepEqual(visibleRows(24 * 9995, 240, 24, 10000, 5), { start: 9990, end: 10000 });
    assert.deepEqual(visibleRows(0, 240, 24, 0, 5), { start: 0, end: 0 });
  });

  it('hides, pins, moves and resizes columns', () => {
    let layout = setHidden(EMPTY_LAYOUT, ['meta:state'], true);
    assert.deepEqual(layout.hidden, ['meta:state']);
    layout = togglePinned(layout, 'meta:state');
    assert.deepEqual([layout.pinned, layout.hidden], [['meta:state'], []], 'pinning shows a hidden column');
    layout = setHidden(layout, ['meta:state'], true);
    assert.deepEqual(layout.pinned, [], 'hiding unpins');
    layout = moveColumn(layout, COLUMNS, 'params:params.yaml:train.lr', 'meta:created');
    assert.deepEqual(
      geometry(COLUMNS, layout)
        .rest.map((x) => x.key)
        .slice(0, 2),
      ['train.lr', 'created'],
    );
    layout = moveColumn(layout, COLUMNS, 'meta:created', null);
    assert.equal(geometry(COLUMNS, layout).rest.at(-1)!.key, 'created');
    assert.equal(resizeColumn(layout, 'meta:created', 5).widths['meta:created'], 40);
  });
});

describe('Experiments page: the row cache', () => {
  const window = (generation: number, offset: number, count: number, columns: string[] | null, requestId = 0): RowsWindow => ({
    generation,
    offset,
    columns,
    requestId,
    rows: Array.from({ length: count }, (_, i) => row(`r${offset + i}`)),
  });

  it('asks for the blocks around the view that it lacks, in one request per run of blocks, once', () => {
    const cache = new RowCache();
    cache.reset(1, 10000);
    const reqs = cache.plan(120, 160, ['a']);
    // Blocks 2-3 are in view; one block each side comes along.
    assert.deepEqual(
      reqs.map((r) => [r.offset, r.count, r.columns]),
      [[50, 200, ['a']]],
    );
    assert.deepEqual(cache.plan(120, 160, ['a']), [], 'already asked');
    assert.ok(cache.put(window(1, 50, 200, ['a'], reqs[0].requestId)));
    assert.equal(cache.row(120)!.id, 'r120');
    assert.ok(cache.complete(120, ['a']));
    assert.ok(!cache.complete(120, ['a', 'b']));
    assert.deepEqual(
      cache.plan(120, 160, ['a', 'b']).map((r) => [r.offset, r.count]),
      [[50, 200]],
      'a block without a column shown is asked again',
    );
    assert.deepEqual(
      cache.plan(9990, 10000, null).map((r) => [r.offset, r.count]),
      [[9900, 100]],
      'the last block is short',
    );
  });

  it('keeps an older generation on screen until its rows come again, and drops windows of other generations', () => {
    const cache = new RowCache();
    cache.reset(1, 200);
    cache.put(window(1, 0, 100, null));
    cache.reset(2, 200);
    assert.equal(cache.row(10)!.id, 'r10', 'still shown');
    assert.ok(!cache.complete(10, []));
    assert.equal(cache.plan(0, 40, null).length, 1);
    assert.ok(!cache.put(window(1, 0, 50, null)));
    cache.put(window(2, 0, 50, null));
    assert.ok(cache.complete(10, []));
    assert.equal(cache.ids(0, 3)!.join(), 'r0,r1,r2');
    assert.equal(cache.ids(0, 60), undefined, 'rows 50-59 are of the old table');
  });

  it('holds only blocks near the view', () => {
    const cache = new RowCache();
    cache.reset(1, 10000);
    for (let b = 0; b < 200; b++) cache.put(window(1, b * BLOCK, BLOCK, []));
    assert.equal(cache.size, 10000);
    cache.evict(5000, 5040, 2);
    assert.ok(cache.size <= BLOCK * 6, String(cache.size));
    assert.equal(cache.row(10), undefined);
    assert.equal(cache.row(5001)!.id, 'r5001');
  });

  it('does not keep part of a block (a window not aligned to blocks)', () => {
    const cache = new RowCache();
    cache.reset(1, 1000);
    cache.put(window(1, 0, 80, null));
    assert.equal(cache.row(10)!.id, 'r10');
    assert.equal(cache.row(60), undefined);
  });
});

describe('Experiments page: the filter bar', () => {
  it('reads `column op value` with the column by id, group:key, source:key or key', () => {
    assert.deepEqual(parseFilterInput('metrics: eval/metrics.json:accuracy >= 0.9', COLUMNS), {
      kind: 'filter',
      filter: { column: 'metrics:eval/metrics.json:accuracy', op: '>=', value: '0.9' },
    });
    assert.deepEqual(
      parseFilterInput('accuracy>=0.9', COLUMNS),
      { kind: 'filter', filter: { column: 'metrics:eval/metrics.json:accuracy', op: '>=', value: '0.9' } },
      'a DVC metric before an MLflow one',
    );
    assert.deepEqual(parseFilterInput('mlflow:accuracy < 0.5', COLUMNS), {
      kind: 'filter',
      filter: { column: 'metrics:mlflow:accuracy', op: '<', value: '0.5' },
    });
    assert.deepEqual(parseFilterInput('state = failed', COLUMNS), {
      kind: 'filter',
      filter: { column: 'meta:state', op: '=', value: 'failed' },
    });
    assert.deepEqual(parseFilterInput('State == "failed"', COLUMNS), {
      kind: 'filter',
      filter: { column: 'meta:state', op: '=', value: 'failed' },
    });
    assert.deepEqual(parseFilterInput('params:train.lr contains 0.0', COLUMNS), {
      kind: 'filter',
      filter: { column: 'params:params.yaml:train.lr', op: 'contains', value: '0.0' },
    });
    assert.deepEqual(parseFilterInput('train.model.name !contains a=b', COLUMNS), {
      kind: 'filter',
      filter: { column: 'params:params.yaml:train.model.name', op: '!contains', value: 'a=b' },
    });
    assert.deepEqual(parseFilterInput('train.model.name not contains x', COLUMNS), {
      kind: 'filter',
      filter: { column: 'params:params.yaml:train.model.name', op: '!contains', value: 'x' },
    });
  });

  it('takes anything else as free text', () => {
    assert.deepEqual(parseFilterInput('  bigger model ', COLUMNS), { kind: 'text', text: 'bigger model' });
    assert.deepEqual(
      parseFilterInput('lr=0.1', COLUMNS),
      { kind: 'text', text: 'lr=0.1', unknown: 'lr' },
      'the page says no column is named lr',
    );
    assert.deepEqual(parseFilterInput('   ', COLUMNS), { kind: 'empty' });
    assert.equal(resolveColumn('nope', COLUMNS), undefined);
  });

  it('names a condition on its chip by the shortest name that finds its column again', () => {
    assert.equal(filterLabel({ column: 'metrics:eval/metrics.json:accuracy', op: '>=', value: '0.9' }, COLUMNS), 'accuracy >= 0.9');
    assert.equal(filterLabel({ column: 'metrics:mlflow:accuracy', op: '>', value: '1' }, COLUMNS), 'mlflow:accuracy > 1');
    assert.equal(filterLabel({ column: 'gone:x', op: '=', value: '1' }, COLUMNS), 'gone:x = 1');
  });
});

describe('Experiments page: cells', () => {
  const acc = COLUMNS[2];
  const loss = COLUMNS[3];
  const lr = COLUMNS[5];
  const base = row('base', { [acc.id]: 0.9, [loss.id]: 0.2, [lr.id]: 0.01 });

  it('colours numbers by the metric direction against the baseline, and shows Δ in Δ mode', () => {
    const r = row('r', { [acc.id]: 0.95, [loss.id]: 0.3, [lr.id]: 0.1 });
    assert.deepEqual(
      [cellView(r, acc, base, false).tone, cellView(r, loss, base, false).tone, cellView(r, lr, base, false).tone],
      ['better', 'worse', ''],
    );
    assert.equal(cellView(r, acc, base, false).text, '0.95');
    assert.equal(cellView(r, acc, base, true).text, '+0.05');
    assert.equal(cellView(r, loss, base, true).text, '+0.1');
    assert.equal(cellView(base, acc, base, true).text, '0.9', 'the baseline shows its values');
    assert.equal(cellView(row('same', { [acc.id]: 0.9 }), acc, base, false).tone, 'same');
    assert.match(cellView(r, acc, base, false).title, /baseline 0\.9/);
    assert.equal(cellView(row('none'), acc, base, false).text, '');
  });

  it('formats numbers, deltas, dates and meta cells', () => {
    assert.equal(formatNumber(0.123456789), '0.12346');
    assert.equal(formatNumber(1e-7), '1.000e-7');
    assert.equal(formatNumber(42), '42');
    assert.equal(formatNumber(NaN), 'NaN');
    assert.equal(formatDelta(-0.25), '−0.25');
    assert.equal(formatDelta(0), '0');
    const r = row('c', { 'meta:state': 'FAILED' }, { message: 'first line\nsecond', state: 'FAILED', note: 'look', starred: true });
    assert.equal(cellView(r, COLUMNS[1], null, false).text, 'FAILED');
    assert.equal(cellView(r, c('meta:message', false), null, false).text, 'first line');
    assert.match(rowTitle(r), /second[\s\S]*★ starred[\s\S]*note: look/);
    assert.equal(cellView(row('t', { 'params:p.yaml:x': { text: '[1, 2]' } }), c('params:p.yaml:x', false), null, false).text, '[1, 2]');
  });
});

describe('Experiments page: selection and sort clicks', () => {
  it('selects one, toggles, and selects ranges from the anchor', () => {
    const s = new Selection();
    s.only('a', 3);
    s.toggle('b', 5);
    assert.deepEqual(s.list(), ['a', 'b']);
    assert.deepEqual(s.rangeTo(1), { from: 1, to: 5 });
    s.range(1, ['x', 'y'], false);
    assert.deepEqual(s.list(), ['x', 'y']);
    s.range(1, ['z'], true);
    assert.equal(s.size, 3);
    assert.ok(s.retain((id) => id !== 'x'));
    assert.deepEqual(s.list(), ['y', 'z']);
  });

  it('cycles a column asc → desc → off; shift adds keys', () => {
    let sort = nextSort([], 'a', false);
    assert.deepEqual(sort, [{ column: 'a', order: 'asc' }]);
    sort = nextSort(sort, 'a', false);
    assert.deepEqual(sort, [{ column: 'a', order: 'desc' }]);
    assert.deepEqual(nextSort(sort, 'a', false), []);
    sort = nextSort(sort, 'b', true);
    assert.deepEqual(sort, [
      { column: 'a', order: 'desc' },
      { column: 'b', order: 'asc' },
    ]);
    assert.deepEqual(nextSort(sort, 'a', true), [{ column: 'b', order: 'asc' }]);
    assert.deepEqual(nextSort(sort, 'c', false), [{ column: 'c', order: 'asc' }]);
  });
});

describe('Experiments page: chart arithmetic', () => {
  it('extents, round ticks, scales and the nearest point', () => {
    assert.deepEqual(extent([3, null, 1, NaN, 2]), { min: 1, max: 3 });
    assert.deepEqual(extent([5, 5]), { min: 4.75, max: 5.25 });
    assert.equal(extent([null]), undefined);
    assert.deepEqual(niceTicks({ min: 0.81, max: 0.93 }, 5), [0.82, 0.84, 0.86, 0.88, 0.9, 0.92]);
    const s = scale({ min: 0, max: 10 }, 100, 0);
    assert.equal(s(0), 100);
    assert.equal(s(10), 0);
    assert.equal(
      nearest(
        [
          { x: 0, y: 0 },
          { x: 10, y: 10 },
        ],
        9,
        9,
        5,
      ),
      1,
    );
    assert.equal(nearest([{ x: 0, y: 0 }], 50, 50, 5), -1);
  });

  it('colours a row as its metric cell in the table', () => {
    assert.equal(rowTone(0.9, 0.8, 'higher', false), 'better');
    assert.equal(rowTone(0.9, 0.8, 'lower', false), 'worse');
    assert.equal(rowTone(0.8, 0.8, 'higher', false), 'same');
    assert.equal(rowTone(null, 0.8, 'higher', false), 'none');
    assert.equal(rowTone(0.1, 0.8, 'higher', true), 'baseline');
  });
});
