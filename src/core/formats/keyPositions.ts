// Where each flattened key of a params/metrics file sits in its text, so an editor can put a
// hint next to the value. The values themselves always come from the real parsers
// (structured.ts + flatten.ts); this only finds positions. It never throws and never needs the
// whole document to be valid: on input it cannot follow it stops, says where, and keeps what it
// found before. One linear pass (no YAML library: `yaml` takes tens of seconds on 5 MB).

import { resolvePlain } from './fastYaml';
import { structuredFormat } from './structured';

export type PositionFormat = 'json' | 'yaml' | 'toml';

/** 0-based line and UTF-16 column, as editors count. */
export interface TextPos { line: number; character: number }

export interface KeySpan {
  /** The flattened key: segments joined with '.', as flatten.ts joins them. */
  key: string;
  /** The key as written (quotes included; the whole dotted key in TOML). */
  keyStart: TextPos;
  keyEnd: TextPos;
  /** The value as written: a list or block scalar spans lines; `key:` with no value is empty. */
  valueStart: TextPos;
  valueEnd: TextPos;
}

export interface KeyPositions {
  /** Leaves (values that are not mappings) in document order; a repeated key keeps its last occurrence, as the parsers do. */
  spans: KeySpan[];
  /** Where reading stopped at input it could not follow; keys after it have no span. */
  stoppedAt?: TextPos;
}

/** The position reader for a file name, following DVC's loader choice; Python params files have none. */
export function positionFormat(fileName: string): PositionFormat | undefined {
  const f = structuredFormat(fileName);
  return f === 'py' ? undefined : f;
}

export function keyPositions(text: string, format: PositionFormat): KeyPositions {
  const lines = new LineIndex(text);
  const keys: string[] = [];
  const offsets: number[] = [];
  const emit: Emit = (key, ks, ke, vs, ve) => { keys.push(key); offsets.push(ks, ke, vs, ve); };
  // Aliases and merges ask which keys are already there.
  const emitted = { keys: () => keys.values(), has: (key: string) => keys.includes(key) };
  let stoppedAt: TextPos | undefined;
  try {
    if (format === 'json') jsonPositions(text, emit);
    else if (format === 'toml') tomlPositions(text, emit);
    else yamlPositions(text, lines, emit, emitted);
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    stoppedAt = lines.at(error.offset);
  }
  // A repeated key keeps its last occurrence (one map pass; no key repeats in most files).
  const last = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) last.set(keys[i], i);
  const out: KeySpan[] = [];
  for (let i = 0; i < keys.length; i++) {
    if (last.size !== keys.length && last.get(keys[i]) !== i) continue;
    const o = i * 4;
    out.push({ key: keys[i], keyStart: lines.at(offsets[o]), keyEnd: lines.at(offsets[o + 1]), valueStart: lines.at(offsets[o + 2]), valueEnd: lines.at(offsets[o + 3]) });
  }
  // Emission follows the text except for a repeated key (moved to its last place): keep line order.
  for (let i = 1; i < out.length; i++) {
    if (compare(out[i - 1].keyStart, out[i].keyStart) > 0) { out.sort((a, b) => compare(a.keyStart, b.keyStart)); break; }
  }
  return stoppedAt ? { spans: out, stoppedAt } : { spans: out };
}

/** The spans whose key line lies in [fromLine, toLine], by binary search over document order. */
export function spansInLines(spans: readonly KeySpan[], fromLine: number, toLine: number): KeySpan[] {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid].keyStart.line < fromLine) lo = mid + 1;
    else hi = mid;
  }
  const out: KeySpan[] = [];
  for (let i = lo; i < spans.length && spans[i].keyStart.line <= toLine; i++) out.push(spans[i]);
  return out;
}

function compare(a: TextPos, b: TextPos): number {
  return a.line - b.line || a.character - b.character;
}

type Emit = (key: string, keyStart: number, keyEnd: number, valueStart: number, valueEnd: number) => void;

/** Thrown at input the scanner cannot follow; carries the offset. */
class Stop {
  constructor(readonly offset: number) {}
}

function join(prefix: string | undefined, key: string): string {
  return prefix === undefined ? key : `${prefix}.${key}`;
}

/** Line starts of a text, for offset -> line/column. */
class LineIndex {
  private readonly starts: number[] = [0];
  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  get count(): number {
    return this.starts.length;
  }

  start(line: number): number {
    return this.starts[line];
  }

