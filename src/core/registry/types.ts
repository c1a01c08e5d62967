/**
 * Model registry state as GTO computes it from Git tags (see shared FORMATS.md §5), and the
 * reference the lineage card takes. src/core/registry implements it; the Models view, the
 * CLI and the lineage card read it.
 */

/** An artifact declared in artifacts.yaml or a dvc.yaml `artifacts:` section. */
export interface ArtifactDecl {
  /** `name`, or `dir:name` for one declared in a sub-folder's dvc.yaml. */
  name: string;
  type: string | null;
  path: string | null;
  virtual: boolean;
  labels: string[];
  description: string | null;
  custom: unknown;
  /** The file that declares it, repo-relative. */
  file: string;
}

export type RegistryEventKind = 'register' | 'deregister' | 'assign' | 'unassign' | 'deprecate';

export interface RegistryEvent {
  kind: RegistryEventKind;
  tag: string;
  artifact: string;
  /** `v1.2.0`; for an assignment on an unregistered commit, the commit sha (as GTO names it). */
  version: string | null;
  stage: string | null;
  counter: number | null;
  commit: string;
  /** Tagger time, seconds since the epoch. */
  time: number;
  /** Tagger time as ISO 8601 with the tagger's UTC offset (what `gto history` prints). */
  timeIso?: string;
  author: string | null;
  authorEmail: string | null;
  message: string;
}

export interface ModelVersion {
  artifact: string;
  version: string;
  commit: string;
  /** False for a version GTO made up from a commit that was assigned a stage without registration. */
  registered: boolean;
  /** Its latest registration event is a registration (not a deregistration). */
  active: boolean;
  /** Tagger time of its registration (or first event), seconds. */
  createdAt: number;
  author: string | null;
  /** Stages (and aliases) active on this version. */
  stages: string[];
  events: RegistryEvent[];
  /** MLflow registries only: the version's source run (its commit is `commit`) and model URI. */
  runId?: string | null;
  source?: string | null;
}

export interface ModelArtifact {
  name: string;
  decl: ArtifactDecl | null;
  deprecated: boolean;
  /** Newest first (semver order; unregistered versions by time). */
  versions: ModelVersion[];
  /** Active stage → version names holding it (one, unless the policy allows several). */
  stages: Record<string, string[]>;
}

export interface RegistryState {
  artifacts: ModelArtifact[];
  /** Tags that look like registry tags but were ignored, and why (malformed, lightweight…). */
  ignored: { tag: string; reason: string }[];
}

/** One model version as the lineage card takes it. */
export interface ModelVersionRef {
  artifact: string;
  version: string;
  commit: string;
  /**
   * The artifact's declared path (model file or folder), repo-relative, as the registry reads it:
   * at HEAD. A version's own path is its commit's; the lineage card re-reads it there.
   */
  path: string | null;
  type: string | null;
  stages: string[];
  /** The previous version's commit (for metric deltas), when there is one. */
  previousVersion: { version: string; commit: string } | null;
}

/** What a write did, for the user's message. */
export interface RegistryWriteResult {
  /** Git tags created (git backend) or the server calls made (MLflow backend), in order. */
  actions: string[];
  message: string;
}

/**
 * The registry operations, against Git tags (GTO-compatible, the default) or an MLflow
 * tracking server (a team's choice, per workspace). Versions are `vX.Y.Z` for Git and
 * MLflow's integers as strings; stages and aliases are the same thing for the user.
 */
export interface RegistryBackend {
  readonly kind: 'git' | 'mlflow';
  read(): Promise<RegistryState>;
  /** `target`: a commit-ish (git) or a run id / model source URI (MLflow). `version` null = next. */
  register(artifact: string, version: string | null, target: string, options?: { message?: string }): Promise<RegistryWriteResult>;
  /** Assigns `stage` to `version`; with `archiveExisting`, unassigns it from every other version first. */
  assign(
    artifact: string,
    version: string,
    stage: string,
    options?: { archiveExisting?: boolean; message?: string },
  ): Promise<RegistryWriteResult>;
  unassign(artifact: string, version: string, stage: string): Promise<RegistryWriteResult>;
  deprecate(artifact: string): Promise<RegistryWriteResult>;
}
