// `dvc exp show`'s table rules on rows made by hand: number text as Python formats it, column
// names as _normalize_headers makes them, --sort-by/--keep/--drop/--only-changed, and the CSV
// and Markdown writers. The interop tier compares the whole output with DVC's own.

import { strict as assert } from 'node:assert';
import { dvcTable, formatField, pyFormatG, toCsv, toMarkdown, displayWidth, DvcShowError } from '../../../src/core/expTable/dvcTable';
import type { ExpState, FileResult } from '../../../src/core/query/expShow';
import { PyFloat, type PyValue } from '../../../src/core/python/pyFloat';

const f = (n: number) => new PyFloat(n);
const dict = (o: Record<string, PyValue>): PyValue => new Map(Object.entries(o));
const files = (o: Record<string, PyValue | { error: string }>): Map<string, FileResult> =>
  new Map(
    Object.entries(o).map(([k, v]) => [
      k,
      v && typeof v === 'object' && 'error' in (v as object) && !(v instanceof Map)
        ? { error: { type: (v as { error: string }).error, msg: 'x' } }
        : { data: v },
    ]),
  );

function state(
  rev: string,
  name: string | null,
  metrics: Record<string, PyValue | { error: string }>,
  params: Record<string, PyValue>,
  time = '2030-01-02T03:04:05',
): ExpState {
  return {
    rev,
    name,
    data: { rev, timestamp: rev === 'workspace' ? null : time, metrics: files(metrics), params: files(params) },
    error: null,
    experiments: null,
  };
}

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const D = 'd'.repeat(40);

function rows(): ExpState[] {
  const base = state(
    A,
    'main',
    { 'm.json': dict({ acc: f(0.5), mix: f(1.5) }), 'other.json': dict({ acc: 1 }) },
    { 'params.yaml': dict({ lr: f(0.1), layers: [64, f(0.123456)] }) },
  );
  base.experiments = [
    {
      name: 'e1',
      executor: null,
      revs: [state(B, 'e1', { 'm.json': dict({ acc: f(0.9), mix: 'high' }) }, { 'params.yaml': dict({ lr: f(0.2), layers: null }) })],
    },
    {
      name: 'e2',
      executor: null,
      revs: [state(C, 'e2', { 'm.json': { error: 'JSONFileCorruptedError' } }, { 'params.yaml': dict({ lr: f(0.3) }) })],
    },
    {
      name: 'e3',
      executor: null,
      revs: [state(D, 'e3', { 'm.json': dict({ acc: f(0.7), mix: f(0.25) }) }, { 'params.yaml': dict({ lr: f(0.1), extra: true }) })],
    },
  ];
  return [state('workspace', null, { 'm.json': dict({ acc: f(0.5), mix: f(1.5) }) }, { 'params.yaml': dict({ lr: f(0.1) }) }), base];
}