  /** End of the line's text, before "\n" or "\r\n". */
  end(line: number): number {
    let e = line + 1 < this.starts.length ? this.starts[line + 1] - 1 : this.text.length;
    if (e > this.starts[line] && this.text.charCodeAt(e - 1) === 13) e--;
    return e;
  }

  private last = 0;

  at(offset: number): TextPos {
    // Offsets mostly come in text order: try the line of the previous lookup and the next one first.
    const s = this.starts;
    const l = this.last;
    if (offset >= s[l] && (l + 1 >= s.length || offset < s[l + 1])) return { line: l, character: offset - s[l] };
    if (l + 1 < s.length && offset >= s[l + 1] && (l + 2 >= s.length || offset < s[l + 2])) { this.last = l + 1; return { line: l + 1, character: offset - s[l + 1] }; }
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.last = lo;
    return { line: lo, character: offset - this.starts[lo] };
  }
}

// ─── JSON and YAML flow collections ──────────────────────────────────────────────────────

const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** JSON objects, and YAML flow mappings/sequences (`{a: 1, b: [2]}`), char by char. */
class FlowScanner {
  constructor(private readonly text: string, public pos: number, private readonly yaml: boolean, private readonly emit: Emit) {}

  private ws(): void {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(this.pos);
      if (isSpace(c)) this.pos++;
      else if (this.yaml && c === 35 && (this.pos === 0 || isSpace(t.charCodeAt(this.pos - 1)))) {
        const nl = t.indexOf('\n', this.pos);
        this.pos = nl < 0 ? t.length : nl;
      } else return;
    }
  }

  /** A mapping at `pos` ('{'): its leaves are emitted under `path`. */
  mapping(path: string | undefined): void {
    this.pos++;
    for (;;) {
      this.ws();
      const c = this.text[this.pos];
      if (c === '}') { this.pos++; return; }
      if (c === undefined) throw new Stop(this.pos);
      const ks = this.pos;
      const key = this.key();
      const ke = this.pos;
      this.ws();
      const full = join(path, key);
      const after = this.text[this.pos];
      if (after === ':') {
        this.pos++;
        this.ws();
        const vs = this.pos;
        if (this.text[this.pos] === '{') this.mapping(full);
        else {
          this.value();
          this.emit(full, ks, ke, vs, this.pos);
        }
      } else if (this.yaml && (after === ',' || after === '}')) {
        this.emit(full, ks, ke, ke, ke); // `{a, b}`: keys with null values
      } else throw new Stop(this.pos);
      this.ws();
      const sep = this.text[this.pos];
      if (sep === ',') this.pos++;
      else if (sep === '}') { this.pos++; return; }
      else throw new Stop(this.pos);
    }
  }

  private key(): string {
    const c = this.text[this.pos];
    const start = this.pos;
    if (c === '"' || (this.yaml && c === "'")) {
      this.pos = this.quoted(c);
      const raw = this.text.slice(start, this.pos);
      return c === '"' ? decodeDoubleQuoted(raw, start) : raw.slice(1, -1).replace(/''/g, "'");
    }
    if (!this.yaml) throw new Stop(this.pos);
    this.plain(true);
    if (this.pos === start) throw new Stop(this.pos);
    return yamlKeyText(this.text.slice(start, this.pos));
  }

  /** Skips one value that is not a mapping; `pos` ends right after its last character. */
  value(): void {
    const c = this.text[this.pos];
    if (c === '"') this.pos = this.quoted('"');
    else if (c === "'" && this.yaml) this.pos = this.quoted("'");
    else if (c === '[' || c === '{') this.nested();
    else if (this.yaml) {
      const start = this.pos;
      this.plain(false);
      if (this.pos === start) throw new Stop(this.pos);
    } else {
      const start = this.pos;
      while (this.pos < this.text.length && !',}]'.includes(this.text[this.pos]) && !isSpace(this.text.charCodeAt(this.pos))) this.pos++;
      if (this.pos === start) throw new Stop(this.pos);
    }
  }

  /** Skips a bracketed collection, strings and comments inside included. */
  nested(): void {
    let depth = 0;
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === '"') { this.pos = this.quoted('"'); continue; }
      if (c === "'" && this.yaml) { this.pos = this.quoted("'"); continue; }
      if (c === '#' && this.yaml && isSpace(t.charCodeAt(this.pos - 1))) { this.ws(); continue; }
      if (c === '[' || c === '{') depth++;
      else if (c === ']' || c === '}') {
        depth--;
        if (depth === 0) { this.pos++; return; }
      }
      this.pos++;
    }
    throw new Stop(this.pos);
  }

  /** End offset (after the closing quote) of a quoted scalar starting at `pos`. */
  private quoted(q: '"' | "'"): number {
    return quotedEnd(this.text, this.pos, q);
  }

  /** A YAML plain scalar inside a flow collection, on one line; trailing spaces excluded. */
  private plain(isKey: boolean): void {
    const t = this.text;
    let end = this.pos;
    let i = this.pos;
    while (i < t.length) {
      const c = t[i];
      if (c === '\n' || c === '\r' || c === ',' || c === '}' || c === ']' || c === '[' || c === '{') break;
      if (c === ':' && (isKey || /[\s,\]}]/.test(t[i + 1] ?? ' '))) break;
      if (c === '#' && isSpace(t.charCodeAt(i - 1))) break;
      i++;
      if (!isSpace(t.charCodeAt(i - 1))) end = i;
    }
    this.pos = end;
  }
}

