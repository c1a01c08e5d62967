// YAML exactly as DVC writes dvc.lock: dvc/utils/serialize/_yaml.py dumps with ruamel.yaml's
// round-trip YAML() (default_flow_style False, width 80, indent 2, sequences not indented
// under their key, allow_unicode). The behaviour below was read from ruamel.yaml 0.19.1
// (representer.py, serializer.py, emitter.py) and checked against DVC 3.67.1 on generated
// documents (test/core/repro/fixtures/gen-dump-cases.py). Quirks kept on purpose because
// DVC writes them: a long plain string folds at column 80 leaving a trailing space where a
// word too long for the line moves down; None is an empty value (`key:`, `- `); a string
// that would read back as another type is single-quoted; `'` or a newline switches to
// double quotes; a key of 123+ characters becomes `? key`; a dict or list that occurs twice
// (same object) is written once with `&id001` and then `*id001`.

import { PyFloat, PyTimestamp, pyFloatRepr } from './pyFloat';
import { resolvePlainTag } from './yamlResolve';

export type ScalarStyle = '' | "'" | '"' | '|' | '>';
export type ScalarTag = 'str' | 'int' | 'float' | 'bool' | 'null' | 'timestamp' | 'merge' | 'value';

/** The node graph the emitter writes. The same object used twice becomes an anchor and alias. */
export type YamlNode = YamlScalar | YamlSeq | YamlMap;

/**
 * Comments and blank lines a round-trip load attached to a node, as ruamel re-emits them.
 * `post`: after a scalar, after `key:` of a block collection, or after a flow collection's
 * closing bracket; `column` is set when it started on the same line (a `# comment`), else
 * the text starts with a line break. `pre`: whole lines written before a key or item.
 */
/** `block`: after a block scalar, where ruamel pulls a comment at or past its indent back to indent - 1. */
export interface PostComment { text: string; column?: number; block?: boolean }

export interface NodeComments {
  pre?: string;
  post?: PostComment;
  /** Lines written when a block collection ends (comments before a dedent or the end). */
  end?: string;
  /** A `# comment` on a block scalar's header line, spaces before it included. */
  header?: string;
  /** On a key: comments after its `:` and before the first entry of its block value. */
  valuePost?: PostComment;
  valuePre?: string;
}

export interface YamlScalar {
  kind: 'scalar';
  tag: ScalarTag;
  /** The text to write (already in the representer's form: `.inf`, `1e-05`, `true`, '' for None). */
  value: string;
  /** A style the value insists on (round-trip literal/folded block scalars); none = choose. */
  style?: ScalarStyle;
  /** Anchor name from a loaded document; used when the node is referenced twice. */
  anchor?: string;
  /** A loaded scalar's anchor is written even when nothing refers to it (ruamel's always_dump). */
  anchorAlways?: boolean;
  comments?: NodeComments;
}
export interface YamlSeq { kind: 'seq'; items: YamlNode[]; flow: boolean; anchor?: string; comments?: NodeComments }
export interface YamlMap { kind: 'map'; pairs: [YamlNode, YamlNode][]; flow: boolean; anchor?: string; comments?: NodeComments }

// --- representer -----------------------------------------------------------------------

export function scalar(tag: ScalarTag, value: string, style?: ScalarStyle): YamlScalar {
  return style === undefined ? { kind: 'scalar', tag, value } : { kind: 'scalar', tag, value, style };
}

/** RoundTripRepresenter.represent_float / SafeRepresenter.represent_float. */
export function floatText(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (n === Infinity) return '.inf';
  if (n === -Infinity) return '-.inf';
  return pyFloatRepr(n).toLowerCase();
}

function isNode(v: unknown): v is YamlNode {
  return typeof v === 'object' && v !== null && 'kind' in v && ((v as YamlNode).kind === 'scalar' || (v as YamlNode).kind === 'seq' || (v as YamlNode).kind === 'map')
    && !(v instanceof Map) && !Array.isArray(v);
}

