// Params and metrics keep Python's exact numbers end to end: ints past 2^53 (YAML, JSON, TOML
// ints of any size, as ruamel, json and tomlkit read them) are bigints from the parsers
// through the store to `params diff`, and floats print as Python's repr.

import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStructured, parseTomlValue, parseYamlValue } from '../../../src/core/formats/structured';
import { parseJsonPython } from '../../../src/core/python/jsonPython';
import { parseDvcLock } from '../../../src/core/formats/dvcLock';
import { fastToJS, fastYaml } from '../../../src/core/formats/fastYaml';
import { flattenParams } from '../../../src/core/data/flatten';
import type { DataMap, ParseResult } from '../../../src/core/data/types';
import { decodePayload, decodeValue, encodePayload, encodeValue, stringifyJson } from '../../../src/core/util/values';
import { diffValues, printedDiff, pythonEquals } from '../../../src/core/diff/diff';
import { formatDiffValue, formatValue } from '../../../src/core/diff/format';
import { diffToMarkdown } from '../../../src/core/diff/markdown';
import { verdictOf } from '../../../src/core/diff/direction';
import { buildDiffTable } from '../../../src/core/query/diffTable';
import type { ValuesAtRevision } from '../../../src/core/query/values';
import { PyFloat } from '../../../src/core/python/pyFloat';
import { Store } from '../../../src/core/store/store';
import { SCHEMA_VERSION } from '../../../src/core/store/schema';

const BIG = 9007199254740993n; // 2^53 + 1: the nearest double is 2^53

function value<T>(r: ParseResult<T>): T {
  assert.ok(r.ok, r.ok ? '' : `${r.message} at ${r.line}:${r.column}`);
  return r.value;
}

