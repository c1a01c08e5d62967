// MLflow and W&B runs as the adapters list them.

import {
  listRuns,
  runById,
  runProblems,
  runsForCommit,
  runGroups,
  runsInGroup,
  runSeries,
  commitsWithRuns,
  unlinkedRuns,
  unlinkedRunCount,
  hasRunTables,
  type RunFilter,
  type RunGroup,
  type StoredRunProblem,
} from '../runs/runQueries';
import type { ExternalRun, MetricPoint, RunSourceKind } from '../runs/types';
import { syncRuns, type RunSyncOptions, type RunSyncReport } from './runSync';
import type { Workspace } from './workspace';
import { storeOf } from './internal';

export type { RunFilter, RunGroup, StoredRunProblem, RunSyncOptions, RunSyncReport };

export const runs = (ws: Workspace, filter: RunFilter = {}): ExternalRun[] => listRuns(storeOf(ws), filter);
export const run = (ws: Workspace, source: RunSourceKind, id: string): ExternalRun | undefined => runById(storeOf(ws), source, id);
/** Runs whose recorded commit is `sha`. */
export const runsAtCommit = (ws: Workspace, sha: string): ExternalRun[] => runsForCommit(storeOf(ws), sha);
export const runSourceProblems = (ws: Workspace): StoredRunProblem[] => runProblems(storeOf(ws));
export const runGroupsOf = (ws: Workspace): RunGroup[] => runGroups(storeOf(ws));
export const runsOfGroup = (ws: Workspace, source: RunSourceKind, experiment: string | null, limit?: number): ExternalRun[] =>
  runsInGroup(storeOf(ws), source, experiment, limit);
export const runMetricSeries = (ws: Workspace, source: RunSourceKind, id: string, key: string): MetricPoint[] =>
  runSeries(storeOf(ws), source, id, key);
export const commitsHavingRuns = (ws: Workspace): Set<string> => commitsWithRuns(storeOf(ws));
export const runsWithoutCommit = (ws: Workspace, limit?: number): ExternalRun[] => unlinkedRuns(storeOf(ws), limit);
export const runsWithoutCommitCount = (ws: Workspace): number => unlinkedRunCount(storeOf(ws));
export const hasRuns = (ws: Workspace): boolean => hasRunTables(storeOf(ws));

/** Reads MLflow/W&B sources (the workspace's, and any tracking servers named) into the index. */
export function syncWorkspaceRuns(ws: Workspace, options: RunSyncOptions = {}): Promise<RunSyncReport> {
  return syncRuns(ws.root, storeOf(ws), options);
}
