// What the Metric History panel charts: a metric along a revision's first-parent chain,
// DVCLive step series at a revision, the metric keys to pick from, and where a commit sits on
// a branch (to reveal it in the Runs view).

import {
  firstParentDepth as depthOf,
  metricLine as lineOf,
  numericMetricKeys as keysOf,
  stepLines as stepsOf,
  type CommitValue,
  type MetricId,
  type MetricLine,
  type StepLine as StepSeries,
} from '../query/historySeries';
import type { Workspace } from './workspace';
import { storeOf } from './internal';
import { WORKSPACE, type Revision } from './revision';

export type { CommitValue, MetricId, MetricLine, StepSeries };

const idOf = (revision: Revision | string) => (typeof revision === 'string' ? revision : revision.id);

/** Metric keys with a numeric value at some indexed revision, by file then key. */
export const numericMetricKeys = (ws: Workspace, limit?: number): MetricId[] => keysOf(storeOf(ws), limit);
/** One metric of one file along the first-parent chain from `tip`; at most `limit` newest values. */
export const metricLine = (ws: Workspace, tip: Revision | string, metric: MetricId, limit?: number): MetricLine =>
  lineOf(storeOf(ws), idOf(tip), metric, limit);
/** DVCLive step series at a revision. */
export const stepLines = (ws: Workspace, revision: Revision | string): StepSeries[] => stepsOf(storeOf(ws), idOf(revision));
/** First-parent steps from `tip` back to `sha`, or undefined when `sha` is not on that chain. */
export const firstParentDepth = (ws: Workspace, tip: string, sha: string): number | undefined => depthOf(storeOf(ws), tip, sha);

/** The metrics files (repository-relative paths) the index holds at a revision, the workspace by default. */
export function metricsFilesAt(ws: Workspace, revision: Revision | string = WORKSPACE): string[] {
  const rows = storeOf(ws)
    .sql(`SELECT rf.path FROM revision r JOIN revision_file rf ON rf.rev_id = r.id WHERE r.sha = ? AND rf.role = 'metrics'`)
    .all(idOf(revision)) as { path: string }[];
  return rows.map((r) => r.path);
}