/**
 * Python data -> nodes, as DVC's representer does. Accepts PyValue (Map for dicts, PyFloat
 * for floats, number for ints) and, for convenience, plain objects as dicts and ready
 * YamlNodes (a round-trip loaded part of a document). A JS number that is not an integer
 * can only be a float and is written as one.
 */
export function represent(data: unknown): YamlNode {
  const memo = new Map<object, YamlNode>();
  let collections = 0;
  const rep = (v: unknown): YamlNode => {
    if (v === null || v === undefined) return scalar('null', collections === 0 ? 'null' : '');
    if (typeof v === 'boolean') return scalar('bool', v ? 'true' : 'false');
    if (typeof v === 'bigint') return scalar('int', v.toString());
    if (typeof v === 'number') {
      if (Number.isInteger(v)) return scalar('int', Object.is(v, -0) ? '0' : Math.abs(v) <= Number.MAX_SAFE_INTEGER ? String(v) : BigInt(v).toString());
      return scalar('float', floatText(v));
    }
    if (v instanceof PyFloat) return scalar('float', floatText(v.value));
    if (v instanceof PyTimestamp) return scalar('timestamp', v.text);
    if (typeof v === 'string') return scalar('str', v);
    if (typeof v !== 'object') throw new TypeError(`cannot represent ${typeof v} as YAML`);
    if (isNode(v)) return v;
    const seen = memo.get(v);
    if (seen) return seen;
    collections++;
    if (Array.isArray(v)) {
      const node: YamlSeq = { kind: 'seq', items: [], flow: v.length === 0 };
      memo.set(v, node);
      for (const item of v) node.items.push(rep(item));
      return node;
    }
    const entries = v instanceof Map ? [...v.entries()] : Object.entries(v);
    const node: YamlMap = { kind: 'map', pairs: [], flow: entries.length === 0 };
    memo.set(v, node);
    for (const [k, x] of entries) node.pairs.push([rep(k), rep(x)]);
    return node;
  };
  return rep(data);
}

/** `dumps_yaml(data)` of DVC: the text it writes for `data`. */
export function dumpDvcYaml(data: unknown): string {
  return emitYaml(represent(data));
}

// --- serializer + emitter --------------------------------------------------------------

const BREAKS = '\n\x85\u2028\u2029';
const SPACE_OR_BREAK = '\0 \t\r\n\x85\u2028\u2029';
const BEST_WIDTH = 80;
const INDENT = 2;
const MAX_SIMPLE_KEY = 128;

interface Analysis {
  empty: boolean;
  multiline: boolean;
  allowFlowPlain: boolean;
  allowBlockPlain: boolean;
  allowSingleQuoted: boolean;
  allowDoubleQuoted: boolean;
  allowBlock: boolean;
}

/** Emitter.analyze_scalar, over code points like Python's str. */
function analyze(chars: string[]): Analysis {
  if (chars.length === 0) {
    return { empty: true, multiline: false, allowFlowPlain: false, allowBlockPlain: true, allowSingleQuoted: true, allowDoubleQuoted: true, allowBlock: false };
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
      const printable = (c === 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff)) && c !== 0xfeff;
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
  '\0': '0', '\x07': 'a', '\x08': 'b', '\x09': 't', '\x0a': 'n', '\x0b': 'v', '\x0c': 'f', '\x0d': 'r',
  '\x1b': 'e', '"': '"', '\\': '\\', '\x85': 'N', '\xa0': '_', '\u2028': 'L', '\u2029': 'P',
};

function hex(c: number, width: number): string {
  return c.toString(16).toUpperCase().padStart(width, '0');
}

interface Ctx { root?: boolean; seq?: boolean; map?: boolean; simpleKey?: boolean }

