// `exp run -S/--set-param [file:]key=value`, read as DVC reads it: the argument is split into a
// params file and an override (dvc/utils/cli_parse.py to_path_overrides), and the override is
// parsed with Hydra's override grammar (hydra/grammar/OverrideLexer.g4, OverrideParser.g4,
// core/override_parser/overrides_visitor.py), which decides the value's type: `0.01` is a
// float, `3` an int, `true` a bool, `null` None, `[1, 2]` a list, `{a: 1}` a dict, `'3'` a
// string, `a,b` or `range(1,3)` a sweep (which DVC refuses without --queue). The lexer takes
// the longest token at each point and, between tokens of equal length, the rule defined first,
// as ANTLR's does; checked against Hydra 1.3 on the cases in test/core/experiments.

import { PyFloat } from '../python/pyFloat';
import type { PyDict, PyKey, PyValue } from '../python/pyFloat';

export type OverrideKind = 'change' | 'add' | 'force-add' | 'delete';

export interface ParamOverride {
  /** The override as given after the file part, e.g. `train.lr=0.01`. */
  input: string;
  kind: OverrideKind;
  /** Dotted key, e.g. `train.lr`. */
  key: string;
  /** The parsed value; undefined only for `~key` without `=`. */
  value?: PyValue;
  /** `a,b`, `range(…)`, `choice(…)`…: several values, one experiment each. */
  sweep?: boolean;
}

/** A -S argument that cannot be used; the message names it. Bad input: exit 2. */
export class SetParamError extends Error {}

export const DEFAULT_PARAMS_FILE = 'params.yaml';

/** to_path_overrides: `file:override` when the part before `=` holds ':', else params.yaml. */
export function pathOverrides(args: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const arg of args) {
    const eq = arg.indexOf('=');
    const pathAndName = eq < 0 ? arg : arg.slice(0, eq);
    let path = DEFAULT_PARAMS_FILE;
    let override = arg;
    if (pathAndName.includes(':')) {
      const colon = arg.indexOf(':');
      path = arg.slice(0, colon);
      override = arg.slice(colon + 1);
    }
    const list = out.get(path) ?? [];
    list.push(override);
    out.set(path, list);
  }
  return out;
}

// --- lexer (VALUE_MODE of OverrideLexer.g4) ---------------------------------------------

type Tok =
  | 'POPEN'
  | 'COMMA'
  | 'PCLOSE'
  | 'BRACKET_OPEN'
  | 'BRACKET_CLOSE'
  | 'BRACE_OPEN'
  | 'BRACE_CLOSE'
  | 'COLON'
  | 'EQUAL'
  | 'FLOAT'
  | 'INT'
  | 'BOOL'
  | 'NULL'
  | 'UNQUOTED_CHAR'
  | 'ID'
  | 'ESC'
  | 'WS'
  | 'QUOTED_VALUE'
  | 'INTERPOLATION';

interface Token {
  type: Tok;
  text: string;
  at: number;
}

const IU = '(?:0|[1-9](?:_?[0-9])*)';
const DIGITS = '[0-9](?:_?[0-9])*';
const POINT_WITH_DIGITS = `${IU}?\\.${DIGITS}`;
const POINT_BARE = `${IU}\\.`;
const EXP = `[eE][+-]?${DIGITS}`;

/** Each rule as alternatives (the longest alternative that matches wins), in grammar order. */
const RULES: [Tok, RegExp[]][] = [
  ['POPEN', [/[ \t]*\([ \t]*/y]],
  ['COMMA', [/[ \t]*,[ \t]*/y]],
  ['PCLOSE', [/[ \t]*\)/y]],
  ['BRACKET_OPEN', [/\[[ \t]*/y]],
  ['BRACKET_CLOSE', [/[ \t]*\]/y]],
  ['BRACE_OPEN', [/\{[ \t]*/y]],
  ['BRACE_CLOSE', [/[ \t]*\}/y]],
  ['COLON', [/[ \t]*:[ \t]*/y]],
  ['EQUAL', [/[ \t]*=[ \t]*/y]],
  [
    'FLOAT',
    [
      new RegExp(`[+-]?${POINT_WITH_DIGITS}`, 'y'),
      new RegExp(`[+-]?${POINT_BARE}`, 'y'),
      new RegExp(`[+-]?${IU}${EXP}`, 'y'),
      new RegExp(`[+-]?${POINT_WITH_DIGITS}${EXP}`, 'y'),
      new RegExp(`[+-]?${POINT_BARE}${EXP}`, 'y'),
      /[+-]?(?:[Ii][Nn][Ff]|[Nn][Aa][Nn])/y,
    ],
  ],
  ['INT', [new RegExp(`[+-]?${IU}`, 'y')]],
  ['BOOL', [/(?:[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])/y]],
  ['NULL', [/[Nn][Uu][Ll][Ll]/y]],
  ['UNQUOTED_CHAR', [/[/\-\\+.$%*@?|]/y]],
  ['ID', [/[A-Za-z_][A-Za-z0-9_-]*/y]],
  ['ESC', [/(?:\\\\|\\[()[\]{}:=, \t])+/y]],
  ['WS', [/[ \t]+/y]],
];

