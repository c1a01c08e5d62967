import { strict as assert } from 'node:assert';
import { dumpDvcYaml } from '../../../src/core/yamlRoundTrip/dvcYamlDump';
import { PyFloat, PyTimestamp } from '../../../src/core/python/pyFloat';
import { resolvePlainTag } from '../../../src/core/yamlRoundTrip/yamlResolve';
import { decodeTyped, readFixture } from './fixtures/typedJson';

const f = (n: number): PyFloat => new PyFloat(n);
const m = (...entries: [unknown, unknown][]): Map<unknown, unknown> => new Map(entries);

describe('dumpDvcYaml (DVC 3.67.1 / ruamel.yaml 0.19.1 dump_yaml)', () => {
  it('writes a lock entry with sequences at the key indent and floats in repr form', () => {
    const text = dumpDvcYaml(
      m(
        ['schema', '2.0'],
        [
          'stages',
          m([
            'train',
            m(
              ['cmd', 'python train.py'],
              [
                'deps',
                [m(['path', 'data'], ['hash', 'md5'], ['md5', '0123456789abcdef0123456789abcdef.dir'], ['size', 10], ['nfiles', 2])],
              ],
              [
                'params',
                m(['params.yaml', m(['lr', f(1)], ['small', f(1e-5)], ['n', 3], ['on', true], ['none', null], ['list', []], ['map', m()])]),
              ],
            ),
          ]),
        ],
      ),
    );
    assert.equal(
      text,
      [
        "schema: '2.0'",
        'stages:',
        '  train:',
        '    cmd: python train.py',
        '    deps:',
        '    - path: data',
        '      hash: md5',
        '      md5: 0123456789abcdef0123456789abcdef.dir',
        '      size: 10',
        '      nfiles: 2',
        '    params:',
        '      params.yaml:',
        '        lr: 1.0',
        '        small: 1e-05',
        '        n: 3',
        '        on: true',
        '        none:',
        '        list: []',
        '        map: {}',
        '',
      ].join('\n'),
    );
  });

  it('quotes strings that would read back as another type, and only those', () => {
    const q = (s: string): string => dumpDvcYaml(m(['k', s])).slice(3, -1);
    assert.equal(q('2.0'), "'2.0'");
    assert.equal(q('1e5'), "'1e5'");
    assert.equal(q('1_000'), "'1_000'");
    assert.equal(q('true'), "'true'");
    assert.equal(q('null'), "'null'");
    assert.equal(q('~'), "'~'");
    assert.equal(q(''), "''");
    assert.equal(q('2020-01-01'), "'2020-01-01'");
    assert.equal(q('12345678901234567890123456789012'), "'12345678901234567890123456789012'");
    assert.equal(q('yes'), 'yes'); // YAML 1.2: not a bool
    assert.equal(q('.5e3'), '.5e3'); // not a float for ruamel
    assert.equal(q('NaN'), 'NaN');
    assert.equal(q(' x'), "' x'");
    assert.equal(q('a: b'), "'a: b'");
    assert.equal(q('a #b'), "'a #b'");
    assert.equal(q('- x'), "'- x'");
    assert.equal(q("it's"), "it's");
    assert.equal(q('@a'), "'@a'");
    assert.equal(q("it's: x"), `"it's: x"`);
    assert.equal(q('a\nb'), '"a\\nb"');
    assert.equal(q('a\tb'), '"a\\tb"');
    assert.equal(q('é ü 😀'), 'é ü 😀');
    assert.equal(q('\x07'), '"\\a"');
  });

  it('folds a long plain cmd at column 80, leaving a trailing space where a line breaks', () => {
    const cmd = 'python train.py --lr 0.1 ' + 'x'.repeat(70) + ' and more words here to fold the line';
    assert.equal(
      dumpDvcYaml(m(['cmd', cmd])),
      `cmd: python train.py --lr 0.1 \n  ${'x'.repeat(70)} and \n  more words here to fold the line\n`,
    );
  });

  it('writes None in a list as "- " and a key of 123+ characters in explicit form', () => {
    assert.equal(dumpDvcYaml(m(['l', [1, null]])), 'l:\n- 1\n- \n');
    assert.equal(dumpDvcYaml(m(['k'.repeat(123), 1])), `? ${'k'.repeat(123)}\n: 1\n`);
  });

  it('writes one object used twice as an anchor and an alias, as DVC does for params a and a.b', () => {
    const opt = m(['name', 'adam']);
    assert.equal(
      dumpDvcYaml(m(['train', m(['opt', opt])], ['train.opt', opt])),
      'train:\n  opt: &id001\n    name: adam\ntrain.opt: *id001\n',
    );
  });

  it('writes special floats, big ints, dates and non-string keys like ruamel', () => {
    assert.equal(
      dumpDvcYaml(
        m(
          ['a', f(Infinity)],
          ['b', f(NaN)],
          ['c', f(-0)],
          ['d', 12345678901234567890n],
          ['e', new PyTimestamp('2020-01-01', 'date')],
          [1.5, 1],
          [null, 2],
          [true, 3],
        ),
      ),
      'a: .inf\nb: .nan\nc: -0.0\nd: 12345678901234567890\ne: 2020-01-01\n1.5: 1\nnull: 2\ntrue: 3\n',
    );
  });

  it("resolves plain scalars with ruamel's YAML 1.2 rules", () => {
    assert.equal(resolvePlainTag('1e5'), 'float');
    assert.equal(resolvePlainTag('.5e3'), 'str');
    assert.equal(resolvePlainTag('0b101'), 'int');
    assert.equal(resolvePlainTag('1:30'), 'str');
    assert.equal(resolvePlainTag('2020-01-01 10:00:00'), 'timestamp');
    assert.equal(resolvePlainTag('='), 'value');
  });

  describe('generated documents dumped by DVC (fixtures/dump-cases.json)', () => {
    const data = readFixture<{ dvc: string; cases: { input: unknown; expected: string }[] }>('dump-cases.json');
    it(`has the cases of DVC ${data.dvc}`, () => assert.ok(data.cases.length >= 200));
    it('produces the same bytes for every case', () => {
      const bad: number[] = [];
      data.cases.forEach((c, i) => {
        if (dumpDvcYaml(decodeTyped(c.input)) !== c.expected) bad.push(i);
      });
      if (bad.length > 0) {
        const c = data.cases[bad[0]];
        assert.equal(dumpDvcYaml(decodeTyped(c.input)), c.expected, `case ${bad[0]} (${bad.length} differ)`);
      }
    });
  });
});
