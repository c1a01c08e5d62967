// What changed between two loads of the same comparison, by row id. Pure, tested in Node.
import { rowId, type DiffRow, type DiffState, type HostMessage } from '../../protocol/metricDiff';

export type DeltaMessage = Extract<HostMessage, { type: 'delta' }>;

function sameValue(a: DiffRow['old'], b: DiffRow['old']): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) && Array.isArray(b)) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

function sameNumber(a: number | undefined, b: number | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && Number.isNaN(a) && Number.isNaN(b));
}

export function sameRow(a: DiffRow, b: DiffRow): boolean {
  return (
    sameValue(a.old, b.old) &&
    sameValue(a.new, b.new) &&
    sameNumber(a.delta, b.delta) &&
    sameNumber(a.relative, b.relative) &&
    a.changed === b.changed &&
    a.verdict === b.verdict
  );
}

/** Rows added or changed in `next`, ids gone from it, and the new counts; undefined when nothing at all changed. */
export function computeDelta(prev: DiffState, next: DiffState): DeltaMessage | undefined {
  const before = new Map<string, DiffRow>();
  for (const row of prev.rows) before.set(rowId(row), row);
  const upserts: DiffRow[] = [];
  const seen = new Set<string>();
  for (const row of next.rows) {
    const id = rowId(row);
    seen.add(id);
    const old = before.get(id);
    if (!old || !sameRow(old, row)) upserts.push(row);
  }
  const removed: string[] = [];
  for (const id of before.keys()) if (!seen.has(id)) removed.push(id);
  const labelsSame = JSON.stringify([prev.old, prev.new]) === JSON.stringify([next.old, next.new]);
  const countsSame =
    prev.improved === next.improved && prev.regressed === next.regressed && JSON.stringify(prev.problems) === JSON.stringify(next.problems);
  if (upserts.length === 0 && removed.length === 0 && labelsSame && countsSame) return undefined;
  return {
    type: 'delta',
    upserts,
    removed,
    improved: next.improved,
    regressed: next.regressed,
    problems: next.problems,
    old: next.old,
    new: next.new,
  };
}
