// Where each flattened key of a params/metrics file sits in its text, so an editor can put a
// hint next to the value. The values themselves always come from the real parsers
// (structured.ts + flatten.ts); this only finds positions. It never throws and never needs the
// whole document to be valid: on input it cannot follow it stops, says where, and keeps what it
// found before. One linear pass (no YAML library: `yaml` takes tens of seconds on 5 MB).

import { structuredFormat } from './structured';
import { FlowScanner, LineIndex, Stop, isSpace, type Emit, type TextPos } from './keyPositionsScan';
import { yamlPositions } from './keyPositionsYaml';
import { tomlPositions } from './keyPositionsToml';

export type PositionFormat = 'json' | 'yaml' | 'toml';

export type { TextPos };

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
  const emit: Emit = (key, ks, ke, vs, ve) => {
    keys.push(key);
    offsets.push(ks, ke, vs, ve);
  };
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
    out.push({
      key: keys[i],
      keyStart: lines.at(offsets[o]),
      keyEnd: lines.at(offsets[o + 1]),
      valueStart: lines.at(offsets[o + 2]),
      valueEnd: lines.at(offsets[o + 3]),
    });
  }
  // Emission follows the text except for a repeated key (moved to its last place): keep line order.
  for (let i = 1; i < out.length; i++) {
    if (compare(out[i - 1].keyStart, out[i].keyStart) > 0) {
      out.sort((a, b) => compare(a.keyStart, b.keyStart));
      break;
    }
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

function jsonPositions(text: string, emit: Emit): void {
  let pos = 0;
  while (pos < text.length && isSpace(text.charCodeAt(pos))) pos++;
  // A top level that is not an object has no keys (the parser reports it).
  if (text[pos] === '{') new FlowScanner(text, pos, false, emit).mapping(undefined);
}