describe('exact ints in params and metrics files', () => {
  it('YAML (fast path and full parser), JSON and TOML give bigints past 2^53 with exact, the nearest number without', () => {
    const yamlFast =
      'seed: 9007199254740993\nneg: -9007199254740993\nhex: 0x20000000000001\noct: 0o400000000000000001\nsafe: 9007199254740991\nf: 1e16\n';
    assert.ok(fastYaml(yamlFast), 'plain block YAML takes the fast path');
    const yamlFull = `${yamlFast}anchored: &a 18446744073709551616\nagain: *a\n`;
    assert.equal(fastYaml(yamlFull), undefined, 'anchors take the full parser');
    for (const text of [yamlFast, yamlFull]) {
      const exact = value(parseYamlValue(text, { exact: true })) as DataMap;
      assert.equal(exact.seed, BIG);
      assert.equal(exact.neg, -BIG);
      assert.equal(exact.hex, BIG);
      assert.equal(exact.oct, BIG);
      assert.equal(exact.safe, 9007199254740991, 'ints that fit stay numbers');
      assert.equal(exact.f, 1e16, 'floats stay numbers');
      if (text === yamlFull) assert.deepEqual([exact.anchored, exact.again], [2n ** 64n, 2n ** 64n]);
      assert.equal((value(parseYamlValue(text)) as DataMap).seed, 9007199254740992, 'without exact: the nearest double, as before');
    }
    const json =
      '{"seed": 9007199254740993, "neg": -9223372036854775809, "f": 9007199254740993.0, "e": 1e400, "list": [1, 100000000000000000000000000000]}';
    const j = value(parseJsonPython(json, { bigInts: true })) as DataMap;
    assert.deepEqual(j, { seed: BIG, neg: -(2n ** 63n) - 1n, f: 9007199254740992, e: Infinity, list: [1, 10n ** 29n] });
    assert.equal((value(parseJsonPython(json)) as DataMap).seed, 9007199254740992);
    // tomlkit reads ints of any size (tomlkit/parser.py _parse_number: int(sign + clean, base)).
    const toml =
      'big = 9223372036854775808\nhuge = 100000000000000000000000000000\nneg = -9223372036854775809\nhex = 0xFFFFFFFFFFFFFFFFFF\nund = 1_000_000_000_000_000_000_000\ni = 3\nf = 1e300\n';
    assert.deepEqual(value(parseTomlValue(toml, { exact: true })), {
      big: 2n ** 63n,
      huge: 10n ** 29n,
      neg: -(2n ** 63n) - 1n,
      hex: 2n ** 72n - 1n,
      und: 10n ** 21n,
      i: 3,
      f: 1e300,
    });
    assert.equal((value(parseTomlValue(toml)) as DataMap).huge, 1e29);
    assert.deepEqual(flattenParams(value(parseStructured('a:\n  b: 9007199254740993\n', 'params.yaml', { exact: true }))), { 'a.b': BIG });
    // .py params (ast.literal_eval): ints of any size too.
    const py = 'SEED = 9007199254740993\nNEG = -0x20000000000001\nF = 1e16\nL = [1, 100000000000000000000000000000]\n';
    assert.deepEqual(value(parseStructured(py, 'params.py', { exact: true })), { SEED: BIG, NEG: -BIG, F: 1e16, L: [1, 10n ** 29n] });
    assert.deepEqual(value(parseStructured(py, 'params.py')), { SEED: 9007199254740992, NEG: -9007199254740992, F: 1e16, L: [1, 1e29] });
  });

  it('the fast YAML path gives what the full parser gives with intAsBigInt', () => {
    for (const token of [
      '9007199254740993',
      '-9007199254740993',
      '+9007199254740993',
      '99999999999999999999',
      '0x1FFFFFFFFFFFFFFFFF',
      '0o7777777777777777777',
      '1e20',
      '12',
      '-0',
      '9007199254740992.5',
    ]) {
      const text = `k: ${token}\n`;
      const fast = fastYaml(text);
      assert.ok(fast, token);
      const viaFull = value(parseYamlValue(`k: &x ${token}\n`, { exact: true })) as DataMap; // an anchor forces the full parser
      const viaFast = value(parseYamlValue(text, { exact: true })) as DataMap;
      assert.ok(
        Object.is(viaFast.k, viaFull.k) || (viaFast.k === 0 && viaFull.k === 0),
        `${token}: fast ${String(viaFast.k)} full ${String(viaFull.k)}`,
      );
      assert.equal(typeof (fastToJS(fast) as DataMap).k === 'bigint', false, 'fastToJS without exact never gives a bigint');
    }
  });

  it('dvc.lock params read back exactly (both YAML paths); all-digit md5s keep their text', () => {
    const lock = `schema: '2.0'\nstages:\n  train:\n    cmd: python train.py\n    deps:\n    - path: data\n      md5: 01234567890123456789012345678901\n      size: 3\n    params:\n      params.yaml:\n        seed: 9007199254740993\n        e16: 1e+16\n        one: 1.0\n      params.toml:\n        big: 9223372036854775808\n`;
    for (const text of [lock, lock.replace('cmd: python train.py', 'cmd: &c python train.py')]) {
      const parsed = value(parseDvcLock(text));
      assert.deepEqual(parsed.stages.train.params, { 'params.yaml': { seed: BIG, e16: 1e16, one: 1 }, 'params.toml': { big: 2n ** 63n } });
      assert.equal(parsed.stages.train.deps[0].md5, '01234567890123456789012345678901');
      assert.equal(parsed.stages.train.deps[0].size, 3);
    }
    const bad = parseDvcLock('schema: 99999999999999999999\n');
    assert.ok(!bad.ok && /schema version 99999999999999999999/.test(bad.message), bad.ok ? '' : bad.message);
  });
});

