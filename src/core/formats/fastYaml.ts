import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';

/**
 * A fast path for the plain block YAML that params files, metrics files and dvc.lock almost
 * always are: block mappings and sequences, plain or simply quoted one-line scalars, comments,
 * empty or one-line flow collections of plain scalars. Anything else (anchors, tags, block
 * scalars, multi-line scalars, escapes, merge keys, duplicate keys, tabs, documents) returns
 * undefined and the caller uses the full `yaml` parser, which also produces every error
 * message. Scalars resolve by the YAML 1.2 core schema exactly as `yaml` does; a differential
 * test compares the two on generated documents.
 */
export type FastNode =
  | { kind: 'map'; entries: [string, FastNode][] }
  | { kind: 'seq'; items: FastNode[] }
  | { kind: 'scalar'; value: null | boolean | number | string; source: string; offset?: number };

/** `offset`: where the line's text starts in the input, for error lines readers compute. */
interface Line {
  indent: number;
  text: string;
  offset: number;
}

class Bail extends Error {}
const BAIL = new Bail();

export function fastYaml(input: string): FastNode | undefined {
  const lines: Line[] = [];
  let start = 0;
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let raw = text.slice(start, end);
    const lineStart = start;
    start = end + 1;
    if (raw.endsWith('\r')) raw = raw.slice(0, -1);
    if (raw.includes('\t')) return undefined;
    const body = raw.trimStart();
    if (body === '' || body.startsWith('#')) continue;
    if (lines.length === 0 && raw === '---') continue;
    if (raw.startsWith('---') || raw.startsWith('...') || raw.startsWith('%')) return undefined;
    lines.push({ indent: raw.length - body.length, text: body.trimEnd(), offset: lineStart + raw.length - body.length });
    if (start > text.length) break;
  }
  if (lines.length === 0) return { kind: 'scalar', value: null, source: '' };
  try {
    const parser = new BlockParser(lines);
    const node = parser.block(0, lines[0].indent);
    if (parser.pos !== lines.length) return undefined;
    return node;
  } catch (error) {
    if (error instanceof Bail) return undefined;
    throw error;
  }
}

class BlockParser {
  pos = 0;
  constructor(private readonly lines: Line[]) {}

  /** The node starting at line `pos`, whose lines are indented exactly `indent`. */
  block(_depth: number, indent: number): FastNode {
    const first = this.lines[this.pos];
    if (first.indent !== indent) throw BAIL;
    return isSeqItem(first.text) ? this.sequence(indent) : this.mapping(indent);
  }

  private mapping(indent: number): FastNode {
    const entries: [string, FastNode][] = [];
    const seen = new Set<string>();
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos];
      if (line.indent < indent) break;
      if (line.indent > indent || isSeqItem(line.text)) throw BAIL;
      this.pos++;
      const [key, rest] = splitKey(line.text);
      if (seen.has(key)) throw BAIL; // duplicate keys: the full parser reports them
      seen.add(key);
      entries.push([key, this.valueAfterKey(rest, indent, line.offset + line.text.length - rest.length)]);
    }
    return { kind: 'map', entries };
  }

  private sequence(indent: number): FastNode {
    const items: FastNode[] = [];
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos];
      // A key at the sequence's own indent ends it: `deps:\n- a\nouts:` in dvc.lock.
      if (line.indent < indent || (line.indent === indent && !isSeqItem(line.text))) break;
      if (line.indent > indent) throw BAIL;
      const rest = line.text === '-' ? '' : line.text.slice(2);
      const restTrim = rest.trimStart();
      if (restTrim === '' || restTrim.startsWith('#')) {
        this.pos++;
        items.push(this.childOrNull(indent, false));
      } else if (isSeqItem(restTrim)) {
        throw BAIL; // "- - a": nested compact sequences are rare; leave them to the full parser
      } else if (looksLikeKey(restTrim)) {
        // "- key: value" starts a mapping whose column is where "key" starts.
        const column = line.indent + (line.text.length - restTrim.length);
        this.lines[this.pos] = { indent: column, text: restTrim, offset: line.offset + (column - line.indent) };
        items.push(this.mapping(column));
      } else {
        this.pos++;
        items.push(scalarOrFlow(restTrim, line.offset));
      }
    }
    return { kind: 'seq', items };
  }

  private valueAfterKey(rest: string, indent: number, offset: number): FastNode {
    const value = rest.trim();
    if (value !== '' && !value.startsWith('#')) return scalarOrFlow(value, offset + rest.length - rest.trimStart().length);
    return this.childOrNull(indent, true);
  }

  /** After "key:" or "-": a more indented block, a same-indent "- " sequence (keys only), or null. */
  private childOrNull(indent: number, allowSameIndentSeq: boolean): FastNode {
    const next = this.lines[this.pos];
    if (next && next.indent > indent) return this.block(0, next.indent);
    if (next && allowSameIndentSeq && next.indent === indent && isSeqItem(next.text)) return this.sequence(indent);
    return { kind: 'scalar', value: null, source: '' };
  }
}

function isSeqItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

