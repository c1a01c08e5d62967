import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compareParams,
  loadLockParams,
  loadParamsText,
  readTrackedParams,
  selectParams,
  templateData,
} from '../../../src/core/repro/paramValues';
import type { TrackedParams } from '../../../src/core/repro/paramValues';
import { PyFloat, PyTimestamp, pyEqual, pyFloatRepr } from '../../../src/core/python/pyFloat';
import type { PyDict, PyValue } from '../../../src/core/python/pyFloat';
import { loadYamlSafe } from '../../../src/core/yamlRoundTrip/yamlLoad';
import { parseDvcLock } from '../../../src/core/formats/dvcLock';
import { decodeTyped, readFixture } from './fixtures/typedJson';

const f = (n: number): PyFloat => new PyFloat(n);

function load(text: string, name = 'params.yaml'): PyDict {
  const r = loadParamsText(text, name);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

/** Same Python value and type (float vs int, key order); NaN equal to NaN. */
function same(a: unknown, b: unknown): boolean {
  if (a instanceof PyFloat || b instanceof PyFloat) {
    return (
      a instanceof PyFloat && b instanceof PyFloat && (Object.is(a.value, b.value) || (Number.isNaN(a.value) && Number.isNaN(b.value)))
    );
  }
  if (a instanceof PyTimestamp || b instanceof PyTimestamp)
    return a instanceof PyTimestamp && b instanceof PyTimestamp && a.text === b.text && a.kind === b.kind;
  if (typeof a === 'bigint' || typeof b === 'bigint')
    return (typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number') && BigInt(a) === BigInt(b);
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    const ea = [...a];
    const eb = [...b];
    return ea.every(([k, v], i) => same(k, eb[i][0]) && same(v, eb[i][1]));
  }
  return a === b;
}

function tracked(values: [string, PyValue][], keys: string[] | null, exists = true): TrackedParams {
  return { file: 'params.yaml', keys, exists, values: new Map(values), missing: [] };
}

describe('pyFloat', () => {
  it('prints floats as Python repr', () => {
    assert.deepEqual([1, 1e-5, 1e-4, 1e16, 1e15, 0.1, -0, Infinity, NaN, 5e-324].map(pyFloatRepr), [
      '1.0',
      '1e-05',
      '0.0001',
      '1e+16',
      '1000000000000000.0',
      '0.1',
      '-0.0',
      'inf',
      'nan',
      '5e-324',
    ]);
  });

  it('compares like Python ==', () => {
    assert.ok(pyEqual(1, f(1)));
    assert.ok(pyEqual(true, 1));
    assert.ok(pyEqual(false, f(0)));
    assert.ok(!pyEqual(f(NaN), f(NaN)));
    assert.ok(!pyEqual('1', 1));
    assert.ok(pyEqual([1, f(2)], [f(1), 2]));
    assert.ok(pyEqual(new Map([['x', 1]]), { x: f(1) }));
    assert.ok(
      !pyEqual(
        new Map([['x', 1]]),
        new Map([
          ['x', 1],
          ['y', 2],
        ]),
      ),
    );
    assert.ok(pyEqual(2n ** 60n, f(2 ** 60)));
    assert.ok(!pyEqual(2n ** 53n + 1n, f(2 ** 53)));
    assert.ok(!pyEqual(new PyTimestamp('2020-01-01', 'date'), '2020-01-01'));
    assert.ok(pyEqual(null, undefined));
  });
});

describe('loadParamsText (DVC loaders by suffix)', () => {
  it('YAML: ruamel safe load keeps floats, underscores make ints, dates are dates', () => {
    const v = load('lr: 1.0\nsmall: 1e-5\nn: 1_000\ns: .5e3\nd: 2020-01-01\nbig: 12345678901234567890\nyes: yes\nnan: .nan\nneg: -.5\n');
    assert.ok(
      same(
        v,
        new Map<unknown, unknown>([
          ['lr', f(1)],
          ['small', f(1e-5)],
          ['n', 1000],
          ['s', '.5e3'],
          ['d', new PyTimestamp('2020-01-01', 'date')],
          ['big', 12345678901234567890n],
          ['yes', 'yes'],
          ['nan', f(NaN)],
          ['neg', f(-0.5)],
        ]),
      ),
    );
  });

  it('YAML: an empty file is {}; duplicate keys (1 and 1.0 too) and `=` values fail as in DVC', () => {
    assert.equal(load('').size, 0);
    assert.equal(load('# nothing\n').size, 0);
    assert.equal(loadParamsText('a: 1\na: 2\n', 'p.yaml').ok, false);
    assert.equal(loadParamsText('1: a\n1.0: b\n', 'p.yaml').ok, false);
    const eq = loadParamsText('x: =\n', 'p.yaml');
    assert.ok(!eq.ok && /tag:yaml.org,2002:value/.test(eq.message) && eq.line === 1);
    assert.equal(loadParamsText('- 1\n', 'p.yaml').ok, false);
  });

  it('JSON: a number with a fraction or exponent is a float; the last duplicate wins', () => {
    const v = load('{"a": 1.0, "b": 1, "c": 1e5, "d": NaN, "a": 2.5, "big": 123456789012345678901}', 'p.json');
    assert.ok(
      same(
        v,
        new Map<unknown, unknown>([
          ['a', f(2.5)],
          ['b', 1],
          ['c', f(1e5)],
          ['d', f(NaN)],
          ['big', 123456789012345678901n],
        ]),
      ),
    );
    assert.equal(loadParamsText('{"a": }', 'p.json').ok, false);
  });

  it('TOML: floats, ints, tables and dates as tomlkit unwraps them', () => {
    const v = load('x = 1.0\ny = 2\nd = 1979-05-27\nt = 1979-05-27T07:32:00Z\n[sec]\nz = 3\n', 'c.toml');
    assert.ok(
      same(
        v,
        new Map<unknown, unknown>([
          ['x', f(1)],
          ['y', 2],
          ['d', new PyTimestamp('1979-05-27', 'date')],
          ['t', new PyTimestamp('1979-05-27 07:32:00+00:00', 'datetime')],
          ['sec', new Map([['z', 3]])],
        ]),
      ),
    );
  });

  it('Python: module constants (an integral float reads as an int: the .py reader has no floats)', () => {
    assert.ok(
      same(
        load('lr = 0.5\nn = 3\nclass T:\n    x = 1\n', 'p.py'),
        new Map<unknown, unknown>([
          ['lr', f(0.5)],
          ['n', 3],
          ['T', new Map([['x', 1]])],
        ]),
      ),
    );
  });
});

describe('selectParams (dpath.get with separator ".")', () => {
  const config = load('train:\n  lr: 0.1\n  opt: {name: adam}\nlayers: [8, 16]\n1: one\nab: 1\nac: 2\n');

  it('picks dotted keys, sub-mappings (the same object) and list items', () => {
    const { values, missing } = selectParams(config, ['train.lr', 'train', 'train.opt', 'layers.1', '1', 'nope', 'train.nope']);
    assert.deepEqual([...values.keys()], ['train.lr', 'train', 'train.opt', 'layers.1', '1']);
    assert.ok(same(values.get('train.lr'), f(0.1)));
    assert.equal(values.get('train.opt'), (values.get('train') as PyDict).get('opt'));
    assert.equal(values.get('layers.1'), 16);
    assert.equal(values.get('1'), 'one');
    assert.deepEqual(missing, ['nope', 'train.nope']);
  });

  it('treats key segments as globs: one match is fine, two are an error', () => {
    assert.equal(selectParams(config, ['a[b]']).values.get('a[b]'), 1);
    assert.match(selectParams(config, ['a?']).error?.message ?? '', /must match only one leaf: a\?/);
  });

  it('tracks a whole file as its top-level keys', () => {
    assert.equal(selectParams(config, null).values, config);
  });
});

describe('compareParams (ParamsDependency.workspace_status)', () => {
  // As `dvc status --json` reported it for these files (DVC 3.67.1).
  const lock = new Map<string, PyValue>([
    ['a', true],
    ['b', f(1)],
    ['c', f(NaN)],
    ['d', [1, 2]],
    ['e', new Map([['x', 1]])],
    ['f', 5],
    ['g', '1'],
  ]);
  const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

  it('right after repro only the NaN param differs (nan != nan)', () => {
    assert.deepEqual(compareParams(lock, tracked([...lock], keys)), { c: 'modified' });
  });

  it('1 == 1.0 == True; a str is never equal to a number; whole files report new keys', () => {
    const now: [string, PyValue][] = [
      ['a', 1],
      ['b', 1],
      ['c', f(NaN)],
      ['d', [f(1), 2]],
      ['e', new Map([['x', f(1)]])],
      ['f', f(5)],
      ['g', 1],
      ['newkey', 3],
    ];
    assert.deepEqual(
      compareParams(
        lock,
        tracked(
          now.filter(([k]) => k !== 'newkey'),
          keys,
        ),
      ),
      { c: 'modified', g: 'modified' },
    );
    assert.deepEqual(compareParams(lock, tracked(now, null)), { c: 'modified', g: 'modified', newkey: 'new' });
  });

  it('a key gone from the file is deleted, a missing file is deleted, a file the lock lacks is new', () => {
    const now: [string, PyValue][] = [
      ['a', 1],
      ['b', 1],
      ['d', [f(1), 2]],
      ['e', new Map([['x', f(1)]])],
      ['f', f(5)],
      ['g', '1'],
    ];
    assert.deepEqual(compareParams(lock, tracked(now, keys)), { c: 'deleted' });
    assert.deepEqual(compareParams(lock, tracked(now, null)), { c: 'deleted' });
    assert.equal(compareParams(lock, tracked([], keys, false)), 'deleted');
    assert.equal(compareParams(undefined, tracked(now, keys)), 'new');
    assert.deepEqual(compareParams(new Map(), tracked([['a', 1]], ['a'])), { a: 'new' });
  });

  it('accepts the lock side as plain values (parseDvcLock) too', () => {
    assert.deepEqual(
      compareParams(
        { lr: 0.1, n: 1 },
        tracked(
          [
            ['lr', f(0.1)],
            ['n', f(1)],
          ],
          ['lr', 'n'],
        ),
      ),
      {},
    );
  });

  // Python ints have no size limit: DVC reports seed 9007199254740993 -> 9007199254740992 as
  // modified, though both are the same double. parseDvcLock reads the lock's ints exactly.
  it('compares ints past 2^53 exactly, against the lock as parseDvcLock reads it', () => {
    const lockText =
      "schema: '2.0'\nstages:\n  s:\n    cmd: x\n    params:\n      params.yaml:\n        seed: 9007199254740993\n        big: 100000000000000000000000000000\n        neg: -9223372036854775809\n        e16: 1e+16\n        f: 1.0\n      params.toml:\n        i64: 9223372036854775807\n        f300: 1e+300\n        tiny: 1e-07\n        nn: .nan\n";
    const parsed = parseDvcLock(lockText);
    assert.ok(parsed.ok);
    const yamlLock = parsed.value.stages.s.params['params.yaml'];
    assert.deepEqual(yamlLock, { seed: 9007199254740993n, big: 10n ** 29n, neg: -(2n ** 63n) - 1n, e16: 1e16, f: 1 });
    const yamlKeys = ['seed', 'big', 'neg', 'e16', 'f'];
    const same = load('seed: 9007199254740993\nbig: 100000000000000000000000000000\nneg: -9223372036854775809\ne16: 1e16\nf: 1\n');
    assert.deepEqual(compareParams(yamlLock, tracked([...same] as [string, PyValue][], yamlKeys)), {});
    const changed = load(
      'seed: 9007199254740992\nbig: 100000000000000000000000000001\nneg: -9223372036854775809\ne16: 10000000000000000\nf: true\n',
    );
    assert.deepEqual(
      compareParams(yamlLock, tracked([...changed] as [string, PyValue][], yamlKeys)),
      { seed: 'modified', big: 'modified' },
      '1e16 == 10**16 and 1.0 == True still hold',
    );
    // TOML as tomlkit reads it: ints past int64 too; floats as floats; nan != nan.
    const tomlLock = parsed.value.stages.s.params['params.toml'];
    const tomlKeys = ['i64', 'f300', 'tiny', 'nn'];
    const toml = load('i64 = 9223372036854775807\nf300 = 1e300\ntiny = 1e-7\nnn = nan\n', 'params.toml');
    assert.deepEqual(compareParams(tomlLock, tracked([...toml] as [string, PyValue][], tomlKeys)), { nn: 'modified' });
    const toml2 = load('i64 = 9223372036854775806\nf300 = 1e300\ntiny = 1e-7\nnn = nan\n', 'params.toml');
    assert.deepEqual(compareParams(tomlLock, tracked([...toml2] as [string, PyValue][], tomlKeys)), { i64: 'modified', nn: 'modified' });
  });

  it('loads big ints exactly from every format', () => {
    assert.ok(same(load('a: 9007199254740993\n'), new Map([['a', 9007199254740993n]])));
    assert.ok(
      same(
        load('{"a": 9007199254740993, "b": 9007199254740993.0}', 'params.json'),
        new Map<unknown, unknown>([
          ['a', 9007199254740993n],
          ['b', f(9007199254740992)],
        ]),
      ),
    );
    assert.ok(
      same(
        load('a = 100000000000000000000000000000\nb = 0xFFFFFFFFFFFFFFFFFF\n', 'params.toml'),
        new Map([
          ['a', 10n ** 29n],
          ['b', 2n ** 72n - 1n],
        ]),
      ),
    );
    assert.ok(
      same(
        load('A = 9007199254740993\nB = -100000000000000000000000000000\n', 'params.py'),
        new Map([
          ['A', 9007199254740993n],
          ['B', -(10n ** 29n)],
        ]),
      ),
    );
    // Python compares an int with a float exactly: 10**29 != 1e29 (99999999999999991433150857216), 2**72 == 2.0**72.
    assert.ok(!pyEqual(load('a = 100000000000000000000000000000\n', 'params.toml').get('a'), f(1e29)));
    assert.ok(pyEqual(2n ** 72n, f(2 ** 72)));
  });
});

describe('readTrackedParams and loadLockParams', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'params-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file from disk, reporting missing keys and unreadable files with their line', () => {
    writeFileSync(join(dir, 'params.yaml'), 'lr: 1.0\ntrain: {epochs: 3}\n');
    const t = readTrackedParams(join(dir, 'params.yaml'), ['lr', 'train.epochs', 'gone']);
    assert.ok(t.exists && !t.error);
    assert.ok(
      same(
        t.values,
        new Map<unknown, unknown>([
          ['lr', f(1)],
          ['train.epochs', 3],
        ]),
      ),
    );
    assert.deepEqual(t.missing, ['gone']);
    assert.equal(readTrackedParams(join(dir, 'nope.yaml'), ['lr']).exists, false);
    writeFileSync(join(dir, 'bad.yaml'), 'a: 1\nb: [\n');
    const bad = readTrackedParams(join(dir, 'bad.yaml'), null);
    assert.ok(bad.exists && bad.error && bad.error.line !== undefined);
  });

  it('reads the params recorded in a dvc.lock with their Python types', () => {
    const r = loadLockParams(
      "schema: '2.0'\nstages:\n  train:\n    cmd: x\n    params:\n      params.yaml:\n        lr: 1.0\n        big: 12345678901234567890\n",
    );
    assert.ok(r.ok);
    assert.ok(
      same(
        r.stages.get('train')?.get('params.yaml'),
        new Map<unknown, unknown>([
          ['lr', f(1)],
          ['big', 12345678901234567890n],
        ]),
      ),
    );
  });

  it('gives templating plain objects that keep floats', () => {
    const data = templateData(load('lr: 1.0\nn: {a: 1e-5}\n'));
    assert.ok(data.lr instanceof PyFloat);
    assert.ok((data.n as { a: unknown }).a instanceof PyFloat);
  });
});

describe('loadYamlSafe on generated lock texts, against DVC (fixtures/rt-cases.json)', () => {
  const data = readFixture<{ cases: { text: string; safe: unknown }[] }>('rt-cases.json');
  it('loads what DVC loads with the same Python types', () => {
    const bad: number[] = [];
    data.cases.forEach((c, i) => {
      if (c.safe === null) return; // DVC refuses it; ours may be more lenient (see gaps)
      const r = loadYamlSafe(c.text);
      if (!r.ok || !same(r.value, decodeTyped(c.safe))) bad.push(i);
    });
    assert.deepEqual(bad, []);
  });
});
