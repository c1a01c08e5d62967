import type { ExternalRun, MetricPoint, RunProblem, RunReadResult } from '../runs/types';
import { jsonDouble, MlflowHttp, type MlflowHttpOptions } from './mlflowHttp';
import { finishRun, toMillis, type RawMlflowRun } from './mlflowRun';

export interface MlflowServerOptions extends MlflowHttpOptions {
  /** Only these experiments (by name); all active ones when absent. */
  experimentNames?: string[];
  /** Metric histories fetched at once. */
  concurrency?: number;
}

interface KeyValue { key: string; value?: string }
interface RestRun {
  info: { run_id?: string; run_uuid?: string; run_name?: string; experiment_id?: string; user_id?: string; status?: string; start_time?: number | string; end_time?: number | string };
  data?: { metrics?: { key: string }[]; params?: KeyValue[]; tags?: KeyValue[] };
  outputs?: { model_outputs?: { model_id: string }[] };
}
interface RestMetric { key: string; value: unknown; timestamp?: number | string; step?: number | string }

const PAGE = 1000;
const HISTORY_PAGE = 25000;

async function searchExperiments(http: MlflowHttp): Promise<{ experiment_id: string; name: string }[]> {
  const out: { experiment_id: string; name: string }[] = [];
  let token: string | undefined;
  do {
    const page = await http.post<{ experiments?: { experiment_id: string; name: string }[]; next_page_token?: string }>('experiments/search', { max_results: PAGE, view_type: 'ACTIVE_ONLY', ...(token ? { page_token: token } : {}) });
    out.push(...(page.experiments ?? []));
    token = page.next_page_token || undefined;
  } while (token);
  return out;
}

async function searchRuns(http: MlflowHttp, experimentId: string): Promise<RestRun[]> {
  const out: RestRun[] = [];
  let token: string | undefined;
  do {
    const page = await http.post<{ runs?: RestRun[]; next_page_token?: string }>('runs/search', { experiment_ids: [experimentId], max_results: PAGE, run_view_type: 'ACTIVE_ONLY', ...(token ? { page_token: token } : {}) });
    out.push(...(page.runs ?? []));
    token = page.next_page_token || undefined;
  } while (token);
  return out;
}

async function history(http: MlflowHttp, runId: string, key: string): Promise<MetricPoint[]> {
  const points: MetricPoint[] = [];
  let token: string | undefined;
  do {
    const page = await http.get<{ metrics?: RestMetric[]; next_page_token?: string }>('metrics/get-history', { run_id: runId, metric_key: key, max_results: HISTORY_PAGE, page_token: token });
    for (const m of page.metrics ?? []) points.push({ step: Number(m.step ?? 0), value: jsonDouble(m.value), timestamp: toMillis(m.timestamp) });
    token = page.next_page_token || undefined;
  } while (token);
  return points;
}

/** Runs `tasks` with at most `limit` in flight. */
async function pool(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) await tasks[next++]();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

const pairs = (list: KeyValue[] | undefined): Record<string, string> => Object.fromEntries((list ?? []).map((kv) => [kv.key, kv.value ?? '']));

/**
 * Reads every active run of a tracking server over REST: paged experiments/search and
 * runs/search, then metrics/get-history per metric for the step series. A search that fails
 * throws one message naming the server; a history that fails is a problem and the run keeps
 * its other data.
 */
export async function readMlflowServer(url: string, options: MlflowServerOptions = {}): Promise<RunReadResult> {
  const http = new MlflowHttp(url, options);
  const problems: RunProblem[] = [];
  let experiments = await searchExperiments(http);
  if (options.experimentNames) {
    const wanted = new Set(options.experimentNames);
    for (const name of wanted) if (!experiments.some((e) => e.name === name)) problems.push({ file: http.base, message: `no active experiment named "${name}" on the server` });
    experiments = experiments.filter((e) => wanted.has(e.name));
  }
  // Raw runs first: each history task fills its run's series object in place, and the shared
  // rules (latest value, git tags, models) run once every series is in.
  const raws: RawMlflowRun[] = [];
  const tasks: (() => Promise<void>)[] = [];
  for (const exp of experiments) {
    for (const r of await searchRuns(http, exp.experiment_id)) {
      const id = r.info.run_id ?? r.info.run_uuid ?? '';
      const series: Record<string, MetricPoint[]> = {};
      for (const key of new Set((r.data?.metrics ?? []).map((m) => m.key))) {
        series[key] = [];
        tasks.push(async () => {
          try {
            series[key] = await history(http, id, key);
          } catch (error) {
            problems.push({ file: http.base, message: `run ${id}, metric ${key}: ${(error as Error).message}` });
          }
        });
      }
      raws.push({
        location: http.base, id, experimentId: r.info.experiment_id ?? exp.experiment_id, experiment: exp.name,
        name: r.info.run_name ?? null, status: r.info.status ?? null, startTime: toMillis(r.info.start_time), endTime: toMillis(r.info.end_time),
        user: r.info.user_id ?? null, params: pairs(r.data?.params), series, tags: pairs(r.data?.tags),
        // MLflow 3 logged models: the server gives their ids; names and flavors live in their MLmodel artifacts.
        models: (r.outputs?.model_outputs ?? []).map((m) => ({ artifactPath: m.model_id, flavors: [], modelUuid: m.model_id, createdAt: null })),
        artifacts: [],
      });
    }
  }
  await pool(tasks, Math.max(1, options.concurrency ?? 8));
  const runs: ExternalRun[] = raws.map((raw) => finishRun(raw, http.base, problems));
  return { runs, problems };
}
