import { strict as assert } from 'node:assert';
import type { ExternalRun } from '../../src/core/runs/types';

/**
 * Logs the same runs with the real MLflow to a file store and to a SQLite store, from a script
 * committed in a Git repo (so MLflow itself sets mlflow.source.git.commit), then prints what
 * MLflow's own client reads back. Non-finite values travel as Python's repr ('nan', 'inf').
 */
export const LOG_AND_DUMP = `
import json, math, sys
import mlflow, mlflow.pyfunc
from mlflow import MlflowClient

class Identity(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input):
        return model_input

def enc(v):
    return v if math.isfinite(v) else repr(v)

def dump(client, ids):
    runs = []
    for rid in ids:
        r = client.get_run(rid)
        hist = {k: [[m.step, enc(m.value), m.timestamp] for m in client.get_metric_history(rid, k)] for k in r.data.metrics}
        runs.append({"id": rid, "name": r.info.run_name, "status": r.info.status, "experiment_id": r.info.experiment_id,
                     "user": r.info.user_id, "start": r.info.start_time, "end": r.info.end_time, "params": r.data.params,
                     "tags": r.data.tags, "metrics": {k: enc(v) for k, v in r.data.metrics.items()}, "history": hist})
    return runs

def log(with_model):
    mlflow.set_experiment("interop")
    ids = []
    with mlflow.start_run(run_name="first") as run:
        mlflow.log_params({"lr": 0.01, "model/layers": 3, "optimizer": "adam"})
        for step in range(5):
            mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
            mlflow.log_metric("acc", step * 0.1, step=step)
        mlflow.log_metric("loss", 0.05, step=4)
        mlflow.log_metric("weird", float("nan"), step=0)
        mlflow.log_metric("weird", float("inf"), step=1)
        mlflow.set_tags({"team/owner": "vision", "purpose": "interop"})
        if with_model:
            mlflow.pyfunc.log_model(name="model", python_model=Identity())
        ids.append(run.info.run_id)
    with mlflow.start_run(run_name="second") as run:
        mlflow.log_param("lr", "0.02")
        mlflow.log_metric("loss", 0.3)
        ids.append(run.info.run_id)
    with mlflow.start_run(run_name="deleted") as run:
        mlflow.log_param("x", "1")
    MlflowClient().delete_run(run.info.run_id)
    return ids

if __name__ == "__main__":
    out = {}
    for label, uri in (("file", sys.argv[1]), ("sqlite", sys.argv[2])):
        mlflow.set_tracking_uri(uri)
        out[label] = dump(MlflowClient(), log(label == "file"))
    print("DUMP " + json.dumps(out))
`;

export interface Dumped {
  id: string;
  name: string;
  status: string;
  experiment_id: string;
  user: string;
  start: number;
  end: number;
  params: Record<string, string>;
  tags: Record<string, string>;
  metrics: Record<string, number | string>;
  history: Record<string, [number, number | string, number][]>;
}

export const enc = (v: number): number | string => (Number.isFinite(v) ? v : Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');

/** Fails with both sides printed in full. */
export function same(label: string, ours: unknown, theirs: unknown): void {
  try {
    assert.deepEqual(ours, theirs);
  } catch {
    assert.fail(`${label} differs\n  ours:   ${JSON.stringify(ours)}\n  mlflow: ${JSON.stringify(theirs)}`);
  }
}

const byStep = (a: unknown[], b: unknown[]) =>
  (a[0] as number) - (b[0] as number) || (a[2] as number) - (b[2] as number) || String(a[1]).localeCompare(String(b[1]));

/** Every field MLflow's client returns, compared with what our reader returned for that run. */
export function compareRun(ours: ExternalRun | undefined, theirs: Dumped, commit: string): void {
  assert.ok(ours, `run ${theirs.id} (${theirs.name}) was not read; MLflow has it`);
  same(
    `run ${theirs.id} info`,
    [ours.name, ours.status.toUpperCase(), ours.experimentId, ours.user, ours.startTime, ours.endTime],
    [theirs.name, theirs.status, theirs.experiment_id, theirs.user, theirs.start, theirs.end],
  );
  same(`run ${theirs.id} params`, ours.params, theirs.params);
  same(`run ${theirs.id} tags`, ours.tags, theirs.tags);
  same(`run ${theirs.id} latest metrics`, Object.fromEntries(Object.entries(ours.metrics).map(([k, v]) => [k, enc(v)])), theirs.metrics);
  const oursSeries = Object.fromEntries(
    Object.entries(ours.series).map(([k, points]) => [k, points.map((p) => [p.step, enc(p.value), p.timestamp]).sort(byStep)]),
  );
  const theirSeries = Object.fromEntries(Object.entries(theirs.history).map(([k, points]) => [k, [...points].sort(byStep)]));
  same(`run ${theirs.id} metric steps`, oursSeries, theirSeries);
  same(
    `run ${theirs.id} git commit (MLflow's tag vs the repo's HEAD)`,
    [ours.git.commit, theirs.tags['mlflow.source.git.commit']],
    [commit, commit],
  );
}
