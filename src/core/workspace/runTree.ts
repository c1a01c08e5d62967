// What the Runs view, its tooltips and the status bar read: a revision's headline metric and
// its delta, pages of first-parent commits, experiments and stages, and the MLflow/W&B run rows
// as they are labelled. Each read is one small indexed query, so a tree can be rebuilt often.

import {
  baselinesWithExperiments as baselinesOf,
  commitPage as pageOf,
  defaultBaselineBranch as defaultBaseline,
  experimentRuns as experimentsOf,
  firstMetricKey as firstKey,
  headlineValue as headlineOf,
  stagesAt as stagesOf,
  summarize as summaryOf,
  workspaceSummary as workspaceSummaryOf,
  type CommitPage,
  type ExperimentRun,
  type RunState,
  type RunSummary,
  type StageRow,
} from '../query/runTree';
import { hasRunTables } from '../runs/runQueries';
import type { FlatValue } from '../data/types';
import type { Workspace } from './workspace';
import { storeOf } from './internal';

export type { CommitPage, ExperimentRun, RunState, RunSummary, StageRow };
/** A value's difference from a reference value, when both are numbers. */
export { numericDelta } from '../query/runTree';
/** Labels, icons and tooltip fields of MLflow/W&B runs and their groups. */
export { groupLabel, runDescription, runTooltipFields, sourceName, statusIcon } from '../runs/runTreeModel';

/** The metric a tree shows by default at a revision (HEAD when given), else anywhere in the index. */
export const firstMetricKey = (ws: Workspace, sha?: string): string | undefined => firstKey(storeOf(ws), sha);
/** The headline metric's value at a revision ('workspace' or a sha). */
export const headlineValue = (ws: Workspace, sha: string, key: string): FlatValue | undefined => headlineOf(storeOf(ws), sha, key);
/** A revision at a glance: its commit facts, headline value and delta against `reference`, parse failures. */
export const summarize = (ws: Workspace, sha: string, key: string | undefined, reference: string | undefined): RunSummary | undefined =>
  summaryOf(storeOf(ws), sha, key, reference);
/** The workspace against HEAD. */
export const workspaceSummary = (ws: Workspace, key: string | undefined): RunSummary | undefined => workspaceSummaryOf(storeOf(ws), key);
/** First-parent commits from `tip`, newest first, each summarized against its parent. */
export const commitPage = (ws: Workspace, tip: string, key: string | undefined, offset: number, limit: number): CommitPage =>
  pageOf(storeOf(ws), tip, key, offset, limit);
/** The experiments of a baseline commit, summarized against it. */
export const experimentRuns = (ws: Workspace, baseline: string, key: string | undefined): ExperimentRun[] =>
  experimentsOf(storeOf(ws), baseline, key);
/** Baseline commits that have experiments (the commits that expand). */
export const baselinesWithExperiments = (ws: Workspace): Set<string> => baselinesOf(storeOf(ws));
/** The stages of every dvc.yaml project at a revision. */
export const stagesAt = (ws: Workspace, sha: string): StageRow[] => stagesOf(storeOf(ws), sha);
/** main, else master, … else the only branch. */
export const defaultBaselineBranch = (ws: Workspace): string | undefined => defaultBaseline(storeOf(ws));

/**
 * Whether the index holds anything to browse: a params/metrics/pipeline file at some revision,
 * or an MLflow/W&B run. A folder with neither shows nothing, so the welcome view explains it.
 */
export function hasIndexedContent(ws: Workspace): boolean {
  const store = storeOf(ws);
  if (store.sql('SELECT 1 FROM revision_file LIMIT 1').get()) return true;
  return hasRunTables(store) && Boolean(store.sql('SELECT 1 FROM ext_run LIMIT 1').get());
}
