// Key positions in block-style YAML, line by line (flow collections go to FlowScanner).

import { FlowScanner, LineIndex, Stop, decodeDoubleQuoted, join, quotedEnd, yamlKeyText, type Emit } from './keyPositionsScan';

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
      if (body[i] === ':' && (i + 1 === body.length || body[i + 1] === ' ' || body[i + 1] === '\t')) {
        colon = i;
        break;
      }
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

export function yamlPositions(
  text: string,
  lines: LineIndex,
  emit: Emit,
  emitted: { keys(): Iterable<string>; has(key: string): boolean },
): void {
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
  const indentOf = (s: string) => {
    let i = 0;
    while (s.charCodeAt(i) === 32) i++;
    return i;
  };
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
      if (ind > indent || (seqAtIndent && ind === indent && isSeqItem(body))) {
        last = i;
        continue;
      }
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
    if (isNeutral(body)) {
      i++;
      continue;
    }
    if (indent === 0) {
      if (!seen && body.startsWith('%')) {
        i++;
        continue;
      }
      if (body === '---' || body.startsWith('--- ')) {
        if (seen || body.length > 3) throw new Stop(lineStart);
        i++;
        continue;
      }
      if (body === '...' || body.startsWith('... ')) return;
    }
    seen = true;
    if (body[0] === '\t') throw new Stop(lineStart + indent);
    if (isSeqItem(body)) {
      i = block(i + 1, indent, true).next;
      continue;
    } // a list we do not descend into
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
      if (alias)
        copyAnchor(alias[1], frames.length ? frames[frames.length - 1].path : undefined, ks, ke, vs, vs + alias[1].length + 1, true);
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