describe('exact numbers in the store', () => {
  it('stores big ints as their digits and integral floats past 2^53 in float form', () => {
    assert.equal(encodeValue(BIG), '9007199254740993');
    assert.equal(encodeValue(-(10n ** 29n)), '-100000000000000000000000000000');
    assert.equal(encodeValue(1e16), '1e+16', 'digits always mean an int');
    assert.equal(encodeValue(1e-7), '1e-07');
    assert.equal(encodeValue(NaN), 'NaN');
    assert.equal(encodeValue([1, BIG, NaN]), '[1,9007199254740993,null]');
    assert.equal(decodeValue('9007199254740993', { exact: true }), BIG);
    assert.equal(decodeValue('9007199254740993'), 9007199254740992, 'a reader that does not ask gets a number, as before');
    assert.equal(decodeValue('1e+16', { exact: true }), 1e16);
    assert.equal(decodeValue('0.12345678901234567', { exact: true }), 0.12345678901234567);
    assert.deepEqual(decodeValue('[1,9007199254740993]', { exact: true }), [1, BIG]);
    assert.ok(Number.isNaN(decodeValue('NaN', { exact: true }) as number));
    const payload = { seed: BIG, f: 1e16, n: NaN, l: [10n ** 29n, -Infinity], s: '9007199254740993', nested: { x: 0.1 } };
    const text = encodePayload(payload);
    assert.equal(
      text,
      '{"seed":9007199254740993,"f":1e+16,"n":{"$nonFinite":"NaN"},"l":[100000000000000000000000000000,{"$nonFinite":"-Infinity"}],"s":"9007199254740993","nested":{"x":0.1}}',
    );
    assert.deepEqual(decodePayload(text, { exact: true }), payload);
    assert.equal((decodePayload(text) as { seed: number }).seed, 9007199254740992);
    assert.equal(encodePayload({ a: 1, b: [0.5] }), '{"a":1,"b":[0.5]}', 'the common case is plain JSON.stringify');
    assert.equal(
      encodePayload({ a: 1e-7, b: 1e16, c: NaN }),
      '{"a":1e-7,"b":1e+16,"c":{"$nonFinite":"NaN"}}',
      'other floats as JSON.stringify writes them',
    );
  });

  it('stringifyJson writes Python json.dumps numbers, honours toJSON and skips undefined like JSON.stringify', () => {
    const v = {
      i: 3,
      b: BIG,
      f: 0.1,
      t: 1e-7,
      e: 1e16,
      p: new PyFloat(1),
      n: NaN,
      inf: Infinity,
      u: undefined,
      d: new Date(0),
      l: [undefined, -0],
    };
    assert.equal(
      stringifyJson(v, { nonFinite: 'null', numbers: 'python' }),
      '{"i":3,"b":9007199254740993,"f":0.1,"t":1e-07,"e":1e+16,"p":1.0,"n":null,"inf":null,"d":"1970-01-01T00:00:00.000Z","l":[null,0]}',
    );
    assert.equal(stringifyJson(v, { nonFinite: 'python', numbers: 'python' }).includes('"n":NaN,"inf":Infinity'), true);
    assert.equal(
      stringifyJson({ a: [1, { b: 2n }], c: {} }, { nonFinite: 'null', indent: 2 }),
      JSON.stringify({ a: [1, { b: 2 }], c: {} }, null, 2),
    );
  });

  it('migration 6 re-parses blobs that hold a rounded big int, and only then walks history again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lineage-exact-'));
    try {
      const setup = (file: string, num: number, lockPayload: string) => {
        const store = Store.open(join(dir, file));
        store.db.exec(`
          INSERT INTO revision (id, sha, parents) VALUES (1, 'a', '[]');
          INSERT INTO ref (name, short, kind, sha) VALUES ('refs/heads/main', 'main', 'branch', 'a');
          INSERT INTO blob (id, oid, role, status, payload) VALUES (1, 'p', 'data.yaml', 'ok', '{"seed":${num}}'), (2, 'l', 'lock', 'ok', '${lockPayload}'), (3, 'q', 'data.yaml', 'ok', '{"x":1}');
          INSERT INTO blob_value (blob_id, key, value, num) VALUES (1, 'seed', '${num}', ${num}), (3, 'x', '1', 1);
          INSERT INTO revision_file (rev_id, path, role, project, blob_id, source, status) VALUES (1, 'params.yaml', 'params', '', 1, 'git', 'ok');
          PRAGMA user_version = 5;`);
        store.close();
        return Store.open(join(dir, file));
      };
      const count = (s: Store, table: string) => (s.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
      const stale = setup('stale.sqlite', 9007199254740992, '{"stages":{}}');
      assert.equal((stale.db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version, SCHEMA_VERSION);
      assert.deepEqual([count(stale, 'revision'), count(stale, 'ref'), count(stale, 'revision_file')], [0, 0, 0]);
      assert.deepEqual(
        (stale.db.prepare('SELECT id FROM blob ORDER BY id').all() as { id: number }[]).map((r) => r.id),
        [2, 3],
        'only the rounded blob goes',
      );
      stale.close();
      const staleLock = setup('lock.sqlite', 3, '{"stages":{"s":{"params":{"params.yaml":{"seed":1e+29}}}}}');
      assert.deepEqual(
        (staleLock.db.prepare('SELECT id FROM blob ORDER BY id').all() as { id: number }[]).map((r) => r.id),
        [1, 3],
      );
      assert.equal(count(staleLock, 'revision'), 0);
      staleLock.close();
      const fine = setup('fine.sqlite', 3, '{"stages":{"s":{"outs":[{"md5":"12345678901234567890123456789012","size":3}]}}}');
      // Nothing rounded: migration 6 keeps every blob. (Migration 7, run after it, walks every
      // index's history again for the files' order and the vars rows, so no revision is left.)
      assert.deepEqual(
        [count(fine, 'revision'), count(fine, 'ref'), count(fine, 'revision_file'), count(fine, 'blob')],
        [0, 0, 0, 3],
        'nothing rounded: no blob parsed again',
      );
      fine.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('params/metrics diff with exact numbers', () => {
  it('compares and subtracts big ints exactly, as Python ints', () => {
    const result = diffValues(
      { 'params.yaml': { seed: BIG, same: 2n ** 63n, f: 1e16, b: true } },
      { 'params.yaml': { seed: BIG - 1n, same: 2n ** 63n, f: 1e17, b: BIG } },
    );
    assert.deepEqual(result, {
      'params.yaml': {
        seed: { old: BIG, new: BIG - 1n, diff: -1 },
        f: { old: 1e16, new: 1e17, diff: 9e16 },
        b: { old: true, new: BIG, diff: BIG - 1n },
      },
    });
    const wide = diffValues({ f: { a: -9007199254740991 } }, { f: { a: 9007199254740991 } });
    assert.equal(wide.f.a.diff, 18014398509481982n, 'two safe ints whose difference is not: exact');
    // int - float rounds the int to a double first, as Python does.
    assert.equal(diffValues({ f: { a: BIG } }, { f: { a: 0.5 } }).f.a.diff, 0.5 - 9007199254740992);
    assert.ok(pythonEquals(2n ** 60n, 2 ** 60), '2**60 == 2.0**60');
    assert.ok(!pythonEquals(BIG, 9007199254740992), '2**53 + 1 != 2.0**53');
    assert.ok(pythonEquals(1, true) && pythonEquals([BIG], [BIG]) && !pythonEquals(NaN, NaN));
    // Python's float - float is a float: 0.001 - 0.001 prints 0.0 (as DVC's --json does), 3 - 3 prints 0.
    const zero = diffValues({ f: { lr: 0.001, n: 3, big: 1e16 } }, { f: { lr: 0.001, n: 3, big: 1e16 } }, { all: true }).f;
    assert.deepEqual(
      [zero.lr, zero.n, zero.big].map((d) => formatDiffValue(printedDiff(d), 'params')),
      ['0.0', '0', '0.0'],
    );
    assert.ok(printedDiff(zero.lr) instanceof PyFloat);
    assert.equal(
      stringifyJson({ d: printedDiff(zero.lr), n: printedDiff(zero.n) }, { nonFinite: 'null', numbers: 'python' }),
      '{"d":0.0,"n":0}',
    );
    assert.equal(verdictOf('acc', 5n), 'better');
    assert.equal(verdictOf('loss', -5n), 'better');
  });

  it('prints values as DVC does: all the digits of an int, Python repr for floats', () => {
    const p = (v: unknown) => formatDiffValue(v, 'params');
    assert.deepEqual(
      [BIG, 10n ** 29n, 1e300, 0.1, 1e-7, 1e16, 9007199254740992, Infinity, -Infinity, NaN, 3, 0.30000000000000004, 'x', null].map(p),
      [
        '9007199254740993',
        '100000000000000000000000000000',
        '1e+300',
        '0.1',
        '1e-07',
        '1e+16',
        '9007199254740992.0',
        'inf',
        '-inf',
        'nan',
        '3',
        '0.30000000000000004',
        'x',
        '—',
      ],
    );
    const m = (v: unknown) => formatDiffValue(v, 'metrics');
    assert.deepEqual([BIG, 1e16, 0.123456789, NaN].map(m), ['9007199254740993', '1e+16', '0.12346', 'nan']);
    assert.equal(formatValue(BIG), '9007199254740993');
    assert.equal(formatValue([BIG]), '[9007199254740992]', 'never throws on a bigint');
    const md = diffToMarkdown({ 'params.yaml': { seed: { old: BIG, new: BIG - 1n, diff: -1 } } }, 'HEAD', 'workspace', { kind: 'params' });
    assert.match(md, /\| params\.yaml \| seed \| 9007199254740993 \| 9007199254740992 \| ▼ -1 \|/);
  });

  it('buildDiffTable hands webviews plain numbers, with the change found exactly', () => {
    const read = (sha: string, kind: 'metrics' | 'params'): ValuesAtRevision => ({
      values: kind === 'params' ? { 'params.yaml': { seed: sha === 'a' ? BIG : BIG - 1n } } : {},
      problems: [],
    });
    const table = buildDiffTable(undefined as never, 'a', 'b', {}, read);
    assert.equal(table.rows.length, 1);
    const row = table.rows[0];
    assert.equal(row.changed, true);
    assert.deepEqual([row.old, row.new, row.delta], [9007199254740992, 9007199254740992, -1]);
    assert.doesNotThrow(() => JSON.stringify(table));
  });
});
