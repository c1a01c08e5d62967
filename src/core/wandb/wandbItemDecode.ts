// The hot path of reading a log: config/summary/history items. A 100 MB history holds millions
// of them, nearly all a repeated key with one number, so keys are interned (no new string for
// a key seen before) and plain numbers are parsed from the bytes without making a string.

import type { ProtoReader } from './protoWire';
import { ProtoError } from './protoWire';
import type { WandbItem } from './wandbRecords';
import { parseValueJson } from './wandbValues';

const MAX_INTERNED = 8192;
const interned = new Map<number, { bytes: Buffer; text: string }>();

function hashBytes(b: Buffer, s: number, e: number): number {
  let h = 0x811c9dc5 ^ (e - s);
  for (let i = s; i < e; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h;
}

/** The UTF-8 string of b[s, e), the same string object each time the same bytes come by. */
export function internString(b: Buffer, s: number, e: number): string {
  if (e - s > 64) return b.toString('utf8', s, e);
  const h = hashBytes(b, s, e);
  const hit = interned.get(h);
  if (hit && hit.bytes.length === e - s) {
    let same = true;
    for (let i = 0; i < e - s; i++)
      if (hit.bytes[i] !== b[s + i]) {
        same = false;
        break;
      }
    if (same) return hit.text;
  }
  const text = b.toString('utf8', s, e);
  if (interned.size >= MAX_INTERNED) interned.clear();
  interned.set(h, { bytes: Buffer.from(b.subarray(s, e)), text });
  return text;
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
const TWO_53 = 2 ** 53;

/**
 * The JSON number in b[s, e), or undefined when the bytes are not one (or are NaN/Infinity,
 * which the general parser handles). Without making a string when exactness is guaranteed: a
 * mantissa of at most 2^53 scaled by 10^k, |k| <= 22, is one correctly rounded operation
 * (Clinger's fast path); longer mantissas go through Number() on the validated text.
 */
function numberAt(b: Buffer, s: number, e: number): number | undefined {
  let i = s;
  const negative = b[i] === 0x2d;
  if (negative) i++;
  if (i >= e || b[i] < 0x30 || b[i] > 0x39 || (b[i] === 0x30 && i + 1 < e && b[i + 1] >= 0x30 && b[i + 1] <= 0x39)) return undefined;
  let m = 0;
  let scale = 0;
  for (; i < e && b[i] >= 0x30 && b[i] <= 0x39; i++) m = m * 10 + (b[i] - 0x30);
  if (i < e && b[i] === 0x2e) {
    const first = ++i;
    for (; i < e && b[i] >= 0x30 && b[i] <= 0x39; i++) {
      m = m * 10 + (b[i] - 0x30);
      scale--;
    }
    if (i === first) return undefined;
  }
  if (i < e && (b[i] === 0x65 || b[i] === 0x45)) {
    i++;
    let expNegative = false;
    if (b[i] === 0x2b || b[i] === 0x2d) expNegative = b[i++] === 0x2d;
    const first = i;
    let exp = 0;
    for (; i < e && b[i] >= 0x30 && b[i] <= 0x39 && exp < 1000; i++) exp = exp * 10 + (b[i] - 0x30);
    if (i === first) return undefined;
    scale += expNegative ? -exp : exp;
  }
  if (i !== e) return undefined;
  if (m > TWO_53 || scale < -22 || scale > 22) return Number(b.toString('latin1', s, e));
  const v = scale >= 0 ? m * POW10[scale] : m / POW10[-scale];
  return negative ? -v : v;
}

/** Reads a varint at b[pos] (at most 5 bytes here: tags and lengths); returns it and sets `cursor.pos`. */
const cursor = { pos: 0 };
function varintAt(b: Buffer, pos: number, end: number): number {
  let v = 0;
  for (let shift = 0; shift <= 28; shift += 7) {
    if (pos >= end) break;
    const byte = b[pos++];
    v += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) {
      cursor.pos = pos;
      return v;
    }
  }
  throw new ProtoError('bad varint in an item');
}

/** One item message (key=1, nested_key=2 repeated, value_json=16) at r's current length-delimited field. */
export function decodeItem(r: ProtoReader): WandbItem {
  const b = r.buf;
  const end = r.lengthDelimitedEnd();
  let pos = r.pos;
  let key = '';
  let nested: string | undefined;
  let vs = -1;
  let ve = -1;
  while (pos < end) {
    // One-byte tags and lengths are the common case; anything longer goes through varintAt.
    let tag = b[pos];
    if (tag < 0x80) pos++;
    else if (b[pos + 1] < 0x80 && pos + 1 < end) {
      tag = (tag & 0x7f) | (b[pos + 1] << 7);
      pos += 2;
    } // value_json: 0x82 0x01
    else {
      tag = varintAt(b, pos, end);
      pos = cursor.pos;
    }
    const wire = tag & 7;
    if (wire !== 2) {
      // Fields this reader does not use (HistoryItem's typed values) are skipped.
      if (wire === 0) {
        varintAt(b, pos, end);
        pos = cursor.pos;
      } else if (wire === 1) pos += 8;
      else if (wire === 5) pos += 4;
      else throw new ProtoError(`item field ${tag >>> 3}: unsupported wire type ${wire}`);
      continue;
    }
    let len = b[pos];
    if (len < 0x80) pos++;
    else {
      len = varintAt(b, pos, end);
      pos = cursor.pos;
    }
    const s = pos;
    pos += len;
    if (pos > end) break;
    const field = tag >>> 3;
    if (field === 16) {
      vs = s;
      ve = pos;
    } else if (field === 1) key = internString(b, s, pos);
    else if (field === 2) {
      const part = internString(b, s, pos);
      nested = nested === undefined ? part : `${nested}.${part}`;
    }
  }
  if (pos > end) throw new ProtoError('item field runs past the item');
  r.pos = end;
  if (vs < 0) return { key: key !== '' ? key : (nested ?? ''), value: null };
  const value = numberAt(b, vs, ve);
  if (value !== undefined) return { key: key !== '' ? key : (nested ?? ''), value };
  const json = b.toString('utf8', vs, ve);
  const parsed = parseValueJson(json);
  if (parsed.ok) return { key: key !== '' ? key : (nested ?? ''), value: parsed.value };
  return { key: key !== '' ? key : (nested ?? ''), value: null, invalid: { json, message: parsed.message } };
}
