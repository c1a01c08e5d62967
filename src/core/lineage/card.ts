// Builds the lineage card of one model version: the five answers, what is missing and what to
// do about it, and the MLmodel flavors/signature when there is one. Everything comes from the
// version's commit (its declaration, dvc.lock, params, metrics), never from HEAD. One
// unreadable file becomes a problem line; the other answers still come.

import { FULL_SHA } from '../git/objectId';
import { runsForRevision } from '../repro/runRecords';
import type { ModelVersionRef } from '../registry/types';
import type { ExternalRun } from '../runs/types';
import type { Store } from '../store/store';
import { redactDeep } from '../util/redact';
import type { FileValues } from '../diff/diff';
import { valuesAt } from '../query/values';
import { resolveInRepo } from '../util/paths';
import { dataAnswer } from './dataAnswer';
import { declarationAt, noPathNote } from './declAt';
import { dirtyFrom, externalRecord, relevantRepro, reproRecord } from './envAnswer';
import { hasCommit } from './gitAt';
import { locksAt, type LocksAt } from './locks';
import { metricsAt, metricsGap } from './metricsAt';
import { mlmodelAt } from './mlmodelAt';
import { modelOutsAt } from './modelOut';
import { hyperparametersAnswer } from './paramsAnswer';
import { modelStages, type ModelStages } from './stageWalk';
import type { MLmodelInfo } from '../mlflow/mlmodel';
import type { ArtifactAnswer, CodeAnswer, DataAnswer, EnvironmentRecord, LineageCard, MissingAnswer, Question } from './types';
import { codeAnswer, metricsAnswer } from './valueAnswers';

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
  hyperparameters:
    "keep hyperparameters in params.yaml and list them under the stage's params in dvc.yaml, or log them with MLflow (mlflow.log_params)",
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
    // Without the commit, Git has nothing to say (not even its declared path); the index may still know its files.
    problems.push(
      `Commit ${short} of ${ref.artifact}@${ref.version} is not in this clone; fetch it (git fetch) for its code, data and model files.`,
    );
    const at: AtCommit = {
      model: { ...ref, path: null, type: null },
      artifact: null,
      locks: { stages: [], none: true, problems: [] },
      walk: { producing: [], upstream: [] },
    };
    return finishCard(at, inputs, runs, problems, null, { answer: null, reason: `commit ${short} is not in this clone` }, null);
  }
  // The path and type the version's own commit declares: HEAD's may have moved or gone since.
  const decl = await declarationAt(root, ref.commit, ref.artifact, problems);
  const model: ModelVersionRef = { ...ref, path: decl?.path ?? null, type: decl?.type ?? null };
  const modelPath = repoPathOf(model.path);
  const code = await codeAnswer(store, root, ref.commit, problems);
  const locks = await locksAt(store, root, ref.commit);
  problems.push(...locks.problems);
  const walk = modelStages(locks.stages, modelPath);
  const data = await dataAnswer(
    root,
    ref.commit,
    locks,
    walk,
    modelPath,
    noPathNote(ref.commit, decl, ref.path !== model.path ? ref.path : null),
    problems,
  );
  const outs = modelPath ? await modelOutsAt(root, ref.commit, locks.stages, modelPath, problems) : [];
  const mlmodel = await mlmodelAt(root, ref.commit, modelPath, locks.stages, inputs.head, problems).catch((error: Error) => {
    problems.push(`MLmodel of ${ref.artifact}@${ref.version}: ${error.message.split('\n')[0]}`);
    return null;
  });
  return finishCard(
    { model, artifact: { declaredIn: decl?.file ?? null, outs }, locks, walk },
    inputs,
    runs,
    problems,
    code,
    data,
    mlmodel,
  );
}

/** What the version's commit says about the model: its declaration, its stages. */
interface AtCommit {
  model: ModelVersionRef;
  artifact: ArtifactAnswer | null;
  locks: LocksAt;
  walk: ModelStages;
}

