import { strict as assert } from 'node:assert';
import {
  keyPositions,
  positionFormat,
  spansInLines,
  type KeyPositions,
  type KeySpan,
  type PositionFormat,
  type TextPos,
} from '../../src/core/formats/keyPositions';
import { parseStructured } from '../../src/core/formats/structured';
import { flattenParams } from '../../src/core/data/flatten';

/** The text between two positions (0-based lines/columns). */
function slice(text: string, from: TextPos, to: TextPos): string {
  const lines = text.split('\n');
  const offset = (p: TextPos) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return text.slice(offset(from), offset(to));
}

function span(result: KeyPositions, key: string): KeySpan {
  const s = result.spans.find((x) => x.key === key);
  assert.ok(s, `no span for ${key}; keys: ${result.spans.map((x) => x.key).join(', ')}`);
  return s;
}

/** key -> [line, the key as written, the value as written]. */
function table(text: string, format: PositionFormat): Record<string, [number, string, string]> {
  const out: Record<string, [number, string, string]> = {};
  for (const s of keyPositions(text, format).spans)
    out[s.key] = [s.keyStart.line, slice(text, s.keyStart, s.keyEnd), slice(text, s.valueStart, s.valueEnd)];
  return out;
}

/** The keys the real parser flattens (params semantics: every leaf) equal the keys with a span. */
function sameKeysAsParser(text: string, fileName: string): void {
  const parsed = parseStructured(text, fileName);
  assert.ok(parsed.ok, `fixture does not parse: ${JSON.stringify(parsed)}`);
  const expected = Object.keys(flattenParams(parsed.value)).sort();
  const result = keyPositions(text, positionFormat(fileName)!);
  assert.equal(result.stoppedAt, undefined, `stopped at ${JSON.stringify(result.stoppedAt)}`);
  assert.deepEqual(result.spans.map((s) => s.key).sort(), expected);
}

describe('keyPositions: JSON', () => {
  const text = [
    '{',
    '  "accuracy": 0.9016,',
    '  "nested": {"f1": 0.88, "deep": {"x": -1e-3}},',
    '  "list": [1, [2, 3], {"a": "]"}],',
    '  "esc\\"aped\\u00e9": "va\\"l}ue",',
    '  "nan": NaN, "inf": -Infinity,',
    '  "empty": {},',
    '  "flag": true',
    '}',
  ].join('\n');

  it('maps nested keys to their lines, key text and value text', () => {
    assert.deepEqual(table(text, 'json'), {
      accuracy: [1, '"accuracy"', '0.9016'],
      'nested.f1': [2, '"f1"', '0.88'],
      'nested.deep.x': [2, '"x"', '-1e-3'],
      list: [3, '"list"', '[1, [2, 3], {"a": "]"}]'],
      'esc"aped\u00e9': [4, '"esc\\"aped\\u00e9"', '"va\\"l}ue"'],
      nan: [5, '"nan"', 'NaN'],
      inf: [5, '"inf"', '-Infinity'],
      flag: [7, '"flag"', 'true'],
    });
  });

  it('has the same keys as the parser (arrays are leaves, empty objects vanish)', () => {
    sameKeysAsParser(text, 'metrics.json');
  });

  it('gives exact 0-based columns', () => {
    const s = span(keyPositions(text, 'json'), 'accuracy');
    assert.deepEqual(
      [s.keyStart, s.keyEnd, s.valueStart, s.valueEnd],
      [
        { line: 1, character: 2 },
        { line: 1, character: 12 },
        { line: 1, character: 14 },
        { line: 1, character: 20 },
      ],
    );
  });

  it('a repeated key keeps its last occurrence, like json.loads', () => {
    const r = keyPositions('{"a": 1,\n "b": 2,\n "a": 3}', 'json');
    assert.deepEqual(
      r.spans.map((s) => [s.key, s.keyStart.line]),
      [
        ['b', 1],
        ['a', 2],
      ],
    );
  });

  it('reads a DVCLive metrics.json', () => {
    const dvclive = '{\n    "train": {\n        "loss": 0.1014,\n        "acc": 0.9416\n    },\n    "step": 35\n}\n';
    assert.deepEqual(table(dvclive, 'json'), {
      'train.loss': [2, '"loss"', '0.1014'],
      'train.acc': [3, '"acc"', '0.9416'],
      step: [5, '"step"', '35'],
    });
    sameKeysAsParser(dvclive, 'dvclive/metrics.json');
  });

  it('handles CRLF line ends', () => {
    const r = table('{\r\n  "a": 1,\r\n  "b": "x"\r\n}\r\n', 'json');
    assert.deepEqual(r, { a: [1, '"a"', '1'], b: [2, '"b"', '"x"'] });
  });

  it('a document cut short: the keys before the cut, and where it stopped; never throws', () => {
    const r = keyPositions('{\n  "a": 1,\n  "b": {"c": 2,\n  "d"', 'json');
    assert.deepEqual(
      r.spans.map((s) => s.key),
      ['a', 'b.c'],
    );
    assert.deepEqual(r.stoppedAt, { line: 3, character: 5 });
    for (const bad of [
      '',
      '{',
      '[1, 2]',
      '"str"',
      '{"a" 1}',
      '{"a": }',
      '{"a": 1 "b": 2}',
      '{"\\x": 1}',
      '}}}',
      '{"a": [1, 2',
      '{"a": "unterminated',
    ]) {
      assert.doesNotThrow(() => keyPositions(bad, 'json'), bad);
    }
    assert.deepEqual(
      keyPositions('{"a": 1 "b": 2}', 'json').spans.map((s) => s.key),
      ['a'],
    );
  });
});