/** After the closing quote of "…" (backslash escapes) or '…' ('' escapes); may span lines. */
function quotedEnd(text: string, start: number, q: '"' | "'"): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (q === '"' && c === '\\') { i += 2; continue; }
    if (c === q) {
      if (q === "'" && text[i + 1] === "'") { i += 2; continue; }
      return i + 1;
    }
    i++;
  }
  throw new Stop(start);
}

function decodeDoubleQuoted(raw: string, offset: number): string {
  try {
    return JSON.parse(raw) as string;
  } catch {
    // YAML escapes JSON lacks (\x41, \e, a raw newline): close enough for a key's name.
    const inner = raw.slice(1, -1);
    if (!inner.includes('\\')) return inner.replace(/\s*\n\s*/g, ' ');
    try {
      return JSON.parse(`"${inner.replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1').replace(/\n\s*/g, ' ')}"`) as string;
    } catch {
      throw new Stop(offset);
    }
  }
}

/** A plain YAML key the way the parsers name it: `1.0` is the number 1, `true` the boolean. */
function yamlKeyText(text: string): string {
  // Nearly every key is a word; only words like null/true or numbers resolve to something else.
  if (/^[A-EG-MO-SU-Za-eg-mo-su-z_][\w-]*$/.test(text)) return text;
  const value = resolvePlain(text.trim());
  return value === null ? '' : String(value);
}

function jsonPositions(text: string, emit: Emit): void {
  let pos = 0;
  while (pos < text.length && isSpace(text.charCodeAt(pos))) pos++;
  // A top level that is not an object has no keys (the parser reports it).
  if (text[pos] === '{') new FlowScanner(text, pos, false, emit).mapping(undefined);
}

// ─── YAML block style ────────────────────────────────────────────────────────────────────

const isSeqItem = (body: string) => body === '-' || body.startsWith('- ');

/** `key: rest` → the key, where it ends and where the rest starts; undefined if not a key line. */
function splitYamlKey(body: string): { key: string; keyLength: number; rest: number } | undefined {
  const c = body[0];
  let keyLength: number;
  let key: string;
  if (c === '"' || c === "'") {
    let end: number;
    try {
      end = quotedEnd(body, 0, c);
    } catch {
      return undefined;
    }
    const raw = body.slice(0, end);
    key = c === '"' ? decodeDoubleQuoted(raw, 0) : raw.slice(1, -1).replace(/''/g, "'");
    keyLength = end;
  } else {
    if ('[]{}#&*!|>%@`?,'.includes(c)) return undefined;
    let colon = -1;
    for (let i = 0; i < body.length; i++) {
      if (body[i] === ':' && (i + 1 === body.length || body[i + 1] === ' ' || body[i + 1] === '\t')) { colon = i; break; }
      if (body[i] === '#' && i > 0 && (body[i - 1] === ' ' || body[i - 1] === '\t')) return undefined;
    }
    if (colon <= 0) return undefined;
    const text = body.slice(0, colon).trimEnd();
    key = yamlKeyText(text);
    keyLength = text.length;
  }
  let i = keyLength;
  while (body[i] === ' ' || body[i] === '\t') i++;
  if (body[i] !== ':' || (i + 1 < body.length && body[i + 1] !== ' ' && body[i + 1] !== '\t')) return undefined;
  return { key, keyLength, rest: i + 1 };
}

