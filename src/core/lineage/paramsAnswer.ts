// Lineage question 3, "which hyperparameters": the params dvc.lock at the version's commit
// records for the stages that made the model and their upstream stages; what those stages ran
// with, not every key of params.yaml (keys other stages use answer nothing about this model).
// Without a dvc.lock nothing says which params made it, so the params files are shown whole.

import type { FileValues } from '../diff/diff';
import type { FlatValue } from '../data/types';
import { valuesAt } from '../query/values';
import type { ExternalRun } from '../runs/types';
import type { Store } from '../store/store';
import type { LocksAt } from './locks';
import type { ModelStages } from './stageWalk';
import type { HyperparametersAnswer } from './types';
import { runRef } from './valueAnswers';

export function hyperparametersAnswer(
  store: Store,
  sha: string,
  locks: LocksAt,
  walk: ModelStages,
  runs: ExternalRun[],
  problems: string[],
): { answer: HyperparametersAnswer | null; reason: string } {
  const short = sha.slice(0, 8);
  const withParams = runs
    .filter((r) => r.git.commit === sha && Object.keys(r.params).length > 0)
    .map((r) => ({ ...runRef(r), params: r.params as Record<string, FlatValue> }));
  if (locks.stages.length === 0) {
    const { values, problems: bad } = valuesAt(store, sha, 'params');
    for (const p of bad) problems.push(`${p.path} at ${short}${p.line ? `, line ${p.line}` : ''}: ${p.message}`);
    const params = Object.fromEntries(Object.entries(values).filter(([, keys]) => Object.keys(keys).length > 0));
    const reason = `no params files at ${short} and no linked MLflow/W&B run with params`;
    if (Object.keys(params).length === 0 && withParams.length === 0) return { answer: null, reason };
    const note =
      Object.keys(params).length > 0
        ? `No dvc.lock at ${short} records which params made the model; the params files at that commit, whole.`
        : null;
    return { answer: { scope: 'files', stages: [], params, note, runs: withParams }, reason };
  }
  const params: FileValues = {};
  const stages: string[] = [];
  for (const stage of walk.upstream) {
    for (const [file, keys] of Object.entries(stage.params)) {
      if (Object.keys(keys).length > 0 && !stages.includes(stage.address)) stages.push(stage.address);
      const into = params[file] ?? (params[file] = {});
      // One key tracked by two stages was recorded from one file: the first stage's value stands.
      for (const [key, value] of Object.entries(keys)) if (!(key in into)) into[key] = value;
    }
  }
  for (const file of Object.keys(params)) if (Object.keys(params[file]).length === 0) delete params[file];
  const byModel = walk.producing.length > 0;
  const names = walk.producing.map((s) => s.address).join(', ');
  const reason = byModel
    ? `the stages that made the model (${names}) and their upstream stages track no params in dvc.lock at ${short}, and no linked MLflow/W&B run logged any`
    : `no stage in dvc.lock at ${short} tracks params, and no linked MLflow/W&B run logged any`;
  if (Object.keys(params).length === 0 && withParams.length === 0) return { answer: null, reason };
  const note =
    stages.length === 0
      ? null
      : byModel
        ? `As dvc.lock at ${short} records them for ${stages.join(', ')}: the stages that made the model and their upstream stages.`
        : `As dvc.lock at ${short} records them for every stage (${stages.join(', ')}): the model's own stages are not known.`;
  return { answer: { scope: byModel ? 'model' : 'all-stages', stages, params, note, runs: withParams }, reason };
}
