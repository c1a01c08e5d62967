// Builds the lineage card of one model version: the five answers, what is missing and what to
// do about it, and the MLmodel flavors/signature when there is one. One unreadable file
// becomes a problem line; the other answers still come.

import { FULL_SHA } from '../git/objectId';
import { runsForRevision } from '../repro/runRecords';
import type { ModelVersionRef } from '../registry/types';
import type { ExternalRun } from '../runs/types';
import type { Store } from '../store/store';
import { dataAnswer } from './dataAnswer';
import { dirtyFrom, externalRecord, relevantRepro, reproRecord } from './envAnswer';
import { hasCommit } from './gitAt';
import { locksAt } from './locks';
import { mlmodelAt } from './mlmodelAt';
import type { MLmodelInfo } from '../mlflow/mlmodel';
import type { CodeAnswer, DataAnswer, EnvironmentRecord, LineageCard, MissingAnswer, Question } from './types';
import { codeAnswer, hyperparametersAnswer, metricsAnswer } from './valueAnswers';

export interface LineageInputs {
  store: Store;
  /** The repository's work tree root: Git reads, the DVC cache and the workspace. */
  root: string;
  /** MLflow / W&B runs; those whose git.commit is the version's commit are linked. */
  runs?: ExternalRun[];
  /** The checked-out commit: an MLmodel file may then be read from the workspace. */
  head?: string;
}

const ACTIONS: Record<Question, string> = {
  code: 'fetch the commit (git fetch) and index it (lineage index)',
  data: 'track the training data with DVC (dvc add, or a dvc.yaml stage that reads it) and commit dvc.lock',
  hyperparameters: 'keep hyperparameters in params.yaml and list them under the stage\'s params in dvc.yaml, or log them with MLflow (mlflow.log_params)',
  metrics: 'write metrics to a file listed under metrics in dvc.yaml (DVCLive does this), or log them with MLflow',
  environment: 'reproduce with ML Lineage (lineage repro) or log it with MLflow',
};

export async function buildLineageCard(ref: ModelVersionRef, inputs: LineageInputs): Promise<LineageCard> {
  if (!FULL_SHA.test(ref.commit)) throw new Error(`${ref.artifact}@${ref.version}: "${ref.commit}" is not a full commit id`);
  const { store, root } = inputs;
  const runs = (inputs.runs ?? []).filter((r) => r.git.commit === ref.commit);
  const problems: string[] = [];

  const short = ref.commit.slice(0, 8);
  if (!(await hasCommit(root, ref.commit))) {
    // Without the commit, Git has nothing to say; the index may still know its files.
    problems.push(`Commit ${short} of ${ref.artifact}@${ref.version} is not in this clone; fetch it (git fetch) for its code, data and model files.`);
    return finishCard(ref, inputs, runs, problems, null, { answer: null, reason: `commit ${short} is not in this clone` }, null, []);
  }
  const code = await codeAnswer(store, root, ref.commit, problems);
  const locks = await locksAt(store, root, ref.commit);
  problems.push(...locks.problems);
  const data = await dataAnswer(root, ref.commit, locks, ref.path, problems);
  const mlmodel = await mlmodelAt(root, ref.commit, ref.path, locks.stages, inputs.head, problems).catch((error: Error) => {
    problems.push(`MLmodel of ${ref.artifact}@${ref.version}: ${error.message.split('\n')[0]}`);
    return null;
  });
  return finishCard(ref, inputs, runs, problems, code, data, mlmodel, data.answer?.producedBy ?? []);
}

/** The answers read from the index and the linked runs, and the completeness summary. */
function finishCard(ref: ModelVersionRef, inputs: LineageInputs, runs: ExternalRun[], problems: string[], code: CodeAnswer | null, data: { answer: DataAnswer | null; reason?: string }, mlmodel: MLmodelInfo | null, producedBy: string[]): LineageCard {
  const { store } = inputs;
  const missing: MissingAnswer[] = [];
  const miss = (question: Question, reason: string) => missing.push({ question, reason, action: ACTIONS[question] });
  const hyperparameters = hyperparametersAnswer(store, ref.commit, runs, problems);
  const metrics = metricsAnswer(store, ref, runs, problems);

  const repro = relevantRepro(runsForRevision(store, ref.commit), producedBy);
  const dirty = dirtyFrom(repro);
  if (code && dirty) Object.assign(code, { dirty: dirty.dirty, dirtySource: dirty.source });
  let records: EnvironmentRecord[] = repro.map(reproRecord);
  if (records.length === 0) records = runs.map(externalRecord).filter((r): r is EnvironmentRecord => r !== null);

  if (!code) miss('code', `commit ${ref.commit.slice(0, 8)} is not in this clone`);
  if (!data.answer) miss('data', data.reason ?? 'no data versions recorded');
  if (!hyperparameters) miss('hyperparameters', `no params files at ${ref.commit.slice(0, 8)} and no linked MLflow/W&B run with params`);
  if (!metrics) miss('metrics', `no metrics files at ${ref.commit.slice(0, 8)} and no linked MLflow/W&B run with metrics`);
  // An MLmodel's python_version and library versions (shown with its flavors) are not a whole environment.
  if (records.length === 0) miss('environment', `no lineage repro record for the stages of ${ref.commit.slice(0, 8)} and no linked MLflow/W&B run that logged one${mlmodel ? ' (the MLmodel file records only library versions)' : ''}`);

  return {
    schema: 1,
    model: ref,
    code, data: data.answer, hyperparameters, metrics,
    environment: records.length > 0 ? { records } : null,
    completeness: { answered: 5 - missing.length, total: 5, missing },
    mlmodel,
    problems,
  };
}

/** "4 of 5 answered — environment unknown: no … ; reproduce with …". */
export function completenessLine(card: LineageCard): string {
  const { answered, total, missing } = card.completeness;
  if (missing.length === 0) return `${answered} of ${total} answered`;
  return `${answered} of ${total} answered — ${missing.map((m) => `${m.question} unknown: ${m.reason}; ${m.action}`).join(' — ')}`;
}
