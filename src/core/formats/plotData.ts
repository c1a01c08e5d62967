// DVC plot data files, read as dvc/repo/plots/__init__.py `parse` and
// dvc/render/converter/vega.py `get_datapoints` do:
// - .csv/.tsv go through Python's csv.DictReader (excel dialect: `"` quoting, doubled quotes,
//   quoted newlines; blank lines skipped; short rows padded with None). `header: false` names
//   the columns '0', '1', ... DVC hands the strings on as they are; we turn numeric cells into
//   numbers here because every consumer of a table wants to plot them.
// - structured files (.json, .yaml/.yml, and .toml/.py, which DVC also accepts) yield rows
//   from every list of same-keyed objects found in the data (descending into mappings), merged
//   row by row; lists that are not such "datapoints" are ignored.

import type { DataValue, ParseResult } from '../data/types';
import { failure, success } from '../data/types';
import { isDataMap, setEntry } from '../data/flatten';
import { parseJsonPython } from '../python/jsonPython';
import { parsePyParams } from '../python/pyParams';
import { parseTomlValue, parseYamlValue, structuredFormat } from './structured';

export type PlotCell = string | number | boolean | null;
export interface PlotTable {
  columns: string[];
  rows: Record<string, PlotCell>[];
}
export interface PlotDataOptions {
  /** dvc.yaml plot property `header`; false means the first line is already data. */
  header?: boolean;
}

/** Rows of a delimited text as Python's csv.reader splits them (blank lines give []). */
export function parseDelimited(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let inQuotes = false;
  let quoteClosed = false;
  let lineStarted = false;
  const endField = (): void => {
    row.push(field);
    field = '';
    quoteClosed = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inQuotes) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        inQuotes = false;
        quoteClosed = true;
      }
      continue;
    }
    if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      if (lineStarted) endField();
      rows.push(row);
      row = [];
      lineStarted = false;
      continue;
    }
    lineStarted = true;
    if (c === delimiter) endField();
    else if (c === '"' && field === '' && !quoteClosed) inQuotes = true;
    else field += c;
  }
  if (lineStarted || inQuotes) {
    endField();
    rows.push(row);
  }
  return rows;
}

const NUMERIC = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const SPECIAL = /^([-+]?)(nan|inf|infinity)$/i;

/** Python float() of a cell, or undefined when the cell is not a number. */
export function parseNumberCell(cell: string): number | undefined {
  const s = cell.trim();
  if (NUMERIC.test(s)) return Number(s);
  const m = SPECIAL.exec(s);
  if (!m) return undefined;
  if (m[2].toLowerCase() === 'nan') return NaN;
  return m[1] === '-' ? -Infinity : Infinity;
}

function parseSeparated(text: string, delimiter: string, header: boolean): ParseResult<PlotTable> {
  const records = parseDelimited(text, delimiter).filter((r, i) => r.length > 0 || (i === 0 && header));
  if (records.length === 0) return success({ columns: [], rows: [] });
  const warnings: string[] = [];
  const columns = header ? records[0] : records[0].map((_, i) => String(i));
  const distinct = columns.filter((c, i) => columns.indexOf(c) === i);
  const rows: Record<string, PlotCell>[] = [];
  for (const record of records.slice(header ? 1 : 0)) {
    const row: Record<string, PlotCell> = {};
    columns.forEach((name, i) => {
      const cell = record[i];
      setEntry(row, name, cell === undefined ? null : (parseNumberCell(cell) ?? cell));
    });
    if (record.length > columns.length && warnings.length === 0) {
      warnings.push(`Some rows have more cells than the ${columns.length} header columns; the extra cells were ignored.`);
    }
    rows.push(row);
  }
  return success({ columns: distinct, rows }, warnings);
}

function* lists(blob: DataValue): Generator<DataValue[]> {
  if (Array.isArray(blob)) {
    yield blob;
  } else if (isDataMap(blob)) {
    for (const value of Object.values(blob)) {
      if (isDataMap(value)) yield* lists(value);
      else if (Array.isArray(value)) yield value;
    }
  }
}

function isDatapoints(list: DataValue[]): boolean {
  // DVC crashes on an empty list here (first(lst) is None); we just skip it.
  if (list.length === 0 || !list.every(isDataMap)) return false;
  const firstKeys = Object.keys(list[0] as object);
  const all = new Set(list.flatMap((item) => Object.keys(item as object)));
  return all.size === firstKeys.length && firstKeys.every((k) => all.has(k));
}

function toCell(value: DataValue): PlotCell {
  if (typeof value === 'bigint') return Number(value); // plots draw doubles
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : value;
}

/** get_datapoints: every datapoint list merged by row index. */
export function datapointsTable(data: DataValue): PlotTable {
  const columns: string[] = [];
  const rows: Record<string, PlotCell>[] = [];
  for (const list of lists(data)) {
    if (!isDatapoints(list)) continue;
    list.forEach((item, index) => {
      if (rows.length <= index) rows.push({});
      for (const [key, value] of Object.entries(item as Record<string, DataValue>)) {
        if (!columns.includes(key)) columns.push(key);
        setEntry(rows[index], key, toCell(value));
      }
    });
  }
  return { columns, rows };
}

function extensionOf(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

/**
 * DVC plot data files: .json (list of objects, or a mapping whose lists hold the rows),
 * .csv, .tsv (header row; numbers parsed as numbers), .yaml/.yml, and .toml/.py as DVC allows.
 */
export function parsePlotData(text: string, fileName: string, options: PlotDataOptions = {}): ParseResult<PlotTable> {
  const ext = extensionOf(fileName);
  const header = options.header ?? true;
  if (ext === '.csv') return parseSeparated(text, ',', header);
  if (ext === '.tsv') return parseSeparated(text, '\t', header);
  if (!['.json', '.yaml', '.yml', '.toml', '.py'].includes(ext)) {
    return failure(
      `'${ext || fileName}' is not a plot data format DVC reads (json, yaml, csv, tsv, toml, py).`,
      undefined,
      undefined,
      'unsupported',
    );
  }
  const format = structuredFormat(fileName);
  const parsed: ParseResult<DataValue> =
    format === 'json'
      ? parseJsonPython(text)
      : format === 'toml'
        ? parseTomlValue(text)
        : format === 'py'
          ? parsePyParams(text)
          : parseYamlValue(text);
  if (!parsed.ok) return parsed;
  if (!Array.isArray(parsed.value) && !isDataMap(parsed.value)) {
    return failure('Plot data must be a list of rows or a mapping holding one.', 1, 1);
  }
  let table: PlotTable;
  try {
    table = datapointsTable(parsed.value);
  } catch (e) {
    return failure(`Plot data could not be read: ${(e as Error).message}`);
  }
  const warnings = [...(parsed.warnings ?? [])];
  if (table.rows.length === 0) warnings.push('No list of rows with the same fields was found in the plot data.');
  return success(table, warnings);
}
