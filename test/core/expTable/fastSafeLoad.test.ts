// The fast YAML loader `exps show` reads params files with gives loadYamlSafe's values
// exactly (types included: 1.0 stays a float, 0x10 an int, yes a str), or declines.

import { strict as assert } from 'node:assert';
import { fastSafeLoad } from '../../../src/core/yamlRoundTrip/fastSafeLoad';
import { loadYamlSafe } from '../../../src/core/yamlRoundTrip/yamlLoad';
import { pyRepr } from '../../../src/core/python/pyStr';

const SCALARS = [
  '0.1',
  '1.0',
  '1',
  '-1',
  '+1',
  '1e3',
  '1.5e-07',
  '1E3',
  '.5',
  '5.',
  '0x10',
  '0o17',
  '017',
  '1_000',
  '1_000.5',
  '123456789012345678901234567890',
  '.inf',
  '-.Inf',
  '.nan',
  '.NaN',
  'nan',
  'inf',
  'true',
  'True',
  'TRUE',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  '~',
  'null',
  'Null',
  'NULL',
  '',
  "'quoted'",
  '"dq"',
  "'it''s'",
  "'1.0'",
  '"true"',
  'plain text',
  'http://x.y/z',
  'a:b',
  '2025-01-01',
  '2025-01-01 12:00:00',
  '=',
  '<<',
  '- a',
  '[1, 2.5, x]',
  '[]',
  '{}',
  '0',
  '-0',
  '0.0',
  '-0.0',
  '00',
  '1__0',
  '0b101',
  '0x',
  '1e',
  '1.2.3',
  'é',
  '"<b>html</b>"',
  '12:30:00',
  '1:30',
  '190:20:30',
];

describe('fast safe YAML load', () => {
  it('gives what loadYamlSafe gives, or declines', () => {
    let taken = 0;
    const docs: string[] = [];
    for (const v of SCALARS) {
      docs.push(`key: ${v}\n`, `a:\n  b: ${v}\n  c: [${v}]\nd:\n- ${v}\n`, `${v}: 1\n`, `"${v}": 1\n`, `x: 1 # c\ny: ${v}  # comment\n`);
    }
    docs.push(
      '',
      '# only\n',
      '[1, 2]\n',
      'a: 1\na: 2\n',
      'a: &x 1\nb: *x\n',
      'a: |\n  text\n',
      'a:\n\tb: 1\n',
      'a: 1\r\nb: 2.0\r\n',
      'a: "x\\ny"\n',
      'train:\n  lr: 0.001\n  "dotted.key": 1.0\n  layers: [64, 32]\n  nested: {a: 1, b: [1, 2.5, x]}\n  ünï: "<b>bold</b>"\n  none: null\n',
    );
    for (const doc of docs) {
      const fast = fastSafeLoad(doc);
      if (fast === undefined) continue;
      taken++;
      const full = loadYamlSafe(doc);
      assert.ok(full.ok, `the fast loader took a document the full one refuses: ${JSON.stringify(doc)}`);
      assert.equal(pyRepr(fast), pyRepr(full.value), JSON.stringify(doc));
    }
    assert.ok(taken > docs.length / 2, `the fast path takes most plain documents (${taken} of ${docs.length})`);
  });
});
