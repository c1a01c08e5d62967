// Key positions in TOML: tables, dotted and quoted keys, inline tables; arrays of tables are one list.

import { Stop, decodeDoubleQuoted, join, quotedEnd, type Emit } from './keyPositionsScan';

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
      if (this.peek() !== '.') {
        this.pos = save;
        return segments;
      }
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
        if (q === '"""' && isEscaped(t, end)) {
          i = end + 1;
          continue;
        }
        // Up to two quotes may sit right before the closing delimiter.
        let close = end + 3;
        while (t[close] === q[0] && close - end < 5) close++;
        this.pos = close;
        return;
      }
    }
    if (c === '"') {
      this.pos = quotedEnd(t, this.pos, '"');
      return;
    }
    if (c === "'") {
      const end = t.indexOf("'", this.pos + 1);
      if (end < 0) throw new Stop(this.pos);
      this.pos = end + 1;
      return;
    }
    if (c === '[') {
      this.array();
      return;
    }
    if (c === '{') {
      this.inlineTable(undefined, () => {});
      return;
    }
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
      if (this.peek() === ']') {
        this.pos++;
        return;
      }
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
      if (this.peek() === '}') {
        this.pos++;
        return;
      }
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

export function tomlPositions(text: string, emit: Emit): void {
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
        if (!within(path)) {
          arrays.add(path);
          emit(path, hs, s.pos, hs, s.pos);
        }
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