describe('dvc exp show table', () => {
  it('formats floats as Python does: .5g, ties to even, exponents with two digits', () => {
    const cases: [number, string, string][] = [
      [0.123456789, '0.12346', '0.12'],
      [1.03125, '1.0312', '1'],
      [0.125, '0.125', '0.12'],
      [123456.5, '1.2346e+05', '1.2e+05'],
      [1e-5, '1e-05', '1e-05'],
      [1.5e-7, '1.5e-07', '1.5e-07'],
      [100000, '1e+05', '1e+05'],
      [99999.5, '1e+05', '1e+05'],
      [0.0001, '0.0001', '0.0001'],
      [-2.5e20, '-2.5e+20', '-2.5e+20'],
      [1, '1', '1'],
      [2.675, '2.675', '2.7'],
      [1e16, '1e+16', '1e+16'],
      [NaN, 'nan', 'nan'],
      [Infinity, 'inf', 'inf'],
      [-0, '-0', '-0'],
    ];
    for (const [x, five, two] of cases) {
      assert.equal(pyFormatG(x, 5), five, `${x} .5g`);
      assert.equal(pyFormatG(x, 2), two, `${x} .2g`);
    }
  });

  it('formats fields as _format_field: str() of the value, floats inside lists turned into quoted text', () => {
    assert.equal(formatField(f(1), undefined), '1.0');
    assert.equal(formatField(f(0.123456), 5), '0.12346');
    assert.equal(formatField(1, 5), '1');
    assert.equal(formatField(123456789012345678901234567890n, 5), '123456789012345678901234567890');
    assert.equal(formatField([64, f(0.123456)], 5), "[64, '0.12346']");
    assert.equal(formatField([64, f(0.5), 'x'], undefined), "[64, 0.5, 'x']");
    assert.equal(formatField(dict({ a: true, b: null }), undefined), "{'a': True, 'b': None}");
    assert.equal(formatField(f(NaN), undefined), 'nan');
  });

  it('names columns by key, or file:key when two files have the key; cells, fill and errors as DVC writes them', () => {
    const t = dvcTable(
      rows(),
      new Map([
        [
          A,
          new Map([
            ['data.csv', 'abc'],
            ['src/a.py', null],
          ]),
        ],
      ]),
      { csv: true },
    );
    assert.deepEqual(t.headers, [
      'Experiment',
      'rev',
      'typ',
      'Created',
      'parent',
      'm.json:acc',
      'mix',
      'other.json:acc',
      'lr',
      'layers',
      'extra',
      'data.csv',
      'src/a.py',
    ]);
    assert.deepEqual(t.rows, [
      ['', 'workspace', 'baseline', '', '', '0.5', '1.5', '', '0.1', '', '', '', ''],
      ['', 'main', 'baseline', '2030-01-02T03:04:05', '', '0.5', '1.5', '1', '0.1', '[64, 0.123456]', '', 'abc', ''],
      ['e1', 'bbbbbbb', 'branch_commit', '2030-01-02T03:04:05', '', '0.9', 'high', '', '0.2', '', '', '', ''],
      ['e2', 'ccccccc', 'branch_commit', '2030-01-02T03:04:05', '', '!', '!', '', '0.3', '', '', '', ''],
      ['e3', 'ddddddd', 'branch_base', '2030-01-02T03:04:05', '', '0.7', '0.25', '', '0.1', '', 'True', '', ''],
    ]);
    assert.deepEqual(t.revs, ['workspace', A, B, C, D]);
  });

  it('the text table: the tree in the Experiment column, five digits, "-" for nothing', () => {
    const t = dvcTable(rows(), new Map(), { now: new Date(2030, 0, 2, 9) });
    assert.deepEqual(t.headers, ['Experiment', 'Created', 'm.json:acc', 'mix', 'other.json:acc', 'lr', 'layers', 'extra']);
    assert.deepEqual(
      t.rows.map((r) => r.slice(0, 2)),
      [
        ['workspace', '-'],
        ['main', '03:04 AM'],
        ['├── bbbbbbb [e1]', '03:04 AM'],
        ['├── ccccccc [e2]', '03:04 AM'],
        ['└── ddddddd [e3]', '03:04 AM'],
      ],
    );
    assert.deepEqual(t.rows[1].slice(6), ["[64, '0.12346']", '-']);
    assert.equal(dvcTable(rows(), new Map(), { now: new Date(2031, 0, 1) }).rows[1][1], 'Jan 02, 2030');
  });

  it("--sort-by orders each baseline's experiments, absent values last (first when descending), numbers before text", () => {
    const order = (sortBy: string, sortOrder: 'asc' | 'desc' = 'asc') =>
      dvcTable(rows(), new Map(), { csv: true, sortBy, sortOrder })
        .rows.slice(2)
        .map((r) => [r[0], r[2]]);
    assert.deepEqual(order('lr'), [
      ['e3', 'branch_commit'],
      ['e1', 'branch_commit'],
      ['e2', 'branch_base'],
    ]);
    assert.deepEqual(order('params.yaml:lr', 'desc'), [
      ['e2', 'branch_commit'],
      ['e1', 'branch_commit'],
      ['e3', 'branch_base'],
    ]);
    assert.deepEqual(
      order('mix'),
      [
        ['e3', 'branch_commit'],
        ['e1', 'branch_commit'],
        ['e2', 'branch_base'],
      ],
      'DVC fails on a number against text; numbers go first here',
    );
    assert.deepEqual(order('mix', 'desc'), [
      ['e2', 'branch_commit'],
      ['e1', 'branch_commit'],
      ['e3', 'branch_base'],
    ]);
    assert.throws(
      () => order('acc'),
      (e: Error) => e instanceof DvcShowError && /Ambiguous sort column 'acc'/.test(e.message),
    );
    assert.throws(() => order('nope'), /Unknown sort column 'nope'/);
  });

  it('--keep protects, --drop removes (regexes matched at the start), --only-changed drops one-valued columns', () => {
    const t = dvcTable(rows(), new Map(), { csv: true, onlyChanged: true, keep: ['typ'], drop: ['m\\.json', 'lay'] });
    assert.deepEqual(t.headers, ['Experiment', 'rev', 'typ', 'Created', 'mix', 'other.json:acc', 'lr', 'extra']);
    const kept = dvcTable(rows(), new Map(), { drop: ['.*'], keep: ['lr$', 'Exp'] });
    assert.deepEqual(kept.headers, ['Experiment', 'lr']);
  });

  it("writes CSV as Python's csv module and Markdown as tabulate's github format", () => {
    assert.equal(
      toCsv({
        headers: ['a', 'b,c'],
        rows: [
          ['x "y"', ''],
          ['line\nbreak', '-'],
        ],
      }),
      'a,"b,c"\r\n"x ""y""",\r\n"line\nbreak",-\r\n',
    );
    assert.equal(toCsv({ headers: [''], rows: [] }), '""\r\n');
    assert.equal(
      toMarkdown({
        headers: ['Experiment', 'c', 'd'],
        rows: [
          ['a', 'bbbbbb', ''],
          ['größe', 'x', '日本'],
        ],
      }),
      '| Experiment   | c      | d    |\n|--------------|--------|------|\n| a            | bbbbbb |      |\n| größe        | x      | 日本 |\n\n',
    );
    assert.equal(
      toMarkdown({ headers: ['h', 'hh'], rows: [['a\nb', ' x ']] }),
      '| h   | hh   |\n|-----|------|\n| a   | x    |\n| b   |      |\n\n',
    );
    assert.equal(displayWidth('├── e1 ★'), 8);
  });
});
