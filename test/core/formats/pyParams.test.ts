import { strict as assert } from 'node:assert';
import { parsePyParams } from '../../../src/core/python/pyParams';
import type { DataMap, ParseResult } from '../../../src/core/data/types';

function value(r: ParseResult<DataMap>): DataMap {
  assert.ok(r.ok, r.ok ? '' : `${r.message} at ${r.line}:${r.column}`);
  return r.value;
}

// Checked against DVC's own _ast_tree_to_dict (dvc/utils/serialize/_py.py) under Python 3.11;
// the only difference is COMPLEX = 1 + 2j, which JSON cannot hold and we skip.
const PARAMS_PY = `"""Module docstring."""
import os
from dataclasses import dataclass

SEED = 42
LR = 1e-3
BIG = 1_000_000
HEX = 0x1F
NEG = -0.5
NAME = 'resnet' "50"
RAW = r'C:\\data\\n'
ESC = "tab\\there \\u00fc"
FLAG = True
NOTHING = None
LAYERS = [64, 128,
          256]  # trailing comment
SHAPE = (224, 224, 3)
PAIR = 1, 2
OPTIM = {
    'name': 'adam',
    'betas': (0.9, 0.999),
    1: 'one',
    2.5: 'two and a half',
}
DOC = """multi
line"""
EMPTY_SET = set()
TAGS = {'a', 'b'}
ANNOTATED: int = 7
BARE: int
PATH = os.path.join('a', 'b')
X = Y = 3
A, B = 1, 2
COUNT += 1
FSTR = f'{SEED}'
COMPLEX = 1 + 2j
x = 1; y = 2

if SEED > 0:
    HIDDEN = 1

def helper():
    INNER = 5

@dataclass
class Train:
    epochs: int = 10
    lr = 0.01
    batch = [32, 64]
    SKIP = helper()

    class Optimizer:
        name = 'sgd'

    def __init__(self):
        self.dropout = 0.2
        self.computed = compute()
        local = 3

    def other(self):
        self.hidden = 1

class Empty:
    pass

class Inline: a = 1; b = 'x'

def __init__(self):
    self.top_self = 'yes'
    plain = 1
`;

describe('parsePyParams', () => {
  it('reads module constants, classes and __init__ self params as DVC does', () => {
    const v = value(parsePyParams(PARAMS_PY));
    assert.deepEqual(v, {
      SEED: 42,
      LR: 0.001,
      BIG: 1000000,
      HEX: 31,
      NEG: -0.5,
      NAME: 'resnet50',
      RAW: 'C:\\data\\n',
      ESC: 'tab\there ü',
      FLAG: true,
      NOTHING: null,
      LAYERS: [64, 128, 256],
      SHAPE: [224, 224, 3],
      PAIR: [1, 2],
      OPTIM: { name: 'adam', betas: [0.9, 0.999], 1: 'one', '2.5': 'two and a half' },
      DOC: 'multi\nline',
      EMPTY_SET: [],
      TAGS: ['a', 'b'],
      ANNOTATED: 7,
      x: 1,
      y: 2,
      Train: { epochs: 10, lr: 0.01, batch: [32, 64], Optimizer: { name: 'sgd' }, dropout: 0.2 },
      Empty: {},
      Inline: { a: 1, b: 'x' },
      top_self: 'yes',
    });
    assert.deepEqual(Object.keys(v).slice(0, 3), ['SEED', 'LR', 'BIG']);
  });

  it('reads a class of hyperparameters', () => {
    const text =
      'class TrainConfig:\n    EPOCHS = 5\n    LAYERS = [\n        8,\n        16,\n    ]\n\n    class Data:\n        path = "data/x.csv"\n';
    assert.deepEqual(value(parsePyParams(text)), { TrainConfig: { EPOCHS: 5, LAYERS: [8, 16], Data: { path: 'data/x.csv' } } });
  });

  it('lets a later assignment win and keeps the first position', () => {
    const v = value(parsePyParams('a = 1\nb = 2\na = 3\n'));
    assert.deepEqual(v, { a: 3, b: 2 });
    assert.deepEqual(Object.keys(v), ['a', 'b']);
  });

  it('reads CRLF files, tabs and backslash continuations', () => {
    assert.deepEqual(value(parsePyParams('A = 1 + \\\r\n  0\r\nB = \\\r\n  "x"\r\nclass C:\r\n\tv = 1.5\r\n')), { B: 'x', C: { v: 1.5 } });
  });

  it('formats non-string dict keys as Python would print them', () => {
    assert.deepEqual(value(parsePyParams('D = {1.0: "a", 1e20: "b", False: "c", None: "d", -2: "e"}')), {
      D: { '1.0': 'a', '1e+20': 'b', False: 'c', None: 'd', '-2': 'e' },
    });
  });

  it('returns an empty mapping for a file without literal assignments', () => {
    assert.deepEqual(value(parsePyParams('import os\nprint(os.getcwd())\n')), {});
    assert.deepEqual(value(parsePyParams('')), {});
  });

  it('fails as unsupported when the file cannot be tokenized', () => {
    const unterminated = parsePyParams('A = 1\nB = "oops\nC = 2\n');
    assert.ok(!unterminated.ok);
    assert.deepEqual([unterminated.kind, unterminated.line, unterminated.column], ['unsupported', 2, 5]);
    const unclosed = parsePyParams('A = [1,\n  2\n');
    assert.ok(!unclosed.ok);
    assert.deepEqual([unclosed.kind, unclosed.line, unclosed.column], ['unsupported', 1, 5]);
    const unmatched = parsePyParams('A = 1)\n');
    assert.ok(!unmatched.ok);
    assert.deepEqual([unmatched.kind, unmatched.line, unmatched.column], ['unsupported', 1, 6]);
  });
});