describe('keyPositions: YAML', () => {
  const block = [
    '# params',
    'prepare:',
    '  split: 0.2   # a comment',
    '  seed: 42',
    'train:',
    '  lr: 0.001',
    '  model: &m',
    '    layers: 5',
    "    \"quoted key\": 'it''s'",
    '  layers_list:',
    '    - 64',
    '    - 32',
    '  same_indent:',
    '  - a',
    '  - b: 1',
    '  empty:',
    '  text: |',
    '    line one',
    '    # not a comment',
    '  flow: {a: 1, b: [x, y], c: {d: "e, f"}}',
    '  seq: [1, 2]',
    '  alias: *m',
    '  tagged: !!float 3',
    'top: plain value with spaces',
    '1.0: number key',
    '',
  ].join('\n');

  it('maps block mappings, lists, block scalars, flow collections, anchors and tags', () => {
    assert.deepEqual(table(block, 'yaml'), {
      'prepare.split': [2, 'split', '0.2'],
      'prepare.seed': [3, 'seed', '42'],
      'train.lr': [5, 'lr', '0.001'],
      'train.model.layers': [7, 'layers', '5'],
      'train.model.quoted key': [8, '"quoted key"', "'it''s'"],
      'train.layers_list': [9, 'layers_list', '- 64\n    - 32'],
      'train.same_indent': [12, 'same_indent', '- a\n  - b: 1'],
      'train.empty': [15, 'empty', ''],
      'train.text': [16, 'text', '|\n    line one\n    # not a comment'],
      'train.flow.a': [19, 'a', '1'],
      'train.flow.b': [19, 'b', '[x, y]'],
      'train.flow.c.d': [19, 'd', '"e, f"'],
      'train.seq': [20, 'seq', '[1, 2]'],
      'train.alias.layers': [21, 'alias', '*m'],
      'train.alias.quoted key': [21, 'alias', '*m'],
      'train.tagged': [22, 'tagged', '3'],
      top: [23, 'top', 'plain value with spaces'],
      '1': [24, '1.0', 'number key'],
    });
  });

  it('has the same keys as the parser (the full `yaml` parser for this one)', () => {
    sameKeysAsParser(block, 'params.yaml');
  });

  it('reads the demo params.yaml and a nested metrics file like eval/scores.yaml', () => {
    const params =
      'prepare:\n  split: 0.2\n  seed: 42\nfeaturize:\n  max_features: 1000\n  ngrams: 2\ntrain:\n  lr: 0.001\n  epochs: 36\n  batch_size: 16\n  model:\n    layers: 5\n    dropout: 0.05\n';
    sameKeysAsParser(params, 'params.yaml');
    assert.deepEqual(table(params, 'yaml')['train.model.dropout'], [12, 'dropout', '0.05']);
    const scores = 'models:\n  large:\n    accuracy: 0.9016\n    roc_auc: 0.9504\n  small:\n    accuracy: 0.8677\n';
    assert.deepEqual(table(scores, 'yaml')['models.small.accuracy'], [5, 'accuracy', '0.8677']);
  });

  it('a flow-style document, a document marker and a multi-line flow mapping', () => {
    assert.deepEqual(table('{a: 1,\n b: {c: 2}}\n', 'yaml'), { a: [0, 'a', '1'], 'b.c': [1, 'c', '2'] });
    assert.deepEqual(table('---\na: 1\n', 'yaml'), { a: [1, 'a', '1'] });
    assert.deepEqual(table('a:\n  {b: 1,\n   c: 2}\nd: 3\n', 'yaml'), { 'a.b': [1, 'b', '1'], 'a.c': [2, 'c', '2'], d: [3, 'd', '3'] });
    sameKeysAsParser('a:\n  {b: 1,\n   c: 2}\nd: 3\n', 'x.yaml');
  });

  it('multi-line quoted and plain scalars span their lines; the next key is found', () => {
    const text = 'a: "one\n  two"\nb: plain\n  continued\nc: 3\n';
    assert.deepEqual(table(text, 'yaml'), { a: [0, 'a', '"one\n  two"'], b: [2, 'b', 'plain\n  continued'], c: [4, 'c', '3'] });
    sameKeysAsParser(text, 'x.yml');
  });

  it('merged keys point at the merge line; keys the mapping sets itself keep their own line', () => {
    const text = 'base: &b\n  x: 1\n  y: 1\nderived:\n  y: 2\n  <<: *b\n';
    assert.deepEqual(table(text, 'yaml'), {
      'base.x': [1, 'x', '1'],
      'base.y': [2, 'y', '1'],
      'derived.y': [4, 'y', '2'],
      'derived.x': [5, '<<', '*b'],
    });
    sameKeysAsParser(text, 'params.yaml');
  });

  it('broken documents: keys up to the error, where it stopped, no exception', () => {
    const r = keyPositions('a: 1\nb:\n  c: 2\n  this is not a key\nd: 4\n', 'yaml');
    assert.deepEqual(
      r.spans.map((s) => s.key),
      ['a', 'b.c'],
    );
    assert.deepEqual(r.stoppedAt, { line: 3, character: 2 });
    for (const bad of [
      'a: [1, 2',
      'a: "open',
      '\ta: 1',
      'a: 1\n---\nb: 2',
      '- 1\n- 2',
      '? complex\n: x',
      'a: {b: 1',
      ':',
      'a:\n  - x\n  y: 1',
    ]) {
      assert.doesNotThrow(() => keyPositions(bad, 'yaml'), JSON.stringify(bad));
    }
  });
});

