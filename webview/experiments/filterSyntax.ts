// The filter bar's language: `<column> <op> <value>` becomes a typed condition, anything else
// is free text. A column is named by its id (`metrics:eval/metrics.json:accuracy`, spaces after
// the group allowed), by `group:key`, `source:key`, or its key alone (`accuracy`, `state`) when
// that is unambiguous enough: metrics first, then params, then the row's own columns. Pure.
import type { ColumnInfo, Filter, FilterOp } from '../../src/protocol/experiments';

export type ParsedInput =
  | { kind: 'filter'; filter: Filter }
  /** `unknown`: the text read as a condition on a column the table does not have. */
  | { kind: 'text'; text: string; unknown?: string }
  | { kind: 'empty' };

const SYMBOLIC = /^(.+?)\s*(>=|<=|!=|==|=|<|>)\s*(.*)$/s;
const WORDY = /^(.+?)\s+(!contains|not contains|contains)\s+(.*)$/is;
const GROUPS = ['meta', 'metrics', 'params'] as const;

export function parseFilterInput(input: string, columns: readonly ColumnInfo[]): ParsedInput {
  const text = input.trim();
  if (!text) return { kind: 'empty' };
  const candidates = [WORDY.exec(text), SYMBOLIC.exec(text)].filter((m): m is RegExpExecArray => m !== null);
  // The operator that comes first wins: `model.name contains a=b` is a contains.
  candidates.sort((a, b) => a[1].length - b[1].length);
  for (const m of candidates) {
    const column = resolveColumn(m[1], columns);
    if (!column) continue;
    const op = normalizeOp(m[2]);
    return { kind: 'filter', filter: { column: column.id, op, value: unquote(m[3].trim()) } };
  }
  return candidates.length ? { kind: 'text', text, unknown: candidates[0][1].trim() } : { kind: 'text', text };
}

function normalizeOp(op: string): FilterOp {
  const o = op.toLowerCase();
  if (o === '==') return '=';
  if (o === 'not contains') return '!contains';
  return o as FilterOp;
}

function unquote(value: string): string {
  const m = /^"(.*)"$|^'(.*)'$/s.exec(value);
  return m ? (m[1] ?? m[2]) : value;
}

const rank = (c: ColumnInfo) => (c.group === 'metrics' ? 0 : c.group === 'params' ? 1 : 2);

/** The column a name in the filter bar means, or undefined. */
export function resolveColumn(name: string, columns: readonly ColumnInfo[]): ColumnInfo | undefined {
  const raw = name.trim();
  if (!raw) return undefined;
  // `metrics: eval/metrics.json:accuracy` as the issue writes it: no space after the group.
  const compact = raw.replace(/^(meta|metrics|params)\s*:\s*/i, (_m, g: string) => `${g.toLowerCase()}:`);
  const exact = columns.find((c) => c.id === compact);
  if (exact) return exact;
  const best = (list: ColumnInfo[]) => list.sort((a, b) => rank(a) - rank(b))[0];
  const group = GROUPS.find((g) => compact.startsWith(`${g}:`));
  if (group) {
    const rest = compact.slice(group.length + 1);
    const hit = columns.find((c) => c.group === group && (c.key === rest || `${c.source}:${c.key}` === rest));
    if (hit) return hit;
  }
  const byKey = columns.filter((c) => c.key === compact);
  if (byKey.length) return best(byKey);
  const bySource = columns.filter((c) => `${c.source}:${c.key}` === compact);
  if (bySource.length) return best(bySource);
  const lower = compact.toLowerCase();
  const loose = columns.filter((c) => c.key.toLowerCase() === lower);
  return loose.length ? best(loose) : undefined;
}

/** How a condition reads on its chip: the shortest name that finds the same column again. */
export function filterLabel(filter: Filter, columns: readonly ColumnInfo[]): string {
  const column = columns.find((c) => c.id === filter.column);
  const name = column ? shortName(column, columns) : filter.column;
  return `${name} ${filter.op} ${filter.value}`;
}

export function shortName(column: ColumnInfo, columns: readonly ColumnInfo[]): string {
  for (const name of [column.key, `${column.group}:${column.key}`, `${column.source}:${column.key}`]) {
    if (resolveColumn(name, columns)?.id === column.id) return name;
  }
  return column.id;
}