function matchLength(re: RegExp, text: string, at: number): number {
  re.lastIndex = at;
  const m = re.exec(text);
  return m ? m[0].length : 0;
}

/** QUOTED_VALUE: ends at the first matching quote preceded by an even run of backslashes. */
function quotedLength(text: string, at: number): number {
  const q = text[at];
  if (q !== '"' && q !== "'") return 0;
  for (let j = at + 1; j < text.length; j++) {
    if (text[j] !== q) continue;
    let run = 0;
    while (j - 1 - run > at && text[j - 1 - run] === '\\') run++;
    if (run % 2 === 0) return j - at + 1;
  }
  return 0;
}

function interpolationLength(text: string, at: number): number {
  if (!text.startsWith('${', at)) return 0;
  const close = text.indexOf('}', at + 2);
  return close > at + 2 ? close - at + 1 : 0;
}

function lex(text: string, offset: number, input: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    let best: { type: Tok; length: number } | undefined;
    const consider = (type: Tok, length: number) => {
      if (length > 0 && (!best || length > best.length)) best = { type, length };
    };
    for (const [type, alternatives] of RULES) for (const re of alternatives) consider(type, matchLength(re, text, at));
    consider('QUOTED_VALUE', quotedLength(text, at));
    consider('INTERPOLATION', interpolationLength(text, at));
    if (!best)
      throw new SetParamError(
        `cannot parse '${input}': unexpected character '${text[at]}' at position ${offset + at + 1} (Hydra's override grammar; quote a value that holds it)`,
      );
    tokens.push({ type: best.type, text: text.slice(at, at + best.length), at: offset + at });
    at += best.length;
  }
  return tokens;
}

// --- parser (OverrideParser.g4) and visitor -----------------------------------------------

const PRIMITIVE_TOKENS = new Set<Tok>(['ID', 'NULL', 'INT', 'FLOAT', 'BOOL', 'INTERPOLATION', 'UNQUOTED_CHAR', 'COLON', 'ESC', 'WS']);
const DICT_KEY_TOKENS = new Set<Tok>(['ID', 'NULL', 'INT', 'FLOAT', 'BOOL', 'UNQUOTED_CHAR', 'ESC', 'WS']);
/** Hydra's sweep functions: a value that names several runs. */
const SWEEP_FUNCTIONS = new Set(['choice', 'range', 'interval', 'glob', 'tag', 'shuffle', 'sort']);

function keyIdentity(k: PyKey): string {
  if (typeof k === 'boolean') return `n:${k ? 1 : 0}`;
  if (typeof k === 'number' || typeof k === 'bigint') return `n:${k}`;
  if (k instanceof PyFloat) return Number.isInteger(k.value) ? `n:${k.value}` : `f:${k.value}`;
  return typeof k === 'string' ? `s:${k}` : 'None';
}

class SweepValue {
  constructor(readonly description: string) {}
}
type Parsed = PyValue | SweepValue;

