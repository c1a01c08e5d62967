import type { Store } from '../store/store';
import type { FlatMap } from '../data/types';
import type { FileValues } from '../diff/diff';
import { valuesAt, type ValuesAtRevision } from '../query/values';
import type { DecodeOptions } from '../util/values';
import { isRunRevision, resolveRunRevision } from './runRevision';

export type ValuesReader = (rev: string, kind: 'metrics' | 'params') => ValuesAtRevision;

/**
 * Values for a comparison whose sides may be runs (`mlflow:<id>`, `wandb:<id>`) or resolved
 * commits. A run has no files, so when either side is a run both sides are merged into one
 * group named after the kind (`metrics`/`params`): keys then line up across a run and a
 * commit's metrics files, with DVC's diff semantics per key. A key that two files of a commit
 * both hold keeps the first file's value under the bare key and the others as `file:key`.
 */
export function comparisonReader(store: Store, oldRev: string, newRev: string, options: DecodeOptions = {}): ValuesReader {
  const merge = isRunRevision(oldRev) || isRunRevision(newRev);
  return (rev, kind) => {
    if (isRunRevision(rev)) {
      const run = resolveRunRevision(store, rev);
      const flat: FlatMap =
        kind === 'metrics' ? { ...run.metrics } : run.source === 'mlflow' ? pythonParams(run.params, options) : { ...run.params };
      return { values: { [kind]: flat }, problems: [] };
    }
    const side = valuesAt(store, rev, kind, options);
    return merge ? { values: mergeFiles(side.values, kind), problems: side.problems } : side;
  };
}

function mergeFiles(values: FileValues, group: string): FileValues {
  const flat: FlatMap = {};
  for (const path of Object.keys(values).sort()) {
    for (const [key, value] of Object.entries(values[path])) {
      if (key in flat) flat[`${path}:${key}`] = value;
      else flat[key] = value;
    }
  }
  return { [group]: flat };
}

/**
 * MLflow stores every param as Python's str() of the value: "0.01", "32", "True". Read back as
 * the value they were, they compare with a params.yaml's 0.01 as DVC would compare two
 * files, instead of every param showing as changed from string to number.
 */
export function pythonParams(params: Record<string, string | number | boolean | null>, options: DecodeOptions = {}): FlatMap {
  const out: FlatMap = {};
  for (const [key, value] of Object.entries(params)) {
    if (typeof value !== 'string') out[key] = value;
    // str() of a Python int past 2^53: exact, as the params file it is compared with.
    else if (options.exact && /^[-+]?\d+$/.test(value) && value.length < 32 && !Number.isSafeInteger(Number(value)))
      out[key] = BigInt(value);
    else if (/^[-+]?\d+(\.\d*)?([eE][-+]?\d+)?$/.test(value) && value.length < 32) out[key] = Number(value);
    else if (value === 'True' || value === 'False') out[key] = value === 'True';
    else out[key] = value;
  }
  return out;
}
