// From a plot definition and its tables to the series a chart draws, the way DVC's
// VegaConverter.flat_datapoints does it (dvc/render/converter/vega.py): y defaults to the
// last column of the plot's own file, x to the row index ("step"); `x: col` with
// `y: {file: cols}` pairs x with every y; several x files must match the y files one to one;
// labels default to the single field name. Pure, no store access.
import type { PlotCell, PlotTable } from '../formats/plotData';
import type { PlotDefinition } from './plots';

export const INDEX_FIELD = 'step';

export interface PlotPoint {
  x: PlotCell;
  y: PlotCell;
}

export interface DataSeries {
  file: string;
  /** The y column. */
  field: string;
  /** The x column, or INDEX_FIELD for the row index. */
  xField: string;
  points: PlotPoint[];
}

export interface FlatPlot {
  xLabel: string;
  yLabel: string;
  series: DataSeries[];
  /** Phrased for the user: a missing column, files of different lengths, points left out. */
  problems: string[];
}

type FileField = [file: string, field: string];

function fileFields(axis: unknown): FileField[] {
  if (typeof axis !== 'object' || axis === null || Array.isArray(axis)) return [];
  const out: FileField[] = [];
  for (const [file, fields] of Object.entries(axis as Record<string, unknown>)) {
    if (typeof fields === 'string') out.push([file, fields]);
    else if (Array.isArray(fields)) for (const f of fields) if (typeof f === 'string') out.push([file, f]);
  }
  return out;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** DVC's inferred x and y sources: every y as (file, field), and the x sources. */
export function plotAxes(def: PlotDefinition, tableOf: (path: string) => PlotTable | undefined): { xs: FileField[]; ys: FileField[] } {
  const { x, y } = def.props;
  let ys: FileField[];
  if (isMap(y)) ys = fileFields(y);
  else if (typeof y === 'string') ys = [[def.id, y]];
  else if (Array.isArray(y)) ys = y.map((f) => [def.id, f] as FileField);
  else {
    const columns = tableOf(def.id)?.columns ?? [];
    ys = columns.length ? [[def.id, columns[columns.length - 1]]] : [];
  }
  let xs: FileField[] = [];
  if (isMap(x)) xs = fileFields(x);
  else if (typeof x === 'string') xs = isMap(y) ? ys.map(([file]) => [file, x] as FileField) : [[def.id, x]];
  return { xs, ys };
}

export function flattenPlot(def: PlotDefinition, tableOf: (path: string) => PlotTable | undefined, maxPoints = 20000): FlatPlot {
  const { xs, ys } = plotAxes(def, tableOf);
  const problems: string[] = [];
  const fields = new Set(ys.map(([, f]) => f));
  const xFields = new Set(xs.map(([, f]) => f));
  const yLabel = def.props.y_label ?? (fields.size === 1 ? [...fields][0] : 'y');
  const xLabel = def.props.x_label ?? (xs.length === 0 ? INDEX_FIELD : xFields.size === 1 ? [...xFields][0] : 'x');
  if (xs.length > 1 && xs.length !== ys.length) {
    return {
      xLabel,
      yLabel,
      series: [],
      problems: [`Cannot have different number of x and y data sources. Found ${xs.length} x and ${ys.length} y data sources.`],
    };
  }
  const series: DataSeries[] = [];
  ys.forEach(([yFile, yField], i) => {
    const yTable = tableOf(yFile);
    if (!yTable) return;
    if (yTable.rows.length > 0 && !yTable.columns.includes(yField)) {
      problems.push(`${yFile}: could not find the field '${yField}' in its data fields (${yTable.columns.join(', ')}).`);
      return;
    }
    const [xFile, xField] = xs.length === 0 ? [undefined, INDEX_FIELD] : xs.length === 1 ? xs[0] : xs[i];
    let xRows: Record<string, PlotCell>[] | undefined;
    if (xFile !== undefined) {
      const xTable = tableOf(xFile);
      if (!xTable) return;
      if (xTable.rows.length > 0 && !xTable.columns.includes(xField)) {
        problems.push(`${xFile}: could not find the field '${xField}' in its data fields (${xTable.columns.join(', ')}).`);
        return;
      }
      if (xTable.rows.length !== yTable.rows.length) {
        problems.push(
          `Cannot join '${xField}' from '${xFile}' and '${yField}' from '${yFile}': they have ${xTable.rows.length} and ${yTable.rows.length} rows.`,
        );
        return;
      }
      xRows = xTable.rows;
    }
    const points: PlotPoint[] = [];
    yTable.rows.forEach((row, index) => {
      const yValue = row[yField];
      if (yValue === null || yValue === undefined) return;
      points.push({ x: xRows ? (xRows[index][xField] ?? null) : index, y: yValue });
    });
    if (points.length > maxPoints) {
      problems.push(`${yFile}: ${points.length} points of '${yField}'; every ${Math.ceil(points.length / maxPoints)}th is drawn.`);
      series.push({ file: yFile, field: yField, xField, points: thin(points, maxPoints) });
    } else {
      series.push({ file: yFile, field: yField, xField, points });
    }
  });
  return { xLabel, yLabel, series, problems };
}

/** Keeps about `max` evenly spaced points, always the first and the last. */
export function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max || max < 2) return points;
  const step = (points.length - 1) / (max - 1);
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)]);
  return out;
}

export interface ConfusionMatrix {
  /** Values of the x field (DVC's `actual` in the usual setup), ascending. */
  xLabels: string[];
  /** Values of the y field (`predicted`), ascending. */
  yLabels: string[];
  /** counts[yIndex][xIndex]: rows with that y and that x. */
  counts: number[][];
  total: number;
}

/** Labels sorted as Vega sorts a nominal field ascending: numbers numerically, else as strings. */
export function sortLabels(values: Iterable<string>): string[] {
  const list = [...new Set(values)];
  const numeric = list.every((v) => v.trim() !== '' && Number.isFinite(Number(v)));
  return numeric ? list.sort((a, b) => Number(a) - Number(b)) : list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function label(cell: PlotCell): string {
  return cell === null ? 'null' : String(cell);
}

/**
 * DVC's `confusion` template: count rows per (x, y) pair; absent pairs count 0 (its impute
 * steps). Pass the labels of every revision to draw matrices of several revisions alike.
 */
export function confusionMatrix(points: readonly PlotPoint[], labels?: { x: string[]; y: string[] }): ConfusionMatrix {
  const xLabels = labels?.x ?? sortLabels(points.map((p) => label(p.x)));
  const yLabels = labels?.y ?? sortLabels(points.map((p) => label(p.y)));
  const xi = new Map(xLabels.map((l, i) => [l, i]));
  const yi = new Map(yLabels.map((l, i) => [l, i]));
  const counts = yLabels.map(() => xLabels.map(() => 0));
  let total = 0;
  for (const p of points) {
    const c = xi.get(label(p.x));
    const r = yi.get(label(p.y));
    if (c === undefined || r === undefined) continue;
    counts[r][c]++;
    total++;
  }
  return { xLabels, yLabels, counts, total };
}

/**
 * `confusion_normalized`: each count divided by the sum of its y group (the template's
 * joinaggregate over y), so every row of the matrix sums to 1; empty rows stay 0.
 */
export function normalizeConfusion(matrix: ConfusionMatrix): number[][] {
  return matrix.counts.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((n) => (sum === 0 ? 0 : n / sum));
  });
}
