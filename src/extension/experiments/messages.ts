// Checks on what arrives from the Experiments webview and from the workspace state. Both are
// untrusted: anything malformed is dropped (a message) or replaced by the default (a stored
// layout or query). Pure, tested in Node.
import type { ColumnLayout, QueryView, RowAction, Scope, WebviewMessage } from '../../protocol/experiments';
import { EMPTY_LAYOUT, EMPTY_QUERY, ROW_ACTIONS } from '../../protocol/experiments';
import type { FilterOp } from '../../core/expTable/types';

const MAX_ID = 4096;
const MAX_IDS = 100_000;
const MAX_COLUMNS = 100_000;
const MAX_TEXT = 10_000;
const MAX_SORT = 20;
const MAX_FILTERS = 50;
const OPS: readonly FilterOp[] = ['=', '!=', '<', '<=', '>', '>=', 'contains', '!contains'];
export const MIN_WIDTH = 40;
export const MAX_WIDTH = 2000;

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= MAX_ID && !v.includes('\0');
const isIdList = (v: unknown, max: number): v is string[] => Array.isArray(v) && v.length <= max && v.every(isId);
const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isScope = (v: unknown): v is Scope => v === 'filtered' || v === 'selected';

export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'window': {
      if (!isInt(m.requestId, 0, Number.MAX_SAFE_INTEGER) || !isInt(m.generation, 0, Number.MAX_SAFE_INTEGER)) return undefined;
      if (!isInt(m.offset, 0, 1e9) || !isInt(m.count, 0, 1e6)) return undefined;
      if (m.columns !== null && !isIdList(m.columns, MAX_COLUMNS)) return undefined;
      return {
        type: 'window',
        requestId: m.requestId,
        generation: m.generation,
        offset: m.offset,
        count: m.count,
        columns: m.columns === null ? null : [...(m.columns as string[])],
      };
    }
    case 'query': {
      const query = parseQuery(m.query);
      return query ? { type: 'query', query } : undefined;
    }
    case 'layout': {
      const layout = parseLayout(m.layout);
      return layout ? { type: 'layout', layout } : undefined;
    }
    case 'star':
      return isId(m.rowId) && typeof m.starred === 'boolean' ? { type: 'star', rowId: m.rowId, starred: m.starred } : undefined;
    case 'editNote':
      return isId(m.rowId) ? { type: 'editNote', rowId: m.rowId } : undefined;
    case 'open':
      return isId(m.rowId) ? { type: 'open', rowId: m.rowId } : undefined;
    case 'action':
      if (!ROW_ACTIONS.includes(m.action as RowAction) || !isIdList(m.rowIds, MAX_IDS) || !isIdList(m.columns, MAX_COLUMNS))
        return undefined;
      return { type: 'action', action: m.action as RowAction, rowIds: [...m.rowIds], columns: [...m.columns] };
    case 'points':
      if (!isInt(m.requestId, 0, Number.MAX_SAFE_INTEGER) || !isIdList(m.columns, 64) || !isScope(m.scope) || !isIdList(m.rowIds, MAX_IDS))
        return undefined;
      return { type: 'points', requestId: m.requestId, columns: [...m.columns], scope: m.scope, rowIds: [...m.rowIds] };
    case 'correlation':
      if (!isInt(m.requestId, 0, Number.MAX_SAFE_INTEGER) || !isId(m.metric) || !isScope(m.scope) || !isIdList(m.rowIds, MAX_IDS))
        return undefined;
      return { type: 'correlation', requestId: m.requestId, metric: m.metric, scope: m.scope, rowIds: [...m.rowIds] };
    case 'rendered': {
      const nums = ['cells', 'rows', 'filled', 'firstRow', 'lastRow', 'scrollTop', 'scrollLeft', 'generation'] as const;
      if (!nums.every((k) => typeof m[k] === 'number' && Number.isFinite(m[k]))) return undefined;
      const r = Object.fromEntries(nums.map((k) => [k, m[k] as number])) as Record<(typeof nums)[number], number>;
      return { type: 'rendered', ...r };
    }
    default:
      return undefined;
  }
}

/** A query from the page or the workspace state; undefined when malformed. */
export function parseQuery(raw: unknown): QueryView | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const q = raw as Record<string, unknown>;
  if (!Array.isArray(q.sort) || q.sort.length > MAX_SORT || !Array.isArray(q.filters) || q.filters.length > MAX_FILTERS) return undefined;
  const sort = q.sort.map((s: unknown) => {
    const k = s as { column?: unknown; order?: unknown } | null;
    return k && isId(k.column) && (k.order === 'asc' || k.order === 'desc') ? { column: k.column, order: k.order } : undefined;
  });
  const filters = q.filters.map((f: unknown) => {
    const k = f as { column?: unknown; op?: unknown; value?: unknown } | null;
    return k && isId(k.column) && OPS.includes(k.op as FilterOp) && typeof k.value === 'string' && k.value.length <= MAX_TEXT
      ? { column: k.column, op: k.op as FilterOp, value: k.value }
      : undefined;
  });
  if (sort.some((s) => !s) || filters.some((f) => !f)) return undefined;
  if (typeof q.text !== 'string' || q.text.length > MAX_TEXT || typeof q.starredOnly !== 'boolean') return undefined;
  return {
    sort: sort as QueryView['sort'],
    filters: filters as QueryView['filters'],
    text: q.text,
    starredOnly: q.starredOnly,
    allCommits: q.allCommits === true,
  };
}

/** A column layout from the page or the workspace state; undefined when malformed. */
export function parseLayout(raw: unknown): ColumnLayout | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const l = raw as Record<string, unknown>;
  if (!isIdList(l.hidden, MAX_COLUMNS) || !isIdList(l.order, MAX_COLUMNS) || !isIdList(l.pinned, MAX_COLUMNS)) return undefined;
  if (typeof l.widths !== 'object' || l.widths === null || Array.isArray(l.widths)) return undefined;
  const widths: Record<string, number> = {};
  const entries = Object.entries(l.widths as Record<string, unknown>);
  if (entries.length > MAX_COLUMNS) return undefined;
  for (const [id, w] of entries) {
    if (!isId(id) || typeof w !== 'number' || !Number.isFinite(w)) return undefined;
    widths[id] = Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, w)));
  }
  return { hidden: [...new Set(l.hidden)], order: [...new Set(l.order)], pinned: [...new Set(l.pinned)], widths };
}

export function storedLayout(raw: unknown): ColumnLayout {
  return parseLayout(raw) ?? { ...EMPTY_LAYOUT, widths: {} };
}

export function storedQuery(raw: unknown): QueryView {
  return parseQuery(raw) ?? { ...EMPTY_QUERY, sort: [], filters: [] };
}

/** The folder a restored panel shows, from the webview's saved state. */
export function folderFromSavedState(state: unknown): string | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const folder = (state as Record<string, unknown>).folder;
  return typeof folder === 'string' && folder.length > 0 && folder.length <= MAX_ID ? folder : undefined;
}