describe('keyPositions: TOML', () => {
  const text = [
    'title = "run" # comment',
    '[train]',
    'lr = 0.001',
    'model.layers = 5',
    '"quoted.key" = true',
    'opt = { name = "adam", betas = [0.9, 0.999], inner = { eps = 1e-8 } }',
    'sizes = [',
    '  64, # first',
    '  32,',
    ']',
    'notes = """',
    'multi "line"',
    '"""',
    'when = 1979-05-27 07:32:00Z',
    '[data.paths]',
    "raw = 'data/raw.csv'",
    '[[runs]]',
    'name = "a"',
    '[[runs]]',
    'name = "b"',
    '[after]',
    'x = -inf',
  ].join('\n');

  it('maps tables, dotted and quoted keys, inline tables, multi-line arrays and strings', () => {
    assert.deepEqual(table(text, 'toml'), {
      title: [0, 'title', '"run"'],
      'train.lr': [2, 'lr', '0.001'],
      'train.model.layers': [3, 'model.layers', '5'],
      'train.quoted.key': [4, '"quoted.key"', 'true'],
      'train.opt.name': [5, 'name', '"adam"'],
      'train.opt.betas': [5, 'betas', '[0.9, 0.999]'],
      'train.opt.inner.eps': [5, 'eps', '1e-8'],
      'train.sizes': [6, 'sizes', '[\n  64, # first\n  32,\n]'],
      'train.notes': [10, 'notes', '"""\nmulti "line"\n"""'],
      'train.when': [13, 'when', '1979-05-27 07:32:00Z'],
      'data.paths.raw': [15, 'raw', "'data/raw.csv'"],
      runs: [16, '[[runs]]', '[[runs]]'],
      'after.x': [21, 'x', '-inf'],
    });
  });

  it('has the same keys as the parser (arrays of tables are one list)', () => {
    sameKeysAsParser(text, 'params.toml');
  });

  it('broken documents: keys up to the error, no exception', () => {
    const r = keyPositions('a = 1\n[t]\nb = 2\nc 3\nd = 4\n', 'toml');
    assert.deepEqual(
      r.spans.map((s) => s.key),
      ['a', 't.b'],
    );
    assert.deepEqual(r.stoppedAt, { line: 3, character: 2 });
    for (const bad of ['a = [1, 2', 'a = """open', '[t', 'a = { b = 1', '= 1', "a = 'x", 'a = 1 2']) {
      assert.doesNotThrow(() => keyPositions(bad, 'toml'), JSON.stringify(bad));
    }
  });
});

describe('keyPositions: choosing a reader and looking up lines', () => {
  it('follows DVC: .json, .toml, Python has none, everything else is YAML', () => {
    assert.deepEqual(['m.json', 'P.TOML', 'params.py', 'params.yaml', 'scores.yml', 'metrics'].map(positionFormat), [
      'json',
      'toml',
      undefined,
      'yaml',
      'yaml',
      'yaml',
    ]);
  });

  it('spansInLines finds the spans of a line range by binary search', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `k${i}: ${i}`).join('\n');
    const r = keyPositions(text, 'yaml');
    assert.equal(r.spans.length, 1000);
    assert.deepEqual(
      spansInLines(r.spans, 500, 502).map((s) => s.key),
      ['k500', 'k501', 'k502'],
    );
    assert.deepEqual(spansInLines(r.spans, 2000, 3000), []);
  });

  it('a 5 MB YAML params file is read in one linear pass', () => {
    const parts: string[] = [];
    let size = 0;
    for (let i = 0; size < 5 * 1024 * 1024; i++) {
      const group = `group${i}:\n  lr: 0.00${i % 10}\n  name: "x${i}"\n  layers: [1, 2, 3]\n  nested:\n    a: ${i}\n    b: true\n`;
      parts.push(group);
      size += group.length;
    }
    const text = parts.join('');
    const started = Date.now();
    const r = keyPositions(text, 'yaml');
    const ms = Date.now() - started;
    assert.equal(r.spans.length, parts.length * 5);
    assert.equal(r.stoppedAt, undefined);
    assert.ok(ms < 20000, `${ms} ms (a sanity bound on a shared machine; about 1 s when idle)`);
  });
});