/** A declared path as a repository path for matching outs; null when there is none to match. */
function repoPathOf(path: string | null): string | null {
  if (!path) return null;
  const r = resolveInRepo('', path);
  return r.ok && r.path ? r.path : null;
}

/** The previous version's metrics for the deltas, read the same way; nothing when its commit is gone. */
async function metricsBefore(inputs: LineageInputs, sha: string): Promise<FileValues> {
  try {
    const locks = await locksAt(inputs.store, inputs.root, sha);
    return metricsAt(inputs.store, inputs.root, sha, locks.stages).values;
  } catch {
    return valuesAt(inputs.store, sha, 'metrics').values;
  }
}

/** The answers read from the index and the linked runs, and the completeness summary. */
async function finishCard(
  at: AtCommit,
  inputs: LineageInputs,
  runs: ExternalRun[],
  problems: string[],
  code: CodeAnswer | null,
  data: { answer: DataAnswer | null; reason?: string },
  mlmodel: MLmodelInfo | null,
): Promise<LineageCard> {
  const { store } = inputs;
  const ref = at.model;
  const producedBy = data.answer?.producedBy ?? [];
  const missing: MissingAnswer[] = [];
  const miss = (question: Question, reason: string, action?: string) =>
    missing.push({ question, reason, action: action ?? ACTIONS[question] });
  const hyperparameters = hyperparametersAnswer(store, ref.commit, at.locks, at.walk, runs, problems);
  const read = metricsAt(store, inputs.root, ref.commit, at.locks.stages);
  for (const p of read.unread) problems.push(`${p.path} at ${ref.commit.slice(0, 8)}${p.line ? `, line ${p.line}` : ''}: ${p.message}`);
  const before = ref.previousVersion ? await metricsBefore(inputs, ref.previousVersion.commit) : null;
  const metrics = metricsAnswer(ref, read.values, before, runs);

  const repro = relevantRepro(runsForRevision(store, ref.commit), producedBy);
  const dirty = dirtyFrom(repro);
  if (code && dirty) Object.assign(code, { dirty: dirty.dirty, dirtySource: dirty.source });
  let records: EnvironmentRecord[] = repro.map(reproRecord);
  if (records.length === 0) records = runs.map(externalRecord).filter((r): r is EnvironmentRecord => r !== null);

  if (!code) miss('code', `commit ${ref.commit.slice(0, 8)} is not in this clone`);
  if (!data.answer) miss('data', data.reason ?? 'no data versions recorded');
  if (!hyperparameters.answer) miss('hyperparameters', hyperparameters.reason);
  if (!metrics) {
    const gap = metricsGap(ref.commit, read.unread, at.locks.stages);
    miss('metrics', gap?.reason ?? `no metrics files at ${ref.commit.slice(0, 8)} and no linked MLflow/W&B run with metrics`, gap?.action);
  }
  // An MLmodel's python_version and library versions (shown with its flavors) are not a whole environment.
  if (records.length === 0)
    miss(
      'environment',
      `no lineage repro record for the stages of ${ref.commit.slice(0, 8)} and no linked MLflow/W&B run that logged one${mlmodel ? ' (the MLmodel file records only library versions)' : ''}`,
    );

  // The card is made to be pasted into pull requests: every string in it (commit messages,
  // run params, environment facts, problems) loses secret-shaped text, whatever its source.
  return redactDeep<LineageCard>({
    schema: 1,
    model: ref,
    artifact: at.artifact,
    code,
    data: data.answer,
    hyperparameters: hyperparameters.answer,
    metrics,
    environment: records.length > 0 ? { records } : null,
    completeness: { answered: 5 - missing.length, total: 5, missing },
    mlmodel,
    problems,
  });
}

/** The one-line completeness summary lives with the other display strings (format.ts). */
export { completenessLine } from './format';
