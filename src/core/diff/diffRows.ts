import type { FlatValue } from '../data/types';
import { diffValues, pythonEquals, type DiffResult, type FileValues } from './diff';
import { directionsFor, verdictOf, type Direction, type Verdict } from './direction';

/** One row of a side-by-side comparison: a metric or param of one file at two revisions. */
export interface DiffRow {
  kind: 'metric' | 'param';
  file: string;
  key: string;
  old: FlatValue | null;
  new: FlatValue | null;
  /** new - old when both are numbers. */
  delta?: number;
  /** delta / |old| when old is a non-zero number. */
  relative?: number;
  changed: boolean;
  /** Metrics only: better/worse by the metric's direction; params are 'n/a'. */
  verdict: Verdict;
}

/** The two sides of one kind (metrics or params), already read. */
export interface SideValues {
  old: FileValues;
  new: FileValues;
}

/**
 * Which way each metric should move. `exact` names keys (CLI flags); `globs` are settings'
 * patterns (`**.loss`), expanded against the keys this comparison has. An exact key wins.
 */
export interface MetricDirections {
  exact?: Record<string, Direction>;
  globs?: Record<string, Direction>;
}

export interface Comparison {
  rows: DiffRow[];
  improved: number;
  regressed: number;
}

/**
 * Every metric and param of two sides (unchanged ones too, flagged), for tables and webviews.
 * One pass: directions are resolved from the keys the diff already holds, so each row gets
 * its verdict as it is made and nothing has to be compared a second time.
 */
export function compareValues(sides: { metrics: SideValues; params: SideValues }, directions: MetricDirections = {}): Comparison {
  const rows: DiffRow[] = [];
  let improved = 0;
  let regressed = 0;
  for (const kind of ['metrics', 'params'] as const) {
    const all = diffValues(sides[kind].old, sides[kind].new, { all: true });
    const byKey = kind === 'metrics' ? resolveDirections(all, directions) : {};
    for (const [file, keys] of Object.entries(all)) {
      for (const [key, d] of Object.entries(keys)) {
        const delta = d.diff === undefined ? undefined : Number(d.diff);
        const verdict = kind === 'metrics' ? verdictOf(key, delta, byKey) : 'n/a';
        if (verdict === 'better') improved++;
        else if (verdict === 'worse') regressed++;
        // Rows go to webviews as JSON: a big int (from an exact reader) travels as a number.
        // "Changed" is what `diffValues` without `all` would keep: Python's `old != new`.
        const row: DiffRow = {
          kind: kind === 'metrics' ? 'metric' : 'param',
          file,
          key,
          old: plain(d.old),
          new: plain(d.new),
          changed: !pythonEquals(d.old, d.new),
          verdict,
        };
        if (delta !== undefined) row.delta = delta;
        const old = typeof d.old === 'bigint' ? Number(d.old) : d.old;
        if (delta !== undefined && typeof old === 'number' && old !== 0) row.relative = delta / Math.abs(old);
        rows.push(row);
      }
    }
  }
  return { rows, improved, regressed };
}

/** Exact keys for verdictOf: the globs matched against the keys of this diff, then the exact ones over them. */
function resolveDirections(diff: DiffResult, directions: MetricDirections): Record<string, Direction> {
  const exact = directions.exact ?? {};
  if (!directions.globs || Object.keys(directions.globs).length === 0) return exact;
  const keys = new Set<string>();
  for (const file of Object.values(diff)) for (const key of Object.keys(file)) keys.add(key);
  return { ...directionsFor(keys, directions.globs), ...exact };
}

function plain(v: FlatValue | null): FlatValue | null {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v) && v.some((x) => typeof x === 'bigint')) return v.map((x) => (typeof x === 'bigint' ? Number(x) : x));
  return v;
}
