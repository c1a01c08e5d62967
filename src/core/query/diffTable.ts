// Reads both sides of a comparison from the index and hands them to the pure compare
// (core/diff/diffRows.ts): reading lives here, comparing in diff/, so diff/ never reads.
import type { Store } from '../store/store';
import { compareValues, type Comparison, type MetricDirections } from '../diff/diffRows';
import { valuesAt, type FileProblem, type ValuesAtRevision } from './values';

export interface DiffTable extends Comparison {
  problems: (FileProblem & { side: 'old' | 'new' })[];
}

/** Values of one side; a comparison whose sides may be runs passes its own (runs/runDiff.ts). */
export type SideReader = (rev: string, kind: 'metrics' | 'params') => ValuesAtRevision;

/** Every metric and param of two revisions (unchanged ones too, flagged), read once each and compared once. */
export function buildDiffTable(
  store: Store,
  oldSha: string,
  newSha: string,
  directions: MetricDirections = {},
  read: SideReader = (sha, kind) => valuesAt(store, sha, kind),
): DiffTable {
  const problems: DiffTable['problems'] = [];
  const side = (kind: 'metrics' | 'params') => {
    const a = read(oldSha, kind);
    const b = read(newSha, kind);
    for (const p of a.problems) problems.push({ ...p, side: 'old' });
    for (const p of b.problems) problems.push({ ...p, side: 'new' });
    return { old: a.values, new: b.values };
  };
  const metrics = side('metrics');
  const params = side('params');
  return { ...compareValues({ metrics, params }, directions), problems };
}
