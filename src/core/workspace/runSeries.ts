// MLflow/W&B runs in the Metric History panel, as the index holds them: one step line per
// metric key per run, and what cannot be shown. The panel's pure parts (labels, follower
// appends) stay in the editor; this is the part that reads the index.

import { hasRunTables, runById } from '../runs/runQueries';
import type { MetricPoint } from '../runs/types';
import type { Store } from '../store/store';
import { runRev, type RunChoice, type RunShown, type StepLine } from '../../protocol/metricHistory';
import type { Workspace } from './workspace';
import { storeOf } from './internal';

export interface LoadedRuns {
  steps: StepLine[];
  problems: string[];
  shown: RunShown[];
}

/** Chart points of a series: non-finite steps and values dropped, as the index's step lines drop them. */
export function chartPoints(points: MetricPoint[]): [number, number][] {
  return points.filter((p) => Number.isFinite(p.step) && Number.isFinite(p.value)).map((p) => [p.step, p.value]);
}

/** A run's lines: one per metric key, ordered by key (a run's `path` is its key). */
export function runLines(choice: RunChoice, series: Iterable<[string, MetricPoint[]]>): StepLine[] {
  const rev = runRev(choice);
  return [...series]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, points]) => ({ rev, label: choice.label, sha: choice.id, name: key, path: key, points: chartPoints(points) }));
}

/** The selection's runs and their step series as the workspace's index holds them. */
export function runSeriesOf(ws: Workspace, choices: RunChoice[]): LoadedRuns {
  return loadRunSeries(storeOf(ws), choices);
}

/** The same over an index opened directly (core's own callers and tests). */
export function loadRunSeries(store: Store, choices: RunChoice[]): LoadedRuns {
  const out: LoadedRuns = { steps: [], problems: [], shown: [] };
  if (choices.length && !hasRunTables(store))
    return { ...out, problems: ['The index has no MLflow/W&B runs yet: run "Lineage: Refresh Index".'] };
  for (const choice of choices) {
    const run = runById(store, choice.source, choice.id);
    if (!run) {
      out.problems.push(`${choice.label}: the run is not in the index (any more).`);
      continue;
    }
    const lines = runLines(choice, Object.entries(run.series));
    if (lines.length === 0 && run.status !== 'running') out.problems.push(`${choice.label}: the run logged no step series.`);
    out.steps.push(...lines);
    out.shown.push({
      ...choice,
      rev: runRev(choice),
      status: run.status,
      location: run.location,
      experimentId: run.experimentId,
      live: false,
    });
  }
  return out;
}
