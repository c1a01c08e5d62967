// Python values as DVC holds them after loading a params file or dvc.lock, for the parts of
// repro that must agree with DVC byte for byte: the float text it writes (`1.0`, `1e-05`),
// and `==` as its param status uses it (1 == 1.0 == True). JS numbers cannot say whether
// YAML `1.0` was a float, so floats are boxed: a plain JS number in a PyValue is an int.
// This module imports nothing, so formats/ can use it without a cycle.

/** A Python float. `valueOf` lets arithmetic and comparisons use it like a number. */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  /** Python's str(): the same as repr() for floats. */
  toString(): string {
    return pyFloatRepr(this.value);
  }
  /** The index stores plain JSON; NaN/Infinity turn into null there as for any number. */
  toJSON(): number {
    return this.value;
  }
}

/**
 * A YAML timestamp as ruamel's safe loader builds it (datetime.date / datetime.datetime).
 * `text` is what Python prints for it (isoformat), which is also what DVC writes back.
 */
export class PyTimestamp {
  constructor(
    readonly text: string,
    readonly kind: 'date' | 'datetime',
  ) {}
  toString(): string {
    return this.text;
  }
  toJSON(): string {
    return this.text;
  }
}

export type PyScalar = null | boolean | number | bigint | string | PyFloat | PyTimestamp;
/** Mapping keys: anything hashable a YAML/JSON/TOML loader can produce. */
export type PyKey = PyScalar;
export type PyDict = Map<PyKey, PyValue>;
/** A loaded value: number = int (bigint past 2^53), PyFloat = float, Map = dict (keeps order). */
export type PyValue = PyScalar | PyValue[] | PyDict;

export function isPyFloat(v: unknown): v is PyFloat {
  return v instanceof PyFloat;
}

export function pyFloat(n: number): PyFloat {
  return new PyFloat(n);
}

