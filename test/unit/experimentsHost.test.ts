// The Experiments table's host side without VS Code: the session over a table model (windows
// cut to columns, lookups by id, chart values, correlation), the checks on what the page
// sends, and the Markdown/CSV copies. The table model here is a small one in memory (a fake):
// these tests are about what the host does with any model; the real model over the index is
// tested with the core and, in the editor tier, on the demo repository.
import { strict as assert } from 'node:assert';
import type { TableColumn, TableModel, TableQuery, TableRow } from '../../src/core/expTable/types';
import {
  folderFromSavedState,
  parseLayout,
  parseQuery,
  parseWebviewMessage,
  storedLayout,
  storedQuery,
} from '../../src/extension/experiments/messages';
import { historyMetrics, MAX_WINDOW, orderForDiff, TableSession, type TableSource } from '../../src/extension/experiments/tableSession';
import { rowsAsCsv, rowsAsMarkdown } from '../../src/extension/experiments/tableText';
import type { ColumnInfo } from '../../src/protocol/experiments';
import { arrangeColumns, fullOrder } from '../../src/protocol/experiments';

const col = (id: string, numeric = true): TableColumn => {
  const [group, ...rest] = id.split(':');
  const key = rest.pop()!;
  return { id, group: group as TableColumn['group'], source: rest.join(':'), key, numeric };
};

