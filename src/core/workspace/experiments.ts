// DVC experiments and commits as the experiments views and `lineage exps` list them.

import { baselineName, expShowRows, type ExpState, type FileResult } from '../query/expShow';
import { revisionProblem, type RevisionProblem } from '../query/dvcErrors';
import {
  getRevision,
  listExperiments,
  listRefRows,
  firstParentChain,
  type Experiment,
  type RefRow,
  type Revision as CommitInfo,
} from '../query/revisions';
import { DvcDataReader } from '../query/dvcData';
import type { Workspace } from './workspace';
import { storeOf } from './internal';

export type { ExpState, FileResult, RevisionProblem, Experiment, RefRow, CommitInfo };

/** Experiments (refs/exps), grouped by baseline, newest first within a group. */
export function experiments(ws: Workspace, baseline?: string): Experiment[] {
  return listExperiments(storeOf(ws), baseline);
}

/** A commit's author, times and subject, if the index holds it. */
export function commitInfo(ws: Workspace, sha: string): CommitInfo | undefined {
  return getRevision(storeOf(ws), sha);
}

/** Branches, tags and experiment refs the index knows. */
export function refRows(ws: Workspace, kind?: RefRow['kind']): RefRow[] {
  return listRefRows(storeOf(ws), kind);
}

/** The first-parent chain from a commit, newest first. */
export function firstParentCommits(ws: Workspace, sha: string, limit?: number): CommitInfo[] {
  return firstParentChain(storeOf(ws), sha, limit);
}

/**
 * The rows of `dvc exp show --json`: the workspace, then each baseline with its experiments.
 * Baselines default to every commit that has experiments, newest first.
 */
export async function expShow(ws: Workspace, baselines?: string[]): Promise<ExpState[]> {
  const store = storeOf(ws);
  const time = (sha: string) => getRevision(store, sha)?.commitTime ?? 0;
  const shas =
    baselines ?? [...new Set(listExperiments(store).map((e) => e.baseline))].sort((a, b) => time(b) - time(a) || (a < b ? -1 : 1));
  const head = { sha: ws.repo.head, branch: ws.repo.branch };
  // Values as DVC loads them (Python's types, its file order and its error entries).
  const reader = new DvcDataReader(store, ws.repo);
  try {
    return await expShowRows(
      store,
      shas.map((sha) => ({ sha, name: baselineName(store, sha, head) })),
      async (sha, kind) => (await reader.at(sha, kind)).files,
    );
  } finally {
    reader.close();
  }
}

/** Why DVC could not collect a revision at all (a dvc.yaml that does not parse, …), if so. */
export function revisionProblemOf(ws: Workspace, sha: string): RevisionProblem | null {
  return revisionProblem(storeOf(ws), sha);
}
