import type { Store } from '../store/store';
import type { FlatValue } from '../data/types';
import { valuesAt, type FileProblem, type ValuesAtRevision } from '../query/values';
import { diffValues } from './diff';
import { verdictOf, type Direction, type Verdict } from './direction';

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

export interface DiffTable {
  rows: DiffRow[];
  improved: number;
  regressed: number;
  problems: (FileProblem & { side: 'old' | 'new' })[];
}

/** Every metric and param of two revisions (unchanged ones too, flagged), for tables and webviews. */
export function buildDiffTable(store: Store, oldSha: string, newSha: string, directions: Record<string, Direction> = {},
  read: (sha: string, kind: 'metrics' | 'params') => ValuesAtRevision = (sha, kind) => valuesAt(store, sha, kind)): DiffTable {
  const rows: DiffRow[] = [];
  const problems: DiffTable['problems'] = [];
  let improved = 0;
  let regressed = 0;
  for (const kind of ['metrics', 'params'] as const) {
    const a = read(oldSha, kind);
    const b = read(newSha, kind);
    for (const p of a.problems) problems.push({ ...p, side: 'old' });
    for (const p of b.problems) problems.push({ ...p, side: 'new' });
    const all = diffValues(a.values, b.values, { all: true });
    const changed = diffValues(a.values, b.values);
    for (const [file, keys] of Object.entries(all)) {
      for (const [key, d] of Object.entries(keys)) {
        const isChanged = Boolean(changed[file]?.[key]);
        const delta = d.diff === undefined ? undefined : Number(d.diff);
        const verdict = kind === 'metrics' ? verdictOf(key, delta, directions) : 'n/a';
        if (verdict === 'better') improved++;
        else if (verdict === 'worse') regressed++;
        // Rows go to webviews as JSON: a big int (from an exact reader) travels as a number.
        const row: DiffRow = { kind: kind === 'metrics' ? 'metric' : 'param', file, key, old: plain(d.old), new: plain(d.new), changed: isChanged, verdict };
        if (delta !== undefined) row.delta = delta;
        const old = typeof d.old === 'bigint' ? Number(d.old) : d.old;
        if (delta !== undefined && typeof old === 'number' && old !== 0) row.relative = delta / Math.abs(old);
        rows.push(row);
      }
    }
  }
  return { rows, improved, regressed, problems };
}

function plain(v: FlatValue | null): FlatValue | null {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v) && v.some((x) => typeof x === 'bigint')) return v.map((x) => (typeof x === 'bigint' ? Number(x) : x));
  return v;
}
