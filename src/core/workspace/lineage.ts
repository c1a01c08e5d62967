// The lineage card of a model version: the five answers read at the version's commit.

import { buildLineageCard } from '../lineage/card';
import type { LineageCard } from '../lineage/types';
import type { ModelVersionRef } from '../registry/types';
import { runsForCommit } from '../runs/runQueries';
import type { ExternalRun } from '../runs/types';
import type { Workspace } from './workspace';
import { storeOf } from './internal';

export type { LineageCard };

/** The five answers for a model version (code, data, params, metrics, environment), read at its commit. */
export function lineageCardOf(ws: Workspace, ref: ModelVersionRef, runs?: ExternalRun[]): Promise<LineageCard> {
  const store = storeOf(ws);
  return buildLineageCard(ref, { store, root: ws.root, runs: runs ?? linkedRuns(ws, ref.commit), head: ws.repo.head });
}

/** MLflow/W&B runs made from a commit. */
export function linkedRuns(ws: Workspace, sha: string): ExternalRun[] {
  try {
    return runsForCommit(storeOf(ws), sha);
  } catch {
    // An index written before external runs were indexed has no run tables yet.
    return [];
  }
}