class Emitter {
  private readonly out: string[] = [];
  private column = 0;
  private whitespace = true;
  private indention = true;
  private noNewline = false;
  private openEnded = false;
  private indent: number | null = null;
  private readonly indents: [number | null, boolean][] = [];
  private readonly flowContext: string[] = [];
  private rootContext = false;
  private sequenceContext = false;
  private mappingContext = false;
  private simpleKeyContext = false;
  private analysis: Analysis | null = null;
  private style: ScalarStyle | null = null;
  private chars: string[] = [];
  private readonly anchors = new Map<YamlNode, string | null>();
  private readonly serialized = new Set<YamlNode>();
  private lastAnchor = 0;
  private pairComments: NodeComments | undefined;

  document(root: YamlNode): string {
    this.anchorNode(root);
    this.expectNode(root, { root: true });
    this.writeIndent(); // document end
    if (this.openEnded) {
      this.writeIndicator('...', true);
      this.writeIndent();
    }
    return this.out.join('');
  }

  // Serializer.anchor_node: a node met a second time gets an anchor, numbered in walk order.
  private anchorNode(node: YamlNode): void {
    if (this.anchors.has(node)) {
      if (this.anchors.get(node) === null) this.anchors.set(node, node.anchor ?? `id${String(++this.lastAnchor).padStart(3, '0')}`);
      return;
    }
    this.anchors.set(node, node.kind === 'scalar' && node.anchorAlways ? node.anchor ?? null : null);
    if (node.kind === 'seq') node.items.forEach((item) => this.anchorNode(item));
    else if (node.kind === 'map') {
      for (const [k, v] of node.pairs) {
        this.anchorNode(k);
        this.anchorNode(v);
      }
    }
  }

  private get flowLevel(): number {
    return this.flowContext.length;
  }

  private increaseIndent(flow: boolean, sequence: boolean, indentless = false): void {
    this.indents.push([this.indent, sequence]);
    if (this.indent === null) this.indent = flow ? null : 0;
    else if (!indentless) this.indent += INDENT;
  }

  private popIndent(): void {
    this.indent = (this.indents.pop() as [number | null, boolean])[0];
  }

  private seqSeq(): boolean {
    const n = this.indents.length;
    return n >= 2 && this.indents[n - 2][1] && this.indents[n - 1][1];
  }

  private seqFlowAlign(column: number): number {
    const n = this.indents.length;
    if (n < 2 || !this.indents[n - 1][1]) return 0;
    const base = this.indents[n - 1][0] ?? 0;
    return base + INDENT - column - 1;
  }

  private expectNode(node: YamlNode, ctx: Ctx): void {
    this.rootContext = !!ctx.root;
    this.sequenceContext = !!ctx.seq;
    this.mappingContext = !!ctx.map;
    this.simpleKeyContext = !!ctx.simpleKey;
    const anchor = this.anchors.get(node) ?? null;
    if (this.serialized.has(node)) {
      this.writeIndicator('*' + anchor, true);
      this.noNewline = false;
      return;
    }
    this.serialized.add(node);
    if (anchor !== null) {
      this.writeIndicator('&' + anchor, true);
      this.noNewline = false;
      if (node.kind === 'scalar' && this.sequenceContext) this.sequenceContext = false;
    }
    if (node.kind === 'scalar') {
      this.processTag(node);
      this.increaseIndent(true, false);
      this.processScalar(node);
      this.popIndent();
    } else if (node.kind === 'seq') {
      if (this.flowLevel > 0 || node.flow || node.items.length === 0) this.flowSequence(node);
      else this.blockSequence(node);
    } else if (this.flowLevel > 0 || node.flow || node.pairs.length === 0) {
      this.flowMapping(node);
    } else {
      this.blockMapping(node);
    }
  }

  // --- collections ---

  private afterSequenceStart(): void {
    if (this.seqSeq()) {
      this.indention = true;
      this.noNewline = false;
    }
  }

