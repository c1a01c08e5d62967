import type { ExternalRun, ExternalRunStatus, LoggedModel, MetricPoint, RunParamValue, RunProblem } from '../runs/types';

/**
 * What every MLflow backend (file store, SQLite, REST) gathers for one run before the shared
 * rules below turn it into an ExternalRun: same tags, same latest-metric rule, same models.
 */
export interface RawMlflowRun {
  location: string;
  id: string;
  experimentId: string | null;
  experiment: string | null;
  /** run_name / runs.name; falls back to the `mlflow.runName` tag. */
  name: string | null;
  /** Integer (file store) or name (SQLite, REST). */
  status: string | number | null;
  startTime: number | null;
  endTime: number | null;
  user: string | null;
  params: Record<string, RunParamValue>;
  series: Record<string, MetricPoint[]>;
  tags: Record<string, string>;
  models: LoggedModel[];
  artifacts: string[];
  /** Facts found next to logged models (python version, requirements). */
  modelEnvironment?: Record<string, unknown>;
}

const STATUS: Record<string, ExternalRunStatus> = {
  '1': 'running',
  RUNNING: 'running',
  '2': 'scheduled',
  SCHEDULED: 'scheduled',
  '3': 'finished',
  FINISHED: 'finished',
  '4': 'failed',
  FAILED: 'failed',
  '5': 'killed',
  KILLED: 'killed',
};

export function runStatus(value: string | number | null | undefined): ExternalRunStatus {
  return value === null || value === undefined ? 'unknown' : (STATUS[String(value).toUpperCase()] ?? 'unknown');
}

/** MLflow's order for "the latest value": the greatest (step, timestamp, value); NaN sorts lowest. */
function later(a: MetricPoint, b: MetricPoint): boolean {
  if (a.step !== b.step) return a.step > b.step;
  const ta = a.timestamp ?? -Infinity;
  const tb = b.timestamp ?? -Infinity;
  if (ta !== tb) return ta > tb;
  if (Number.isNaN(b.value)) return !Number.isNaN(a.value);
  return a.value > b.value;
}

export function latestPoint(points: readonly MetricPoint[]): MetricPoint | undefined {
  let best: MetricPoint | undefined;
  for (const p of points) if (!best || later(p, best)) best = p;
  return best;
}

export function sortSeries(points: MetricPoint[]): MetricPoint[] {
  return points.sort((a, b) => a.step - b.step || (a.timestamp ?? 0) - (b.timestamp ?? 0));
}

/** `[{run_id, artifact_path, utc_time_created, model_uuid, flavors}]`, as MLflow 1.x–2.x tag runs. */
export function parseLogModelHistory(text: string, file: string, problems: RunProblem[], runId: string): LoggedModel[] {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch (error) {
    problems.push({ file, message: `run ${runId}: tag mlflow.log-model.history is not JSON: ${(error as Error).message}` });
    return [];
  }
  if (!Array.isArray(list)) {
    problems.push({ file, message: `run ${runId}: tag mlflow.log-model.history is not a JSON list` });
    return [];
  }
  const models: LoggedModel[] = [];
  for (const entry of list) {
    if (!entry || typeof entry !== 'object' || typeof (entry as { artifact_path?: unknown }).artifact_path !== 'string') {
      problems.push({
        file,
        message: `run ${runId}: tag mlflow.log-model.history: entry without artifact_path skipped: ${JSON.stringify(entry)?.slice(0, 120)}`,
      });
      continue;
    }
    const e = entry as { artifact_path: string; flavors?: unknown; model_uuid?: unknown; utc_time_created?: unknown };
    models.push({
      artifactPath: e.artifact_path,
      flavors: e.flavors && typeof e.flavors === 'object' ? Object.keys(e.flavors) : [],
      modelUuid: typeof e.model_uuid === 'string' ? e.model_uuid : null,
      createdAt: typeof e.utc_time_created === 'string' ? e.utc_time_created : null,
    });
  }
  return models;
}

/** One entry per model: the same model found twice (history tag and MLmodel file) keeps the richer record. */
export function mergeModels(models: readonly LoggedModel[]): LoggedModel[] {
  const byKey = new Map<string, LoggedModel>();
  for (const m of models) {
    const key = m.modelUuid ?? `path:${m.artifactPath}`;
    const seen = byKey.get(key);
    if (!seen) byKey.set(key, { ...m });
    else {
      if (seen.flavors.length === 0) seen.flavors = m.flavors;
      seen.createdAt ??= m.createdAt;
    }
  }
  return [...byKey.values()];
}

const ENV_TAGS: Record<string, string> = {
  'mlflow.source.name': 'source',
  'mlflow.source.type': 'sourceType',
  'mlflow.project.entryPoint': 'entryPoint',
  'mlflow.databricks.cluster.id': 'cluster',
  'mlflow.docker.image.name': 'dockerImage',
};

function environmentOf(raw: RawMlflowRun): Record<string, unknown> | null {
  const env: Record<string, unknown> = {};
  for (const [tag, key] of Object.entries(ENV_TAGS)) if (raw.tags[tag]) env[key] = raw.tags[tag];
  Object.assign(env, raw.modelEnvironment ?? {});
  return Object.keys(env).length > 0 ? env : null;
}

/** `file`: where the run was read (repo-relative path or server URL), for the problems it finds. */
export function finishRun(raw: RawMlflowRun, file: string, problems: RunProblem[]): ExternalRun {
  const metrics: Record<string, number> = {};
  for (const [key, points] of Object.entries(raw.series)) {
    sortSeries(points);
    const latest = latestPoint(points);
    if (latest) metrics[key] = latest.value;
  }
  const tags = raw.tags;
  const history = tags['mlflow.log-model.history'];
  const models = mergeModels([...raw.models, ...(history ? parseLogModelHistory(history, file, problems, raw.id) : [])]);
  return {
    source: 'mlflow',
    location: raw.location,
    id: raw.id,
    experimentId: raw.experimentId,
    experiment: raw.experiment,
    name: raw.name || tags['mlflow.runName'] || null,
    status: runStatus(raw.status),
    startTime: raw.startTime,
    endTime: raw.endTime,
    user: raw.user || tags['mlflow.user'] || null,
    git: {
      commit: tags['mlflow.source.git.commit'] || null,
      branch: tags['mlflow.source.git.branch'] || null,
      remote: tags['mlflow.source.git.repoURL'] || null,
    },
    params: raw.params,
    metrics,
    series: raw.series,
    tags,
    environment: environmentOf(raw),
    models,
    artifacts: raw.artifacts,
    parentId: tags['mlflow.parentRunId'] || null,
    labels: [],
  };
}

/** ms since the epoch from a number or numeric string; null for anything else. */
export function toMillis(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return null;
}
