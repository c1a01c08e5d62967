// DVCLive step series (dvclive/plots/metric.py): `log_metric('train/acc', v)` appends to
// `<dir>/plots/metrics/train/acc.tsv` through csv.DictWriter(delimiter='\t',
// lineterminator=os.linesep), header `[timestamp,] step, <basename>`; timestamp is in
// milliseconds and only present when logged with timestamp=True. Values are written with
// Python's str(), so non-finite floats appear as `nan`, `inf`, `-inf`; DVCLive also accepts
// strings as metric values, which have no place on a numeric series and are skipped.

import type { ParseResult } from '../data/types';
import { failure, success } from '../data/types';
import { parseDelimited, parseNumberCell } from './plotData';

export interface StepPoint {
  step: number;
  value: number;
  timestamp?: number;
}

function basename(name: string): string {
  return name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
}

/**
 * DVCLive plots/metrics/**.tsv. The value column is the one named after the metric's
 * basename; when there is none (a caller that does not know the name), the last column
 * other than step/timestamp.
 */
export function parseStepSeries(text: string, metricName: string): ParseResult<StepPoint[]> {
  const records = parseDelimited(text, '\t');
  const headerIndex = records.findIndex((r) => r.length > 0);
  if (headerIndex < 0) return success([]);
  const header = records[headerIndex].map((h) => h.trim());
  const stepCol = header.indexOf('step');
  if (stepCol < 0) return failure(`The header has no 'step' column: ${header.join(', ')}.`, headerIndex + 1, 1);
  const timeCol = header.indexOf('timestamp');
  let valueCol = header.indexOf(basename(metricName));
  if (valueCol < 0 || valueCol === stepCol || valueCol === timeCol) {
    valueCol = header.reduce((found, name, i) => (i !== stepCol && i !== timeCol ? i : found), -1);
  }
  if (valueCol < 0) return failure('The header has no value column besides step and timestamp.', headerIndex + 1, 1);

  const points: StepPoint[] = [];
  let skipped = 0;
  let firstSkipped = 0;
  // Quoted cells cannot span lines in DVCLive output, so record index + 1 is the line number.
  for (let i = headerIndex + 1; i < records.length; i++) {
    const record = records[i];
    if (record.length === 0) continue;
    const step = parseNumberCell(record[stepCol] ?? '');
    const value = parseNumberCell(record[valueCol] ?? '');
    if (step === undefined || value === undefined || Number.isNaN(step)) {
      if (skipped++ === 0) firstSkipped = i + 1;
      continue;
    }
    const point: StepPoint = { step, value };
    if (timeCol >= 0) {
      const timestamp = parseNumberCell(record[timeCol] ?? '');
      if (timestamp !== undefined && Number.isFinite(timestamp)) point.timestamp = timestamp;
    }
    points.push(point);
  }
  const warnings =
    skipped > 0 ? [`${skipped} row(s) without a numeric step and value were skipped, the first on line ${firstSkipped}.`] : [];
  return success(points, warnings);
}

function trimSlashes(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/+$/, '');
}

/** 'dvclive/plots/metrics/train/acc.tsv' under dvclive dir 'dvclive' -> 'train/acc' */
export function stepSeriesName(liveDir: string, tsvPath: string): string | undefined {
  const dir = trimSlashes(liveDir);
  const prefix = dir === '' || dir === '.' ? 'plots/metrics/' : `${dir}/plots/metrics/`;
  const path = trimSlashes(tsvPath);
  if (!path.startsWith(prefix) || !path.endsWith('.tsv')) return undefined;
  const name = path.slice(prefix.length, -'.tsv'.length);
  return name === '' || name.endsWith('/') ? undefined : name;
}
