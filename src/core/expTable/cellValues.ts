// Cell values of the Experiments table: how the index's stored values become cells, how cells
// order against each other and how a typed filter condition tests one. Pure: no store, no I/O,
// so the editor's page code can use the same rules on the cells it holds.

import { decodeValue } from '../util/values';
import { pyStr } from '../python/pyStr';
import type { CellValue, FilterOp, SortKey } from './types';

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/**
 * A stored value (blob_value.value, ext_run_param.value: JSON text, NaN/±Infinity bare, ints
 * past 2^53 with all their digits) as a cell: numbers stay numbers unless JSON.parse would
 * round them; lists and mappings become the text DVC prints for them (Python's str()).
 */
export function cellFromStored(text: string): CellValue {
  if (text in NON_FINITE) return NON_FINITE[text];
  const c = text.charCodeAt(0);
  // Plain numbers and strings are most cells: skip the exact decoder for them.
  if (c === 34 /* " */) return JSON.parse(text) as string;
  if ((c >= 48 && c <= 57) || c === 45 /* - */) {
    const n = Number(text);
    if (Number.isInteger(n) && !Number.isSafeInteger(n) && /^-?\d+$/.test(text)) return { text };
    return n;
  }
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text === 'null') return null;
  const value = decodeValue(text, { exact: true });
  return { text: pyStr(value) };
}

/** A metric value stored as REAL (NULL standing for NaN, see the runs tables). */
export function cellFromReal(value: number | null): CellValue {
  return value === null ? NaN : value;
}

/** MLflow logs every param as a string: one that reads as a number is shown and sorted as one. */
export function runParamCell(kind: string, text: string): CellValue {
  const cell = cellFromStored(text);
  if (kind === 'mlflow' && typeof cell === 'string' && NUMBER_TEXT.test(cell.trim())) {
    const n = Number(cell.trim());
    if (Number.isFinite(n) && !(Number.isInteger(n) && !Number.isSafeInteger(n))) return n;
  }
  return cell;
}

const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A cell as one line of text (tooltips, the CLI, text filters): numbers as Python prints them. */
export function cellText(cell: CellValue | undefined): string {
  if (cell === undefined || cell === null) return '';
  if (typeof cell === 'object') return cell.text;
  if (typeof cell === 'number') return pyStr(cell);
  if (typeof cell === 'boolean') return cell ? 'True' : 'False';
  return cell;
}

/**
 * Where a cell sorts, as [rank, number, text]: numbers (booleans as 0/1, as Python compares
 * them) first, then NaN, then text (strings, lists, big ints), then absent cells, whatever
 * the order; within a rank by value. So a column that is a number in one row and text in
 * another sorts numbers first, and the order is the same on every run.
 */
export interface SortValue {
  rank: 0 | 1 | 2 | 3;
  n: number;
  s: string;
}

export const MISSING: SortValue = { rank: 3, n: 0, s: '' };

export function sortValue(cell: CellValue | undefined): SortValue {
  if (cell === undefined || cell === null) return MISSING;
  if (typeof cell === 'number') return Number.isNaN(cell) ? { rank: 1, n: 0, s: '' } : { rank: 0, n: cell, s: '' };
  if (typeof cell === 'boolean') return { rank: 0, n: cell ? 1 : 0, s: '' };
  if (typeof cell === 'string') return { rank: 2, n: 0, s: cell };
  // A big int is a number: it sorts with the numbers at its nearest double.
  if (/^-?\d+$/.test(cell.text)) return { rank: 0, n: Number(cell.text), s: '' };
  return { rank: 2, n: 0, s: cell.text };
}

/** Code point order (Python's str order), so the order does not depend on a locale. */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (code points past U+FFFF) sort after every BMP character, as code points do.
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** One key's comparison: rank first (never reversed), then the value in the key's order. */
export function compareSortValues(a: SortValue, b: SortValue, order: SortKey['order']): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  let c = 0;
  if (a.rank === 0) c = a.n < b.n ? -1 : a.n > b.n ? 1 : 0;
  else if (a.rank === 2) c = compareText(a.s, b.s);
  return order === 'desc' ? -c : c;
}

export const FILTER_OPS: readonly FilterOp[] = ['<=', '>=', '!=', '!contains', 'contains', '=', '<', '>'];

/** A filter value typed as a number when it reads as one. */
function numberOf(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  return NUMBER_TEXT.test(t) ? Number(t) : undefined;
}

/** A cell's number for comparisons: numbers, booleans (0/1) and big ints; else undefined. */
function cellNumber(cell: CellValue): number | undefined {
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'boolean') return cell ? 1 : 0;
  if (cell !== null && typeof cell === 'object' && /^-?\d+$/.test(cell.text)) return Number(cell.text);
  return undefined;
}

/**
 * Whether a cell meets `op value`. Numbers compare as numbers when the value reads as one
 * (`accuracy >= 0.9`); text compares without regard to case (`state = failed` matches
 * FAILED); `contains` looks in the cell's text. An absent cell meets only `!=` and
 * `!contains`. Times (meta:created) compare with dates: `created >= 2025-03-01`.
 */
export function cellMatches(cell: CellValue | undefined, op: FilterOp, value: string, options: { time?: boolean } = {}): boolean {
  if (cell === undefined || cell === null) return op === '!=' || op === '!contains';
  if (op === 'contains' || op === '!contains') {
    const hit = cellText(cell).toLowerCase().includes(value.toLowerCase());
    return op === 'contains' ? hit : !hit;
  }
  let want = numberOf(value);
  if (options.time && want === undefined) {
    const t = Date.parse(value.trim());
    if (!Number.isNaN(t)) want = t;
  }
  const have = cellNumber(cell);
  if (want !== undefined && have !== undefined) {
    switch (op) {
      case '=':
        return have === want || (Number.isNaN(have) && Number.isNaN(want));
      case '!=':
        return !(have === want || (Number.isNaN(have) && Number.isNaN(want)));
      case '<':
        return have < want;
      case '<=':
        return have <= want;
      case '>':
        return have > want;
      case '>=':
        return have >= want;
    }
  }
  const a = cellText(cell).toLowerCase();
  const b = value.trim().toLowerCase();
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    // A number against text, or text against a number: not comparable, never a match.
    default:
      if ((want === undefined) !== (have === undefined)) return false;
      return op === '<'
        ? compareText(a, b) < 0
        : op === '<='
          ? compareText(a, b) <= 0
          : op === '>'
            ? compareText(a, b) > 0
            : compareText(a, b) >= 0;
  }
}
