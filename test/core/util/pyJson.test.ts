import { strict as assert } from 'node:assert';
import { pyJsonDumps } from '../../../src/core/python/pyJson';
import { PyFloat } from '../../../src/core/python/pyFloat';
import { asDiffResult, dvcDiff } from '../../../src/core/diff/dvcDiff';
import { printedDiff } from '../../../src/core/diff/diff';
import { formatDiffValue } from '../../../src/core/diff/format';
import type { DvcFile } from '../../../src/core/query/dvcData';

const f = (n: number) => new PyFloat(n);
const doc = (entries: [unknown, unknown][]): DvcFile => ({ data: new Map(entries) as never });

describe("pyJsonDumps: Python's json.dumps as DVC's --json prints it", () => {
  it('separators, floats as repr, ints exact, NaN and Infinity bare, non-ASCII escaped, Map order kept', () => {
    const value = new Map<unknown, unknown>([
      ['b', f(1)],
      ['10', 3],
      ['2', 2n ** 70n],
      [1, f(1e-7)],
      [true, f(NaN)],
      [null, [f(Infinity), f(-Infinity), -0]],
      ['s', 'café "q"\n\u007f'],
      ['o', { x: null, y: false }],
    ]);
    assert.equal(
      pyJsonDumps(value),
      '{"b": 1.0, "10": 3, "2": 1180591620717411303424, "1": 1e-07, "true": NaN, "null": [Infinity, -Infinity, 0], "s": "caf\\u00e9 \\"q\\"\\n\\u007f", "o": {"x": null, "y": false}}',
    );
    assert.equal(pyJsonDumps('😀'), '"\\ud83d\\ude00"');
  });
});

describe("dvcDiff: DVC's diff on values with Python's types", () => {
  it('unchanged floats give 0.0, ints 0; bools subtract; lists compare and print as str(list)', () => {
    const old = new Map([
      [
        'params.yaml',
        doc([
          ['lr', f(1)],
          ['n', 3],
          ['flag', true],
          ['l', [1, f(2)]],
          ['nested', new Map([['a', 1]])],
        ]),
      ],
    ]);
    const now = new Map([
      [
        'params.yaml',
        doc([
          ['lr', f(1)],
          ['n', 3],
          ['flag', 2],
          ['l', [1, 2]],
          ['nested', new Map([['a', f(1.5)]])],
        ]),
      ],
    ]);
    const all = dvcDiff(old, now, true);
    assert.equal(
      pyJsonDumps(all),
      '{"params.yaml": {"lr": {"old": 1.0, "new": 1.0, "diff": 0.0}, "n": {"old": 3, "new": 3, "diff": 0}, "flag": {"old": true, "new": 2, "diff": 1}, "l": {"old": "[1, 2.0]", "new": "[1, 2]"}, "nested.a": {"old": 1, "new": 1.5, "diff": 0.5}}}',
    );
    assert.equal(
      pyJsonDumps(dvcDiff(old, now, false)),
      '{"params.yaml": {"flag": {"old": true, "new": 2, "diff": 1}, "l": {"old": "[1, 2.0]", "new": "[1, 2]"}, "nested.a": {"old": 1, "new": 1.5, "diff": 0.5}}}',
    );
    // The table keeps the float: 0.0, not 0.
    const lr = asDiffResult(all)['params.yaml'].lr;
    assert.equal(formatDiffValue(printedDiff(lr), 'params'), '0.0');
  });

  it('a file that errors or is missing on one side has no data: its keys are new or deleted', () => {
    const old = new Map<string, DvcFile>([['m.json', { error: { type: 'JSONFileCorruptedError', msg: 'x' } }]]);
    const now = new Map([
      ['m.json', doc([['acc', f(0.5)]])],
      ['new.json', doc([['n', f(NaN)]])],
    ]);
    assert.equal(
      pyJsonDumps(dvcDiff(old, now, false)),
      '{"m.json": {"acc": {"old": null, "new": 0.5}}, "new.json": {"n": {"old": null, "new": NaN}}}',
    );
  });
});