function pyInt(text: string): number | bigint {
  const n = BigInt(text.replace(/_/g, ''));
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

function pyFloatOf(text: string): PyFloat {
  const s = text.replace(/_/g, '').toLowerCase();
  const sign = s.startsWith('-') ? -1 : 1;
  const body = s.replace(/^[+-]/, '');
  if (body === 'inf') return new PyFloat(sign * Infinity);
  if (body === 'nan') return new PyFloat(NaN);
  return new PyFloat(Number(s));
}

/** _unescape_quoted_string: `\` before the quote character (and backslash pairs before it) unescaped. */
function unquote(text: string): string {
  const q = text[0];
  const body = text.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length;) {
    if (body[i] === '\\') {
      let j = i;
      while (j < body.length && body[j] === '\\') j++;
      const run = j - i;
      if (j < body.length && body[j] === q) {
        out += '\\'.repeat((run - 1) / 2) + q;
        i = j + 1;
        continue;
      }
      if (j === body.length) {
        out += '\\'.repeat(run / 2);
        i = j;
        continue;
      }
      out += body.slice(i, j);
      i = j;
      continue;
    }
    out += body[i++];
  }
  return out;
}

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly input: string,
  ) {}

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset];
  }
  private fail(message: string): never {
    const t = this.peek();
    throw new SetParamError(`cannot parse '${this.input}': ${message}${t ? ` at position ${t.at + 1} ('${t.text}')` : ' at its end'}`);
  }
  private expect(type: Tok): Token {
    const t = this.peek();
    if (!t || t.type !== type) this.fail(`expected ${type.toLowerCase().replace('_', ' ')}`);
    this.pos++;
    return t;
  }

  value(): Parsed {
    const first = this.element();
    if (this.peek()?.type !== 'COMMA') return first;
    const all = [first];
    while (this.peek()?.type === 'COMMA') {
      this.pos++;
      all.push(this.element());
    }
    return new SweepValue(`${all.length} values`);
  }

  done(): void {
    if (this.pos < this.tokens.length) this.fail('unexpected input');
  }

  private element(): Parsed {
    const t = this.peek();
    if (!t) this.fail('a value was expected');
    if (t.type === 'ID' && this.peek(1)?.type === 'POPEN') return this.func();
    if (t.type === 'BRACKET_OPEN') return this.list();
    if (t.type === 'BRACE_OPEN') return this.dict();
    return this.primitive(PRIMITIVE_TOKENS, true);
  }

  private func(): Parsed {
    const name = this.expect('ID').text;
    this.expect('POPEN');
    let depth = 1;
    // The arguments are not needed: every function a value may call is refused below.
    while (depth > 0) {
      const t = this.peek();
      if (!t) this.fail(`unclosed call of ${name}(`);
      if (t.type === 'POPEN') depth++;
      if (t.type === 'PCLOSE') depth--;
      this.pos++;
    }
    if (SWEEP_FUNCTIONS.has(name)) return new SweepValue(`${name}(…)`);
    throw new SetParamError(`'${this.input}': the function ${name}(…) in a value is not supported; write the value itself`);
  }

  private list(): PyValue[] {
    this.expect('BRACKET_OPEN');
    const out: PyValue[] = [];
    if (this.peek()?.type === 'BRACKET_CLOSE') {
      this.pos++;
      return out;
    }
    for (;;) {
      out.push(this.plain(this.element()));
      const t = this.peek();
      if (t?.type === 'COMMA') {
        this.pos++;
        continue;
      }
      this.expect('BRACKET_CLOSE');
      return out;
    }
  }

  private dict(): PyDict {
    this.expect('BRACE_OPEN');
    const out: PyDict = new Map();
    if (this.peek()?.type === 'BRACE_CLOSE') {
      this.pos++;
      return out;
    }
    for (;;) {
      const key = this.primitive(DICT_KEY_TOKENS, false) as PyKey;
      this.expect('COLON');
      // A Python dict: 1, 1.0 and True are one key, which keeps its first spelling.
      const same = [...out.keys()].find((k) => keyIdentity(k) === keyIdentity(key));
      out.set(same === undefined ? key : same, this.plain(this.element()));
      const t = this.peek();
      if (t?.type === 'COMMA') {
        this.pos++;
        continue;
      }
      this.expect('BRACE_CLOSE');
      return out;
    }
  }

  private plain(v: Parsed): PyValue {
    if (v instanceof SweepValue) this.fail('a sweep cannot sit inside a list or dict');
    return v;
  }

  /** _createPrimitive: one token keeps its type; several are joined into a string. */
  private primitive(allowed: Set<Tok>, quotedAllowed: boolean): PyValue {
    const start = this.pos;
    const first = this.peek();
    if (quotedAllowed && first?.type === 'QUOTED_VALUE') {
      this.pos++;
      return unquote(first.text);
    }
    while (this.peek() && allowed.has(this.peek()!.type)) this.pos++;
    const toks = this.tokens.slice(start, this.pos);
    if (toks.length === 0) this.fail('a value was expected');
    let lo = 0;
    let hi = toks.length;
    if (toks[0].type === 'WS') {
      if (toks.length === 1) this.fail('a value cannot be only whitespace');
      lo = 1;
    }
    if (toks[hi - 1].type === 'WS') hi--;
    if (hi - lo > 1)
      return toks
        .slice(lo, hi)
        .map((t) => (t.type === 'ESC' ? [...t.text].filter((_, i) => i % 2 === 1).join('') : t.text))
        .join('');
    const t = toks[lo];
    switch (t.type) {
      case 'INT':
        return pyInt(t.text);
      case 'FLOAT':
        return pyFloatOf(t.text);
      case 'NULL':
        return null;
      case 'BOOL':
        return t.text.toLowerCase() === 'true';
      case 'ESC':
        return [...t.text].filter((_, i) => i % 2 === 1).join('');
      default:
        return t.text;
    }
  }
}

