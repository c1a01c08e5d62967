// The lineage card: the five questions (code, data, hyperparameters, metrics, environment)
// answered for one model version. This JSON shape is what `lineage lineage --json` prints and
// what the Lineage Card webview receives; every string in it may come from a file.

import type { FlatValue } from '../data/types';
import type { FileValues } from '../diff/diff';
import type { Verdict } from '../diff/direction';
import type { RunSourceKind } from '../runs/types';
import type { ModelVersionRef } from '../registry/types';
import type { MLmodelInfo } from '../mlflow/mlmodel';

export type Question = 'code' | 'data' | 'hyperparameters' | 'metrics' | 'environment';
export const QUESTIONS: readonly Question[] = ['code', 'data', 'hyperparameters', 'metrics', 'environment'];

export interface CodeAnswer {
  commit: string;
  /** Branches and tags whose tip is this commit (from the index). */
  refs: string[];
  /** Branches whose history contains the commit (from Git), tips included. */
  branches: string[];
  author: string | null;
  authorEmail: string | null;
  /** Author time, seconds since the epoch. */
  date: number | null;
  subject: string | null;
  body: string | null;
  /** True/false when a run record says whether the work tree had uncommitted changes; null when unknown. */
  dirty: boolean | null;
  /** Where `dirty` comes from ("lineage repro of train, 2025-01-01T…"). */
  dirtySource: string | null;
}

export type CacheState = 'yes' | 'no' | 'partial' | 'not-cached';

export interface DataDep {
  /** Repository-relative. */
  path: string;
  /** The stage (address, `dir/dvc.yaml:name` outside the root project) that reads it. */
  stage: string;
  /** Stage that writes it, when the pipeline made it; null for source data (raw, `dvc add`ed, imported). */
  producedBy: string | null;
  /** The DVC lock checksum (md5, `<md5>.dir` for a folder, or a cloud etag/checksum). */
  version: string | null;
  hashKind: 'md5' | 'md5-dos2unix' | 'etag' | 'checksum' | null;
  /** The `.dvc` file tracking it at that commit, with the md5 it records. */
  dvcFile: { path: string; md5: string | null } | null;
  size: number | null;
  nfiles: number | null;
  isDir: boolean;
  /** Whether the bytes of this version are in the local DVC cache ('partial': a folder missing some files). */
  inCache: CacheState;
  cacheDetail: string;
}

/**
 * The model's own bytes at the version's commit: the dvc.lock out that is (or holds) the model
 * path, or the `.dvc` file tracking it. Its hash is the version of the artifact itself.
 */
export interface ModelOut {
  /** The recorded path, repository-relative: the model path itself or the folder out holding it. */
  path: string;
  /** The stage writing it (its address); null when a `.dvc` file tracks it. */
  stage: string | null;
  /** The `.dvc` file tracking it (`dvc add`), repository-relative. */
  dvcFile: string | null;
  version: string | null;
  hashKind: 'md5' | 'md5-dos2unix' | 'etag' | 'checksum' | null;
  size: number | null;
  nfiles: number | null;
  isDir: boolean;
  inCache: CacheState;
  cacheDetail: string;
  /** The model file inside a folder out, with its md5 from the cached `.dir` listing (null when the listing is not here). */
  file: { path: string; md5: string | null } | null;
}

/** Where the version's commit declares the artifact, and the version of its bytes there. */
export interface ArtifactAnswer {
  /** The file declaring the artifact at the version's commit (artifacts.yaml or a dvc.yaml); null when none does. */
  declaredIn: string | null;
  /** Usually one; several when the model path is a folder that several outs write into. */
  outs: ModelOut[];
}

export interface DataAnswer {
  /** Stages whose outs are (or hold) the model's path; empty when scope is 'all-stages'. */
  producedBy: string[];
  /** 'model': the deps upstream of the stages producing the model; 'all-stages': every stage's (path unknown or not produced). */
  scope: 'model' | 'all-stages';
  deps: DataDep[];
  note: string | null;
}

export interface RunRef {
  source: RunSourceKind;
  id: string;
  name: string | null;
  location: string;
}

export interface HyperparametersAnswer {
  /**
   * 'model': the params dvc.lock records for the stages producing the model and their upstream
   * stages; 'all-stages': for every stage (model path unknown or written by no stage); 'files':
   * the params files whole (no dvc.lock at the commit to say which params made the model).
   */
  scope: 'model' | 'all-stages' | 'files';
  /** The stages whose params these are (empty for 'files'). */
  stages: string[];
  /** file (repository-relative) -> dotted key -> value, as recorded at the commit. */
  params: FileValues;
  note: string | null;
  runs: (RunRef & { params: Record<string, FlatValue> })[];
}

export interface MetricRow {
  file: string;
  key: string;
  value: FlatValue | null;
  /** The value at the previous version; undefined when there is no previous version. */
  previous?: FlatValue | null;
  delta?: number;
  verdict: Verdict;
}

export interface MetricsAnswer {
  rows: MetricRow[];
  previous: { version: string; commit: string } | null;
  runs: (RunRef & { metrics: Record<string, number> })[];
}

export interface EnvironmentRecord {
  /** What the facts describe ("stage train, lineage repro", "MLflow run 1a2b…"). */
  label: string;
  source: 'repro' | 'mlflow' | 'wandb';
  facts: [name: string, value: string][];
  packages: string[];
}

export interface EnvironmentAnswer {
  records: EnvironmentRecord[];
}

export interface MissingAnswer {
  question: Question;
  reason: string;
  action: string;
}

export interface LineageCard {
  schema: 1;
  /** The version; `path` and `type` as declared at the version's commit (not at HEAD). */
  model: ModelVersionRef;
  /** The declaration and the model's own out at the version's commit; null when the commit is not here. */
  artifact: ArtifactAnswer | null;
  code: CodeAnswer | null;
  data: DataAnswer | null;
  hyperparameters: HyperparametersAnswer | null;
  metrics: MetricsAnswer | null;
  environment: EnvironmentAnswer | null;
  completeness: { answered: number; total: 5; missing: MissingAnswer[] };
  mlmodel: MLmodelInfo | null;
  /** Files that could not be read and why, one line each (file, revision, line). */
  problems: string[];
}
