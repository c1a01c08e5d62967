import type { ExternalRun, MetricPoint, RunProblem, RunReadResult } from '../runs/types';
import { jsonDouble, MlflowHttp, type MlflowHttpOptions } from './mlflowHttp';
import { MlflowLimitError } from './mlflowLimits';
import { allPages, isObject, shapeError } from './mlflowPaging';
import { finishRun, toMillis, type RawMlflowRun } from './mlflowRun';

export interface MlflowServerOptions extends MlflowHttpOptions {
  /** Only these experiments (by name); all active ones when absent. */
  experimentNames?: string[];
  /** Metric histories fetched at once. */
  concurrency?: number;
}

const PAGE = 1000;
const HISTORY_PAGE = 25000;

type Json = Record<string, unknown>;
interface Experiment {
  experiment_id: string;
  name: string;
}

const text = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);

/** Paged searches and their problems share one place: a cut-short search is a problem the user sees. */
class RestReader {
  readonly problems: RunProblem[] = [];
  constructor(readonly http: MlflowHttp) {}

  warn = (message: string): void => {
    this.problems.push({ file: this.http.base, message });
    this.http.warn(message);
  };

  async experiments(): Promise<Experiment[]> {
    const what = this.http.describe('POST', 'experiments/search');
    const items = await allPages(this.http, {
      method: 'POST',
      path: 'experiments/search',
      field: 'experiments',
      warn: this.warn,
      page: (token) =>
        this.http.post('experiments/search', { max_results: PAGE, view_type: 'ACTIVE_ONLY', ...(token ? { page_token: token } : {}) }),
    });
    // A server that pages badly can list an item twice: the first one counts.
    const out = new Map<string, Experiment>();
    for (const e of items) {
      const id = isObject(e) ? text(e.experiment_id) : null;
      if (id === null) throw shapeError(this.http, what, `an experiment without an experiment_id: ${JSON.stringify(e)?.slice(0, 80)}`);
      if (!out.has(id)) out.set(id, { experiment_id: id, name: text((e as Json).name) ?? id });
    }
    return [...out.values()];
  }

  async runs(experimentId: string): Promise<Json[]> {
    const items = await allPages(this.http, {
      method: 'POST',
      path: 'runs/search',
      field: 'runs',
      warn: this.warn,
      page: (token) =>
        this.http.post('runs/search', {
          experiment_ids: [experimentId],
          max_results: PAGE,
          run_view_type: 'ACTIVE_ONLY',
          ...(token ? { page_token: token } : {}),
        }),
    });
    const out = new Map<string, Json>();
    for (const r of items) {
      // One malformed run costs only itself; a run listed twice counts once.
      const id = isObject(r) && isObject(r.info) ? text(r.info.run_id ?? r.info.run_uuid) : null;
      if (id) {
        if (!out.has(id)) out.set(id, r as Json);
      } else
        this.problems.push({
          file: this.http.base,
          message: `experiment ${experimentId}: skipped a run that runs/search returned without info.run_id: ${JSON.stringify(r)?.slice(0, 80)}`,
        });
    }
    return [...out.values()];
  }

  async history(runId: string, key: string): Promise<MetricPoint[]> {
    const what = this.http.describe('GET', 'metrics/get-history');
    const items = await allPages(this.http, {
      method: 'GET',
      path: 'metrics/get-history',
      field: 'metrics',
      warn: (m) => this.warn(`run ${runId}, metric ${key}: ${m}`),
      page: (token) =>
        this.http.get('metrics/get-history', { run_id: runId, metric_key: key, max_results: HISTORY_PAGE, page_token: token }),
    });
    return items.map((m) => {
      if (!isObject(m)) throw shapeError(this.http, what, `a metric point that is not an object: ${JSON.stringify(m)?.slice(0, 80)}`);
      return { step: Number(m.step ?? 0), value: jsonDouble(m.value), timestamp: toMillis(m.timestamp) };
    });
  }
}

/** Runs `tasks` with at most `limit` in flight; after one throws, no new task starts. */
async function pool(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    try {
      while (!failed && next < tasks.length) await tasks[next++]();
    } catch (error) {
      failed = true;
      throw error;
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

/** `[{key, value}]` as a map; entries without a string key are dropped. */
function pairs(list: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(list)) for (const kv of list) if (isObject(kv) && typeof kv.key === 'string') out[kv.key] = text(kv.value) ?? '';
  return out;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Reads every active run of a tracking server over REST: paged experiments/search and
 * runs/search, then metrics/get-history per metric for the step series. A search that fails
 * throws one message naming the server; a history that fails is a problem and the run keeps
 * its other data, except when the read's time budget is spent: then the whole read stops.
 * Paging cut short (a repeated token, the page limit) is a problem, with what was read kept.
 */
export async function readMlflowServer(url: string, options: MlflowServerOptions = {}): Promise<RunReadResult> {
  const http = new MlflowHttp(url, options);
  const reader = new RestReader(http);
  const problems = reader.problems;
  let experiments = await reader.experiments();
  if (options.experimentNames) {
    const wanted = new Set(options.experimentNames);
    for (const name of wanted)
      if (!experiments.some((e) => e.name === name))
        problems.push({ file: http.base, message: `no active experiment named "${name}" on the server` });
    experiments = experiments.filter((e) => wanted.has(e.name));
  }
  // Raw runs first: each history task fills its run's series object in place, and the shared
  // rules (latest value, git tags, models) run once every series is in.
  const raws: RawMlflowRun[] = [];
  const tasks: (() => Promise<void>)[] = [];
  const seenRuns = new Set<string>();
  for (const exp of experiments) {
    for (const r of await reader.runs(exp.experiment_id)) {
      const info = r.info as Json;
      const data = isObject(r.data) ? r.data : {};
      const id = text(info.run_id ?? info.run_uuid)!;
      if (seenRuns.has(id)) continue;
      seenRuns.add(id);
      const series: Record<string, MetricPoint[]> = {};
      for (const key of new Set(list(data.metrics).map((m) => (isObject(m) ? text(m.key) : null)))) {
        if (key === null) continue;
        series[key] = [];
        tasks.push(async () => {
          try {
            series[key] = await reader.history(id, key);
          } catch (error) {
            if (error instanceof MlflowLimitError && error.limit === 'time') throw error;
            problems.push({ file: http.base, message: `run ${id}, metric ${key}: ${(error as Error).message}` });
          }
        });
      }
      const outputs = isObject(r.outputs) ? r.outputs : {};
      raws.push({
        location: http.base,
        id,
        experimentId: text(info.experiment_id) ?? exp.experiment_id,
        experiment: exp.name,
        name: text(info.run_name),
        status: text(info.status),
        startTime: toMillis(info.start_time),
        endTime: toMillis(info.end_time),
        user: text(info.user_id),
        params: pairs(data.params),
        series,
        tags: pairs(data.tags),
        // MLflow 3 logged models: the server gives their ids; names and flavors live in their MLmodel artifacts.
        models: list(outputs.model_outputs).flatMap((m) => {
          const modelId = isObject(m) ? text(m.model_id) : null;
          return modelId ? [{ artifactPath: modelId, flavors: [], modelUuid: modelId, createdAt: null }] : [];
        }),
        artifacts: [],
      });
    }
  }
  await pool(tasks, Math.max(1, options.concurrency ?? 8));
  const runs: ExternalRun[] = raws.map((raw) => finishRun(raw, http.base, problems));
  return { runs, problems };
}