// --- the key side ------------------------------------------------------------------------

const KEY_SPECIAL = '[A-Za-z_$][A-Za-z0-9_$-]*';
const KEY_PART = `(?:${KEY_SPECIAL}|${IU})`;
/** package: '' | ID | KEY_SPECIAL | DOT_PATH. */
const PACKAGE = new RegExp(`^(?:${KEY_SPECIAL}|${KEY_PART}(?:\\.${KEY_PART})+)?$`);
/** packageOrGroup's group form: ID (SLASH ID)+. */
const GROUP = /^[A-Za-z_][A-Za-z0-9_-]*(?:\/[A-Za-z_][A-Za-z0-9_-]*)+$/;

/** Parses one override (the part after `file:`). Throws SetParamError. */
export function parseOverride(input: string): ParamOverride {
  let rest = input;
  let kind: OverrideKind = 'change';
  if (rest.startsWith('++')) {
    kind = 'force-add';
    rest = rest.slice(2);
  } else if (rest.startsWith('+')) {
    kind = 'add';
    rest = rest.slice(1);
  } else if (rest.startsWith('~')) {
    kind = 'delete';
    rest = rest.slice(1);
  }
  const eq = rest.indexOf('=');
  const key = eq < 0 ? rest : rest.slice(0, eq);
  if (eq < 0 && kind !== 'delete') throw new SetParamError(`cannot parse '${input}': expected KEY=VALUE`);
  const at = key.indexOf('@');
  const main = at < 0 ? key : key.slice(0, at);
  if (!(PACKAGE.test(main) || GROUP.test(main)) || (at >= 0 && !PACKAGE.test(key.slice(at + 1)))) {
    throw new SetParamError(`cannot parse '${input}': '${key}' is not a key (letters, digits, '_', '-', '$', parts joined by '.')`);
  }
  // _apply_overrides_to_config: a package (`key@pkg`) is a config group override.
  if (at >= 0) throw new SetParamError(`Override ${input} looks like a config group override, but config group '${main}' does not exist.`);
  if (main === '') throw new SetParamError(`cannot parse '${input}': the key is empty`);
  if (eq < 0) return { input, kind, key: main };
  const valueText = rest.slice(eq + 1);
  const offset = input.length - valueText.length;
  // EQUAL in key mode swallows the whitespace after '='.
  const trimmed = valueText.replace(/^[ \t]+/, '');
  const tokens = lex(trimmed, offset + (valueText.length - trimmed.length), input);
  if (tokens.length === 0) return { input, kind, key: main, value: '' };
  const parser = new Parser(tokens, input);
  const value = parser.value();
  parser.done();
  if (value instanceof SweepValue) return { input, kind, key: main, sweep: true };
  return { input, kind, key: main, value };
}

/** All -S arguments, by params file, parsed; sweeps are refused as DVC refuses them without --queue. */
export function parseSetParams(args: readonly string[]): Map<string, ParamOverride[]> {
  const out = new Map<string, ParamOverride[]>();
  for (const [file, overrides] of pathOverrides(args)) out.set(file, overrides.map(parseOverride));
  if ([...out.values()].some((list) => list.some((o) => o.sweep)))
    throw new SetParamError("Sweep overrides can't be used without `--queue`");
  return out;
}
