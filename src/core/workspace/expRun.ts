// DVC experiments made and moved from the workspace: `exp run`, `exp save`, `exp apply`,
// `exp branch`, `exp remove`, `exp rename`, `exp push`, `exp pull`. The engine is in
// src/core/experiments; the adapters reach it here. Listing experiments is experiments.ts.

import { runExperiment as run, type ExpEvent, type ExpRunOptions, type ExpRunResult } from '../experiments/expRun';
import { saveExperiment as save, type ExpSaveOptions, type ExpSaveResult } from '../experiments/expSave';
import { applyExperiment as apply, type ExpApplyResult } from '../experiments/expApply';
import {
  branchExperiment as branch,
  removeExperiments as remove,
  renameExperiment as rename,
  humanJoin,
  type ExpBranchResult,
  type ExpRemoveResult,
  type ExpRenameResult,
} from '../experiments/expManage';
import { pullExperiments as pull, pushExperiments as push, type SyncOptions, type SyncResult } from '../experiments/expRemote';
import { listRunRecords, type ExpRunRecord } from '../experiments/runLog';
import { ExpUsageError } from '../experiments/expCommon';
import { ExpGitError } from '../experiments/expGit';
import { SetParamError } from '../experiments/setParams';
import { ReproError } from '../repro/runner';
import { ReproBusyError } from '../repro/reproMutex';
import { OwnershipError } from '../repro/ownership';
import { GuardError } from '../experiments/workspaceGuard';
import type { Workspace } from './workspace';
import { storeOf } from './internal';

export type {
  ExpEvent,
  ExpRunOptions,
  ExpRunResult,
  ExpSaveOptions,
  ExpSaveResult,
  ExpApplyResult,
  ExpBranchResult,
  ExpRemoveResult,
  ExpRenameResult,
  SyncOptions,
  SyncResult,
  ExpRunRecord,
};
export { humanJoin, ExpUsageError };

/**
 * True for the errors that mean bad input or a refusal made before anything changed (exit 2):
 * a bad -S, a bad or taken name, an unknown experiment or remote, a pipeline that cannot run,
 * another run in progress, uncommitted changes an apply would overwrite.
 */
export function isExpInputError(error: unknown): error is Error {
  return (
    error instanceof ExpUsageError ||
    error instanceof SetParamError ||
    error instanceof ReproError ||
    error instanceof ReproBusyError ||
    error instanceof ExpGitError
  );
}

/**
 * True for a refusal in the middle of an operation that the user must look at (exit 1): a file
 * that changed while `exp apply` wrote the experiment's files, an out the ownership rule refuses.
 */
export function isExpStoppedError(error: unknown): error is Error {
  return error instanceof GuardError || error instanceof OwnershipError;
}

/** The problems (file:line) of a pipeline that cannot run, when that is why it was refused. */
export function pipelineProblemsOf(error: unknown): { file: string; line?: number; column?: number; stage?: string; message: string }[] {
  return error instanceof ReproError ? error.problems : [];
}

/** Reproduces the pipeline with the -S changes and records it under refs/exps (see expRun.ts). */
export function runExperiment(ws: Workspace, options: ExpRunOptions, onEvent: (event: ExpEvent) => void): Promise<ExpRunResult> {
  return run(ws.root, storeOf(ws), options, onEvent);
}

export function saveExperiment(ws: Workspace, options: ExpSaveOptions): Promise<ExpSaveResult> {
  return save(ws.root, storeOf(ws), options);
}

export function applyExperiment(ws: Workspace, name: string, options: { force?: boolean } = {}): Promise<ExpApplyResult> {
  return apply(ws.root, storeOf(ws), name, options);
}

export function branchExperiment(ws: Workspace, name: string, branchName?: string): Promise<ExpBranchResult> {
  return branch(ws.root, name, branchName);
}

export function removeExperiments(
  ws: Workspace,
  names: string[],
  options: { all?: boolean; queue?: boolean } = {},
): Promise<ExpRemoveResult> {
  return remove(ws.root, names, options);
}

export function renameExperiment(ws: Workspace, from: string, to: string, options: { force?: boolean } = {}): Promise<ExpRenameResult> {
  return rename(ws.root, from, to, options);
}

export function pushExperiments(ws: Workspace, remote: string, names: string[], options: SyncOptions = {}): Promise<SyncResult> {
  return push(ws.root, remote, names, options);
}

export function pullExperiments(ws: Workspace, remote: string, names: string[], options: SyncOptions = {}): Promise<SyncResult> {
  return pull(ws.root, remote, names, options);
}

/** Runs that did not become experiments (a failed stage, a cancel, a kill), newest first, with their logs. */
export function keptExperimentRuns(ws: Workspace): ExpRunRecord[] {
  return ws.repo.gitDir ? listRunRecords(ws.repo.gitDir) : [];
}