function yamlPositions(text: string, lines: LineIndex, emit: Emit, emitted: { keys(): Iterable<string>; has(key: string): boolean }): void {
  const n = lines.count;
  // Anchored mappings, so an alias (`x: *m`) or a merge (`<<: *m`) gets spans for the keys it brings.
  const anchors = new Map<string, string>();
  const copyAnchor = (name: string, to: string | undefined, ks: number, ke: number, vs: number, ve: number, keepExisting: boolean) => {
    const from = anchors.get(name);
    if (from === undefined) return;
    for (const key of [...new Set(emitted.keys())]) {
      if (!key.startsWith(`${from}.`)) continue;
      const target = join(to, key.slice(from.length + 1));
      if (!(keepExisting && emitted.has(target))) emit(target, ks, ke, vs, ve);
    }
  };
  const lineText = (i: number) => text.slice(lines.start(i), lines.end(i));
  const indentOf = (s: string) => { let i = 0; while (s.charCodeAt(i) === 32) i++; return i; };
  const isNeutral = (body: string) => body === '' || body[0] === '#';
  /** Lines after `from` that belong to a block under `indent`; returns the next line and the last content line. */
  const block = (from: number, indent: number, seqAtIndent: boolean): { next: number; last: number } => {
    let last = from - 1;
    let i = from;
    for (; i < n; i++) {
      const raw = lineText(i);
      const ind = indentOf(raw);
      const body = raw.slice(ind).trimEnd();
      if (body === '') continue;
      // More indented lines belong, '#' ones too (block scalar text); a comment further left does not end the block.
      if (ind > indent || (seqAtIndent && ind === indent && isSeqItem(body))) { last = i; continue; }
      if (body[0] === '#') continue;
      break;
    }
    return { next: last + 1, last };
  };
  const frames: { indent: number; path: string }[] = [];
  let seen = false;
  let i = 0;
  while (i < n) {
    const raw = lineText(i);
    const indent = indentOf(raw);
    const body = raw.slice(indent).trimEnd();
    const lineStart = lines.start(i);
    if (isNeutral(body)) { i++; continue; }
    if (indent === 0) {
      if (!seen && body.startsWith('%')) { i++; continue; }
      if (body === '---' || body.startsWith('--- ')) {
        if (seen || body.length > 3) throw new Stop(lineStart);
        i++;
        continue;
      }
      if (body === '...' || body.startsWith('... ')) return;
    }
    seen = true;
    if (body[0] === '\t') throw new Stop(lineStart + indent);
    if (isSeqItem(body)) { i = block(i + 1, indent, true).next; continue; } // a list we do not descend into
    if (body[0] === '{' && frames.length === 0) {
      const s = new FlowScanner(text, lineStart + indent, true, emit);
      s.mapping(undefined);
      i = lines.at(s.pos).line + 1;
      continue;
    }
    const k = splitYamlKey(body);
    if (!k) throw new Stop(lineStart + indent);
    while (frames.length && frames[frames.length - 1].indent >= indent) frames.pop();
    const full = join(frames.length ? frames[frames.length - 1].path : undefined, k.key);
    const ks = lineStart + indent;
    const ke = ks + k.keyLength;
    // Anchors and tags before the value (`base: &base`, `x: !!float 1`) are not the value.
    let col = indent + k.rest;
    for (;;) {
      while (raw[col] === ' ' || raw[col] === '\t') col++;
      if ((raw[col] === '&' || raw[col] === '!') && col + 1 < raw.length) {
        const start = col;
        while (col < raw.length && raw[col] !== ' ' && raw[col] !== '\t') col++;
        if (raw[start] === '&') anchors.set(raw.slice(start + 1, col), full);
      } else break;
    }
    const rest = raw.slice(col).trimEnd();
    const vs = lineStart + col;
    const alias = /^\*([^\s,\]}]+)\s*(#.*)?$/.exec(rest);
    if (k.key === '<<' && body.startsWith('<<')) {
      // Merged keys point at the merge line; keys the mapping sets itself keep their own line.
      if (alias) copyAnchor(alias[1], frames.length ? frames[frames.length - 1].path : undefined, ks, ke, vs, vs + alias[1].length + 1, true);
      i = block(i + 1, indent, false).next;
      continue;
    }
    if (alias && anchors.has(alias[1]) && [...emitted.keys()].some((e) => e.startsWith(`${anchors.get(alias[1])}.`))) {
      copyAnchor(alias[1], full, ks, ke, vs, vs + alias[1].length + 1, false);
      i++;
      continue;
    }
    if (rest === '' || rest[0] === '#') {
      let j = i + 1;
      while (j < n && isNeutral(lineText(j).trim())) j++;
      const next = j < n ? lineText(j) : '';
      const nIndent = indentOf(next);
      const nBody = next.slice(nIndent).trimEnd();
      if (j < n && nIndent > indent && nBody[0] === '{') {
        const s = new FlowScanner(text, lines.start(j) + nIndent, true, emit);
        s.mapping(full);
        i = lines.at(s.pos).line + 1;
      } else if (j < n && nIndent > indent && !isSeqItem(nBody) && splitYamlKey(nBody)) {
        frames.push({ indent, path: full });
        i = j;
      } else if (j < n && (nIndent > indent || (nIndent === indent && isSeqItem(nBody)))) {
        const b = block(j, indent, nIndent === indent);
        emit(full, ks, ke, lines.start(j) + nIndent, lines.end(b.last));
        i = b.next;
      } else {
        emit(full, ks, ke, ke + 1, ke + 1); // `key:` alone is null
        i++;
      }
      continue;
    }
    const c = rest[0];
    if (c === '{' || c === '[') {
      const s = new FlowScanner(text, vs, true, emit);
      if (c === '{') s.mapping(full);
      else {
        s.nested();
        emit(full, ks, ke, vs, s.pos);
      }
      i = lines.at(s.pos).line + 1;
    } else if (c === '|' || c === '>') {
      const b = block(i + 1, indent, false);
      emit(full, ks, ke, vs, b.last > i ? lines.end(b.last) : lineStart + raw.trimEnd().length);
      i = b.next;
    } else if (c === '"' || c === "'") {
      const end = quotedEnd(text, vs, c);
      emit(full, ks, ke, vs, end);
      i = lines.at(end).line + 1;
    } else {
      // A plain scalar (or an alias); a multi-line one continues on more indented lines.
      const hash = rest.search(/\s#/);
      const value = hash >= 0 ? rest.slice(0, hash).trimEnd() : rest;
      const b = block(i + 1, indent, false);
      emit(full, ks, ke, vs, b.last > i ? lines.end(b.last) : vs + value.length);
      i = b.next;
    }
  }
}

