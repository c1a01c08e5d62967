// Comments and blank lines of a round-trip loaded dvc.lock, attached where ruamel.yaml's
// RoundTripScanner attaches them (scanner.py: scan_to_next_token, get_token, scan_plain,
// scan_block_scalar), so that the dumper writes them back where DVC does. A comment lives as
// long as the node it hangs on: replacing a stage drops the comments inside it, and the
// comment lines after a stage's last value go with that stage.
// - after a scalar, `:` or a closing bracket, a comment on the same line and every comment
//   and blank line after it go after that token;
// - after a scalar, comment and blank lines on the next lines go after the scalar (a plain
//   scalar swallows blank and whitespace-only lines; a block scalar keeps its trailing
//   blank lines and the comments after them);
// - anything else goes before the next key or item, or at the end of the block it closes.
// Known gaps: comments inside flow collections and between a key and its `:` are dropped.

import { isMap, isScalar, isSeq, visit } from 'yaml';
import type { Document, Node as YNode } from 'yaml';
import type { NodeComments, YamlNode } from './yamlNodes';

interface Tok {
  value: string;
  line: number;
  col: number;
}

class Cursor {
  constructor(
    readonly text: string,
    public pos: number,
    readonly end: number,
  ) {}
  peek(): string {
    return this.pos < this.end ? this.text[this.pos] : '\0';
  }
}

function lineCol(text: string, pos: number): { line: number; col: number } {
  let line = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  // Python counts columns in code points.
  return { line, col: Array.from(text.slice(start, pos)).length };
}

/** scan_to_next_token of the round-trip scanner: comment and blank-line tokens up to `end`. */
function scanComments(c: Cursor): Tok[] {
  const toks: Tok[] = [];
  for (;;) {
    while (c.peek() === ' ') c.pos++;
    const ch = c.peek();
    if (ch === '#') {
      const at = lineCol(c.text, c.pos);
      let value = '';
      while (c.peek() !== '\n' && c.peek() !== '\0') value += c.text[c.pos++];
      if (c.peek() === '\0') value += '\n';
      while (c.peek() === '\n') {
        value += '\n';
        c.pos++;
      }
      toks.push({ value: value.replace(/ +$/, ''), ...at });
      continue;
    }
    if (ch !== '\n') break;
    c.pos++;
    if (c.peek() !== '\n') continue;
    const at = lineCol(c.text, c.pos);
    let value = '';
    while (c.peek() === '\n' || c.peek() === ' ' || c.peek() === '\t') value += c.text[c.pos++];
    if (c.peek() === '#') value = value.slice(0, value.lastIndexOf('\n')) + '\n';
    toks.push({ value: value.replace(/ +$/, ''), ...at });
  }
  return toks;
}

const joined = (toks: Tok[]): string => toks.map((t, i) => (i === 0 ? t.value : ' '.repeat(t.col) + t.value)).join('');

type PrevKind = 'plain' | 'quoted' | 'block' | 'colon' | 'colonNull' | 'close' | 'other';

interface Context {
  scalars: Map<number, { node: YamlNode; kind: 'plain' | 'quoted' | 'block'; line: number }>;
  /** ':' offset -> the key of a pair whose value is a block collection. */
  colon: Map<number, YamlNode>;
  /** ':' offset -> the empty (null) value after it. */
  colonNull: Map<number, YamlNode>;
  /** A flow collection's closing bracket -> the key of its pair. */
  closeOfPair: Map<number, YamlNode>;
  /** Start of a block collection value's first entry -> the key of its pair. */
  firstChild: Map<number, YamlNode>;
  close: Map<number, YamlNode>;
  starts: Map<number, YamlNode>;
  /** Block collections by range, for comments that end one. */
  blocks: { start: number; end: number; node: YamlNode }[];
  root: YamlNode | undefined;
}

function add(node: YamlNode, c: NodeComments): void {
  const old = node.comments ?? {};
  const cat = (a?: string, b?: string): string | undefined => (a ?? '') + (b ?? '') || undefined;
  node.comments = { ...old, ...c, pre: cat(old.pre, c.pre), end: cat(old.end, c.end), valuePre: cat(old.valuePre, c.valuePre) };
}

