import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DiffRow, DiffState, ViewOptions } from '../../src/protocol/metricDiff';
import { rowId } from '../../src/protocol/metricDiff';
import {
  DEFAULT_OPTIONS,
  RowSet,
  filterRows,
  formatDelta,
  formatRelative,
  maxScrollTop,
  nextSort,
  readPersisted,
  rowCells,
  sortRows,
  summarize,
  summaryText,
  visibleWindow,
} from '../../webview/metricDiff/model';

const ROOT = join(__dirname, '..', '..', '..');
const WEBVIEW = join(ROOT, 'webview', 'metricDiff');

function row(partial: Partial<DiffRow> & Pick<DiffRow, 'key'>): DiffRow {
  const r: DiffRow = { kind: 'metric', file: 'metrics.json', old: null, new: null, changed: false, verdict: 'n/a', ...partial };
  return r;
}

function num(key: string, old: number | null, nu: number | null, extra: Partial<DiffRow> = {}): DiffRow {
  const r = row({ key, old, new: nu, changed: old !== nu, ...extra });
  if (typeof old === 'number' && typeof nu === 'number') {
    r.delta = nu - old;
    if (old !== 0) r.relative = r.delta / Math.abs(old);
    if (r.kind === 'metric' && !extra.verdict) r.verdict = r.delta === 0 ? 'same' : r.delta > 0 ? 'better' : 'worse';
  }
  return r;
}

const opts = (o: Partial<ViewOptions> = {}): ViewOptions => ({ ...DEFAULT_OPTIONS, ...o });
const keys = (rows: DiffRow[]) => rows.map((r) => r.key);

