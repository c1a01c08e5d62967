// MLflow and W&B runs in the Metric History panel: which runs are shown, the series a live
// follower read in place of the indexed ones (the index's lines come from
// core/workspace/runSeries), and new points as append messages.
// No vscode here: tested in Node.
import type { ExternalRun, MetricPoint } from '../../core/runs/types';
import type { HistorySelection, HistoryState, RunChoice, StepAppend } from '../../protocol/metricHistory';
import { runRev } from '../../protocol/metricHistory';
import type { SeriesDelta } from '../../core/workspace/live';
import { chartPoints, runLines } from '../../core/workspace/runSeries';

const TOOL = { mlflow: 'MLflow', wandb: 'W&B' } as const;
/** At most this many runs overlaid (as many as revisions). */
export const MAX_RUNS = 16;

/** The run as a choice; its label gets the run id when another shown run has the same name. */
export function runChoiceOf(run: Pick<ExternalRun, 'source' | 'id' | 'name'>, others: RunChoice[] = []): RunChoice {
  const label = `${run.name || run.id.slice(0, 8)} · ${TOOL[run.source]}`;
  const taken = others.some((o) => o.label === label && !(o.source === run.source && o.id === run.id));
  return { source: run.source, id: run.id, label: taken ? `${label} ${run.id.slice(0, 8)}` : label };
}

/** The selection with the run added after those already shown (a run shown already stays as it is). */
export function withRun(selection: HistorySelection, run: Pick<ExternalRun, 'source' | 'id' | 'name'>): HistorySelection {
  const runs = selection.runs ?? [];
  if (runs.some((r) => r.source === run.source && r.id === run.id)) return selection;
  return { ...selection, runs: [...runs, runChoiceOf(run, runs)].slice(-MAX_RUNS) };
}

/**
 * The state with a followed run's series as its files hold them now, in place of the indexed
 * ones (the index lags behind a running training). Nothing read yet: the index's lines stay.
 */
export function withFollowedSeries(state: HistoryState, rev: string, series: Map<string, MetricPoint[]>): HistoryState {
  const shown = state.runs?.find((r) => r.rev === rev);
  if (!shown || series.size === 0) return state;
  const lines = runLines(shown, series);
  const first = state.steps.findIndex((s) => s.rev === rev);
  const others = state.steps.filter((s) => s.rev !== rev);
  // A run's lines are contiguous, so they go back where the first one was.
  const at = first < 0 ? others.length : first;
  const problems = state.problems.filter((p) => p !== `${shown.label}: the run logged no step series.`);
  return { ...state, steps: [...others.slice(0, at), ...lines, ...others.slice(at)], problems };
}

/** Append messages of a followed run's poll (a run's series are keyed, and placed, by metric key). */
export function runAppends(run: RunChoice, deltas: SeriesDelta[]): StepAppend[] {
  const rev = runRev(run);
  const out: StepAppend[] = [];
  for (const d of deltas) {
    const points = chartPoints(d.points);
    if (!d.reset && points.length === 0) continue;
    out.push({ rev, label: run.label, sha: run.id, name: d.key, path: d.key, points, reset: d.reset, ...(d.gone ? { gone: true } : {}) });
  }
  return out;
}
