// MLflow and W&B runs in the Metric History panel: which runs are shown, their step series
// from the index (one line per metric key, drawn with the DVCLive series of the same name), the
// series a live follower read in place of the indexed ones, and new points as append messages.
// No vscode here: tested in Node.
import { hasRunTables, runById } from '../../core/runs/runQueries';
import type { ExternalRun, MetricPoint } from '../../core/runs/types';
import type { Store } from '../../core/store/store';
import type { HistorySelection, HistoryState, RunChoice, RunShown, StepAppend, StepLine } from '../../protocol/metricHistory';
import { runRev } from '../../protocol/metricHistory';
import type { SeriesDelta } from '../../core/live/liveSeriesTracker';
import { chartPoints } from './liveSteps';

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

/** A run's lines: one per metric key, ordered by key (a run's `path` is its key). */
export function runLines(choice: RunChoice, series: Iterable<[string, MetricPoint[]]>): StepLine[] {
  const rev = runRev(choice);
  return [...series].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, points]) => ({ rev, label: choice.label, sha: choice.id, name: key, path: key, points: chartPoints(points) }));
}

export interface LoadedRuns {
  steps: StepLine[];
  problems: string[];
  shown: RunShown[];
}

/** The selection's runs and their step series as the index holds them. */
export function loadRunSeries(store: Store, choices: RunChoice[]): LoadedRuns {
  const out: LoadedRuns = { steps: [], problems: [], shown: [] };
  if (choices.length && !hasRunTables(store)) return { ...out, problems: ['The index has no MLflow/W&B runs yet: run "Lineage: Refresh Index".'] };
  for (const choice of choices) {
    const run = runById(store, choice.source, choice.id);
    if (!run) {
      out.problems.push(`${choice.label}: the run is not in the index (any more).`);
      continue;
    }
    const lines = runLines(choice, Object.entries(run.series));
    if (lines.length === 0 && run.status !== 'running') out.problems.push(`${choice.label}: the run logged no step series.`);
    out.steps.push(...lines);
    out.shown.push({ ...choice, rev: runRev(choice), status: run.status, location: run.location, experimentId: run.experimentId, live: false });
  }
  return out;
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