  private blockSequence(node: YamlSeq): void {
    const inherited = this.takePairComments();
    const post = inherited?.valuePost ?? node.comments?.post;
    if (post) {
      this.writeComment(post);
      this.indention = false;
      this.noNewline = true;
    }
    let firstPre = inherited?.valuePre;
    const indentless = this.mappingContext ? !this.indention : false;
    this.increaseIndent(false, true, indentless);
    this.afterSequenceStart();
    for (const item of node.items) {
      this.writeLines(firstPre);
      firstPre = undefined;
      this.writePreComment(item);
      const nonl = this.column === 0 ? this.noNewline : false;
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      if (nonl) this.noNewline = true;
      this.expectNode(item, { seq: true });
    }
    this.writeEndComment(node);
    this.popIndent();
    this.noNewline = false;
  }

  private blockMapping(node: YamlMap): void {
    const inherited = this.takePairComments();
    const post = inherited?.valuePost ?? node.comments?.post;
    if (post) this.writeComment(post);
    this.writeLines(inherited?.valuePre);
    this.increaseIndent(false, false);
    for (const [key, value] of node.pairs) {
      this.writePreComment(key);
      this.writeIndent();
      if (this.checkSimpleKey(key)) {
        this.expectNode(key, { map: true, simpleKey: true });
        this.writeIndicator(':', false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.expectNode(key, { map: true });
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.pairComments = value.kind !== 'scalar' && !this.serialized.has(value) ? key.comments : undefined;
      this.expectNode(value, { map: true });
      this.pairComments = undefined;
    }
    this.writeEndComment(node);
    this.popIndent();
  }

  private flowSequence(node: YamlSeq): void {
    const post = this.takePairComments()?.valuePost ?? node.comments?.post;
    const ind = this.seqFlowAlign(this.column);
    this.writeIndicator(' '.repeat(Math.max(0, ind)) + '[', true, true);
    this.increaseIndent(true, true);
    this.flowContext.push('[');
    this.afterSequenceStart();
    if (node.items.length === 0) {
      this.popIndent();
      this.flowContext.pop();
      this.writeIndicator(']', false);
      if (post) this.writeComment(post);
      else if (this.flowLevel === 0) this.writeLineBreak();
      return;
    }
    node.items.forEach((item, i) => {
      if (i > 0) this.writeIndicator(',', false);
      if (this.column > BEST_WIDTH) this.writeIndent();
      this.expectNode(item, { seq: true });
    });
    this.popIndent();
    this.flowContext.pop();
    this.writeIndicator(']', false);
    if (post) this.writeComment(post);
    else this.noNewline = false;
  }

  private flowMapping(node: YamlMap): void {
    const post = this.takePairComments()?.valuePost ?? node.comments?.post;
    const ind = this.seqFlowAlign(this.column);
    const single = node.pairs.length === 1;
    const init = single && this.flowLevel > 0 && this.flowContext[this.flowContext.length - 1] === '[' ? '' : '{';
    this.writeIndicator(' '.repeat(Math.max(0, ind)) + init, true, true);
    this.flowContext.push(init);
    this.increaseIndent(true, false);
    if (node.pairs.length === 0) {
      this.popIndent();
      this.flowContext.pop();
      this.writeIndicator('}', false);
      if (post) this.writeComment(post);
      else if (this.flowLevel === 0) this.writeLineBreak();
      return;
    }
    node.pairs.forEach(([key, value], i) => {
      if (i > 0) this.writeIndicator(',', false);
      if (this.column > BEST_WIDTH) this.writeIndent();
      if (this.checkSimpleKey(key)) {
        this.expectNode(key, { map: true, simpleKey: true });
        this.writeIndicator(':', false);
      } else {
        this.writeIndicator('?', true);
        this.expectNode(key, { map: true });
        if (this.column > BEST_WIDTH) this.writeIndent();
        this.writeIndicator(':', true);
      }
      this.expectNode(value, { map: true });
    });
    this.popIndent();
    const popped = this.flowContext.pop();
    if (popped !== '') this.writeIndicator('}', false);
    if (post) this.writeComment(post);
    else this.noNewline = false;
  }

  /** check_simple_key: the length counts the tag the event carries ('!!str' etc.) too. */
  private checkSimpleKey(key: YamlNode): boolean {
    let length = 0;
    const anchor = this.anchors.get(key);
    if (anchor && !this.serialized.has(key)) length += anchor.length;
    if (key.kind === 'scalar') {
      length += 2 + key.tag.length; // the prepared tag '!!' + name
      const chars = Array.from(key.value);
      const a = analyze(chars);
      length += chars.length;
      return length < MAX_SIMPLE_KEY && !a.multiline;
    }
    if (key.kind === 'seq') return length < MAX_SIMPLE_KEY && (key.flow || key.items.length === 0);
    return length < MAX_SIMPLE_KEY && (key.flow || key.pairs.length === 0);
  }

  // --- scalars ---

  private implicit(node: YamlScalar): [boolean, boolean] {
    return [resolvePlainTag(this.chars.join('')) === node.tag, node.tag === 'str'];
  }

  private chooseStyle(node: YamlScalar): ScalarStyle {
    const a = (this.analysis ??= analyze(this.chars));
    const evStyle = node.style ?? '';
    if (evStyle === '"') return '"';
    const [implicit0] = this.implicit(node);
    if (!evStyle && implicit0) {
      const plainOk = this.flowLevel > 0 ? a.allowFlowPlain : a.allowBlockPlain;
      if (!(this.simpleKeyContext && (a.empty || a.multiline)) && plainOk) return '';
    }
    a.allowBlock = true;
    if ((evStyle === '|' || evStyle === '>') && this.flowLevel === 0 && !this.simpleKeyContext) return evStyle;
    const value = this.chars.join('');
    if (!evStyle && (value.includes("'") || value.includes('\n'))) return '"';
    if ((!evStyle || evStyle === "'") && a.allowSingleQuoted && !(this.simpleKeyContext && a.multiline)) return "'";
    return '"';
  }

  private processTag(node: YamlScalar): void {
    this.chars = Array.from(node.value);
    this.analysis = null;
    this.style = this.chooseStyle(node);
    if (this.chars.length === 0 && this.style === "'" && node.tag === 'null') {
      this.chars = Array.from('null');
      this.analysis = null;
      this.style = this.chooseStyle(node);
    }
    const [implicit0, implicit1] = this.implicit(node);
    if ((this.style === '' && implicit0) || (this.style !== '' && implicit1)) return;
    this.writeIndicator(`!!${node.tag}`, true);
    if (this.sequenceContext && this.flowLevel === 0) this.noNewline = true;
  }

  private processScalar(node: YamlScalar): void {
    this.analysis ??= analyze(this.chars);
    this.style ??= this.chooseStyle(node);
    const split = !this.simpleKeyContext;
    if (this.sequenceContext && this.flowLevel === 0) this.writeIndent();
    const t = this.chars;
    if (this.style === '"') this.writeDoubleQuoted(t, split);
    else if (this.style === "'") this.writeSingleQuoted(t, split);
    else if (this.style === '>') this.writeFolded(t, node.comments?.header ?? '');
    else if (this.style === '|') this.writeLiteral(t, node.comments?.header ?? '');
    else this.writePlain(t, split);
    this.analysis = null;
    this.style = null;
    if (node.comments?.post) this.writeComment(node.comments.post);
  }

  /** Emitter.write_comment for a post comment: back to its column (at least one space). */
  private writeComment(c: PostComment): void {
    const value = c.text.endsWith('\n') ? c.text.slice(0, -1) : c.text;
    let spaces = 0;
    if (c.column !== undefined && !value.startsWith('\n')) {
      const indent = this.indent ?? 0;
      const column = c.block && c.column >= indent ? indent - 1 : c.column;
      spaces = column - this.column;
      if (this.column && value.trim() && spaces < 1) spaces = 1;
    }
    this.write(' '.repeat(Math.max(0, spaces)) + value);
    this.writeLineBreak();
  }

  /** write_pre_comment: whole comment lines before a key or an item. */
  private writePreComment(node: YamlNode): void {
    this.writeLines(node.comments?.pre);
  }

  /** The comments a key holds for its block value, taken by that value's emission. */
  private takePairComments(): NodeComments | undefined {
    const c = this.pairComments;
    this.pairComments = undefined;
    return c;
  }

  private writeEndComment(node: YamlNode): void {
    this.writeLines(node.comments?.end);
  }

  private writeLines(text: string | undefined): void {
    if (!text) return;
    if (this.column !== 0) this.writeLineBreak();
    this.write(text);
    this.column = 0;
  }

  // --- writers ---

  private write(data: string): void {
    this.out.push(data);
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, whitespace = false, indention = false): void {
    const data = this.whitespace || !needWhitespace ? indicator : ' ' + indicator;
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
    this.column += Array.from(data).length;
    this.openEnded = false;
    this.write(data);
  }

  private writeIndent(): void {
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

  private writeLineBreak(data = '\n'): void {
    this.whitespace = true;
    this.indention = true;
    this.column = 0;
    this.write(data);
  }

  private writeBreaks(t: string[], start: number, end: number): void {
    for (let i = start; i < end; i++) this.writeLineBreak(t[i] === '\n' ? '\n' : t[i]);
  }

  private writeText(t: string[], start: number, end: number): void {
    if (start >= end) return;
    this.column += end - start;
    this.write(t.slice(start, end).join(''));
  }

  private writePlain(t: string[], split: boolean): void {
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

  private writeSingleQuoted(t: string[], split: boolean): void {
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

  private writeDoubleQuoted(t: string[], split: boolean): void {
    this.writeIndicator('"', true);
    let start = 0;
    const n = t.length;
    const indexOf = (ch: string, from: number, to = n): number => {
      for (let i = from; i < to; i++) if (t[i] === ch) return i;
      return -1;
    };
    for (let end = 0; end <= n; end++) {
      const ch = end < n ? t[end] : null;
      const c = ch === null ? 0 : ch.codePointAt(0) ?? 0;
      const plain = ch !== null && !'"\\\x85\u2028\u2029\ufeff'.includes(ch)
        && ((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff));
      if (!plain) {
        if (start < end) {
          this.writeText(t, start, end);
          start = end;
        }
        if (ch !== null) {
          const data = ch in ESCAPES ? '\\' + ESCAPES[ch] : c <= 0xff ? '\\x' + hex(c, 2) : c <= 0xffff ? '\\u' + hex(c, 4) : '\\U' + hex(c, 8);
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
              if (pos + 1 < n && !' \n'.includes(t[pos + 1]) && t.slice(end - 1, end + 1).join('') !== '  ' && start !== end) needBackslash = false;
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

  private blockHints(t: string[]): { hints: string; keep: boolean } {
    let hints = '';
    let indicator = '';
    if (t.length > 0) {
      if (' \n\x85\u2028\u2029'.includes(t[0])) hints += String(INDENT);
      if (!BREAKS.includes(t[t.length - 1])) indicator = '-';
      else if (t.length === 1 || BREAKS.includes(t[t.length - 2])) indicator = '+';
    }
    return { hints: hints + indicator, keep: indicator === '+' };
  }

  private writeLiteral(t: string[], header: string): void {
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
  private writeFolded(t: string[], header: string): void {
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

/** Emits one YAML document the way DVC's ruamel dumper does. */
export function emitYaml(root: YamlNode): string {
  return new Emitter().document(root);
}
