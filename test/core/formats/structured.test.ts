import { strict as assert } from 'node:assert';
import { parseStructured, structuredFormat } from '../../../src/core/formats/structured';
import type { DataMap, ParseResult } from '../../../src/core/data/types';

function value(r: ParseResult<DataMap>): DataMap {
  assert.ok(r.ok, r.ok ? '' : `${r.message} at ${r.line}:${r.column}`);
  return r.value;
}

function failsAt(r: ParseResult<DataMap>, line: number, column: number): void {
  assert.ok(!r.ok, 'expected a failure');
  assert.equal(r.kind, 'error');
  assert.deepEqual([r.line, r.column], [line, column], r.message);
  assert.ok(!r.message.includes('\n'), 'message is one line');
}

describe('structuredFormat', () => {
  it('picks the loader by lower-cased suffix, YAML for anything else', () => {
    assert.equal(structuredFormat('metrics.JSON'), 'json');
    assert.equal(structuredFormat('dir.v1/params.toml'), 'toml');
    assert.equal(structuredFormat('conf\\params.py'), 'py');
    assert.equal(structuredFormat('params.yml'), 'yaml');
    assert.equal(structuredFormat('metrics.txt'), 'yaml');
    assert.equal(structuredFormat('.json'), 'yaml');
    assert.equal(structuredFormat('params'), 'yaml');
  });
});

describe('parseStructured', () => {
  it('reads YAML with the 1.2 core schema', () => {
    const v = value(
      parseStructured(
        'train:\n  lr: 1e-3\n  epochs: 10\n  flag: yes\n  on: true\n  layers: [64, 32]\n  nan: .nan\n  date: 2024-01-02\n',
        'params.yaml',
      ),
    );
    const train = v.train as DataMap;
    assert.equal(train.lr, 0.001);
    assert.equal(train.epochs, 10);
    assert.equal(train.flag, 'yes'); // YAML 1.1 would say true
    assert.equal(train.on, true);
    assert.deepEqual(train.layers, [64, 32]);
    assert.ok(Number.isNaN(train.nan as number));
    assert.equal(train.date, '2024-01-02');
  });

  it('applies YAML merge keys as ruamel does', () => {
    assert.deepEqual(value(parseStructured('base: &b {lr: 1}\ntrain:\n  <<: *b\n  epochs: 2\n', 'params.yaml')), {
      base: { lr: 1 },
      train: { lr: 1, epochs: 2 },
    });
  });

  it('reads JSON with NaN the way Python does', () => {
    const v = value(parseStructured('{"loss": NaN, "acc": 0.5}', 'metrics.json'));
    assert.ok(Number.isNaN(v.loss as number));
    assert.equal(v.acc, 0.5);
  });

  it('reads DVCLive metrics.json, keeping "nan"/"inf" strings', () => {
    const text =
      '{\n    "train": {\n        "loss": "nan",\n        "acc": 0.91\n    },\n    "val": {\n        "loss": "inf"\n    },\n    "step": 9\n}\n';
    assert.deepEqual(value(parseStructured(text, 'dvclive/metrics.json')), {
      train: { loss: 'nan', acc: 0.91 },
      val: { loss: 'inf' },
      step: 9,
    });
  });

  it('reads TOML with dates as ISO strings and plain objects', () => {
    const v = value(
      parseStructured(
        'title = "x"\nday = 1979-05-27\nat = 1979-05-27T07:32:00Z\nbig = 9007199254740993\n[train]\nlr = 0.1\nlayers = [1, 2]\n',
        'params.toml',
      ),
    );
    assert.deepEqual(v, {
      title: 'x',
      day: '1979-05-27',
      at: '1979-05-27T07:32:00.000Z',
      big: 9007199254740992,
      train: { lr: 0.1, layers: [1, 2] },
    });
    assert.equal(Object.getPrototypeOf(v.train), Object.prototype);
  });

  it('reads Python params', () => {
    assert.deepEqual(value(parseStructured('LR = 0.1\nclass Model:\n    depth = 3\n', 'params.py')), { LR: 0.1, Model: { depth: 3 } });
  });

  it('treats an empty or falsy document as an empty mapping', () => {
    assert.deepEqual(value(parseStructured('', 'params.yaml')), {});
    assert.deepEqual(value(parseStructured('# only a comment\n', 'params.yaml')), {});
    assert.deepEqual(value(parseStructured('null', 'metrics.json')), {});
    assert.deepEqual(value(parseStructured('[]', 'metrics.json')), {});
    assert.deepEqual(value(parseStructured('', 'params.toml')), {});
  });

  it('refuses a top level that is not a mapping', () => {
    const r = parseStructured('- 1\n- 2\n', 'params.yaml');
    assert.ok(!r.ok);
    assert.match(r.message, /list/);
    assert.equal(parseStructured('0.5', 'metrics.json').ok, false);
  });

  it('gives the 1-based position of malformed YAML', () => {
    failsAt(parseStructured('train:\n  lr: 0.1\n  layers: [1, 2\nval: 3\n', 'params.yaml'), 4, 1);
    failsAt(parseStructured('a: 1\na: 2\n', 'params.yaml'), 2, 1);
    failsAt(parseStructured('a: "unterminated\n', 'params.yaml'), 2, 1);
  });

  it('gives the 1-based position of malformed JSON', () => {
    const r = parseStructured('{\n  "acc": 0.9,\n  "loss" 0.1\n}', 'metrics.json');
    failsAt(r, 3, 10);
    assert.equal(!r.ok && r.message, "Expecting ':' delimiter");
  });

  it('gives the 1-based position of malformed TOML', () => {
    failsAt(parseStructured('[train]\nlr = 0.1\nepochs = \n', 'params.toml'), 3, 10);
    failsAt(parseStructured('a = 1\na = 2\n', 'params.toml'), 2, 1);
  });
});