/** Python's `repr(float)`: shortest round-trip digits, exponent form below 1e-4 and from 1e16. */
export function pyFloatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  // toExponential() without an argument gives the shortest digits that round-trip, the same
  // digits Python's repr picks (both use the closest shortest string); only the layout differs.
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(n.toExponential());
  if (!m) return String(n);
  const [, sign, lead, rest = '', expText] = m;
  const digits = lead + rest;
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const mantissa = rest ? `${lead}.${rest}` : lead;
    return `${sign}${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  return `${sign}${intPart}.${digits.slice(exp + 1) || '0'}`;
}

// --- equality --------------------------------------------------------------------------

type Num = { kind: 'int'; v: bigint } | { kind: 'float'; v: number };

function asNumber(v: unknown): Num | undefined {
  if (typeof v === 'boolean') return { kind: 'int', v: v ? 1n : 0n };
  if (typeof v === 'bigint') return { kind: 'int', v };
  if (typeof v === 'number') return Number.isInteger(v) ? { kind: 'int', v: BigInt(v) } : { kind: 'float', v };
  if (v instanceof PyFloat) return { kind: 'float', v: v.value };
  return undefined;
}

function numEqual(a: Num, b: Num): boolean {
  if (a.kind === 'int' && b.kind === 'int') return a.v === b.v;
  if (a.kind === 'float' && b.kind === 'float') return a.v === b.v; // NaN != NaN, -0.0 == 0.0
  const f = (a.kind === 'float' ? a.v : b.v) as number;
  const i = (a.kind === 'int' ? a.v : b.v) as bigint;
  // Python compares int and float exactly, not by rounding the int to a float.
  return Number.isInteger(f) && BigInt(f) === i;
}

/** A dict key's identity under Python hashing: 1, 1.0 and True are one key. */
function keyId(k: unknown): string {
  const n = asNumber(k);
  if (n) {
    if (n.kind === 'float' && !Number.isInteger(n.v)) return `f:${n.v}`;
    return `n:${n.kind === 'int' ? n.v : BigInt(n.v as number)}`;
  }
  if (typeof k === 'string') return `s:${k}`;
  if (k instanceof PyTimestamp) return `t:${k.kind}:${k.text}`;
  return k === null || k === undefined ? 'None' : `?:${String(k)}`;
}

function entriesOf(v: unknown): [unknown, unknown][] | undefined {
  if (v instanceof Map) return [...v.entries()];
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof PyFloat) && !(v instanceof PyTimestamp)) {
    return Object.entries(v);
  }
  return undefined;
}

/**
 * Python's `a == b` for loaded values, which is what `dvc status` uses to call a param
 * `modified` (dvc/dependency/param.py): ints, floats and bools compare by value (1 == 1.0,
 * True == 1), NaN never equals anything (a NaN param always shows as modified), str and
 * numbers never match, lists compare item by item, dicts by key set and values in any order,
 * date != datetime. Plain objects are accepted as dicts too.
 */
export function pyEqual(a: unknown, b: unknown): boolean {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na || nb) return na !== undefined && nb !== undefined && numEqual(na, nb);
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a instanceof PyTimestamp || b instanceof PyTimestamp) {
    return a instanceof PyTimestamp && b instanceof PyTimestamp && a.kind === b.kind && a.text === b.text;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => pyEqual(x, b[i]));
  }
  const ea = entriesOf(a);
  const eb = entriesOf(b);
  if (!ea || !eb) return false;
  const byKey = new Map(eb.map(([k, v]) => [keyId(k), v]));
  if (byKey.size !== new Set(ea.map(([k]) => keyId(k))).size) return false;
  return ea.every(([k, v]) => {
    const id = keyId(k);
    return byKey.has(id) && pyEqual(v, byKey.get(id));
  });
}

// --- exact float formatting (Python's format specs 'f' and 'e') -----------------------

/** |x| as an exact fraction num / 2^shift (x finite). */
function exactFraction(x: number): { num: bigint; shift: bigint } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mantissa = expBits === 0 ? frac : frac | (1n << 52n);
  const e = expBits === 0 ? -1074 : expBits - 1075;
  return e >= 0 ? { num: mantissa << BigInt(e), shift: 0n } : { num: mantissa, shift: BigInt(-e) };
}

/** round(num / den) with ties to even, as Python's float formatting rounds the exact value. */
function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) return q + 1n;
  return q;
}

/** Python `format(abs(x), f'.{prec}f')` (no sign). */
export function formatFixedAbs(x: number, prec: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : 'inf';
  const { num, shift } = exactFraction(x);
  const scaled = roundHalfEven(num * 10n ** BigInt(prec), 1n << shift);
  const s = scaled.toString().padStart(prec + 1, '0');
  return prec === 0 ? s : `${s.slice(0, s.length - prec)}.${s.slice(s.length - prec)}`;
}

/** Python `format(abs(x), f'.{prec}e')` (no sign): d.ddd e±XX. */
export function formatExpAbs(x: number, prec: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'nan' : 'inf';
  if (x === 0) return `0${prec > 0 ? '.' + '0'.repeat(prec) : ''}e+00`;
  const { num, shift } = exactFraction(x);
  const den = 1n << shift;
  // exp10 = floor(log10(|x|)), found exactly.
  let exp10 = Math.floor(Math.log10(Math.abs(x)));
  const pow = (k: number): [bigint, bigint] => (k >= 0 ? [10n ** BigInt(k), 1n] : [1n, 10n ** BigInt(-k)]);
  const geq = (k: number): boolean => {
    const [pn, pd] = pow(k); // |x| >= 10^k  <=>  num * pd >= pn * den
    return num * pd >= pn * den;
  };
  while (!geq(exp10)) exp10--;
  while (geq(exp10 + 1)) exp10++;
  // digits = round(|x| * 10^(prec - exp10))
  const [sn, sd] = pow(prec - exp10);
  let digits = roundHalfEven(num * sn, den * sd);
  if (digits === 10n ** BigInt(prec + 1)) {
    digits /= 10n;
    exp10++;
  }
  const d = digits.toString();
  const mant = prec > 0 ? `${d[0]}.${d.slice(1)}` : d;
  return `${mant}e${exp10 < 0 ? '-' : '+'}${String(Math.abs(exp10)).padStart(2, '0')}`;
}