/** Attaches the comments of `text` to the nodes built from `doc` (memo: yaml node -> node). */
export function attachComments(doc: Document, text: string, memo: Map<unknown, YamlNode>): void {
  if (!text.includes('#') && !/\n[ \t]*\n/.test(text)) return;
  const ctx: Context = {
    scalars: new Map(),
    colon: new Map(),
    colonNull: new Map(),
    closeOfPair: new Map(),
    firstChild: new Map(),
    close: new Map(),
    starts: new Map(),
    blocks: [],
    root: memo.get(doc.contents),
  };
  const spans: [number, number][] = [];
  visit(doc, {
    Scalar(_k, n) {
      // An empty value (`key:`) is no token for ruamel's scanner.
      if (!n.range || n.range[0] === n.range[1]) return;
      spans.push([n.range[0], n.range[1]]);
      const node = memo.get(n);
      const kind = n.type === 'BLOCK_LITERAL' || n.type === 'BLOCK_FOLDED' ? 'block' : n.type === 'PLAIN' ? 'plain' : 'quoted';
      if (node) ctx.scalars.set(n.range[1], { node, kind, line: lineCol(text, Math.max(n.range[0], n.range[1] - 1)).line });
    },
    Alias(_k, n) {
      if (n.range) spans.push([n.range[0], n.range[1]]);
    },
    Map(_k, n) {
      const self = memo.get(n);
      if (n.range && self) {
        if (n.flow) ctx.close.set(n.range[1] - 1, self);
        else ctx.blocks.push({ start: n.range[0], end: n.range[1], node: self });
      }
      for (const pair of n.items) {
        const key = pair.key as YNode | null;
        if (!n.flow && key?.range && isScalar(key)) {
          const k = memo.get(key);
          if (k) ctx.starts.set(key.range[0], k);
        }
        const value = pair.value as YNode | null;
        const k = memo.get(key);
        if (key?.range && k && value && (isMap(value) || isSeq(value)) && value.flow && value.range) {
          ctx.closeOfPair.set(value.range[1] - 1, k);
        }
        if (key?.range && value && isScalar(value) && value.range && value.range[0] === value.range[1]) {
          const v = memo.get(value);
          const at = text.indexOf(':', key.range[1]);
          if (v && at >= 0) ctx.colonNull.set(at, v);
        }
        if (key?.range && k && value && (isMap(value) || isSeq(value)) && !value.flow && value.items.length > 0) {
          // Comments after `key:` and before the value's first entry belong to the pair:
          // they stay when the value is replaced (the stage entry DVC rewrites).
          const at = text.indexOf(':', key.range[1]);
          if (at >= 0) ctx.colon.set(at, k);
          const first = value.items[0] as unknown as { key?: YNode; range?: [number, number, number] };
          const firstStart = isMap(value)
            ? (first.key as YNode | null)?.range?.[0]
            : first.range
              ? text.lastIndexOf('-', first.range[0])
              : undefined;
          if (firstStart !== undefined && firstStart >= 0) ctx.firstChild.set(firstStart, k);
        }
      }
    },
    Seq(_k, n) {
      const self = memo.get(n);
      if (n.range && self) {
        if (n.flow) ctx.close.set(n.range[1] - 1, self);
        else ctx.blocks.push({ start: n.range[0], end: n.range[1], node: self });
      }
      if (n.flow) return;
      for (const item of n.items) {
        const r = (item as YNode | null)?.range;
        const node = memo.get(item);
        if (!r || !node) continue;
        const dash = text.lastIndexOf('-', r[0]);
        if (dash >= 0) ctx.starts.set(dash, node);
      }
    },
  });
  spans.sort((a, b) => a[0] - b[0]);
  ctx.blocks.sort((a, b) => a.end - a.start - (b.end - b.start));
  let pos = 0;
  let si = 0;
  let prevEnd = -1;
  while (pos < text.length) {
    while (si < spans.length && spans[si][1] <= pos) si++;
    if (si < spans.length && spans[si][0] <= pos) {
      pos = spans[si][1];
      prevEnd = pos;
      continue;
    }
    const c = text[pos];
    if (c === ' ' || c === '\t' || c === '\n' || (c === '#' && (pos === 0 || /\s/.test(text[pos - 1])))) {
      const start = pos;
      while (pos < text.length) {
        const ch = text[pos];
        if (ch === '#' && (pos === start || /\s/.test(text[pos - 1]))) {
          const eol = text.indexOf('\n', pos);
          pos = eol < 0 ? text.length : eol;
        } else if (ch === ' ' || ch === '\t' || ch === '\n') pos++;
        else break;
      }
      if (si < spans.length && spans[si][0] < pos) pos = spans[si][0];
      placeGap(text, start, pos, prevEnd, ctx);
      continue;
    }
    pos++;
    prevEnd = pos;
  }
}

