// The scalar half of ruamel.yaml's Emitter (emitter.py analyze_scalar, write_plain,
// write_single_quoted, write_double_quoted, write_literal, write_folded) with the output
// primitives they share, as the base of the emitter in yamlEmitter.ts. Columns count code
// points, as Python's str does.

export const BREAKS = '\n\x85\u2028\u2029';
const SPACE_OR_BREAK = '\0 \t\r\n\x85\u2028\u2029';
export const BEST_WIDTH = 80;
export const INDENT = 2;
export const MAX_SIMPLE_KEY = 128;

export interface Analysis {
  empty: boolean;
  multiline: boolean;
  allowFlowPlain: boolean;
  allowBlockPlain: boolean;
  allowSingleQuoted: boolean;
  allowDoubleQuoted: boolean;
  allowBlock: boolean;
}

/** Emitter.analyze_scalar, over code points like Python's str. */
export function analyze(chars: string[]): Analysis {
  if (chars.length === 0) {
    return {
      empty: true,
      multiline: false,
      allowFlowPlain: false,
      allowBlockPlain: true,
      allowSingleQuoted: true,
      allowDoubleQuoted: true,
      allowBlock: false,
    };
  }
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  const text = chars.join('');
  if (text.startsWith('---') || text.startsWith('...')) blockIndicators = flowIndicators = true;
  let precededByWhitespace = true;
  let followedByWhitespace = chars.length === 1 || SPACE_OR_BREAK.includes(chars[1]);
  let previousSpace = false;
  let previousBreak = false;
  const n = chars.length;
  for (let index = 0; index < n; index++) {
    const ch = chars[index];
    if (index === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) flowIndicators = blockIndicators = true;
      if (ch === '?' || ch === ':') {
        if (n === 1) flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (ch === '-' && followedByWhitespace) flowIndicators = blockIndicators = true;
    } else {
      if (',[]{}'.includes(ch)) flowIndicators = true;
      if (ch === ':' && followedByWhitespace) flowIndicators = blockIndicators = true;
      if (ch === '#' && precededByWhitespace) flowIndicators = blockIndicators = true;
    }
    if (BREAKS.includes(ch)) lineBreaks = true;
    const c = ch.codePointAt(0) ?? 0;
    if (!(ch === '\n' || (c >= 0x20 && c <= 0x7e))) {
      const printable =
        (c === 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff)) && c !== 0xfeff;
      // allow_unicode is on: printable non-ASCII is written as is.
      if (!printable) special = true;
    }
    if (ch === ' ') {
      if (index === 0) leadingSpace = true;
      if (index === n - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (BREAKS.includes(ch)) {
      if (index === 0) leadingBreak = true;
      if (index === n - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = previousBreak = false;
    }
    precededByWhitespace = SPACE_OR_BREAK.includes(ch);
    followedByWhitespace = index + 2 >= n || SPACE_OR_BREAK.includes(chars[index + 2]);
  }
  let allowFlowPlain = true;
  let allowBlockPlain = true;
  let allowSingleQuoted = true;
  let allowBlock = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) allowFlowPlain = allowBlockPlain = false;
  if (trailingSpace) allowBlock = false;
  if (breakSpace) allowFlowPlain = allowBlockPlain = allowSingleQuoted = false;
  if (special) allowFlowPlain = allowBlockPlain = allowSingleQuoted = allowBlock = false;
  else if (spaceBreak) allowFlowPlain = allowBlockPlain = allowSingleQuoted = allowBlock = false;
  if (lineBreaks) allowFlowPlain = allowBlockPlain = false;
  if (flowIndicators) allowFlowPlain = false;
  if (blockIndicators) allowBlockPlain = false;
  return { empty: false, multiline: lineBreaks, allowFlowPlain, allowBlockPlain, allowSingleQuoted, allowDoubleQuoted: true, allowBlock };
}

const ESCAPES: Record<string, string> = {
  '\0': '0',
  '\x07': 'a',
  '\x08': 'b',
  '\x09': 't',
  '\x0a': 'n',
  '\x0b': 'v',
  '\x0c': 'f',
  '\x0d': 'r',
  '\x1b': 'e',
  '"': '"',
  '\\': '\\',
  '\x85': 'N',
  '\xa0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

function hex(c: number, width: number): string {
  return c.toString(16).toUpperCase().padStart(width, '0');
}

export abstract class ScalarWriter {
  protected readonly out: string[] = [];
  protected column = 0;
  protected whitespace = true;
  protected indention = true;
  protected noNewline = false;
  protected openEnded = false;
  protected indent: number | null = null;
  protected rootContext = false;

  protected write(data: string): void {
    this.out.push(data);
  }

  protected writeIndicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    const data = this.whitespace || !needWhitespace ? indicator : ' ' + indicator;
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
    this.column += Array.from(data).length;
    this.openEnded = false;
    this.write(data);
  }

  protected writeIndent(): void {
    const indent = this.indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) {
      if (this.noNewline) this.noNewline = false;
      else this.writeLineBreak();
    }
    if (this.column < indent) {
      this.whitespace = true;
      this.write(' '.repeat(indent - this.column));
      this.column = indent;
    }
  }

  protected writeLineBreak(data = '\n'): void {
    this.whitespace = true;
    this.indention = true;
    this.column = 0;
    this.write(data);
  }

  protected writeBreaks(t: string[], start: number, end: number): void {
    for (let i = start; i < end; i++) this.writeLineBreak(t[i] === '\n' ? '\n' : t[i]);
  }

  protected writeText(t: string[], start: number, end: number): void {
    if (start >= end) return;
    this.column += end - start;
    this.write(t.slice(start, end).join(''));
  }

  protected writePlain(t: string[], split: boolean): void {
    if (this.rootContext) this.openEnded = true;
    if (t.length === 0) return;
    if (!this.whitespace) {
      this.column += 1;
      this.write(' ');
    }
    this.whitespace = false;
    this.indention = false;
    let spaces = false;
    let breaks = false;
    let start = 0;
    for (let end = 0; end <= t.length; end++) {
      const ch = end < t.length ? t[end] : null;
      if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column >= BEST_WIDTH && split) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else {
            this.writeText(t, start, end);
          }
          start = end;
        }
      } else if (breaks) {
        if (ch === null || !BREAKS.includes(ch)) {
          if (t[start] === '\n') this.writeLineBreak();
          this.writeBreaks(t, start, end);
          this.writeIndent();
          this.whitespace = false;
          this.indention = false;
          start = end;
        }
      } else if (ch === null || ch === ' ' || BREAKS.includes(ch)) {
        // A word that does not fit moves to a line of its own.
        if (end - start + this.column > BEST_WIDTH && this.indent !== null && this.column > this.indent) this.writeIndent();
        this.column += end - start;
        this.write(t.slice(start, end).join(''));
        start = end;
      }
      if (ch !== null) {
        spaces = ch === ' ';
        breaks = BREAKS.includes(ch);
      }
    }
  }

  protected writeSingleQuoted(t: string[], split: boolean): void {
    this.writeIndicator("'", true);
    let spaces = false;
    let breaks = false;
    let start = 0;
    const n = t.length;
    for (let end = 0; end <= n; end++) {
      const ch = end < n ? t[end] : null;
      if (spaces) {
        if (ch === null || ch !== ' ') {
          if (start + 1 === end && this.column > BEST_WIDTH && split && start !== 0 && end !== n) this.writeIndent();
          else this.writeText(t, start, end);
          start = end;
        }
      } else if (breaks) {
        if (ch === null || !BREAKS.includes(ch)) {
          if (t[start] === '\n') this.writeLineBreak();
          this.writeBreaks(t, start, end);
          this.writeIndent();
          start = end;
        }
      } else if (ch === null || ch === ' ' || BREAKS.includes(ch) || ch === "'") {
        if (start < end) {
          this.writeText(t, start, end);
          start = end;
        }
      }
      if (ch === "'") {
        this.column += 2;
        this.write("''");
        start = end + 1;
      }
      if (ch !== null) {
        spaces = ch === ' ';
        breaks = BREAKS.includes(ch);
      }
    }
    this.writeIndicator("'", false);
  }

  protected writeDoubleQuoted(t: string[], split: boolean): void {
    this.writeIndicator('"', true);
    let start = 0;
    const n = t.length;
    const indexOf = (ch: string, from: number, to = n): number => {
      for (let i = from; i < to; i++) if (t[i] === ch) return i;
      return -1;
    };
    for (let end = 0; end <= n; end++) {
      const ch = end < n ? t[end] : null;
      const c = ch === null ? 0 : (ch.codePointAt(0) ?? 0);
      const plain =
        ch !== null &&
        !'"\\\x85\u2028\u2029\ufeff'.includes(ch) &&
        ((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff));
      if (!plain) {
        if (start < end) {
          this.writeText(t, start, end);
          start = end;
        }
        if (ch !== null) {
          const data =
            ch in ESCAPES ? '\\' + ESCAPES[ch] : c <= 0xff ? '\\x' + hex(c, 2) : c <= 0xffff ? '\\u' + hex(c, 4) : '\\U' + hex(c, 8);
          this.column += data.length;
          this.write(data);
          start = end + 1;
        }
      }
      if (end > 0 && end < n - 1 && (ch === ' ' || start >= end) && this.column + (end - start) > BEST_WIDTH && split) {
        let needBackslash = true;
        // Mirrors the try/except of the original: any out-of-range index keeps the backslash.
        const spaceAt = indexOf(' ', end);
        if (spaceAt >= 0) {
          const nl = indexOf('\n', end, spaceAt);
          const pos = nl >= 0 ? nl : spaceAt;
          if (t[pos] === '\n' && pos + 1 < n && t[pos + 1] !== ' ') {
            // keep
          } else if (t[pos] === '\n' && pos + 1 >= n) {
            // IndexError: keep
          } else {
            const between = t.slice(end, pos);
            if (!between.includes('"') && !between.includes("'")) {
              if (pos + 1 < n && !' \n'.includes(t[pos + 1]) && t.slice(end - 1, end + 1).join('') !== '  ' && start !== end)
                needBackslash = false;
            }
          }
        }
        const data = t.slice(start, end).join('') + (needBackslash ? '\\' : '');
        if (start < end) start = end;
        this.column += Array.from(data).length;
        this.write(data);
        this.writeIndent();
        this.whitespace = false;
        this.indention = false;
        if (t[start] === ' ') {
          if (!needBackslash) start += 1;
          if (needBackslash) {
            this.column += 1;
            this.write('\\');
          }
        }
      }
    }
    this.writeIndicator('"', false);
  }

  protected blockHints(t: string[]): { hints: string; keep: boolean } {
    let hints = '';
    let indicator = '';
    if (t.length > 0) {
      if (' \n\x85\u2028\u2029'.includes(t[0])) hints += String(INDENT);
      if (!BREAKS.includes(t[t.length - 1])) indicator = '-';
      else if (t.length === 1 || BREAKS.includes(t[t.length - 2])) indicator = '+';
    }
    return { hints: hints + indicator, keep: indicator === '+' };
  }

  protected writeLiteral(t: string[], header: string): void {
    const { hints, keep } = this.blockHints(t);
    this.writeIndicator('|' + hints + header, true);
    if (keep) this.openEnded = true;
    this.writeLineBreak();
    let breaks = true;
    let start = 0;
    for (let end = 0; end <= t.length; end++) {
      const ch = end < t.length ? t[end] : null;
      if (breaks) {
        if (ch === null || !BREAKS.includes(ch)) {
          this.writeBreaks(t, start, end);
          if (ch !== null) this.writeIndent();
          start = end;
        }
      } else if (ch === null || BREAKS.includes(ch)) {
        this.write(t.slice(start, end).join(''));
        if (ch === null) this.writeLineBreak();
        start = end;
      }
      if (ch !== null) breaks = BREAKS.includes(ch);
    }
  }

  /** Folded block scalar; '\x07' marks a fold kept from the loaded document. */
  protected writeFolded(t: string[], header: string): void {
    const { hints, keep } = this.blockHints(t);
    this.writeIndicator('>' + hints + header, true);
    if (keep) this.openEnded = true;
    this.writeLineBreak();
    let leadingSpace = true;
    let spaces = false;
    let breaks = true;
    let start = 0;
    for (let end = 0; end <= t.length; end++) {
      const ch = end < t.length ? t[end] : null;
      if (breaks) {
        if (ch === null || !(BREAKS + '\x07').includes(ch)) {
          if (!leadingSpace && ch !== null && ch !== ' ' && t[start] === '\n') this.writeLineBreak();
          leadingSpace = ch === ' ';
          this.writeBreaks(t, start, end);
          if (ch !== null) this.writeIndent();
          start = end;
        }
      } else if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column > BEST_WIDTH) this.writeIndent();
          else this.writeText(t, start, end);
          start = end;
        }
      } else if (ch === null || (' \x07' + BREAKS).includes(ch)) {
        this.writeText(t, start, end);
        if (ch === '\x07') {
          this.writeLineBreak();
          this.writeIndent();
          end += 2;
        }
        if (ch === null) this.writeLineBreak();
        start = end;
      }
      if (ch !== null) {
        breaks = BREAKS.includes(ch);
        spaces = ch === ' ';
      }
    }
  }
}
