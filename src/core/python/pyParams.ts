// DVC's Python params files (dvc/utils/serialize/_py.py): DVC parses the module with `ast`
// and keeps, from the module body only, `NAME = <literal>` / `NAME: T = <literal>`, classes
// (a nested mapping of their body, plus `self.x = <literal>` inside their `__init__`), and
// `self.x` assignments in a top-level `__init__`. Values go through ast.literal_eval; any
// statement whose value is not a literal, or whose target is not a single name, is skipped.
// We have no Python parser, so a small tokenizer splits logical lines and indented blocks and
// a recursive reader accepts the literal_eval subset. Values JSON cannot hold (bytes, complex,
// Ellipsis, f-strings) make the statement skipped, as an unreadable value does in DVC.

import type { DataMap, DataValue, ParseResult } from '../data/types';
import { failure, success } from '../data/types';
import { setEntry } from '../data/flatten';

type TokenKind = 'name' | 'number' | 'string' | 'op';
interface Token {
  kind: TokenKind;
  text: string;
  line: number;
  column: number;
  prefix?: string;
  body?: string;
}
interface LogicalLine {
  indent: number;
  tokens: Token[];
}

class TokenizeError {
  constructor(
    readonly message: string,
    readonly line: number,
    readonly column: number,
  ) {}
}
/** Thrown inside the literal reader; the statement is skipped, as DVC does on ValueError. */
class NotLiteral {}