function row(id: string, cells: TableRow['cells'], extra: Partial<TableRow> = {}): TableRow {
  return {
    id,
    kind: 'commit',
    label: id.slice(0, 7),
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

/** A fake model: every row, filtered by `text` on the label only, in the order given. */
function fakeSource(rows: TableRow[], columns: TableColumn[], baselineId: string | null): TableSource & { opened: TableQuery[] } {
  const opened: TableQuery[] = [];
  return {
    folder: 'demo',
    opened,
    open(query: TableQuery): TableModel {
      opened.push(query);
      const shown = rows.filter((r) => !query.text || r.label.includes(query.text));
      return {
        columns,
        rowCount: shown.length,
        baselineId,
        window: (o, n) => shown.slice(o, o + n).map((r) => ({ ...r, cells: { ...r.cells } })),
        outline: (o, n) =>
          shown.slice(o, o + n).map((r) => ({ id: r.id, kind: r.kind, parentId: r.parentId, depth: r.depth, context: false })),
      };
    },
    directions: (cols) => Object.fromEntries(cols.map((c) => [c.key, /loss/.test(c.key) ? 'lower' : 'higher'])),
  };
}

const COLUMNS = [
  col('metrics:eval/metrics.json:accuracy'),
  col('metrics:eval/metrics.json:loss'),
  col('params:params.yaml:train.lr'),
  col('params:params.yaml:train.epochs'),
  col('params:params.yaml:train.opt', false),
  col('metrics:mlflow:accuracy'),
];

function rowsOf(n: number): TableRow[] {
  return Array.from({ length: n }, (_, i) =>
    row(
      `r${String(i).padStart(4, '0')}${'0'.repeat(33)}`,
      {
        'metrics:eval/metrics.json:accuracy': 0.5 + i / (2 * n),
        'metrics:eval/metrics.json:loss': 1 - i / n,
        'params:params.yaml:train.lr': 10 ** -(i % 4),
        'params:params.yaml:train.epochs': i,
        'params:params.yaml:train.opt': i % 2 ? 'adam' : 'sgd',
      },
      { created: 1_700_000_000_000 + i * 1000 },
    ),
  );
}

const EMPTY = { sort: [], filters: [], text: '', starredOnly: false, allCommits: false };

describe('Experiments table: the host session', () => {
  it('opens the model for the query, with directions on numeric metric columns and the baseline row whole', () => {
    const rows = rowsOf(30);
    const source = fakeSource(rows, COLUMNS, rows[3].id);
    const session = new TableSession(source, { ...EMPTY, sort: [{ column: COLUMNS[0].id, order: 'desc' }], allCommits: true });
    const info = session.reopen();
    assert.equal(info.generation, 1);
    assert.equal(info.rowCount, 30);
    assert.deepEqual(source.opened[0], {
      sort: [{ column: COLUMNS[0].id, order: 'desc' }],
      filters: [],
      starredOnly: false,
      allCommits: true,
    });
    assert.equal(info.columns.find((c) => c.key === 'loss')!.direction, 'lower');
    assert.equal(info.columns.find((c) => c.id === 'metrics:eval/metrics.json:accuracy')!.direction, 'higher');
    assert.equal(info.columns.find((c) => c.key === 'train.lr')!.direction, undefined, 'params have no direction');
    assert.equal(info.baseline!.id, rows[3].id);
    assert.equal(Object.keys(info.baseline!.cells).length, 5);
    assert.equal(session.reopen().generation, 2);
  });

  it('finds the baseline without the filters when they hide it', () => {
    const rows = rowsOf(10);
    const source = fakeSource(rows, COLUMNS, rows[9].id);
    const session = new TableSession(source, { ...EMPTY, text: 'r0001' });
    const info = session.reopen();
    assert.equal(info.rowCount, 1);
    assert.equal(info.baseline!.id, rows[9].id);
    assert.equal(source.opened.length, 2);
    assert.equal(source.opened[1].text, undefined, 'the second open has no filters');
  });

  it('answers windows with only the columns asked for, clamped to the table and to MAX_WINDOW', () => {
    const rows = rowsOf(1500);
    const session = new TableSession(fakeSource(rows, COLUMNS, null), EMPTY);
    session.reopen();
    const w = session.window(10, 5, ['params:params.yaml:train.lr', 'nope'], 7);
    assert.equal(w.requestId, 7);
    assert.equal(w.offset, 10);
    assert.deepEqual(
      w.rows.map((r) => r.id),
      rows.slice(10, 15).map((r) => r.id),
    );
    assert.deepEqual(Object.keys(w.rows[0].cells), ['params:params.yaml:train.lr']);
    assert.equal(Object.keys(session.window(0, 1, null).rows[0].cells).length, 5);
    assert.equal(session.window(0, 5000, []).rows.length, MAX_WINDOW);
    assert.equal(session.window(1490, 50, []).rows.length, 10);
    assert.equal(session.window(5000, 50, []).rows.length, 0);
  });

  it('finds rows by id across the whole table, in the order asked, leaving out unknown ids', () => {
    const rows = rowsOf(1200);
    const session = new TableSession(fakeSource(rows, COLUMNS, null), EMPTY);
    session.reopen();
    const found = session.rowsById([rows[1100].id, 'gone', rows[2].id]);
    assert.deepEqual(
      found.map((r) => r.id),
      [rows[1100].id, rows[2].id],
    );
  });

  it('gives chart values (numbers only) of the filtered or the selected rows', () => {
    const rows = rowsOf(20);
    const session = new TableSession(fakeSource(rows, COLUMNS, null), EMPTY);
    session.reopen();
    const all = session.points(['params:params.yaml:train.epochs', 'params:params.yaml:train.opt'], 'filtered', [], 3);
    assert.equal(all.rows.length, 20);
    assert.deepEqual(all.rows[4].values, [4, null], 'text is no point');
    const some = session.points(['params:params.yaml:train.epochs'], 'selected', [rows[7].id, rows[1].id]);
    assert.deepEqual(
      some.rows.map((r) => r.values[0]),
      [7, 1],
    );
  });

  it('ranks numeric params by their rank correlation with a metric', () => {
    const rows = rowsOf(40);
    const session = new TableSession(fakeSource(rows, COLUMNS, null), EMPTY);
    session.reopen();
    const { n, entries } = session.correlation('metrics:eval/metrics.json:accuracy', 'filtered', []);
    assert.equal(n, 40);
    assert.deepEqual(
      entries.map((e) => e.column),
      ['params:params.yaml:train.epochs', 'params:params.yaml:train.lr'],
    );
    assert.equal(entries[0].rho, 1);
    assert.ok(Math.abs(entries[1].rho!) < 0.5);
  });

  it('orders two rows for the Metric Diff (baseline, else older, on the old side) and picks metrics for the history', () => {
    const [a, b] = rowsOf(2);
    assert.deepEqual(
      orderForDiff([b, a], null).map((r) => r.id),
      [a.id, b.id],
    );
    assert.deepEqual(
      orderForDiff([a, b], b.id).map((r) => r.id),
      [b.id, a.id],
    );
    const info = COLUMNS as ColumnInfo[];
    assert.deepEqual(
      historyMetrics([info[1], undefined], info).map((c) => c.key),
      ['loss'],
    );
    assert.deepEqual(
      historyMetrics([info[2]], info).map((c) => c.id),
      ['metrics:eval/metrics.json:accuracy', 'metrics:eval/metrics.json:loss'],
      'MLflow metrics have no history along commits',
    );
  });
});

describe('Experiments table: what the page sends is checked', () => {
  it('keeps well-formed messages and drops the rest', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready', extra: 1 }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'window', requestId: 1, generation: 2, offset: 0, count: 50, columns: ['a'] }), {
      type: 'window',
      requestId: 1,
      generation: 2,
      offset: 0,
      count: 50,
      columns: ['a'],
    });
    assert.equal(parseWebviewMessage({ type: 'window', requestId: 1, generation: 2, offset: -1, count: 50, columns: null }), undefined);
    assert.equal(parseWebviewMessage({ type: 'window', requestId: 1, generation: 2, offset: 0, count: 50, columns: [1] }), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'star', rowId: 'abc', starred: true }), { type: 'star', rowId: 'abc', starred: true });
    assert.equal(parseWebviewMessage({ type: 'star', rowId: '', starred: true }), undefined);
    assert.equal(parseWebviewMessage({ type: 'action', action: 'rm -rf', rowIds: [], columns: [] }), undefined);
    assert.deepEqual(parseWebviewMessage({ type: 'action', action: 'copyCsv', rowIds: ['a'], columns: ['c'] }), {
      type: 'action',
      action: 'copyCsv',
      rowIds: ['a'],
      columns: ['c'],
    });
    assert.equal(parseWebviewMessage({ type: 'points', requestId: 1, columns: ['a'], scope: 'all', rowIds: [] }), undefined);
    assert.equal(parseWebviewMessage({ type: 'rendered', cells: 'many' }), undefined);
    assert.equal(parseWebviewMessage('ready'), undefined);
    assert.equal(parseWebviewMessage({ type: 'unknown' }), undefined);
  });

  it('checks queries and layouts, from the page and from the workspace state', () => {
    const q = {
      sort: [{ column: 'metrics:m.json:acc', order: 'desc' }],
      filters: [{ column: 'meta:state', op: '=', value: 'failed' }],
      text: 'x',
      starredOnly: true,
    };
    assert.deepEqual(parseQuery(q), { ...q, allCommits: false });
    assert.equal(parseQuery({ ...q, filters: [{ column: 'meta:state', op: 'LIKE', value: 'x' }] }), undefined);
    assert.equal(parseQuery({ ...q, sort: [{ column: 'a', order: 'up' }] }), undefined);
    assert.deepEqual(storedQuery(undefined), EMPTY);
    assert.deepEqual(storedQuery({ nonsense: true }), EMPTY);
    assert.deepEqual(parseLayout({ hidden: ['a', 'a'], order: [], pinned: ['b'], widths: { b: 5, c: 99999 } }), {
      hidden: ['a'],
      order: [],
      pinned: ['b'],
      widths: { b: 40, c: 2000 },
    });
    assert.equal(parseLayout({ hidden: [], order: [], pinned: [], widths: { a: 'wide' } }), undefined);
    assert.deepEqual(storedLayout(null), { hidden: [], order: [], pinned: [], widths: {} });
    assert.equal(folderFromSavedState({ folder: 'demo' }), 'demo');
    assert.equal(folderFromSavedState({ folder: 3 }), undefined);
  });

  it('arranges columns: pinned first, then the user order, new columns last, hidden ones out', () => {
    const columns = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
    assert.deepEqual(arrangeColumns(columns, { hidden: ['d'], order: ['c', 'gone', 'a'], pinned: ['e', 'd'], widths: {} }), {
      pinned: ['e'],
      rest: ['c', 'a', 'b'],
    });
    assert.deepEqual(fullOrder(columns, { order: ['e'] }), ['e', 'a', 'b', 'c', 'd']);
  });
});