// ─── TOML ────────────────────────────────────────────────────────────────────────────────

class TomlScanner {
  pos = 0;
  constructor(private readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  peek(o = 0): string {
    return this.text[this.pos + o];
  }

  /** Spaces and tabs; with `newlines`, also line breaks and comments. */
  ws(newlines = false): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === ' ' || c === '\t') this.pos++;
      else if (newlines && (c === '\n' || c === '\r')) this.pos++;
      else if (newlines && c === '#') this.toLineEnd();
      else return;
    }
  }

  toLineEnd(): void {
    const nl = this.text.indexOf('\n', this.pos);
    this.pos = nl < 0 ? this.text.length : nl;
  }

  /** After a header or a key/value: only a comment may follow on the line. */
  endOfLine(): void {
    this.ws();
    if (this.peek() === '#') this.toLineEnd();
    const c = this.peek();
    if (c !== undefined && c !== '\n' && c !== '\r') throw new Stop(this.pos);
  }

  /** `a."b.c".'d'` → ['a', 'b.c', 'd']. */
  dottedKey(): string[] {
    const segments: string[] = [];
    for (;;) {
      this.ws();
      const c = this.peek();
      if (c === '"') {
        const end = quotedEnd(this.text, this.pos, '"');
        segments.push(decodeDoubleQuoted(this.text.slice(this.pos, end), this.pos));
        this.pos = end;
      } else if (c === "'") {
        const end = this.text.indexOf("'", this.pos + 1);
        if (end < 0) throw new Stop(this.pos);
        segments.push(this.text.slice(this.pos + 1, end));
        this.pos = end + 1;
      } else {
        const m = /[A-Za-z0-9_-]+/y;
        m.lastIndex = this.pos;
        const hit = m.exec(this.text);
        if (!hit) throw new Stop(this.pos);
        segments.push(hit[0]);
        this.pos += hit[0].length;
      }
      const save = this.pos;
      this.ws();
      if (this.peek() !== '.') { this.pos = save; return segments; }
      this.pos++;
    }
  }

  /** Skips one value that is not an inline table. */
  value(): void {
    const t = this.text;
    const c = this.peek();
    if (t.startsWith('"""', this.pos) || t.startsWith("'''", this.pos)) {
      const q = t.slice(this.pos, this.pos + 3);
      let i = this.pos + 3;
      for (;;) {
        const end = t.indexOf(q, i);
        if (end < 0) throw new Stop(this.pos);
        if (q === '"""' && isEscaped(t, end)) { i = end + 1; continue; }
        // Up to two quotes may sit right before the closing delimiter.
        let close = end + 3;
        while (t[close] === q[0] && close - end < 5) close++;
        this.pos = close;
        return;
      }
    }
    if (c === '"') { this.pos = quotedEnd(t, this.pos, '"'); return; }
    if (c === "'") {
      const end = t.indexOf("'", this.pos + 1);
      if (end < 0) throw new Stop(this.pos);
      this.pos = end + 1;
      return;
    }
    if (c === '[') { this.array(); return; }
    if (c === '{') { this.inlineTable(undefined, () => {}); return; }
    const start = this.pos;
    let end = start;
    while (this.pos < t.length && !'#,]}\n\r'.includes(t[this.pos])) {
      this.pos++;
      if (t[this.pos - 1] !== ' ' && t[this.pos - 1] !== '\t') end = this.pos;
    }
    this.pos = end;
    if (end === start) throw new Stop(start);
  }

  private array(): void {
    this.pos++;
    for (;;) {
      this.ws(true);
      if (this.peek() === ']') { this.pos++; return; }
      if (this.done) throw new Stop(this.pos);
      this.value();
      this.ws(true);
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== ']') throw new Stop(this.pos);
    }
  }

  /** `{ a = 1, b.c = 2 }`: leaves emitted under `path` (nothing when undefined). */
  inlineTable(path: string | undefined, emit: Emit): void {
    this.pos++;
    for (;;) {
      this.ws(true);
      if (this.peek() === '}') { this.pos++; return; }
      if (this.done) throw new Stop(this.pos);
      const ks = this.pos;
      const key = this.dottedKey().join('.');
      const ke = this.pos;
      this.ws();
      if (this.peek() !== '=') throw new Stop(this.pos);
      this.pos++;
      this.ws();
      const full = path === undefined ? undefined : join(path, key);
      if (this.peek() === '{') this.inlineTable(full, emit);
      else {
        const vs = this.pos;
        this.value();
        if (full !== undefined) emit(full, ks, ke, vs, this.pos);
      }
      this.ws(true);
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== '}') throw new Stop(this.pos);
    }
  }
}

