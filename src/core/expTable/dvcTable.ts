// `dvc exp show`'s table from its rows (the shape `dvc exp show --json` prints): the column
// names, the cells as DVC writes them and the flags that shape the table, following
// dvc/repo/experiments/show.py (tabulate, _collect_names, _normalize_headers, _build_rows,
// _sort_column, _sort_exp), dvc/commands/experiments/show.py (show_experiments,
// prepare_exp_id, format_time), dvc/compare.py (TabularData, _format_field) and the
// renderers DVC uses (Python's csv.writer, tabulate's "github" format for --md). Pure: the
// rows come in, strings go out.

import type { ExpState, FileResult } from '../query/expShow';
import { PyFloat, type PyValue } from '../python/pyFloat';
import { pyStr } from '../python/pyStr';
import { compareText } from './cellValues';

export class DvcShowError extends Error {}

/** Per revision (a sha or 'workspace'): each stage dependency's recorded hash, by path (DVC's `deps`). */
export type DepHashes = Map<string, Map<string, string | null>>;

export interface DvcTableOptions {
  /** --csv: no fill ('' instead of '-'), ISO times, floats in full (unless --precision). */
  csv?: boolean;
  /** --precision, for --csv only (DVC ignores it otherwise); the other tables round to 5 significant digits. */
  precision?: number;
  sortBy?: string;
  sortOrder?: 'asc' | 'desc';
  keep?: string[];
  drop?: string[];
  onlyChanged?: boolean;
  /** "Today" for the text table's times (HH:MM AM for today, else Mon DD, YYYY). */
  now?: Date;
}

export interface DvcTable {
  headers: string[];
  rows: string[][];
  /** Per row: the revision it shows (a sha or 'workspace') and its kind (DVC's typ). */
  revs: string[];
  typ: ('baseline' | 'branch_commit' | 'branch_base')[];
  /** The metrics, params and deps column names as tabulated (before keep/drop). */
  groups: { metrics: string[]; params: string[]; deps: string[] };
}

const BASE_HEADERS = ['Experiment', 'rev', 'typ', 'Created', 'parent', 'State', 'Executor'];
const FILL = '-';
const FILL_CSV = '';
const ERROR = '!';
/** dvc/commands/metrics DEFAULT_PRECISION. */
const DEFAULT_PRECISION = 5;

/** A dict key as flatten_dict's dot reducer joins it: str() of the key. */
const keyText = (k: unknown): string => (typeof k === 'string' ? k : pyStr(k));

/** flatten_dict.flatten(d, reducer='dot'): nested dicts joined with '.', empty dicts vanish, lists are leaves. */
export function flattenPy(value: PyValue, prefix = '', out = new Map<string, PyValue>()): Map<string, PyValue> {
  if (!(value instanceof Map)) return out;
  for (const [k, v] of value) {
    const key = prefix ? `${prefix}.${keyText(k)}` : keyText(k);
    if (v instanceof Map && v.size > 0) flattenPy(v, key, out);
    else if (!(v instanceof Map)) out.set(key, v);
  }
  return out;
}

/** A file's values as _d_cells reads them: a dict flattened, anything else under the file's own name. */
function fileItems(path: string, file: FileResult): Map<string, PyValue> {
  const data = 'data' in file ? (file.data as PyValue) : new Map();
  return data instanceof Map ? flattenPy(data) : new Map([[path, data]]);
}

type Names = Map<string, Map<string, true>>;

/** _collect_names: per file, every key in the order first seen (rows, then their experiments). */
function collectNames(
  states: readonly ExpState[],
  out = { metrics: new Map() as Names, params: new Map() as Names, deps: new Set<string>() },
  deps?: DepHashes,
) {
  const take = (into: Names, files: Map<string, FileResult>) => {
    for (const [path, file] of files) {
      if (!('data' in file) || !((file.data as PyValue) instanceof Map)) continue;
      const keys = into.get(path) ?? new Map<string, true>();
      into.set(path, keys);
      for (const key of flattenPy(file.data as PyValue).keys()) keys.set(key, true);
    }
  };
  for (const s of states) {
    if (s.data) {
      take(out.metrics, s.data.metrics);
      take(out.params, s.data.params);
      for (const path of deps?.get(s.rev)?.keys() ?? []) out.deps.add(path);
    }
    for (const e of s.experiments ?? []) collectNames(e.revs, out, deps);
  }
  return out;
}

