// The serializer and the node half of ruamel.yaml's Emitter (serializer.py anchor_node,
// emitter.py expect_* states, check_simple_key, choose_scalar_style, process_tag, and the
// round-trip comment writers), as a recursive walk that makes the same writes in the same
// order as the event-driven original. See dvcYamlDump.ts for what it is used for.

import type { NodeComments, PostComment, ScalarStyle, YamlMap, YamlNode, YamlScalar, YamlSeq } from './yamlNodes';
import { resolvePlainTag } from './yamlResolve';
import { INDENT, MAX_SIMPLE_KEY, BEST_WIDTH, ScalarWriter, analyze } from './yamlScalarWrite';
import type { Analysis } from './yamlScalarWrite';

interface Ctx {
  root?: boolean;
  seq?: boolean;
  map?: boolean;
  simpleKey?: boolean;
}
export class Emitter extends ScalarWriter {
  private readonly indents: [number | null, boolean][] = [];
  private readonly flowContext: string[] = [];
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
    this.anchors.set(node, node.kind === 'scalar' && node.anchorAlways ? (node.anchor ?? null) : null);
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
}
