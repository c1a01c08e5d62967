import type { ModelArtifact, ModelVersion, RegistryState } from '../registry/types';

/** A registered model as every MLflow backend (file store, SQLite, REST) reads it. */
export interface RawRegisteredModel {
  name: string;
  tags: Record<string, string>;
  /** alias → version. */
  aliases: Record<string, string>;
  versions: RawModelVersion[];
}

export interface RawModelVersion {
  version: string;
  /** None | Staging | Production | Archived (stages are deprecated since MLflow 2.9 but still stored). */
  stage: string | null;
  source: string | null;
  runId: string | null;
  /** ms since the epoch. */
  createdAt: number | null;
  user: string | null;
}

/** Stages that mean "not in any stage" for our Models view: MLflow's None and Archived. */
const NO_STAGE = new Set(['', 'none', 'archived']);

/** Our convention for "deprecated" on MLflow, which has no such state: a registered model tag. */
export const DEPRECATED_TAG = 'deprecated';

export function isActiveStage(stage: string | null): stage is string {
  return stage !== null && !NO_STAGE.has(stage.toLowerCase());
}

/**
 * The registry the Models view shows, from MLflow's models: versions are MLflow's integers,
 * a version's stages are its current stage (unless None/Archived) and its aliases, and its
 * commit is the source run's `mlflow.source.git.commit` when known ('' otherwise).
 */
export function registryState(models: readonly RawRegisteredModel[], commitOf: (runId: string) => string | null): RegistryState {
  const artifacts: ModelArtifact[] = [];
  for (const m of [...models].sort((a, b) => a.name.localeCompare(b.name))) {
    const stages: Record<string, string[]> = {};
    const versions: ModelVersion[] = [...m.versions]
      .sort((a, b) => Number(b.version) - Number(a.version))
      .map((v) => {
        const own: string[] = [];
        if (isActiveStage(v.stage)) own.push(v.stage);
        for (const [alias, version] of Object.entries(m.aliases)) if (version === v.version) own.push(alias);
        own.sort();
        for (const s of own) (stages[s] ??= []).push(v.version);
        return {
          artifact: m.name,
          version: v.version,
          commit: (v.runId && commitOf(v.runId)) || '',
          registered: true,
          active: true,
          createdAt: Math.floor((v.createdAt ?? 0) / 1000),
          author: v.user || null,
          stages: own,
          events: [],
          runId: v.runId,
          source: v.source,
        };
      });
    artifacts.push({ name: m.name, decl: null, deprecated: m.tags[DEPRECATED_TAG] === 'true', versions, stages });
  }
  return { artifacts, ignored: [] };
}