const PLAIN_KEY = /^([^\s'"\[\]{}#&*!|>%@`,?:-][^:#]*?|-[^\s:#][^:#]*?)\s*:(?:\s+(.*))?$/;

function looksLikeKey(text: string): boolean {
  return PLAIN_KEY.test(text) || /^'[^']*'\s*:(\s|$)/.test(text) || /^"[^"\\]*"\s*:(\s|$)/.test(text);
}

function splitKey(text: string): [string, string] {
  const quoted = /^(?:'([^']*)'|"([^"\\]*)")\s*:(?:\s+(.*))?$/.exec(text);
  if (quoted) return [quoted[1] ?? quoted[2], quoted[3] ?? ''];
  const m = PLAIN_KEY.exec(text);
  if (!m) throw BAIL;
  const key = m[1].trimEnd();
  if (key === '<<' || key.includes(' #')) throw BAIL;
  // Keys that resolve to non-strings (1, true, null, 1.0) are stringified differently by the
  // full parser; only keys that stay the same string take the fast path.
  if (typeof resolvePlain(key) !== 'string') throw BAIL;
  return [key, m[2] ?? ''];
}

function scalarOrFlow(text: string, offset: number): FastNode {
  const node = scalarOrFlowAt(text);
  if (node.kind === 'scalar') node.offset = offset;
  return node;
}

function scalarOrFlowAt(text: string): FastNode {
  const c = text[0];
  if (c === '[') return flowSequence(text);
  if (c === '{') {
    if (/^\{\s*\}\s*(#.*)?$/.test(text)) return { kind: 'map', entries: [] };
    throw BAIL;
  }
  if (c === "'") {
    const m = /^'((?:[^']|'')*)'\s*(?:#.*)?$/.exec(text);
    if (!m) throw BAIL;
    return { kind: 'scalar', value: m[1].replace(/''/g, "'"), source: text };
  }
  if (c === '"') {
    const m = /^"([^"\\]*)"\s*(?:#.*)?$/.exec(text);
    if (!m) throw BAIL;
    return { kind: 'scalar', value: m[1], source: text };
  }
  if ('&*!|>%@`]},#'.includes(c) || ((c === '-' || c === '?' || c === ':') && (text.length === 1 || text[1] === ' '))) throw BAIL;
  const hash = text.indexOf(' #');
  const plain = (hash >= 0 ? text.slice(0, hash) : text).trimEnd();
  if (plain.includes(': ') || plain.endsWith(':')) throw BAIL;
  return { kind: 'scalar', value: resolvePlain(plain), source: plain };
}

function flowSequence(text: string): FastNode {
  const m = /^\[([^\[\]{}'"#]*)\]\s*(?:#.*)?$/.exec(text);
  if (!m) throw BAIL;
  const inner = m[1].trim();
  if (inner === '') return { kind: 'seq', items: [] };
  const parts = inner.split(',').map((p) => p.trim());
  if (parts[parts.length - 1] === '') parts.pop(); // a trailing comma is allowed
  if (parts.some((p) => p === '' || p.includes(': ') || p.endsWith(':'))) throw BAIL;
  return { kind: 'seq', items: parts.map((p) => ({ kind: 'scalar', value: resolvePlain(p), source: p })) };
}

/** YAML 1.2 core schema resolution of a plain scalar, as the `yaml` package does it. */
export function resolvePlain(s: string): null | boolean | number | string {
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (s === 'true' || s === 'True' || s === 'TRUE') return true;
  if (s === 'false' || s === 'False' || s === 'FALSE') return false;
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16);
  if (/^[-+]?[0-9]+$/.test(s)) return Number(s);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(s)) return s[0] === '-' ? -Infinity : Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(s)) return NaN;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s)) return parseFloat(s);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return parseFloat(s);
  return s;
}

/**
 * An int scalar past 2^53 as the exact bigint its source says (what `yaml` gives with
 * intAsBigInt); every other scalar as resolved.
 */
function exactValue(node: FastNode & { kind: 'scalar' }): null | boolean | number | bigint | string {
  const v = node.value;
  if (typeof v !== 'number' || !Number.isInteger(v) || Number.isSafeInteger(v)) return v;
  const s = node.source;
  if (/^[-+]?[0-9]+$/.test(s)) return BigInt(s.replace(/^\+/, ''));
  if (/^0o[0-7]+$/.test(s) || /^0x[0-9a-fA-F]+$/.test(s)) return BigInt(s);
  return v;
}

/** The plain JS value; with `exact`, ints past 2^53 are bigints (see exactValue). */
export function fastToJS(node: FastNode, exact = false): unknown {
  if (node.kind === 'scalar') return exact ? exactValue(node) : node.value;
  if (node.kind === 'seq') return node.items.map((item) => fastToJS(item, exact));
  const out: Record<string, unknown> = {};
  for (const [k, v] of node.entries) {
    // Plain assignment would hit Object.prototype's __proto__ setter.
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: fastToJS(v, exact), enumerable: true, writable: true, configurable: true });
    else out[k] = fastToJS(v, exact);
  }
  return out;
}

/** The same tree as `yaml` nodes, for readers that walk the document (dvc.lock keeps md5 sources). */
export function fastToDocument(node: FastNode, exact = false): Document {
  const doc = new Document();
  doc.contents = toYamlNode(node, exact) as Document['contents'];
  return doc;
}

function toYamlNode(node: FastNode, exact: boolean): unknown {
  if (node.kind === 'scalar') {
    const scalar = new Scalar(exact ? exactValue(node) : node.value);
    scalar.source = node.source;
    if (node.offset !== undefined) scalar.range = [node.offset, node.offset + node.source.length, node.offset + node.source.length];
    return scalar;
  }
  if (node.kind === 'seq') {
    const seq = new YAMLSeq();
    for (const item of node.items) seq.items.push(toYamlNode(item, exact));
    return seq;
  }
  const map = new YAMLMap();
  for (const [k, v] of node.entries) map.items.push(new Pair(new Scalar(k), toYamlNode(v, exact)));
  return map;
}
