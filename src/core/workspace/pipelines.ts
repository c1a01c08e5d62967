// Pipeline status and reproduction as the editor runs them: from the files on disk at a
// folder's root, with the hashes cached in the workspace's index when one is open for writing
// (Restricted Mode has none: statuses are computed without a cache, nothing is recorded).

import { createReproIO } from '../repro/reproIO';
import { reproduce } from '../repro/runner';
import { stageStatuses, type StatusReport } from '../repro/status';
import type { ReproEvent, ReproOptions, ReproResult } from '../repro/types';
import type { Workspace } from './workspace';
import { storeOf } from './internal';

export type { StatusReport };

/** Which stages are out of date at `root`. */
export function pipelineStatusAt(root: string, ws: Workspace | undefined): Promise<StatusReport> {
  return stageStatuses(root, createReproIO(root, ws && storeOf(ws)));
}

/** Runs the out-of-date stages at `root`; the environments are recorded when an index is given. */
export function reproduceAt(
  root: string,
  ws: Workspace | undefined,
  options: ReproOptions,
  onEvent: (event: ReproEvent) => void,
): Promise<ReproResult> {
  const store = ws && storeOf(ws);
  return reproduce(root, createReproIO(root, store), options, onEvent, { store });
}
