// Two revisions compared: as DVC compares them for the CLI's `metrics diff`/`params diff`,
// and as one table with directions for the editor's Metric Diff.

import { diffValues, printedDiff, type DiffResult } from '../diff/diff';
import { asDiffResult, dvcDiff } from '../diff/dvcDiff';
import type { MetricDirections } from '../diff/diffRows';
import { pyJsonDumps } from '../python/pyJson';
import { pyStr } from '../python/pyStr';
import { DvcDataReader } from '../query/dvcData';
import { buildDiffTable, type DiffTable } from '../query/diffTable';
import type { FileProblem } from '../query/values';
import { comparisonReader } from '../runs/runDiff';
import type { Workspace } from './workspace';
import { storeOf } from './internal';
import type { Revision } from './revision';

export type { DiffTable, MetricDirections };

export interface DvcComparison {
  result: DiffResult;
  /** Python's json.dumps of DVC's diff, as `dvc metrics diff --json` prints it. */
  json: string;
  problems: [FileProblem[], FileProblem[]];
}

/**
 * Commits and the workspace compare as DVC compares them: files loaded again with Python's
 * types (1.0 stays a float, keys keep the file's order). A run (mlflow:<id>) has only the
 * index's values, which line up with a commit's by key; ints past 2^53 stay exact either way.
 */
export async function dvcComparison(
  ws: Workspace,
  a: Revision,
  b: Revision,
  kind: 'metrics' | 'params',
  all: boolean,
): Promise<DvcComparison> {
  const store = storeOf(ws);
  if (a.kind !== 'run' && b.kind !== 'run') {
    const reader = new DvcDataReader(store, ws.repo);
    try {
      const [oldSide, newSide] = [await reader.at(a.id, kind), await reader.at(b.id, kind)];
      const diff = dvcDiff(oldSide.files, newSide.files, all);
      return { result: asDiffResult(diff), json: pyJsonDumps(diff), problems: [oldSide.problems, newSide.problems] };
    } finally {
      reader.close();
    }
  }
  const read = comparisonReader(store, a.id, b.id, { exact: true });
  const [oldSide, newSide] = [read(a.id, kind), read(b.id, kind)];
  const result = diffValues(oldSide.values, newSide.values, { all });
  return { result, json: pyJsonDumps(forJson(result)), problems: [oldSide.problems, newSide.problems] };
}

/** Every metric and param of two revisions (runs too), read once each and compared once with directions. */
export function comparisonTable(ws: Workspace, a: Revision, b: Revision, directions: MetricDirections = {}): DiffTable {
  const store = storeOf(ws);
  return buildDiffTable(store, a.id, b.id, directions, comparisonReader(store, a.id, b.id));
}

/** DVC's format_dict prints lists as Python's str(); a float difference that came out integral as a float (0.0). */
function forJson(result: DiffResult): Record<string, Record<string, Record<string, unknown>>> {
  const out: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [path, keys] of Object.entries(result)) {
    const file: Record<string, Record<string, unknown>> = {};
    for (const [key, d] of Object.entries(keys)) {
      const entry: Record<string, unknown> = {
        old: Array.isArray(d.old) ? pyStr(d.old) : d.old,
        new: Array.isArray(d.new) ? pyStr(d.new) : d.new,
      };
      if (d.diff !== undefined) entry.diff = printedDiff(d);
      Object.defineProperty(file, key, { value: entry, enumerable: true, writable: true, configurable: true });
    }
    Object.defineProperty(out, path, { value: file, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
