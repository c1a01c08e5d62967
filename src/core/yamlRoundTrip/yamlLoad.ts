// YAML loaded the two ways DVC loads it, on top of the `yaml` package's node tree (failsafe
// schema, so every scalar arrives as text and is resolved here with ruamel's YAML 1.2 rules,
// see yamlResolve.ts):
// - loadYamlSafe: ruamel's YAML(typ='safe'), which DVC uses for params files and for the
//   dvc.lock values it compares (dvc/utils/serialize/_yaml.py parse_yaml). Floats stay
//   PyFloat, ints past 2^53 become bigint, dates become PyTimestamp, dicts keep order.
// - loadYamlRoundTrip: ruamel's YAML(typ='rt'), which DVC uses to re-read dvc.lock before it
//   writes a stage into it (Lockfile.dump_stages -> modify_yaml). The result is the node
//   graph the dumper writes back: a float keeps its written form as ruamel's ScalarFloat
//   does (`1.0e-5` stays, `.5e-3` becomes `50.e-5`), ints keep hex/octal/underscores/leading
//   zeros, quotes are dropped, block scalars, flow collections and used anchors are kept,
//   and so are comments and blank lines where ruamel attaches them (yamlComments.ts).

import { Alias, LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YNode, Scalar as YScalar } from 'yaml';
import { PyFloat, PyTimestamp } from '../python/pyFloat';
import type { PyDict, PyKey, PyValue } from '../python/pyFloat';
import { floatText, scalar } from './dvcYamlDump';
import type { YamlMap, YamlNode, YamlScalar, YamlSeq } from './yamlNodes';
import { attachComments } from './yamlComments';
import {
  LoadFailure,
  foldedWithMarks,
  intValue,
  parseFloatText,
  parseIntText,
  roundTripFloatText,
  roundTripIntText,
} from './yamlRoundTripScalars';
import { resolvePlainTag } from './yamlResolve';

export interface YamlLoadError {
  message: string;
  line?: number;
  column?: number;
}
export type YamlLoadResult<T> = { ok: true; value: T } | ({ ok: false } & YamlLoadError);

// ruamel's Reader refuses these characters anywhere in the stream (reader.py NON_PRINTABLE).
const NON_PRINTABLE = /[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function parse(text: string): { doc: Document; lines: LineCounter } | YamlLoadError {
  const lines = new LineCounter();
  const bad = NON_PRINTABLE.exec(text);
  if (bad) {
    const code = bad[0].codePointAt(0) ?? 0;
    const before = text.slice(0, bad.index);
    const line = before.split('\n').length;
    return {
      message: `unacceptable character #x${code.toString(16).padStart(4, '0')}: special characters are not allowed`,
      line,
      column: bad.index - before.lastIndexOf('\n'),
    };
  }
  const doc = parseDocument(text, {
    schema: 'failsafe',
    uniqueKeys: false,
    prettyErrors: true,
    lineCounter: lines,
    keepSourceTokens: false,
  });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    return { message: err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''), line: pos?.line, column: pos?.col };
  }
  return { doc, lines };
}

function run<T>(input: string, fn: (doc: Document, text: string) => T): YamlLoadResult<T> {
  // DVC opens the file in text mode: universal newlines turn \r\n and a lone \r into \n.
  const text = input.replace(/\r\n?/g, '\n');
  const parsed = parse(text);
  if (!('doc' in parsed)) return { ok: false, ...parsed };
  try {
    return { ok: true, value: fn(parsed.doc, text) };
  } catch (e) {
    if (!(e instanceof LoadFailure)) throw e;
    const pos = e.offset !== undefined ? parsed.lines.linePos(e.offset) : undefined;
    return { ok: false, message: e.message, line: pos?.line, column: pos?.col };
  }
}

const STD = 'tag:yaml.org,2002:';

type Kind = 'str' | 'int' | 'float' | 'bool' | 'null' | 'timestamp' | 'merge' | 'value';

/**
 * The kind ruamel constructs for a scalar: explicit !!tags, else quoted = str, plain =
 * resolved. A plain `=` fails the safe loader; the round-trip loader keeps it (`roundTrip`).
 */
