// Scalars as ruamel.yaml constructs and writes them back: ints and floats parsed like its
// constructors, and the text its round-trip representer writes for an int or float read
// from a file (ScalarInt/ScalarFloat keep the written form: `0x1F`, `1_000`, `007`,
// `1.0e-5`, `100.`), and the fold points of a `>` block scalar. Where ruamel raises while
// writing a value back (DVC then fails too), this raises LoadFailure.

import type { Scalar as YScalar } from 'yaml';
import { formatExpAbs, formatFixedAbs } from '../python/pyFloat';
import { floatText } from './dvcYamlDump';

export class LoadFailure extends Error {
  constructor(
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

export function parseIntText(text: string): bigint {
  let s = text.replace(/_/g, '');
  let sign = 1n;
  if (s[0] === '-') sign = -1n;
  if (s[0] === '+' || s[0] === '-') s = s.slice(1);
  if (s === '0' || s === '') return 0n;
  if (s.startsWith('0b')) return sign * BigInt('0b' + (s.slice(2) || '0'));
  if (s.startsWith('0x')) return sign * BigInt('0x' + (s.slice(2) || '0'));
  if (s.startsWith('0o')) return sign * BigInt('0o' + (s.slice(2) || '0'));
  return sign * BigInt(s);
}

export function intValue(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

export function parseFloatText(text: string): number {
  let s = text.replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (s[0] === '-') sign = -1;
  if (s[0] === '+' || s[0] === '-') s = s.slice(1);
  if (s === '.inf') return sign * Infinity;
  if (s === '.nan') return NaN;
  return sign * Number(s);
}

/** Python `format(n, spec)` for ints: base 'd'|'b'|'o'|'x'|'X', zero-padded to width (sign included). */
function formatInt(n: bigint, base: 'd' | 'b' | 'o' | 'x' | 'X', width: number | null): string {
  const radix = base === 'd' ? 10 : base === 'b' ? 2 : base === 'o' ? 8 : 16;
  let digits = (n < 0n ? -n : n).toString(radix);
  if (base === 'X') digits = digits.toUpperCase();
  const sign = n < 0n ? '-' : '';
  if (width !== null && sign.length + digits.length < width) digits = digits.padStart(width - sign.length, '0');
  return sign + digits;
}

/** RoundTripRepresenter.insert_underscore. */
function insertUnderscore(prefix: string, s: string, underscore: [number, boolean, boolean] | null): string {
  if (!underscore) return prefix + s;
  if (underscore[0]) {
    const chars = [...s];
    for (let pos = s.length - underscore[0]; pos > 0; pos -= underscore[0]) chars.splice(pos, 0, '_');
    s = chars.join('');
  }
  if (underscore[1]) s = '_' + s;
  if (underscore[2]) s += '_';
  return prefix + s;
}

/** RoundTripConstructor.construct_yaml_int + the ScalarInt representers: the text written back. */
export function roundTripIntText(source: string): string {
  const stripped = source.replace(/_+$/, '');
  const last = stripped.lastIndexOf('_');
  const underscore: [number, boolean, boolean] | null = last >= 0 ? [stripped.length - last - 1, false, false] : null;
  let s = source.replace(/_/g, '');
  let sign = 1n;
  if (s[0] === '+' || s[0] === '-') {
    if (s[0] === '-') sign = -1n;
    s = s.slice(1);
  }
  const value = parseIntText(source);
  const prefixed = (prefix: string, base: 'b' | 'o' | 'x' | 'X'): string => {
    const width = s[2] === '0' ? s.length - 2 : null;
    if (underscore) {
      underscore[1] = source[2] === '_';
      underscore[2] = source.length - 2 > 1 && source.endsWith('_');
    }
    return insertUnderscore(prefix, formatInt(value, base, width), underscore);
  };
  if (s.startsWith('0b')) return prefixed('0b', 'b');
  if (s.startsWith('0x')) {
    const letters = s.slice(2).match(/[a-fA-F]/);
    return prefixed('0x', letters && /[A-F]/.test(letters[0]) ? 'X' : 'x');
  }
  if (s.startsWith('0o')) return prefixed('0o', 'o');
  if (s[0] === '0') {
    if (underscore) underscore[2] = source.length > 1 && source.endsWith('_');
    return insertUnderscore('', formatInt(sign * parseIntText(s), 'd', s.length), underscore);
  }
  if (underscore) {
    underscore[2] = source.length > 1 && source.endsWith('_');
    return insertUnderscore('', formatInt(value, 'd', null), underscore);
  }
  return value.toString();
}

/** Python `f'{x:{width}.{prec}e}'`. */
function pyExp(x: number, width: number, prec: number): string {
  const s = (x < 0 || Object.is(x, -0) ? '-' : '') + formatExpAbs(x, prec);
  return s.padStart(width, ' ');
}

function leadingZeros(v: string): number {
  let n = 0;
  for (const ch of v) {
    if (ch !== '0' && ch !== '.') break;
    if (ch === '0') n++;
  }
  return n;
}

/** RoundTripConstructor.construct_yaml_float + represent_scalar_float: the text written back. */
export function roundTripFloatText(source: string): string {
  const lower = source.replace(/_/g, '').toLowerCase();
  let body = lower;
  let mSign = '';
  if (body[0] === '+' || body[0] === '-') {
    mSign = body[0];
    body = body.slice(1);
  }
  const value = parseFloatText(source);
  if (body === '.inf' || body === '.nan' || !Number.isFinite(value)) return floatText(value);
  const expAt = source.search(/[eE]/);
  if (expAt < 0) {
    const width = source.length;
    const prec = source.indexOf('.');
    if (prec > 0 && prec === width - 1) return `${mSign}${formatFixedAbs(Math.trunc(value), 0)}.`;
    let out: string;
    if (prec < 0) out = mSign + formatFixedAbs(Math.trunc(value), 0).padStart(width - mSign.length, '0');
    else {
      out = mSign + formatFixedAbs(value, width - prec - 1).padStart(width - mSign.length, '0');
      if (prec === 0 || (prec === 1 && mSign !== '')) out = out.split('0.').join('.');
    }
    while (out.length < width) out += '0';
    return out;
  }
  const mantissa = source.slice(0, expAt);
  const exponent = source.slice(expAt + 1);
  const exp = source[expAt];
  const lead0 = leadingZeros(mantissa);
  let width = mantissa.length;
  const prec = mantissa.indexOf('.');
  if (mSign) width -= 1;
  const eWidth = exponent.length;
  const eSign = exponent[0] === '+' || exponent[0] === '-';
  const formatted = pyExp(value, width, width + (mSign ? 1 : 0));
  const [m0, es] = formatted.split('e');
  let m = m0;
  let w = prec > 0 ? width : width + 1;
  if (value < 0) w += 1;
  m = m.slice(0, w);
  let e = Number(es);
  if (!m.includes('.')) throw new LoadFailure(`ruamel.yaml cannot write the float '${source}' back (DVC fails on it too)`);
  let [m1, m2] = m.split('.');
  while (m1.length + m2.length < width - (prec >= 0 ? 1 : 0)) m2 += '0';
  if (mSign && value > 0) m1 = '+' + m1;
  const expText = (n: number): string => {
    const sign = n < 0 ? '-' : eSign ? '+' : '';
    return sign + String(Math.abs(n)).padStart(Math.max(0, eWidth - sign.length), '0');
  };
  if (prec < 0) {
    if (m2 !== '0') e -= m2.length;
    else m2 = '';
    while (m1.length + m2.length - (mSign ? 1 : 0) < width) {
      m2 += '0';
      e -= 1;
    }
    return m1 + m2 + exp + expText(e);
  }
  if (prec === 0) {
    e -= m2.length;
    return m1 + m2 + '.' + exp + expText(e);
  }
  if (lead0 > 0) {
    m2 = '0'.repeat(lead0 - 1) + m1 + m2;
    m1 = '0';
    m2 = m2.slice(0, m2.length - lead0);
    e += lead0;
  }
  while (m1.length < prec) {
    // ruamel raises IndexError here, so DVC cannot write such a lock back either.
    if (m2.length === 0) throw new LoadFailure(`ruamel.yaml cannot write the float '${source}' back (DVC fails on it too)`);
    m1 += m2[0];
    m2 = m2.slice(1);
    e -= 1;
  }
  return m1 + '.' + m2 + exp + expText(e);
}

/** Fold positions of a `>` block scalar, marked with '\x07' as ruamel's round-trip scanner does. */
export function foldedWithMarks(node: YScalar, text: string): string {
  const value = String(node.value);
  const [start, end] = node.range ?? [0, 0];
  const src = text.slice(start, end);
  const lines = src.split('\n').slice(1); // after the header line
  // Only spaces indent; a line holding a tab is content (more indented), not an empty line.
  const isEmpty = (l: string): boolean => /^ *$/.test(l);
  const body = lines.filter((l) => !isEmpty(l));
  if (body.length === 0) return value;
  const header = /^[|>][-+1-9]*/.exec(src.split('\n')[0])?.[0] ?? '';
  const explicit = /[1-9]/.exec(header);
  const indent = explicit ? -1 : Math.min(...body.map((l) => /^ */.exec(l)![0].length));
  if (explicit) return value; // explicit indentation: rare, keep the value unmarked
  const content = lines.map((l) => (isEmpty(l) ? null : l.slice(indent)));
  let out = '';
  let pendingBreaks = 0;
  let started = false;
  let prevNormal = false;
  for (const line of content) {
    if (line === null) {
      if (started) pendingBreaks++;
      else out += '\n'; // leading empty lines are kept as breaks
      continue;
    }
    const normal = !line.startsWith(' ') && !line.startsWith('\t');
    if (started) {
      // scan_block_scalar: a fold between two normal lines is a space, or the blank lines
      // alone; next to a more-indented line the line break stays.
      out += '\x07';
      if (prevNormal && normal) out += pendingBreaks === 0 ? ' ' : '\n'.repeat(pendingBreaks);
      else out += '\n' + '\n'.repeat(pendingBreaks);
    }
    out += line;
    started = true;
    pendingBreaks = 0;
    prevNormal = normal;
  }
  // Accept the marks only when they explain the parsed value exactly (ignoring chomping).
  const plain = out.split('\x07').join('');
  if (!value.startsWith(plain) || value.slice(plain.length).replace(/\n/g, '') !== '') return value;
  // represent_folded_scalarstring keeps a mark only on a space between two non-spaces.
  let marked = '';
  const chars = [...out];
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] !== '\x07') {
      marked += chars[i];
      continue;
    }
    const next = chars[i + 1];
    const prev = chars[i - 1];
    const after = chars[i + 2];
    if (next === ' ' && prev !== undefined && !/\s/.test(prev) && after !== undefined && !/\s/.test(after)) marked += '\x07';
  }
  return marked + value.slice(plain.length);
}