function placeGap(text: string, start: number, end: number, prevEnd: number, ctx: Context): void {
  const scalar = start === prevEnd ? ctx.scalars.get(prevEnd) : undefined;
  const at = (m: Map<number, YamlNode>): boolean => start === prevEnd && m.has(prevEnd - 1);
  const kind: PrevKind = scalar
    ? scalar.kind
    : at(ctx.colon)
      ? 'colon'
      : at(ctx.colonNull)
        ? 'colonNull'
        : at(ctx.close)
          ? 'close'
          : 'other';
  const prevLine = prevEnd > 0 ? lineCol(text, prevEnd - 1).line : -1;
  const c = new Cursor(text, start, end);
  if (kind === 'block') {
    // scan_block_scalar: trailing empty lines, then the comments after them, as one comment.
    let trailing = '';
    for (;;) {
      const save = c.pos;
      while (c.peek() === ' ') c.pos++;
      if (c.peek() !== '\n') {
        c.pos = save;
        break;
      }
      c.pos++;
      trailing += '\n';
    }
    const toks = scanComments(c);
    if (trailing === '') {
      // No trailing blank line: the scalar's end mark is on the comment's line, so the
      // comment is a same-line one (written back at most at the block's indent - 1).
      if (toks.length > 0) add(scalar!.node, { post: { text: joined(toks), column: toks[0].col, block: true } });
      return;
    }
    add(scalar!.node, { post: { text: trailing + toks.map((t) => ' '.repeat(t.col) + t.value).join('') } });
    return;
  }
  if (kind === 'plain') {
    // scan_plain_spaces: the line break and all blank or whitespace-only lines after it.
    while (c.peek() === ' ') c.pos++;
    if (c.peek() === '\n') {
      let breaks = 0;
      c.pos++;
      while (c.peek() === ' ' || c.peek() === '\n') if (text[c.pos++] === '\n') breaks++;
      const toks = scanComments(c);
      if (toks.length > 0) {
        add(scalar!.node, { post: { text: '\n'.repeat(toks[0].line - prevLine) + ' '.repeat(toks[0].col) + joined(toks) } });
      } else if (breaks > 0) add(scalar!.node, { post: { text: '\n'.repeat(breaks + 1) } });
      return;
    }
  }
  const toks = scanComments(c);
  if (toks.length === 0) return;
  const pairKey = kind === 'close' ? ctx.closeOfPair.get(prevEnd - 1) : undefined;
  const owner =
    kind === 'plain' || kind === 'quoted'
      ? scalar!.node
      : kind === 'colon'
        ? ctx.colon.get(prevEnd - 1)
        : kind === 'colonNull'
          ? ctx.colonNull.get(prevEnd - 1)
          : kind === 'close'
            ? (pairKey ?? ctx.close.get(prevEnd - 1))
            : undefined;
  if (owner && toks[0].line === prevLine) {
    const post = { text: joined(toks), column: toks[0].col };
    // A pair keeps the comment after its `key:` or its flow value when the value is replaced.
    add(owner, kind === 'colon' || pairKey ? { valuePost: post } : { post });
    return;
  }
  if (owner && (kind === 'plain' || kind === 'quoted')) {
    add(owner, { post: { text: '\n'.repeat(toks[0].line - prevLine) + ' '.repeat(toks[0].col) + joined(toks) } });
    return;
  }
  const pre = toks.map((t) => ' '.repeat(t.col) + t.value).join('');
  const parentKey = ctx.firstChild.get(end);
  if (parentKey) {
    add(parentKey, { valuePre: pre });
    return;
  }
  const next = ctx.starts.get(end);
  if (next) {
    add(next, { pre });
    return;
  }
  // Before a closing block or the end: the innermost block collection that ends here.
  const closing = end >= text.length ? undefined : ctx.blocks.find((b) => b.start < start && b.end <= end && b.end >= prevEnd);
  const target = end >= text.length ? ctx.root : closing?.node;
  if (target) add(target, { end: pre });
}