function scalarKind(node: YScalar, roundTrip = false): Kind {
  const tag = node.tag;
  if (tag && tag !== '!') {
    const short = tag.startsWith(STD) ? tag.slice(STD.length) : tag;
    if (['str', 'int', 'float', 'bool', 'null', 'timestamp'].includes(short)) return short as Kind;
    throw new LoadFailure(`could not determine a constructor for the tag '${tag}'`, node.range?.[0]);
  }
  if (node.type !== 'PLAIN' || tag === '!') return 'str';
  const resolved = resolvePlainTag(String(node.value));
  if (resolved === 'value' && !roundTrip)
    throw new LoadFailure(`could not determine a constructor for the tag 'tag:yaml.org,2002:value'`, node.range?.[0]);
  return resolved;
}

// --- construction shared by both loaders -----------------------------------------------

const TS_PARTS =
  /^([0-9]{4})-([0-9][0-9]?)-([0-9][0-9]?)(?:(?:([Tt])|[ \t]+)([0-9][0-9]?):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?(?:[ \t]*(Z|([-+])([0-9][0-9]?)(?::([0-9]{2}))?))?)?$/;

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** create_timestamp in ruamel/yaml/util.py; `rt` = the text the round-trip representer writes. */
function timestamp(text: string, offset: number | undefined, rt: boolean): PyTimestamp {
  const m = TS_PARTS.exec(text);
  if (!m) throw new LoadFailure(`failed to construct timestamp from "${text}"`, offset);
  const [, y, mo, d, t, h, mi, s, fraction, tz, tzSign, tzHour, tzMinute] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const probe = new Date(Date.UTC(2000, month - 1, day));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const maxDay = month === 2 ? (leap ? 29 : 28) : new Date(Date.UTC(2001, month, 0)).getUTCDate();
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > maxDay || Number.isNaN(probe.getTime())) {
    throw new LoadFailure(`failed to construct timestamp from "${text}": day is out of range for month`, offset);
  }
  const date = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  if (h === undefined) return new PyTimestamp(date, 'date');
  const hour = Number(h);
  if (hour > 23 || Number(mi) > 59 || Number(s) > 59) throw new LoadFailure(`failed to construct timestamp from "${text}"`, offset);
  let micro = 0;
  if (fraction) {
    micro = Number(fraction.slice(0, 6).padEnd(6, '0'));
    if (fraction.length > 6 && Number(fraction[6]) > 4) micro += 1;
    if (micro > 999999) micro = 0; // ruamel then adds a second; too rare to follow
  }
  let clock = `${pad(hour, 2)}:${mi}:${s}${micro ? '.' + pad(micro, 6) : ''}`;
  let zone = '';
  if (tzSign) zone = `${tzSign}${pad(Number(tzHour), 2)}:${pad(tzMinute ? Number(tzMinute) : 0, 2)}`;
  else if (tz === 'Z') zone = '+00:00';
  if (!rt) return new PyTimestamp(`${date} ${clock}${zone}`, 'datetime');
  // Round trip: a TimeStamp (when 'T' or a zone was written) keeps 'T' and the zone as written.
  if (!t && !tz) return new PyTimestamp(`${date} ${clock}`, 'datetime');
  clock = `${date}${t ? 'T' : ' '}${clock}`;
  if (tz) return new PyTimestamp(`${clock}${tz}`, 'datetime');
  return new PyTimestamp(clock, 'datetime');
}

// --- safe loader -----------------------------------------------------------------------

/** A Python dict key's identity (1 == 1.0 == True), for DuplicateKeyError. */
function keyIdentity(k: PyKey): string {
  if (typeof k === 'boolean') return `n:${k ? 1 : 0}`;
  if (typeof k === 'number' || typeof k === 'bigint') return `n:${k}`;
  if (k instanceof PyFloat) return Number.isInteger(k.value) ? `n:${BigInt(k.value)}` : `f:${k.value}`;
  if (k instanceof PyTimestamp) return `t:${k.text}`;
  return typeof k === 'string' ? `s:${k}` : 'None';
}

