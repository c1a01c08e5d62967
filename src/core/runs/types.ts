/**
 * External runs (MLflow, W&B) as every reader returns them and the index stores them. The
 * readers (src/core/mlflow, src/core/wandb) produce this shape; src/core/runs indexes it.
 */
export type RunSourceKind = 'mlflow' | 'wandb';

export type ExternalRunStatus = 'running' | 'scheduled' | 'finished' | 'failed' | 'killed' | 'crashed' | 'unknown';

/** A param value as the tool logged it: MLflow params are strings; W&B config keeps JSON types. */
export type RunParamValue = string | number | boolean | null;

/** One logged metric value; `value` may be NaN or ±Infinity (MLflow and W&B allow them). */
export interface MetricPoint {
  step: number;
  value: number;
  /** ms since the epoch, when the tool recorded it. */
  timestamp: number | null;
}

/** A model logged by a run (MLflow `mlflow.log-model.history`, or an MLmodel file under its artifacts). */
export interface LoggedModel {
  artifactPath: string;
  flavors: string[];
  modelUuid: string | null;
  createdAt: string | null;
}

/** Something a reader could not read: it names the file (and line) and the rest still loads. */
export interface RunProblem {
  /** Path relative to the repository root, or a URL for a server. */
  file: string;
  line?: number;
  message: string;
}

export interface ExternalRun {
  source: RunSourceKind;
  /** Where the run was read: a repo-relative folder or file (`mlruns`, `mlflow.db`, `wandb/offline-run-…`) or a server URL. */
  location: string;
  id: string;
  /** MLflow experiment id / W&B entity-less project id. */
  experimentId: string | null;
  /** MLflow experiment name / W&B project. */
  experiment: string | null;
  name: string | null;
  status: ExternalRunStatus;
  /** ms since the epoch. */
  startTime: number | null;
  endTime: number | null;
  user: string | null;
  git: { commit: string | null; branch: string | null; remote: string | null };
  /** Flat keys: W&B config nested objects are flattened with '.', as DVC flattens params. */
  params: Record<string, RunParamValue>;
  /** Latest value per metric key (MLflow: max by step, timestamp, value; W&B: the summary, else the last history row). */
  metrics: Record<string, number>;
  /** Full step history per metric key, ordered by step then timestamp. */
  series: Record<string, MetricPoint[]>;
  tags: Record<string, string>;
  /** Environment facts the tool recorded (python, os, host, gpu, requirements…), or null when none. */
  environment: Record<string, unknown> | null;
  models: LoggedModel[];
  /** Artifact paths relative to the run's artifact root, when listable locally. */
  artifacts: string[];
  parentId: string | null;
  /** W&B run tags (labels), MLflow has none beyond `tags`. */
  labels: string[];
}

/** What one reader call returns: the runs it could read and what it could not. */
export interface RunReadResult {
  runs: ExternalRun[];
  problems: RunProblem[];
}
