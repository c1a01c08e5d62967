// `-S` overrides against what DVC 3.67 (Hydra 1.3) does with them: the parse of each override
// and the params file DVC writes, from fixtures/override-cases.json (gen-override-cases.py
// writes it with the real tools).

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOverride, parseSetParams, pathOverrides, SetParamError } from '../../../src/core/experiments/setParams';
import { applyParamOverrides } from '../../../src/core/experiments/paramsEdit';
import { PyFloat, pyFloatRepr } from '../../../src/core/python/pyFloat';

interface Encoded {
  t: string;
  v: unknown;
}
interface ParseCase {
  input: string;
  kind?: string;
  key?: string;
  value?: Encoded;
  sweep?: boolean;
  package?: string;
  error?: string;
}
interface FileCase {
  file: string;
  input: string | null;
  overrides: string[];
  written?: string;
  error?: string;
  cause?: string | null;
}

const fixtures = JSON.parse(
  readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'core', 'experiments', 'fixtures', 'override-cases.json'), 'utf8'),
) as { parse: ParseCase[]; files: FileCase[] };

function encode(v: unknown): Encoded {
  if (v === null) return { t: 'none', v: null };
  if (typeof v === 'boolean') return { t: 'bool', v };
  if (typeof v === 'number' || typeof v === 'bigint') return { t: 'int', v: String(v) };
  if (v instanceof PyFloat) return { t: 'float', v: Number.isFinite(v.value) ? pyFloatRepr(v.value) : pyFloatRepr(v.value) };
  if (typeof v === 'string') return { t: 'str', v };
  if (Array.isArray(v)) return { t: 'list', v: v.map(encode) };
  if (v instanceof Map) return { t: 'dict', v: [...v].map(([k, x]) => [encode(k), encode(x)]) };
  return { t: typeof v, v: String(v) };
}

/** Hydra's cast functions (int(3), str(x)…) are refused with a message rather than followed. */
const REFUSED_ON_PURPOSE = new Set(['a=int(3)']);
const show = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

const KINDS: Record<string, string> = { change: 'CHANGE', add: 'ADD', 'force-add': 'FORCE_ADD', delete: 'DEL' };

describe('exp run -S: parsing overrides as Hydra does', () => {
  for (const c of fixtures.parse) {
    it(c.input, () => {
      let parsed;
      try {
        parsed = parseOverride(c.input);
      } catch (e) {
        assert.ok(e instanceof SetParamError, String(e));
        assert.ok(
          c.error || c.package || REFUSED_ON_PURPOSE.has(c.input),
          `we refused '${c.input}' (${(e as Error).message}) but Hydra reads it: ${JSON.stringify(c)}`,
        );
        return;
      }
      assert.ok(!c.error, `Hydra refuses '${c.input}' (${c.error}) but we read it: ${show(parsed)}`);
      assert.ok(!c.package, 'a package override must be refused');
      assert.equal(KINDS[parsed.kind], c.kind);
      assert.equal(parsed.key, c.key);
      if (c.sweep) {
        assert.equal(parsed.sweep, true);
        return;
      }
      assert.deepEqual(parsed.value === undefined ? { t: 'none', v: null } : encode(parsed.value), c.value);
    });
  }
});

describe('exp run -S: params files written as DVC writes them', () => {
  for (const c of fixtures.files) {
    it(`${c.file}: ${c.overrides.join(' ')}`, () => {
      const overrides = c.overrides.map(parseOverride);
      if (c.error) {
        assert.throws(
          () => applyParamOverrides(c.file, c.input ?? undefined, overrides),
          (e: Error) => {
            assert.ok(e instanceof SetParamError);
            const first = (c.cause ?? '').replace(/\.$/, '');
            assert.ok(e.message.includes(first), `${e.message}\n  should say: ${c.cause}`);
            return true;
          },
        );
        return;
      }
      assert.equal(applyParamOverrides(c.file, c.input ?? undefined, overrides), c.written);
    });
  }
});

describe('exp run -S: arguments', () => {
  it('splits file and override as to_path_overrides does', () => {
    assert.deepEqual(
      [...pathOverrides(['train.lr=1', 'custom.yaml:layers=3', 'a=x:y', 'sub/p.json:b.c=2', 'train.lr=2'])],
      [
        ['params.yaml', ['train.lr=1', 'a=x:y', 'train.lr=2']],
        ['custom.yaml', ['layers=3']],
        ['sub/p.json', ['b.c=2']],
      ],
    );
  });

  it("refuses sweeps without a queue, with DVC's message", () => {
    assert.throws(() => parseSetParams(['a=1,2']), /Sweep overrides can't be used without `--queue`/);
    assert.throws(() => parseSetParams(['a=range(1,3)']), /Sweep overrides/);
  });

  it('refuses files it cannot write yet', () => {
    assert.throws(() => applyParamOverrides('params.toml', 'a = 1\n', [parseOverride('a=2')]), /only YAML .* and JSON/);
  });
});
