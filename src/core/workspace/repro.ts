// Pipeline status, reproduction and the environments recorded for it, over one workspace.

import { createReproIO } from '../repro/reproIO';
import { stageStatuses, type StatusReport } from '../repro/status';
import { reproduce } from '../repro/runner';
import { recentRuns, runsForRevision, type RunRecord } from '../repro/runRecords';
import type { ReproEvent, ReproOptions, ReproResult } from '../repro/types';
import type { Workspace } from './workspace';
import { storeOf } from './internal';

export type { StatusReport, ReproResult, RunRecord };
// What the adapters print from a status report, and the errors a reproduction ends with.
export { dvcStatusLines, toDvcStatusJson, describeChanges } from '../repro/status';
export { ReproError } from '../repro/runner';
export { ReproBusyError } from '../repro/reproMutex';

/** Which stages are out of date, evaluated from the files on disk (hashes cached in the index). */
export function pipelineStatus(ws: Workspace, options: { targets?: string[] } = {}): Promise<StatusReport> {
  return stageStatuses(ws.root, createReproIO(ws.root, storeOf(ws)), options);
}

/** Runs the stages that are out of date and records each run's environment in the index. */
export function reproduceStages(ws: Workspace, options: ReproOptions, onEvent: (event: ReproEvent) => void): Promise<ReproResult> {
  const store = storeOf(ws);
  return reproduce(ws.root, createReproIO(ws.root, store), options, onEvent, { store });
}

/** The environments recorded for the stages whose outputs a commit holds (or the most recent runs). */
export function recordedRuns(
  ws: Workspace,
  sha: string | 'recent',
): { project: string; stage: string; run: RunRecord; match: 'outs' | 'head' | 'recent' }[] {
  const store = storeOf(ws);
  return sha === 'recent'
    ? recentRuns(store, 20).map((run) => ({ project: run.project, stage: run.stage, run, match: 'recent' as const }))
    : runsForRevision(store, sha);
}
