// One line of a metric series file at a time, for tail reading: DVCLive's TSVs (header, then
// `[timestamp,] step, <value>` rows, see formats/stepSeries.ts) and MLflow file-store metric
// files (`<timestamp ms> <value> [<step>]`, as mlflow/store/tracking/file_store.py
// `_get_metric_from_line` reads them). Each bad line is refused with a reason; the caller
// names the file and line and goes on.
import { parseDelimited, parseNumberCell } from '../formats/plotData';
import type { MetricPoint } from '../runs/types';

/** Column indexes of a DVCLive TSV (-1: no such column). */
export interface TsvColumns {
  step: number;
  value: number;
  timestamp: number;
}

/**
 * The columns of a DVCLive TSV header, for the series named `key` (train/acc has column
 * `acc`); like parseStepSeries, the last column besides step and timestamp when none is
 * named after it.
 */
export function tsvColumns(header: string, key: string): TsvColumns | string {
  const names = (parseDelimited(header, '\t')[0] ?? []).map((h) => h.trim());
  const step = names.indexOf('step');
  if (step < 0) return `The header has no 'step' column: ${names.join(', ')}.`;
  const timestamp = names.indexOf('timestamp');
  const base = key.slice(key.lastIndexOf('/') + 1);
  let value = names.indexOf(base);
  if (value < 0 || value === step || value === timestamp)
    value = names.reduce((found, _n, i) => (i !== step && i !== timestamp ? i : found), -1);
  if (value < 0) return 'The header has no value column besides step and timestamp.';
  return { step, value, timestamp };
}

/** A TSV row as a point; non-finite values stay (the chart decides), a non-numeric cell is refused. */
export function tsvPoint(line: string, columns: TsvColumns): MetricPoint | string {
  const cells = parseDelimited(line, '\t')[0] ?? [];
  const step = parseNumberCell(cells[columns.step] ?? '');
  const value = parseNumberCell(cells[columns.value] ?? '');
  if (step === undefined || Number.isNaN(step)) return `${shown(cells[columns.step])} is not a step number.`;
  if (value === undefined) return `${shown(cells[columns.value])} is not a number.`;
  const timestamp = columns.timestamp >= 0 ? parseNumberCell(cells[columns.timestamp] ?? '') : undefined;
  return { step, value, timestamp: timestamp !== undefined && Number.isFinite(timestamp) ? timestamp : null };
}

const INTEGER = /^[-+]?\d+$/;

/** A cell as a message quotes it: short, on one line. */
function shown(cell: string | undefined): string {
  const flat = (cell ?? '').replace(/[\x00-\x1f\x7f]+/g, ' ');
  return `'${flat.length > 40 ? `${flat.slice(0, 39)}…` : flat}'`;
}

/** An MLflow metric line; MLflow splits on single spaces and wants two or three fields. */
export function mlflowMetricPoint(line: string): MetricPoint | string {
  const parts = line.trim().split(' ');
  if (parts.length !== 2 && parts.length !== 3) return `Expected '<timestamp> <value> [<step>]', found ${parts.length} field(s).`;
  const [ts, raw, step = '0'] = parts;
  if (!INTEGER.test(ts)) return `${shown(ts)} is not a timestamp (integer milliseconds).`;
  const value = parseNumberCell(raw);
  if (value === undefined) return `${shown(raw)} is not a number.`;
  if (!INTEGER.test(step)) return `${shown(step)} is not a step (integer).`;
  return { step: Number(step), value, timestamp: Number(ts) };
}