function isEscaped(text: string, at: number): boolean {
  let n = 0;
  for (let i = at - 1; text[i] === '\\'; i--) n++;
  return n % 2 === 1;
}

function tomlPositions(text: string, emit: Emit): void {
  const s = new TomlScanner(text);
  let table: string | undefined;
  // Arrays of tables are lists (leaves), named once at their first header; keys inside them are not flattened.
  const arrays = new Set<string>();
  let inArray = false;
  const within = (path: string) => [...arrays].some((a) => path === a || path.startsWith(`${a}.`));
  for (;;) {
    s.ws(true);
    if (s.done) return;
    if (s.peek() === '[') {
      const hs = s.pos;
      const double = s.peek(1) === '[';
      s.pos += double ? 2 : 1;
      const path = s.dottedKey().join('.');
      s.ws();
      if (s.peek() !== ']' || (double && s.peek(1) !== ']')) throw new Stop(s.pos);
      s.pos += double ? 2 : 1;
      if (double) {
        if (!within(path)) { arrays.add(path); emit(path, hs, s.pos, hs, s.pos); }
        inArray = true;
      } else {
        inArray = within(path);
        table = path;
      }
      s.endOfLine();
      continue;
    }
    const ks = s.pos;
    const key = s.dottedKey().join('.');
    const ke = s.pos;
    s.ws();
    if (s.peek() !== '=') throw new Stop(s.pos);
    s.pos++;
    s.ws();
    const full = inArray ? undefined : join(table, key);
    if (s.peek() === '{') s.inlineTable(full, emit);
    else {
      const vs = s.pos;
      s.value();
      if (full !== undefined) emit(full, ks, ke, vs, s.pos);
    }
    s.endOfLine();
  }
}