/** _normalize_headers: a key alone when no other column has its name, else `file:key`. */
function normalizeHeaders(names: Names, count: Map<string, number>): string[] {
  return [...names].flatMap(([path, keys]) => [...keys.keys()].map((name) => (count.get(name) === 1 ? name : `${path}:${name}`)));
}

/** Python's `format(x, '.{p}g')`. */
export function pyFormatG(x: number, precision: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const p = Math.max(1, precision);
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  let exp = x.toExponential(p - 1);
  // JS rounds a tie away from zero, Python to even: only a tie (…5 then nothing) can differ.
  const long = Math.abs(x).toExponential(Math.min(100, p + 25));
  const digits = long.replace(/e.*$/, '').replace('.', '');
  const tail = digits.slice(p);
  if (/^50*$/.test(tail) && Number(digits[p - 1]) % 2 === 0) {
    const e = Number(/e([+-]\d+)$/.exec(long)![1]);
    const kept = digits.slice(0, p);
    exp = `${x < 0 ? '-' : ''}${kept[0]}${p > 1 ? `.${kept.slice(1)}` : ''}e${e >= 0 ? '+' : ''}${e}`;
  }
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(exp)!;
  const [, sign, lead, rest = '', eText] = m;
  const e = Number(eText);
  const all = lead + rest;
  if (e < -4 || e >= p) {
    const mantissa = rest.replace(/0+$/, '');
    return `${sign}${lead}${mantissa ? `.${mantissa}` : ''}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  let text: string;
  if (e < 0) text = `0.${'0'.repeat(-e - 1)}${all}`;
  else text = all.length > e + 1 ? `${all.slice(0, e + 1)}.${all.slice(e + 1)}` : all.padEnd(e + 1, '0');
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return sign + text;
}

/** dvc/compare.py _format_field: floats to `precision` significant digits (also inside lists and dicts), then str(). */
export function formatField(value: PyValue, precision?: number): string {
  const format = (v: PyValue): PyValue => {
    if (v instanceof PyFloat && precision) return pyFormatG(v.value, precision);
    if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, format(x)]));
    if (Array.isArray(v)) return v.map(format);
    return v;
  };
  return pyStr(format(value));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** format_time: ISO for --csv; else HH:MM AM/PM when the commit is from today, else "Mon DD, YYYY". */
export function formatTime(iso: string | null, fill: string, csv: boolean, now: Date): string {
  if (!iso) return fill;
  if (csv) return iso;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  if (!m) return iso;
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  if (y === now.getFullYear() && mo === now.getMonth() + 1 && d === now.getDate()) {
    const h12 = h % 12 === 0 ? 12 : h % 12;
    return `${String(h12).padStart(2, '0')}:${String(mi).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`;
  }
  return `${MONTHS[mo - 1]} ${String(d).padStart(2, '0')}, ${y}`;
}

/** _sort_column: `file:key` or a key alone, found among the metrics and params names. */
function sortColumn(sortBy: string, metrics: Names, params: Names): { path: string; name: string; typ: 'metrics' | 'params' } {
  const parts = sortBy.split(':');
  const matches = new Map<string, { path: string; name: string; typ: 'metrics' | 'params' }>();
  let bare = sortBy;
  for (let split = 0; split < parts.length; split++) {
    const path = parts.slice(0, split).join(':');
    const name = parts.slice(split).join(':');
    if (!path) bare = name;
    if (metrics.get(path)?.has(name)) matches.set(`${path}\n${name}\nmetrics`, { path, name, typ: 'metrics' });
    if (params.get(path)?.has(name)) matches.set(`${path}\n${name}\nparams`, { path, name, typ: 'params' });
  }
  if (matches.size === 0) {
    for (const [path, keys] of metrics) if (keys.has(bare)) matches.set(`${path}\n${bare}\nmetrics`, { path, name: bare, typ: 'metrics' });
    for (const [path, keys] of params) if (keys.has(bare)) matches.set(`${path}\n${bare}\nparams`, { path, name: bare, typ: 'params' });
  }
  if (matches.size === 1) return [...matches.values()][0];
  if (matches.size > 1)
    throw new DvcShowError(
      `Ambiguous sort column '${bare}' matched '${[...matches.values()].map((m) => `${m.path}:${m.name}`).join(', ')}'`,
    );
  throw new DvcShowError(`Unknown sort column '${bare}'`);
}

/** A sort value's place: Python compares numbers with numbers and text with text; mixed, numbers go first. */
function comparePy(a: PyValue, b: PyValue): number {
  const num = (v: PyValue): number | undefined =>
    typeof v === 'number'
      ? v
      : typeof v === 'bigint'
        ? Number(v)
        : typeof v === 'boolean'
          ? Number(v)
          : v instanceof PyFloat
            ? v.value
            : undefined;
  const x = num(a);
  const y = num(b);
  if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
  if (x !== undefined) return -1;
  if (y !== undefined) return 1;
  if (typeof a === 'string' && typeof b === 'string') return compareText(a, b);
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = comparePy(a[i], b[i]);
      if (c !== 0) return c;
    }
    return a.length - b.length;
  }
  return compareText(pyStr(a), pyStr(b));
}

/** _sort_exp: by (value is None, value), stable, `reverse` keeping ties in their order as Python's sorted does. */
function sortExperiments(
  ranges: NonNullable<ExpState['experiments']>,
  column: { path: string; name: string; typ: 'metrics' | 'params' },
  reverse: boolean,
) {
  const valueOf = (r: (typeof ranges)[number]): PyValue | undefined => {
    const tip = r.revs[0];
    const file = tip?.data?.[column.typ].get(column.path);
    if (!file || !('data' in file)) return undefined;
    const v = flattenPy(file.data as PyValue).get(column.name);
    return v === null ? undefined : v;
  };
  const keyed = ranges.map((r, i) => ({ r, i, v: valueOf(r) }));
  keyed.sort((a, b) => {
    const none = Number(a.v === undefined) - Number(b.v === undefined);
    let c = none !== 0 ? none : a.v === undefined ? 0 : comparePy(a.v, b.v!);
    if (reverse) c = -c;
    return c || a.i - b.i;
  });
  return keyed.map((k) => k.r);
}

/**
 * The table `dvc exp show` prints for these rows, after --keep, --drop and --only-changed.
 * Without --csv the Experiment column carries the tree and the experiment's name as DVC's
 * prepare_exp_id writes it, and rev, typ and parent are gone.
 */
export function dvcTable(states: readonly ExpState[], deps: DepHashes, options: DvcTableOptions = {}): DvcTable {
  const csv = Boolean(options.csv);
  const fill: string = csv ? FILL_CSV : FILL;
  // `args.precision or None if args.csv else DEFAULT_PRECISION`: --precision counts with --csv only.
  const precision = csv ? options.precision || undefined : DEFAULT_PRECISION;
  const now = options.now ?? new Date();
  const names = collectNames(states, undefined, deps);
  // names = metrics_names | params_names: a file in both counts with its params keys.
  const union = new Map([...names.metrics, ...names.params]);
  const count = new Map<string, number>();
  for (const keys of union.values()) for (const k of keys.keys()) count.set(k, (count.get(k) ?? 0) + 1);
  for (const h of BASE_HEADERS) count.set(h, (count.get(h) ?? 0) + 1);
  const metricsHeaders = normalizeHeaders(names.metrics, count);
  const paramsHeaders = normalizeHeaders(names.params, count);
  const depsHeaders = [...names.deps].sort(compareText);
  const headers = [...BASE_HEADERS, ...metricsHeaders, ...paramsHeaders, ...depsHeaders];
  const index = new Map<string, number>();
  headers.forEach((h, i) => {
    if (!index.has(h)) index.set(h, i);
  });

  const rows: string[][] = [];
  const revs: string[] = [];
  const typ: DvcTable['typ'] = [];
  const dataCells = (row: string[], state: ExpState) => {
    const data = state.data!;
    row[index.get('Created')!] = formatTime(data.timestamp, fill, csv, now);
    const cells = (files: Map<string, FileResult>, kindNames: Names, kindHeaders: string[]) => {
      const shown = new Set(kindHeaders);
      for (const [path, file] of files) {
        const items = fileItems(path, file);
        for (const name of kindNames.get(path)?.keys() ?? []) {
          const v = items.get(name);
          const text = v === undefined || v === null ? ('error' in file ? ERROR : fill) : formatField(v, precision);
          const at = index.get(shown.has(name) ? name : `${path}:${name}`);
          if (at !== undefined) row[at] = text;
        }
      }
    };
    cells(data.metrics, names.metrics, metricsHeaders);
    cells(data.params, names.params, paramsHeaders);
    for (const [path, hash] of deps.get(state.rev) ?? []) {
      const at = index.get(path);
      if (at !== undefined) row[at] = hash || fill;
    }
  };
  const isSha = (rev: string) => /^[0-9a-f]{40}$/.test(rev);
  const sort = options.sortBy ? sortColumn(options.sortBy, names.metrics, names.params) : undefined;
  for (const baseline of states) {
    const row = headers.map(() => fill);
    row[0] = '';
    row[1] = baseline.name ?? (isSha(baseline.rev) ? baseline.rev.slice(0, 7) : baseline.rev);
    row[2] = 'baseline';
    row[4] = '';
    if (baseline.data) dataCells(row, baseline);
    rows.push(row);
    revs.push(baseline.rev);
    typ.push('baseline');
    const ranges = baseline.experiments ?? [];
    const ordered = sort ? sortExperiments(ranges, sort, options.sortOrder === 'desc') : ranges;
    ordered.forEach((range, i) => {
      const exp = range.revs[0];
      if (!exp) return;
      const r = headers.map(() => fill);
      r[0] = exp.name ?? '';
      r[1] = isSha(exp.rev) ? exp.rev.slice(0, 7) : exp.rev;
      r[2] = i === ranges.length - 1 ? 'branch_base' : 'branch_commit';
      r[4] = '';
      if (exp.data) dataCells(r, exp);
      rows.push(r);
      revs.push(exp.rev);
      typ.push(r[2] as 'branch_base' | 'branch_commit');
    });
  }
  const table = { headers, rows, revs, typ, groups: { metrics: metricsHeaders, params: paramsHeaders, deps: depsHeaders } };
  return shapeTable(table, fill, csv, options);
}

/** Python's re.match of `"|".join(patterns)`: anchored at the start only. */
function pyRegex(patterns: string[]): RegExp {
  const source = patterns
    .join('|')
    .replace(/\(\?P<(\w+)>/g, '(?<$1>')
    .replace(/\(\?P=(\w+)\)/g, '\\k<$1>');
  try {
    return new RegExp(`^(?:${source})`, 'u');
  } catch (e) {
    throw new DvcShowError(`bad column pattern ${JSON.stringify(patterns.join('|'))}: ${(e as Error).message}`);
  }
}

/** show_experiments: protect --keep, drop empty State/Executor, merge the id columns (not --csv), --only-changed, --drop. */
function shapeTable(t: DvcTable, fill: string, csv: boolean, options: DvcTableOptions): DvcTable {
  let headers = [...t.headers];
  let rows = t.rows.map((r) => [...r]);
  const keepRe = options.keep?.length ? pyRegex(options.keep) : undefined;
  const isProtected = (h: string) => Boolean(keepRe?.test(h));
  const dropColumns = (names: Iterable<string>) => {
    const gone = new Set([...names].filter((n) => !isProtected(n)));
    if (gone.size === 0) return;
    // TabularData keeps one column per name: dropping a name drops it.
    const keepAt = headers.map((h, i) => (gone.has(h) ? -1 : i)).filter((i) => i >= 0);
    headers = keepAt.map((i) => headers[i]);
    rows = rows.map((r) => keepAt.map((i) => r[i]));
  };
  const column = (name: string) => {
    const at = headers.indexOf(name);
    return at < 0 ? [] : rows.map((r) => r[at]);
  };
  for (const name of ['State', 'Executor']) if (headers.includes(name) && column(name).every((v) => v === fill)) dropColumns([name]);
  if (!csv) {
    const [e, rev, typ, parent] = ['Experiment', 'rev', 'typ', 'parent'].map((n) => headers.indexOf(n));
    rows.forEach((r) => {
      const name = r[e];
      const type = r[typ] as DvcTable['typ'][number];
      let text = type === 'baseline' || !name ? name || r[rev] : `${r[rev]} [${name}]`;
      if (r[parent]) text += ` (${r[parent]})`;
      const tree = type === 'branch_commit' ? '├──' : type === 'branch_base' ? '└──' : '';
      r[e] = tree ? `${tree} ${text}` : text;
    });
    dropColumns(['rev', 'typ', 'parent']);
  }
  if (options.onlyChanged) {
    // drop_duplicates('cols', ignore_empty=False): a column with one value in every row goes.
    dropColumns(headers.filter((h) => new Set(column(h)).size === 1));
  }
  if (options.drop?.length) {
    const dropRe = pyRegex(options.drop);
    dropColumns(headers.filter((h) => dropRe.test(h)));
  }
  return { ...t, headers, rows };
}

/** Python's csv.writer (QUOTE_MINIMAL, \r\n line ends), as TabularData.to_csv writes. */
export function toCsv(table: Pick<DvcTable, 'headers' | 'rows'>): string {
  const field = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const line = (cells: string[]) => (cells.length === 1 && cells[0] === '' ? '""' : cells.map(field).join(','));
  return [table.headers, ...table.rows].map((r) => `${line(r)}\r\n`).join('');
}

/** wcwidth's column width: East Asian wide and fullwidth characters take two, combining marks none. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c === 0x200b || /\p{Mn}|\p{Me}/u.test(ch) || (c >= 0x1160 && c <= 0x11ff)) continue;
    width += isWide(c) ? 2 : 1;
  }
  return width;
}

const WIDE: readonly [number, number][] = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x23f0, 0x23f0],
  [0x23f3, 0x23f3],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x267f, 0x267f],
  [0x2693, 0x2693],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26ce, 0x26ce],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f3],
  [0x26f5, 0x26f5],
  [0x26fa, 0x26fa],
  [0x26fd, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x274e, 0x274e],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe10, 0xfe19],
  [0xfe30, 0xfe6f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x16fe0, 0x16fe4],
  [0x17000, 0x18cd5],
  [0x1b000, 0x1b2fb],
  [0x1f004, 0x1f004],
  [0x1f0cf, 0x1f0cf],
  [0x1f18e, 0x1f18e],
  [0x1f191, 0x1f19a],
  [0x1f200, 0x1f251],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f9ff],
  [0x1fa70, 0x1faff],
  [0x20000, 0x2fffd],
  [0x30000, 0x3fffd],
];

function isWide(c: number): boolean {
  if (c < 0x1100) return false;
  let lo = 0;
  let hi = WIDE.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (c < WIDE[mid][0]) hi = mid - 1;
    else if (c > WIDE[mid][1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/**
 * tabulate's "github" format as DVC calls it (disable_numparse, missingval '-'): every column
 * left-aligned, at least its header's width plus two, cells trimmed, a cell of several lines
 * spread over several table lines; DVC adds an empty line after the table.
 */
export function toMarkdown(table: Pick<DvcTable, 'headers' | 'rows'>): string {
  const lines = (cell: string) => cell.split(/\r\n|\r|\n/).map((l) => l.trim());
  const headers = table.headers.map(lines);
  const rows = table.rows.map((r) => r.map(lines));
  const widths = table.headers.map((_, i) =>
    Math.max(Math.max(...headers[i].map(displayWidth)) + 2, ...rows.map((r) => Math.max(...(r[i] ?? ['']).map(displayWidth)))),
  );
  const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));
  const render = (cells: string[][]) => {
    const height = Math.max(1, ...cells.map((c) => c.length));
    const out: string[] = [];
    for (let l = 0; l < height; l++) out.push(`| ${cells.map((c, i) => pad(c[l] ?? '', widths[i])).join(' | ')} |`);
    return out;
  };
  const out = [...render(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.flatMap(render)];
  return `${out.join('\n')}\n\n`;
}