describe('Experiments table: Copy as Markdown / CSV', () => {
  const columns = [col('meta:message', false), col('metrics:eval/metrics.json:acc'), col('params:params.yaml:opt', false)];
  const rows = [
    row(
      'a'.repeat(40),
      { 'metrics:eval/metrics.json:acc': 0.9, 'params:params.yaml:opt': '=cmd|x' },
      { label: 'main', message: 'a | pipe\nand a newline', starred: true, note: 'best, so far' },
    ),
    row(
      'b'.repeat(40),
      { 'metrics:eval/metrics.json:acc': -0.5, 'params:params.yaml:opt': { text: '[1, 2]' } },
      { label: '<b>x</b>', message: '' },
    ),
  ];

  it('writes Markdown with every file-derived text escaped', () => {
    const md = rowsAsMarkdown(rows, columns);
    const lines = md.trim().split('\n');
    assert.equal(lines[0], '| Row | message | eval/metrics.json:acc | params.yaml:opt |');
    assert.equal(lines[1], '| --- | --- | ---: | --- |');
    assert.equal(lines[2], '| ★ main | a \\| pipe and a newline | 0.9 | =cmd\\|x |');
    assert.equal(lines[3], '| \\<b\\>x\\</b\\> |  | -0.5 | \\[1, 2\\] |');
  });

  it('writes CSV that quotes what needs it and starts no formula', () => {
    const csv = rowsAsCsv(rows, columns).split('\r\n');
    assert.equal(csv[0], 'id,kind,label,starred,note,meta:message,metrics:eval/metrics.json:acc,params:params.yaml:opt');
    assert.equal(csv[1], `${'a'.repeat(40)},commit,main,true,"best, so far","a | pipe\nand a newline",0.9,'=cmd|x`);
    assert.equal(csv[2], `${'b'.repeat(40)},commit,<b>x</b>,false,,,-0.5,"[1, 2]"`);
  });
});