function safeScalar(node: YScalar, isKey: boolean): PyValue {
  const text = String(node.value ?? '');
  const at = node.range?.[0];
  // A plain `=` fails as a value but is a str as a mapping key.
  switch (scalarKind(node, isKey)) {
    case 'value':
      return '=';
    case 'null':
      return null;
    case 'bool':
      if (!/^(?:true|false)$/i.test(text)) throw new LoadFailure(`invalid boolean '${text}'`, at);
      return text.toLowerCase() === 'true';
    case 'int':
      try {
        return intValue(parseIntText(text));
      } catch {
        throw new LoadFailure(`invalid int '${text}'`, at);
      }
    case 'float': {
      const n = parseFloatText(text);
      if (Number.isNaN(n) && !/nan$/i.test(text)) throw new LoadFailure(`invalid float '${text}'`, at);
      return new PyFloat(n);
    }
    case 'timestamp':
      return timestamp(text, at, false);
    case 'merge':
      return '<<';
    default:
      return text;
  }
}

/**
 * ruamel's safe load: the document as Python would hold it. An empty document is null (DVC
 * then uses `{}`). Duplicate keys, unknown tags and bad timestamps fail as they do in DVC.
 */
export function loadYamlSafe(text: string): YamlLoadResult<PyValue> {
  return run(text, (doc) => {
    const memo = new Map<unknown, PyValue>();
    const build = (node: unknown, isKey = false): PyValue => {
      if (node === null || node === undefined) return null;
      if (isAlias(node)) {
        const target = (node as Alias).resolve(doc);
        if (!target) throw new LoadFailure(`found undefined alias '${(node as Alias).source}'`, (node as Alias).range?.[0]);
        return memo.has(target) ? (memo.get(target) as PyValue) : build(target, isKey);
      }
      if (isScalar(node)) {
        const v = safeScalar(node, isKey);
        memo.set(node, v);
        return v;
      }
      if (isSeq(node)) {
        const out: PyValue[] = [];
        memo.set(node, out);
        for (const item of node.items) out.push(build(item));
        return out;
      }
      if (isMap(node)) {
        const out: PyDict = new Map();
        memo.set(node, out);
        const ids = new Map<string, PyKey>();
        const own: [PyKey, PyValue][] = [];
        const merged: [PyKey, PyValue][] = [];
        for (const pair of node.items) {
          const keyNode = pair.key as YNode | null;
          if (isScalar(keyNode) && keyNode.type === 'PLAIN' && !keyNode.tag && keyNode.value === '<<') {
            // flatten_mapping: merged keys come first; the mapping's own keys override them.
            const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
            for (const src of sources) {
              const value = build(src);
              if (!(value instanceof Map))
                throw new LoadFailure('expected a mapping or list of mappings for merging', (pair.value as YNode)?.range?.[0]);
              for (const [k, v] of value) if (!merged.some(([mk]) => keyIdentity(mk) === keyIdentity(k))) merged.push([k, v]);
            }
            continue;
          }
          const key = build(keyNode, true);
          if (Array.isArray(key) || key instanceof Map) throw new LoadFailure('found unhashable key', keyNode?.range?.[0]);
          const id = keyIdentity(key as PyKey);
          if (ids.has(id)) throw new LoadFailure(`found duplicate key "${String(key)}"`, keyNode?.range?.[0]);
          ids.set(id, key as PyKey);
          own.push([key as PyKey, build(pair.value)]);
        }
        for (const [k, v] of merged) if (!ids.has(keyIdentity(k))) out.set(k, v);
        for (const [k, v] of own) out.set(k, v);
        return out;
      }
      throw new LoadFailure('unexpected YAML node');
    };
    return build(doc.contents);
  });
}

// --- round-trip loader -----------------------------------------------------------------

/**
 * ruamel's round-trip load of dvc.lock, as the node graph DVC's dump writes back. The root
 * of an empty document is null. Comments are dropped (see the file comment).
 */
