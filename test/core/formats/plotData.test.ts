import { strict as assert } from 'node:assert';
import { parseDelimited, parsePlotData } from '../../../src/core/formats/plotData';
import type { PlotTable } from '../../../src/core/formats/plotData';
import type { ParseResult } from '../../../src/core/data/types';

function value(r: ParseResult<PlotTable>): PlotTable {
  assert.ok(r.ok, r.ok ? '' : `${r.message} at ${r.line}:${r.column}`);
  return r.value;
}

describe('parseDelimited', () => {
  it('splits like Python csv: quotes, doubled quotes, quoted newlines, blank lines', () => {
    assert.deepEqual(parseDelimited('a,b\r\n"x, y","say ""hi"""\n\n"multi\nline",\n', ','), [
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      [],
      ['multi\nline', ''],
    ]);
  });
});

describe('parsePlotData', () => {
  it('reads CSV with numbers as numbers', () => {
    assert.deepEqual(value(parsePlotData('epoch,acc,label\n1,0.5,cat\n2,1e-1,dog\n\n3,nan\n', 'plots/acc.csv')), {
      columns: ['epoch', 'acc', 'label'],
      rows: [
        { epoch: 1, acc: 0.5, label: 'cat' },
        { epoch: 2, acc: 0.1, label: 'dog' },
        { epoch: 3, acc: NaN, label: null },
      ],
    });
  });

  it('reads TSV, and headerless files with numbered columns', () => {
    assert.deepEqual(value(parsePlotData('step\tloss\r\n0\t2\r\n', 'loss.tsv')), {
      columns: ['step', 'loss'],
      rows: [{ step: 0, loss: 2 }],
    });
    assert.deepEqual(value(parsePlotData('0.1,0.9\n0.2,0.8\n', 'roc.csv', { header: false })), {
      columns: ['0', '1'],
      rows: [
        { 0: 0.1, 1: 0.9 },
        { 0: 0.2, 1: 0.8 },
      ],
    });
  });

  it('reads a JSON list of objects', () => {
    assert.deepEqual(value(parsePlotData('[{"x": 1, "y": 2}, {"x": 2, "y": NaN}]', 'p.json')).rows.length, 2);
  });

  it('reads a JSON mapping whose list holds the rows', () => {
    const text = '{"roc": [{"fpr": 0, "tpr": 0, "threshold": 1}, {"fpr": 1, "tpr": 1, "threshold": 0}]}';
    assert.deepEqual(value(parsePlotData(text, 'eval/roc.json')), {
      columns: ['fpr', 'tpr', 'threshold'],
      rows: [
        { fpr: 0, tpr: 0, threshold: 1 },
        { fpr: 1, tpr: 1, threshold: 0 },
      ],
    });
  });

  it('merges several datapoint lists by row and ignores lists of scalars', () => {
    const text = 'meta:\n  names: [a, b]\na:\n  - {x: 1}\n  - {x: 2}\nb:\n  - {y: 10}\n  - {y: 20}\n';
    assert.deepEqual(value(parsePlotData(text, 'p.yaml')), {
      columns: ['x', 'y'],
      rows: [
        { x: 1, y: 10 },
        { x: 2, y: 20 },
      ],
    });
  });

  it('reports malformed JSON with its position', () => {
    const r = parsePlotData('[{"x": 1},\n {"x": 2]', 'p.json');
    assert.ok(!r.ok);
    assert.deepEqual([r.line, r.column, r.message], [2, 9, "Expecting ',' delimiter"]);
  });

  it('refuses file types DVC does not read', () => {
    const r = parsePlotData('x', 'p.txt');
    assert.ok(!r.ok);
    assert.equal(r.kind, 'unsupported');
  });
});
