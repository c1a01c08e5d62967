// Maps what a run folder holds (the log's state, and files/* when present) to an ExternalRun.

import type { DataValue } from '../data/types';
import type { ExternalRun, ExternalRunStatus, MetricPoint, RunParamValue } from '../runs/types';
import { isInternalKey, numericLeaves, type WandbRunState } from './wandbRunState';
import { toPythonJson } from './wandbValues';

/**
 * A log without an exit record belongs to a run that is still running if the log changed in
 * the last RUNNING_WINDOW_MS, else to one that crashed or was killed. wandb appends a system
 * metrics record every 15 s while a run is alive (and history as it logs), so 5 minutes of
 * silence means nobody is writing. A writer known to be gone sooner (wandbLiveness.ts) makes it
 * crashed at once.
 */
export const RUNNING_WINDOW_MS = 5 * 60 * 1000;

export interface RunFolderData {
  location: string;
  /** The id in the folder name, used when there is no run record. */
  folderId: string;
  state: WandbRunState | null;
  /** Modification time of the log (ms), when there is one. */
  logMtime: number | null;
  /** The process that wrote the log is known to have exited (wandbLiveness.ts). */
  writerGone?: boolean;
  config: Map<string, DataValue> | null;
  summary: { [key: string]: DataValue } | null;
  metadata: { [key: string]: DataValue } | null;
  requirements: string[] | null;
  files: string[];
}

function flattenParam(out: Record<string, RunParamValue>, key: string, value: DataValue): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flattenParam(out, `${key}.${k}`, v);
  } else {
    out[key] = Array.isArray(value) ? toPythonJson(value) : typeof value === 'bigint' ? Number(value) : value;
  }
}

/** W&B config as params: `_wandb` (wandb's own bookkeeping) left out, nested maps flattened with '.', lists as JSON. */
export function configParams(config: Iterable<[string, DataValue]>): Record<string, RunParamValue> {
  const out: Record<string, RunParamValue> = {};
  for (const [key, value] of config) {
    if (key === '_wandb' || key.startsWith('_wandb.')) continue;
    flattenParam(out, key, value);
  }
  return out;
}

function summaryMetrics(summary: Iterable<[string, DataValue]>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of summary)
    if (!isInternalKey(key))
      numericLeaves(key, value, (k, v) => {
        out[k] = v;
      });
  return out;
}

export function runStatus(state: WandbRunState | null, logMtime: number | null, now: number, writerGone = false): ExternalRunStatus {
  if (!state || logMtime === null) return 'unknown';
  if (state.exit) return state.exit.exitCode === 0 ? 'finished' : 'failed';
  return !writerGone && now - logMtime <= RUNNING_WINDOW_MS ? 'running' : 'crashed';
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

export function toExternalRun(d: RunFolderData, now: number): ExternalRun {
  const s = d.state;
  const run = s?.run ?? null;
  const series: Record<string, MetricPoint[]> = s ? Object.fromEntries(s.sortedSeries()) : {};
  const metrics: Record<string, number> = {};
  for (const [key, points] of Object.entries(series)) if (points.length > 0) metrics[key] = points[points.length - 1].value;
  Object.assign(metrics, summaryMetrics(d.summary ? Object.entries(d.summary) : (s?.summary ?? [])));

  const env: Record<string, unknown> | null = d.metadata ?? s?.environment ?? null;
  const environment = env || d.requirements ? { ...env, ...(d.requirements ? { requirements: d.requirements } : {}) } : null;
  const envGit = (env?.git ?? null) as { remote?: string; commit?: string } | null;

  const status = runStatus(s, d.logMtime, now, d.writerGone);
  const startedAt = typeof env?.startedAt === 'string' ? Date.parse(env.startedAt) : NaN;
  const startTime = run?.startTime ?? (Number.isNaN(startedAt) ? null : startedAt);
  let endTime: number | null = null;
  if (status === 'finished' || status === 'failed' || status === 'crashed') {
    const byRuntime = s?.exit?.runtime && startTime !== null ? startTime + s.exit.runtime * 1000 : null;
    endTime = Math.max(byRuntime ?? -Infinity, s?.lastTimestamp ?? -Infinity);
    if (!Number.isFinite(endTime)) endTime = d.logMtime;
  }

  const tags: Record<string, string> = {};
  if (run) {
    const extra: [string, string][] = [
      ['entity', run.entity],
      ['group', run.group],
      ['job_type', run.jobType],
      ['notes', run.notes],
      ['sweep_id', run.sweepId],
      ['host', run.host],
    ];
    for (const [k, v] of extra) if (v !== '') tags[k] = v;
  }

  return {
    source: 'wandb',
    location: d.location,
    id: str(run?.runId) ?? d.folderId,
    experimentId: str(run?.project),
    experiment: str(run?.project),
    name: str(run?.displayName),
    status,
    startTime,
    endTime,
    user: str(env?.username) ?? str(run?.entity),
    git: { commit: str(run?.git?.commit) ?? str(envGit?.commit), branch: null, remote: str(run?.git?.remoteUrl) ?? str(envGit?.remote) },
    params: configParams(d.config ?? s?.config ?? []),
    metrics,
    series,
    tags,
    environment,
    models: [],
    artifacts: d.files,
    parentId: null,
    labels: run ? [...run.tags] : [],
  };
}