describe('metric diff webview: cells are text', () => {
  it('maps hostile names to plain strings, unchanged apart from newlines', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const c = rowCells(row({ key: evil, file: 'a"b\'c.json', old: '<b>x</b>', new: 'line1\nline2' }));
    assert.equal(c.key, evil);
    assert.equal(c.file, 'a"b\'c.json');
    assert.equal(c.old, '<b>x</b>');
    assert.equal(c.new, 'line1⏎line2');
    assert.equal(c.title, `a"b'c.json\n${evil}\n<b>x</b> → line1\nline2`);
    const quoted = rowCells(row({ key: 'say "hi"\nnow' }));
    assert.equal(quoted.key, 'say "hi"⏎now');
  });

  it('formats values, deltas and relative changes', () => {
    const c = rowCells(num('acc', 0.5, 0.625));
    assert.deepEqual([c.old, c.new, c.delta, c.relative, c.tone], ['0.5', '0.625', '+0.125', '+25.00%', 'better']);
    const d = rowCells(num('loss', 2, 1, { verdict: 'better' }));
    assert.equal(d.delta, '-1');
    assert.equal(d.relative, '-50.00%');
    assert.equal(rowCells(num('x', 0, 3)).relative, '—');
    assert.equal(rowCells(row({ key: 'gone', old: 1, new: null, changed: true })).tone, 'changed');
    assert.equal(rowCells(row({ key: 'p', kind: 'param', old: 'adam', new: 'sgd', changed: true })).delta, '—');
    assert.equal(formatDelta(undefined), '—');
    assert.equal(formatDelta(0), '0');
    assert.equal(formatRelative(123.456), '+1.23e+4%');
    assert.equal(formatRelative(Number.NaN), '—');
    assert.equal(rowCells(row({ key: 'l', kind: 'param', old: [1, 2], new: [1, 3], changed: true })).new, '[1,3]');
  });

  it('webview code never writes HTML and the pure module never touches the DOM', () => {
    const files = readdirSync(WEBVIEW).filter((f) => f.endsWith('.ts'));
    assert.ok(files.includes('main.ts') && files.includes('model.ts') && files.includes('view.ts'));
    for (const f of files) {
      const text = readFileSync(join(WEBVIEW, f), 'utf8');
      assert.doesNotMatch(
        text,
        /innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser|\beval\(|new Function/,
        f,
      );
      assert.doesNotMatch(text, /from ['"](node:|fs['"]|path['"]|vscode['"])/, f);
      assert.doesNotMatch(text, /setAttribute\(\s*['"](style|on\w+)['"]/, f);
      // Only per-component entry points of vscode-elements (keeps the bundle small).
      for (const m of text.matchAll(/from ['"](@vscode-elements\/[^'"]+)['"]|import ['"](@vscode-elements\/[^'"]+)['"]/g)) {
        assert.match(m[1] ?? m[2], /^@vscode-elements\/elements\/dist\/vscode-[a-z-]+\/index\.js$/, f);
      }
    }
    const model = readFileSync(join(WEBVIEW, 'model.ts'), 'utf8').replace(/\/\/.*$/gm, '');
    assert.doesNotMatch(model, /\bdocument\b|\bwindow\b|HTMLElement/);
  });
});

describe('metric diff webview: filtering and sorting', () => {
  const rows = [
    num('train.loss', 0.5, 0.4, { verdict: 'better' }),
    num('train.acc', 0.8, 0.7),
    num('val.acc', 0.9, 0.9),
    row({ key: 'optimizer', kind: 'param', file: 'params.yaml', old: 'adam', new: 'sgd', changed: true }),
    row({ key: 'lr', kind: 'param', file: 'params.yaml', old: 0.1, new: 0.1, delta: 0, changed: false }),
    num('eval.f1', null, 0.7, { file: 'eval/metrics.json' }),
  ];

  it('filters by text (all words, case-insensitive, file/key/values), changed, kind and file', () => {
    assert.deepEqual(keys(filterRows(rows, opts({ text: 'ACC' }))), ['train.acc', 'val.acc']);
    assert.deepEqual(keys(filterRows(rows, opts({ text: 'train acc' }))), ['train.acc']);
    assert.deepEqual(keys(filterRows(rows, opts({ text: 'params.yaml sgd' }))), ['optimizer']);
    assert.deepEqual(keys(filterRows(rows, opts({ onlyChanged: true }))), ['train.loss', 'train.acc', 'optimizer', 'eval.f1']);
    assert.deepEqual(keys(filterRows(rows, opts({ kind: 'param' }))), ['optimizer', 'lr']);
    assert.deepEqual(keys(filterRows(rows, opts({ kind: 'metric', file: 'eval/metrics.json' }))), ['eval.f1']);
    assert.equal(filterRows(rows, opts()).length, rows.length);
    assert.deepEqual(keys(filterRows(rows, opts({ text: '<img' }))), []);
  });

  it('default order is kind, file, key (metrics first), like the host', () => {
    assert.deepEqual(keys(sortRows(rows, 'default', false)), ['eval.f1', 'train.acc', 'train.loss', 'val.acc', 'lr', 'optimizer']);
  });

  it('sorts numbers by value and keeps rows without a value last in both directions', () => {
    assert.deepEqual(keys(sortRows(rows, 'delta', false)).slice(0, 3), ['train.acc', 'train.loss', 'val.acc']);
    const desc = keys(sortRows(rows, 'delta', true));
    assert.deepEqual(desc.slice(0, 3), ['val.acc', 'lr', 'train.loss']);
    assert.deepEqual(desc.slice(-2).sort(), ['eval.f1', 'optimizer']);
    assert.equal(keys(sortRows(rows, 'old', false)).at(-1), 'eval.f1');
    assert.equal(keys(sortRows(rows, 'old', true)).at(-1), 'eval.f1');
    // Mixed values: numbers before strings.
    assert.deepEqual(keys(sortRows(rows, 'new', false)).slice(-2), ['val.acc', 'optimizer']);
  });

  it('sorts text naturally (class_2 before class_10) and flips on the second click', () => {
    const r = [row({ key: 'class_10' }), row({ key: 'class_2' }), row({ key: 'Class_1' })];
    assert.deepEqual(keys(sortRows(r, 'key', false)), ['Class_1', 'class_2', 'class_10']);
    assert.deepEqual(keys(sortRows(r, 'key', true)), ['class_10', 'class_2', 'Class_1']);
    assert.deepEqual(nextSort(opts(), 'key'), { sort: 'key', descending: false });
    assert.deepEqual(nextSort(opts({ sort: 'key' }), 'key'), { sort: 'key', descending: true });
    assert.deepEqual(nextSort(opts({ sort: 'key' }), 'delta'), { sort: 'delta', descending: true });
  });

  it('sorts and filters 20,000 rows quickly', () => {
    const many: DiffRow[] = [];
    for (let i = 0; i < 20_000; i++) many.push(num(`group_${i % 13}.metric_${i}`, Math.sin(i), Math.cos(i), { file: `m${i % 9}.json` }));
    const t0 = process.hrtime.bigint();
    const sorted = sortRows(many, 'delta', true);
    const filtered = filterRows(sorted, opts({ text: 'group_3', onlyChanged: true }));
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    assert.equal(sorted.length, 20_000);
    assert.ok(filtered.length > 1000);
    for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i - 1].delta! >= sorted[i].delta!);
    assert.ok(ms < 1500, `${ms} ms`);
  });

  it('summarizes: improved, regressed, changed of total, and how many are shown', () => {
    const s = summarize(rows, 2);
    assert.deepEqual(s, { improved: 1, regressed: 1, changed: 4, total: 6, shown: 2 });
    assert.equal(summaryText(s), '1 improved, 1 regressed, 4 changed of 6 — 2 shown');
    assert.equal(summaryText({ ...s, shown: 6 }), '1 improved, 1 regressed, 4 changed of 6');
  });
});

describe('metric diff webview: rows by id, deltas and saved state', () => {
  const state = (rows: DiffRow[]): DiffState => ({
    old: { label: 'main', sha: 'a' },
    new: { label: 'workspace', sha: 'workspace' },
    rows,
    improved: 0,
    regressed: 0,
    problems: [],
  });

  it('applies upserts and removals by row id', () => {
    const set = new RowSet();
    const a = num('a', 1, 2);
    const b = num('b', 1, 1);
    set.reset(state([a, b]));
    const v = set.version;
    const a2 = num('a', 1, 3);
    const c = row({ key: 'c', kind: 'param', file: 'params.yaml', old: 1, new: 1 });
    set.applyDelta([a2, c], [rowId(b)], 1, 0, ['x']);
    assert.ok(set.version > v);
    assert.deepEqual(
      set.rows().map((r) => [r.key, r.new]),
      [
        ['a', 3],
        ['c', 1],
      ],
    );
    assert.deepEqual(set.files(), ['metrics.json', 'params.yaml']);
    assert.deepEqual(set.problems, ['x']);
    // Same key in different files or kinds are different rows.
    assert.notEqual(rowId(row({ key: 'k', file: 'a' })), rowId(row({ key: 'k', file: 'b' })));
    assert.notEqual(rowId(row({ key: 'k' })), rowId(row({ key: 'k', kind: 'param' })));
  });

  it('reads saved state defensively', () => {
    assert.deepEqual(readPersisted(undefined), { version: 1, options: DEFAULT_OPTIONS, scrollTop: 0 });
    assert.deepEqual(readPersisted({ options: { kind: 'bogus', sort: 'nope', text: 5 }, scrollTop: -3, revisions: { old: 1 } }), {
      version: 1,
      options: DEFAULT_OPTIONS,
      scrollTop: 0,
    });
    const saved = {
      version: 1,
      revisions: { old: 'main', new: 'workspace' },
      options: { text: 'loss', onlyChanged: true, kind: 'metric', file: 'm.json', sort: 'delta', descending: true },
      scrollTop: 440,
    };
    assert.deepEqual(readPersisted(JSON.parse(JSON.stringify(saved))), saved);
  });
});

describe('metric diff webview: virtual window', () => {
  it('keeps only the rows in view plus overscan', () => {
    assert.deepEqual(visibleWindow(0, 220, 22, 10_000, 5), { start: 0, end: 16 });
    assert.deepEqual(visibleWindow(22 * 1000, 220, 22, 10_000, 5), { start: 995, end: 1016 });
    assert.deepEqual(visibleWindow(22 * 9_995, 220, 22, 10_000, 5), { start: 9990, end: 10_000 });
    assert.deepEqual(visibleWindow(1e9, 220, 22, 10_000, 5), { start: 9994, end: 10_000 });
    assert.deepEqual(visibleWindow(0, 220, 22, 0, 5), { start: 0, end: 0 });
    assert.deepEqual(visibleWindow(-50, 220, 22, 3, 5), { start: 0, end: 3 });
  });

  it('the DOM row count is bounded by the viewport, not by the table (20,000 rows)', () => {
    for (let top = 0; top < 20_000 * 22; top += 7919) {
      const w = visibleWindow(top, 900, 22, 20_000, 10);
      assert.ok(w.end - w.start <= Math.ceil(900 / 22) + 1 + 20, `${w.start}-${w.end}`);
      assert.ok(w.start * 22 <= top && w.end * 22 >= Math.min(top + 900, 20_000 * 22));
    }
    assert.equal(maxScrollTop(20_000, 22, 900), 20_000 * 22 - 900);
    assert.equal(maxScrollTop(3, 22, 900), 0);
  });
});
