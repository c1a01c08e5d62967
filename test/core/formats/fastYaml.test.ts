import { strict as assert } from 'node:assert';
import { parse } from 'yaml';
import { fastToJS, fastYaml } from '../../../src/core/formats/fastYaml';

// Tokens chosen to stress the YAML 1.2 core schema: numbers in every form, booleans and nulls
// in every case, things that look like numbers but are strings, URLs, quotes, comments.
const SCALARS = [
  '0',
  '-1',
  '+5',
  '007',
  '1_000',
  '0o17',
  '0x1F',
  '0x',
  '1.5',
  '-.5',
  '5.',
  '1e3',
  '1E-3',
  '2.5e+2',
  '.inf',
  '-.Inf',
  '.nan',
  '.NaN',
  'true',
  'True',
  'TRUE',
  'yes',
  'no',
  'on',
  'null',
  'Null',
  '~',
  'abc',
  'a b c',
  'http://x.y/z?q=1',
  'a#b',
  "'quoted'",
  "'it''s'",
  '"double"',
  '"with: colon"',
  'v1.2.3',
  '1.2.3',
  '12e',
  '-',
  '"esc\\n"',
  '2001-12-14',
  ':x',
  'a: b',
  '[1, 2, 3]',
  '[]',
  '{}',
  '[a, b]',
  '[1, [2]]',
  '&a x',
  '*a',
  '!!str 1',
  '|',
  '>',
  'x # comment',
  "'a' # c",
  '0.1 #c',
  'nan',
  'Infinity',
  '-0',
  '1.0',
  '99999999999999999999',
  'é',
  '"ü"',
];
const KEYS = [
  'a',
  'b_c',
  'train',
  'lr',
  'model.layers',
  'key with space',
  "'quoted key'",
  '"dq"',
  '1',
  'true',
  'null',
  'x-y',
  'über',
  '__proto__',
  '-k',
];

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function genBlock(r: () => number, indent: number, depth: number, lines: string[], seqStyleSame = false): void {
  const pad = ' '.repeat(indent);
  if (depth > 0 && r() < 0.3) {
    const n = 1 + Math.floor(r() * 3);
    for (let i = 0; i < n; i++) {
      if (r() < 0.4 && depth < 3) {
        const keys = new Set<string>();
        const m = 1 + Math.floor(r() * 3);
        for (let j = 0; j < m; j++) keys.add(KEYS[Math.floor(r() * KEYS.length)]);
        let first = true;
        for (const k of keys) {
          lines.push(`${first ? pad + '- ' : pad + '  '}${k}: ${SCALARS[Math.floor(r() * SCALARS.length)]}`);
          first = false;
        }
      } else lines.push(`${pad}- ${SCALARS[Math.floor(r() * SCALARS.length)]}`);
    }
    return;
  }
  const keys = new Set<string>();
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) keys.add(KEYS[Math.floor(r() * KEYS.length)]);
  for (const k of keys) {
    if (r() < 0.1) lines.push(`${pad}# a comment`);
    if (depth < 3 && r() < 0.35) {
      lines.push(`${pad}${k}:`);
      const same = r() < 0.5;
      genBlock(r, same && r() < 0.5 ? indent : indent + 2, depth + 1, lines, same);
    } else {
      lines.push(`${pad}${k}: ${SCALARS[Math.floor(r() * SCALARS.length)]}`);
    }
  }
  void seqStyleSame;
}

describe('fastYaml: differential test against the yaml package', () => {
  it('gives exactly what yaml.parse gives whenever it takes the fast path', () => {
    const r = rng(12345);
    let fastCount = 0;
    for (let i = 0; i < 3000; i++) {
      const lines: string[] = [];
      genBlock(r, 0, 0, lines);
      const text = lines.join(r() < 0.2 ? '\r\n' : '\n') + (r() < 0.5 ? '\n' : '');
      let expected: unknown;
      try {
        expected = parse(text, { uniqueKeys: true, merge: true });
      } catch {
        expected = Symbol('error');
      }
      const fast = fastYaml(text);
      if (fast === undefined) continue;
      fastCount++;
      assert.notEqual(typeof expected, 'symbol', `fast path accepted what yaml rejects:\n${text}`);
      assert.deepEqual(fastToJS(fast), expected, text);
    }
    assert.ok(fastCount > 500, `the fast path should engage on plain documents (took it ${fastCount} times)`);
  });

  it('takes the fast path on a params file and a dvc.lock as DVC writes them', () => {
    const params = 'prepare:\n  split: 0.2\n  seed: 20170428\ntrain:\n  lr: 0.001 # learning rate\n  layers: [64, 32]\n  name: "run-1"\n';
    const lock =
      "schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    deps:\n    - path: data\n      hash: md5\n      md5: 0123456789abcdef0123456789abcdef.dir\n      size: 10\n      nfiles: 2\n    params:\n      params.yaml:\n        train.lr: 0.001\n    outs:\n    - path: model.pkl\n      md5: 12345678901234567890123456789012\n";
    for (const text of [params, lock]) {
      const fast = fastYaml(text);
      assert.ok(fast, text);
      assert.deepEqual(fastToJS(fast), parse(text));
    }
  });

  it('leaves anchors, block scalars, multi-line scalars, merge keys and duplicates to the full parser', () => {
    for (const text of [
      'a: &x 1\nb: *x\n',
      'a: |\n  text\n',
      'a: one\n  two\n',
      'a: {b: 1}\n',
      '<<: {a: 1}\n',
      'a: 1\na: 2\n',
      'a:\n\t- 1\n',
      '--- a\n',
      'a: "x\\ty"\n',
    ]) {
      assert.equal(fastYaml(text), undefined, text);
    }
  });
});
