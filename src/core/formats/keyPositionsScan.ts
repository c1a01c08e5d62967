// The shared pieces of the key-position readers (keyPositions.ts): offsets to lines, the
// stop signal, quoted strings, and JSON/YAML flow collections (`{a: 1, b: [2]}`).

import { resolvePlain } from './fastYaml';

/** 0-based line and UTF-16 column, as editors count. */
export interface TextPos {
  line: number;
  character: number;
}

export type Emit = (key: string, keyStart: number, keyEnd: number, valueStart: number, valueEnd: number) => void;

/** Thrown at input the scanner cannot follow; carries the offset. */
export class Stop {
  constructor(readonly offset: number) {}
}

export function join(prefix: string | undefined, key: string): string {
  return prefix === undefined ? key : `${prefix}.${key}`;
}

/** Line starts of a text, for offset -> line/column. */
export class LineIndex {
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
    if (l + 1 < s.length && offset >= s[l + 1] && (l + 2 >= s.length || offset < s[l + 2])) {
      this.last = l + 1;
      return { line: l + 1, character: offset - s[l + 1] };
    }
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

export const isSpace = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;

/** JSON objects, and YAML flow mappings/sequences (`{a: 1, b: [2]}`), char by char. */
export class FlowScanner {
  constructor(
    private readonly text: string,
    public pos: number,
    private readonly yaml: boolean,
    private readonly emit: Emit,
  ) {}

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
      if (c === '}') {
        this.pos++;
        return;
      }
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
      else if (sep === '}') {
        this.pos++;
        return;
      } else throw new Stop(this.pos);
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
      if (c === '"') {
        this.pos = this.quoted('"');
        continue;
      }
      if (c === "'" && this.yaml) {
        this.pos = this.quoted("'");
        continue;
      }
      if (c === '#' && this.yaml && isSpace(t.charCodeAt(this.pos - 1))) {
        this.ws();
        continue;
      }
      if (c === '[' || c === '{') depth++;
      else if (c === ']' || c === '}') {
        depth--;
        if (depth === 0) {
          this.pos++;
          return;
        }
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
export function quotedEnd(text: string, start: number, q: '"' | "'"): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (q === '"' && c === '\\') {
      i += 2;
      continue;
    }
    if (c === q) {
      if (q === "'" && text[i + 1] === "'") {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  throw new Stop(start);
}

export function decodeDoubleQuoted(raw: string, offset: number): string {
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
export function yamlKeyText(text: string): string {
  // Nearly every key is a word; only words like null/true or numbers resolve to something else.
  if (/^[A-EG-MO-SU-Za-eg-mo-su-z_][\w-]*$/.test(text)) return text;
  const value = resolvePlain(text.trim());
  return value === null ? '' : String(value);
}