const STRING_START = /(?:[rR][bBfF]|[bBfF][rR]|[rRbBuUfF])?('''|"""|'|")/y;
const NUMBER = /(?:0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][-+]?\d[\d_]*)?[jJ]?)/y;
const NAME = /[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{N}\p{Mn}\p{Mc}\p{Pc}_]*/uy;
const OPS = [
  '**=',
  '//=',
  '>>=',
  '<<=',
  '...',
  '->',
  ':=',
  '==',
  '!=',
  '<=',
  '>=',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '@=',
  '**',
  '//',
  '<<',
  '>>',
];
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
const COMPOUND = new Set(['if', 'elif', 'else', 'for', 'while', 'with', 'try', 'except', 'finally', 'def', 'class', 'async']);

function tokenize(text: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  const brackets: Token[] = [];
  let tokens: Token[] = [];
  let indent = 0;
  let pos = 0;
  let line = 1;
  let lineStart = 0;
  let atLineStart = true;
  const here = (): [number, number] => [line, pos - lineStart + 1];
  const newline = (): void => {
    pos += text.startsWith('\r\n', pos) ? 2 : 1;
    line++;
    lineStart = pos;
  };
  while (pos < text.length) {
    if (atLineStart) {
      // Indentation width as Python counts it (tabs to the next multiple of 8).
      let width = 0;
      for (; pos < text.length && ' \t\f'.includes(text[pos]); pos++) {
        width = text[pos] === '\t' ? (Math.floor(width / 8) + 1) * 8 : text[pos] === ' ' ? width + 1 : 0;
      }
      indent = width;
      atLineStart = false;
    }
    const c = text[pos];
    if (c === ' ' || c === '\t' || c === '\f') {
      pos++;
    } else if (c === '\n' || c === '\r') {
      newline();
      if (brackets.length === 0) {
        if (tokens.length > 0) lines.push({ indent, tokens });
        tokens = [];
        atLineStart = true;
      }
    } else if (c === '#') {
      while (pos < text.length && text[pos] !== '\n' && text[pos] !== '\r') pos++;
    } else if (c === '\\') {
      pos++;
      if (text[pos] !== '\n' && text[pos] !== '\r') {
        throw new TokenizeError('unexpected character after line continuation character', ...here());
      }
      newline();
    } else if (((STRING_START.lastIndex = pos), STRING_START.test(text))) {
      STRING_START.lastIndex = pos;
      const m = STRING_START.exec(text)!;
      const [startLine, startColumn] = here();
      const quote = m[1];
      const prefix = m[0].slice(0, m[0].length - quote.length).toLowerCase();
      let i = pos + m[0].length;
      for (;;) {
        if (i >= text.length || (quote.length === 1 && (text[i] === '\n' || text[i] === '\r'))) {
          throw new TokenizeError('unterminated string literal', startLine, startColumn);
        }
        if (text.startsWith(quote, i)) break;
        if (text[i] === '\\') {
          // An escaped CRLF is one line continuation, not an escaped CR and a bare LF.
          i += text.startsWith('\r\n', i + 1) ? 2 : 1;
        }
        if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) {
          line++;
          lineStart = i + 1;
        }
        i++;
      }
      const body = text.slice(pos + m[0].length, i);
      const raw = text.slice(pos, i + quote.length);
      pos = i + quote.length;
      tokens.push({ kind: 'string', text: raw, line: startLine, column: startColumn, prefix, body });
    } else if (((NUMBER.lastIndex = pos), NUMBER.test(text)) && (c !== '.' || /\d/.test(text[pos + 1] ?? ''))) {
      NUMBER.lastIndex = pos;
      const m = NUMBER.exec(text)!;
      tokens.push({ kind: 'number', text: m[0], line, column: pos - lineStart + 1 });
      pos += m[0].length;
    } else if (((NAME.lastIndex = pos), NAME.test(text))) {
      NAME.lastIndex = pos;
      const m = NAME.exec(text)!;
      tokens.push({ kind: 'name', text: m[0], line, column: pos - lineStart + 1 });
      pos += m[0].length;
    } else {
      const op = OPS.find((o) => text.startsWith(o, pos)) ?? c;
      const token: Token = { kind: 'op', text: op, line, column: pos - lineStart + 1 };
      if ('([{'.includes(op)) {
        brackets.push(token);
      } else if (op in CLOSERS) {
        const open = brackets.pop();
        if (!open || open.text !== CLOSERS[op]) {
          throw new TokenizeError(`unmatched '${op}'`, token.line, token.column);
        }
      }
      tokens.push(token);
      pos += op.length;
    }
  }
  if (brackets.length > 0) {
    const open = brackets[brackets.length - 1];
    throw new TokenizeError(`'${open.text}' was never closed`, open.line, open.column);
  }
  if (tokens.length > 0) lines.push({ indent, tokens });
  return lines;
}

/** Splits tokens at `sep` ops outside brackets. */
function splitTop(tokens: Token[], sep: string): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'op' && '([{'.includes(t.text)) depth++;
    if (t.kind === 'op' && t.text in CLOSERS) depth--;
    if (depth === 0 && t.kind === 'op' && t.text === sep) parts.push([]);
    else parts[parts.length - 1].push(t);
  }
  return parts;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\n': '',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

function decodeString(token: Token): string {
  const prefix = token.prefix ?? '';
  // Bytes and f-strings are not something a params table can show (f-strings are not even
  // literals for literal_eval).
  if (prefix.includes('b') || prefix.includes('f')) throw new NotLiteral();
  const body = (token.body ?? '').replace(/\r\n?/g, '\n');
  if (prefix.includes('r')) return body;
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|N\{[^}]*\}|[\s\S])/g, (all, esc: string) => {
    if (esc in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[esc];
    if (/^[xuU]/.test(esc)) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    if (/^[0-7]/.test(esc)) return String.fromCodePoint(parseInt(esc, 8));
    if (esc.startsWith('N{')) throw new NotLiteral();
    return all; // Python keeps unknown escapes verbatim.
  });
}

/** repr() of a Python int/float. */
function pyNumberKey(value: number, isFloat: boolean): string {
  if (!isFloat) return String(value);
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'nan' : value > 0 ? 'inf' : '-inf';
  const [mantissa, exp] = value.toExponential().split('e');
  const e = Number(exp);
  if (e < -4 || e >= 16) return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  const s = String(value);
  return s.includes('.') ? s : `${s}.0`;
}

/** Reads the literal_eval subset from a token list; throws NotLiteral for anything else. */
class LiteralReader {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  readAll(): DataValue {
    const value = this.readTupleOrExpr(undefined);
    if (this.i !== this.tokens.length) throw new NotLiteral();
    return value;
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.i + offset];
  }
  private isOp(text: string, offset = 0): boolean {
    return this.peek(offset)?.kind === 'op' && this.peek(offset)?.text === text;
  }
  private expectOp(text: string): void {
    if (!this.isOp(text)) throw new NotLiteral();
    this.i++;
  }

  /** An expression, or a bare tuple `a, b` ending at `closer` (or at the end of tokens). */
  private readTupleOrExpr(closer: string | undefined): DataValue {
    const first = this.readExpr().value;
    if (!this.isOp(',')) return first;
    const items = [first];
    while (this.isOp(',')) {
      this.i++;
      if (this.peek() === undefined || (closer !== undefined && this.isOp(closer))) break;
      items.push(this.readExpr().value);
    }
    return items;
  }

  private readItems(closer: string): DataValue[] {
    const items: DataValue[] = [];
    while (!this.isOp(closer)) {
      items.push(this.readExpr().value);
      if (!this.isOp(closer)) this.expectOp(',');
    }
    this.i++;
    return items;
  }

  private readExpr(): { value: DataValue; isFloat?: boolean } {
    const t = this.peek();
    if (!t) throw new NotLiteral();
    this.i++;
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      // literal_eval allows exactly one sign in front of a number.
      const n = this.peek();
      if (!n || n.kind !== 'number') throw new NotLiteral();
      const inner = this.readExpr();
      const v = inner.value as number | bigint;
      return { value: t.text === '-' ? -v : v, isFloat: inner.isFloat };
    }
    if (t.kind === 'number') {
      if (/[jJ]$/.test(t.text)) throw new NotLiteral();
      const clean = t.text.replace(/_/g, '');
      const isFloat = !/^0[xXoObB]/.test(clean) && /[.eE]/.test(clean);
      // Number() reads 0x/0o/0b itself; a leading-zero decimal like 007 is a SyntaxError in
      // Python 3, hence not accepted here either.
      if (!isFloat && /^0\d/.test(clean) && !/^0+$/.test(clean)) throw new NotLiteral();
      const value = Number(clean);
      // Python ints have no size limit: past 2^53 an int stays exact (a bigint).
      return { value: !isFloat && !Number.isSafeInteger(value) ? BigInt(clean) : value, isFloat };
    }
    if (t.kind === 'string') {
      let s = decodeString(t);
      while (this.peek()?.kind === 'string') s += decodeString(this.tokens[this.i++]);
      return { value: s };
    }
    if (t.kind === 'name') {
      if (t.text === 'True') return { value: true };
      if (t.text === 'False') return { value: false };
      if (t.text === 'None') return { value: null };
      if (t.text === 'set' && this.isOp('(') && this.isOp(')', 1)) {
        this.i += 2;
        return { value: [] };
      }
      throw new NotLiteral();
    }
    if (t.text === '(') {
      if (this.isOp(')')) {
        this.i++;
        return { value: [] };
      }
      const start = this.i;
      const inner = this.readExpr();
      if (this.isOp(')')) {
        this.i++;
        return inner;
      }
      this.i = start;
      const value = this.readTupleOrExpr(')');
      this.expectOp(')');
      return { value };
    }
    if (t.text === '[') return { value: this.readItems(']') };
    if (t.text === '{') return { value: this.readBraces() };
    throw new NotLiteral();
  }

  private readBraces(): DataValue {
    if (this.isOp('}')) {
      this.i++;
      return {};
    }
    const start = this.i;
    const firstKey = this.readExpr();
    if (!this.isOp(':')) {
      // A set: kept as a list of its distinct items, in source order.
      this.i = start;
      const items = this.readItems('}');
      return items.filter((v, k) => items.findIndex((w) => Object.is(w, v) || w === v) === k);
    }
    const result: { [key: string]: DataValue } = {};
    for (let key = firstKey; ; key = this.readExpr()) {
      this.expectOp(':');
      setEntry(result, pyKey(key), this.readExpr().value);
      if (!this.isOp('}')) this.expectOp(',');
      if (this.isOp('}')) break;
    }
    this.i++;
    return result;
  }
}

/** str() of a Python dict key, since DataMap keys are strings. */
function pyKey({ value, isFloat }: { value: DataValue; isFloat?: boolean }): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return pyNumberKey(value, isFloat === true);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value === null) return 'None';
  throw new NotLiteral(); // tuple keys: no faithful string form
}

function targetName(tokens: Token[], onlySelf: boolean): string | undefined {
  if (tokens.length === 1 && tokens[0].kind === 'name' && !onlySelf) return tokens[0].text;
  if (tokens.length === 3 && tokens[0].text === 'self' && tokens[1].text === '.' && tokens[2].kind === 'name') return tokens[2].text;
  return undefined;
}

function readStatement(tokens: Token[], onlySelf: boolean, into: DataMap): void {
  const parts = splitTop(tokens, '=');
  if (parts.length !== 2 || parts[1].length === 0) return; // not an assignment, or chained
  const [targetPart] = splitTop(parts[0], ':'); // `x: int = 1` annotates a single target
  const name = targetName(targetPart, onlySelf);
  if (name === undefined) return;
  try {
    setEntry(into, name, new LiteralReader(parts[1]).readAll());
  } catch (err) {
    if (!(err instanceof NotLiteral)) throw err;
  }
}

function readBlock(lines: LogicalLine[], start: number, end: number, onlySelf: boolean, into: DataMap): void {
  let i = start;
  while (i < end) {
    const { indent, tokens } = lines[i];
    let bodyEnd = i + 1;
    while (bodyEnd < end && lines[bodyEnd].indent > indent) bodyEnd++;
    const head = tokens[0];
    const last = tokens[tokens.length - 1];
    const compound = (head.kind === 'name' && COMPOUND.has(head.text)) || (last.kind === 'op' && last.text === ':');
    if (head.kind === 'op' && head.text === '@') {
      // A decorator belongs to the class/def on the next line.
    } else if (compound && (head.text === 'class' || head.text === 'def') && tokens[1]?.kind === 'name') {
      const isClass = head.text === 'class';
      if (isClass || tokens[1].text === '__init__') {
        const header = splitTop(tokens, ':');
        const inline = header.slice(1).flatMap((part, k) => (k === 0 ? part : [{ ...last, text: ':' }, ...part]));
        const target: DataMap = isClass ? {} : into;
        for (const stmt of splitTop(inline, ';')) if (stmt.length > 0) readStatement(stmt, !isClass, target);
        readBlock(lines, i + 1, bodyEnd, !isClass, target);
        if (isClass) setEntry(into, tokens[1].text, target);
      }
    } else if (!compound) {
      for (const stmt of splitTop(tokens, ';')) if (stmt.length > 0) readStatement(stmt, onlySelf, into);
    }
    i = compound ? bodyEnd : i + 1;
  }
}

/** Ints past 2^53 as the nearest number, for readers that do not ask for exact values. */
function roundBigInts(v: DataValue): DataValue {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(roundBigInts);
  if (v !== null && typeof v === 'object') {
    for (const key of Object.keys(v)) v[key] = roundBigInts(v[key]);
  }
  return v;
}

/**
 * DVC's Python params: module-level literal assignments and classes (nested mappings).
 * Anything else is skipped; a file the tokenizer cannot read fails as 'unsupported'. Ints
 * have no size limit in Python (ast.literal_eval): with `bigInts` one past 2^53 is an exact
 * bigint, else the nearest number.
 */
export function parsePyParams(text: string, options: { bigInts?: boolean } = {}): ParseResult<DataMap> {
  let lines: LogicalLine[];
  try {
    lines = tokenize(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    if (err instanceof TokenizeError)
      return failure(`Python file structure is corrupted: ${err.message}`, err.line, err.column, 'unsupported');
    return failure(`Python file could not be read: ${String(err)}`, undefined, undefined, 'unsupported');
  }
  const result: DataMap = {};
  try {
    readBlock(lines, 0, lines.length, false, result);
  } catch (err) {
    return failure(`Python file could not be read: ${String(err)}`, undefined, undefined, 'unsupported');
  }
  return success(options.bigInts ? result : (roundBigInts(result) as DataMap));
}