export function loadYamlRoundTrip(input: string): YamlLoadResult<YamlNode | null> {
  return run(input, (doc, text) => {
    const memo = new Map<unknown, YamlNode>();
    const build = (node: unknown, isKey: boolean): YamlNode => {
      if (node === null || node === undefined) return scalar('null', '');
      if (isAlias(node)) {
        const target = (node as Alias).resolve(doc);
        if (!target) throw new LoadFailure(`found undefined alias '${(node as Alias).source}'`, (node as Alias).range?.[0]);
        const seen = memo.get(target);
        if (seen && !(seen.kind === 'scalar' && seen.tag === 'null')) return seen;
        return build(target, isKey);
      }
      let out: YamlNode;
      if (isScalar(node)) {
        out = rtScalar(node, text, isKey);
        // Scalars that carry an anchor keep it even when nothing refers to it (always_dump).
        if (node.anchor && out.tag !== 'null') {
          out.anchor = node.anchor;
          out.anchorAlways = true;
        }
      } else if (isSeq(node)) {
        // An empty `[]`/`{}` is written flow anyway; once it gets items ruamel writes it as block.
        const seq: YamlSeq = { kind: 'seq', items: [], flow: !!node.flow && node.items.length > 0 };
        if (node.anchor) seq.anchor = node.anchor;
        memo.set(node, seq);
        for (const item of node.items) seq.items.push(build(item, false));
        return seq;
      } else if (isMap(node)) {
        const map: YamlMap = { kind: 'map', pairs: [], flow: !!node.flow && node.items.length > 0 };
        if (node.anchor) map.anchor = node.anchor;
        memo.set(node, map);
        const seen = new Set<string>();
        for (const pair of node.items) {
          const key = build(pair.key, true);
          const id = key.kind === 'scalar' ? `${key.tag === 'str' || key.tag === 'merge' ? 's' : 'n'}:${key.value}` : '';
          if (id && seen.has(id))
            throw new LoadFailure(`found duplicate key "${key.kind === 'scalar' ? key.value : ''}"`, (pair.key as YNode)?.range?.[0]);
          seen.add(id);
          map.pairs.push([key, build(pair.value, false)]);
        }
        return map;
      } else {
        throw new LoadFailure('unexpected YAML node');
      }
      memo.set(node, out);
      return out;
    };
    if (doc.contents === null || doc.contents === undefined) return null;
    const root = build(doc.contents, false);
    if (root.kind === 'scalar' && root.tag === 'null') return null;
    attachComments(doc, text, memo);
    return root;
  });
}

function rtScalar(node: YScalar, text: string, isKey: boolean): YamlScalar {
  const value = String(node.value ?? '');
  const at = node.range?.[0];
  const kind = scalarKind(node, true);
  if ((node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && kind === 'str') {
    const out = node.type === 'BLOCK_LITERAL' ? scalar('str', value, '|') : scalar('str', foldedWithMarks(node, text), '>');
    // scan_block_scalar_ignored_line: a comment on the header line stays there.
    const headerLine = text.slice(node.range?.[0] ?? 0).split('\n')[0];
    const comment = /^[|>][-+1-9]*( *#.*)$/.exec(headerLine)?.[1];
    if (comment) out.comments = { header: comment };
    return out;
  }
  switch (kind) {
    case 'null':
      return scalar('null', '');
    case 'bool':
      return scalar('bool', value.toLowerCase() === 'true' ? 'true' : 'false');
    case 'int':
      if (node.type !== 'PLAIN') return scalar('int', parseIntText(value).toString());
      return scalar('int', roundTripIntText(value));
    case 'float':
      if (node.type !== 'PLAIN') return scalar('float', floatText(parseFloatText(value)));
      try {
        return scalar('float', roundTripFloatText(value));
      } catch (e) {
        throw e instanceof LoadFailure ? new LoadFailure(e.message, at) : e;
      }
    case 'timestamp':
      return scalar('timestamp', timestamp(value, at, true).text);
    case 'merge':
      return scalar('merge', '<<');
    case 'value':
      // Kept as tagged as a value; as a key it comes back as a plain str (quoted on dump).
      return isKey ? scalar('str', '=') : scalar('value', '=');
    default:
      return scalar('str', value);
  }
}
