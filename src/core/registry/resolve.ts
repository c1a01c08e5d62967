// `MODEL`, `MODEL@VERSION` or `MODEL#STAGE` to the model version the user means: a name alone
// is the latest active version, `@v1.2.0` (or `@1.2.0`) one version, `#prod` the version
// holding that stage. Errors list what exists, so the next try is right.

import type { ModelArtifact, ModelVersion, ModelVersionRef, RegistryState } from './types';

export class ModelRefError extends Error {}

export interface ModelSpec {
  artifact: string;
  version?: string;
  stage?: string;
}

/** Splits and checks a spec. GTO names never hold '@' or '#', so the first one starts the suffix. */
export function parseModelSpec(spec: string): ModelSpec {
  if (!spec || spec.startsWith('-') || /[\s\u0000-\u001f\u007f]/.test(spec) || spec.length > 512) {
    throw new ModelRefError(`${JSON.stringify(spec)} is not a model reference (expected MODEL, MODEL@VERSION or MODEL#STAGE)`);
  }
  const at = spec.search(/[@#]/);
  if (at < 0) return { artifact: spec };
  const artifact = spec.slice(0, at);
  const rest = spec.slice(at + 1);
  if (!artifact || !rest || /[@#]/.test(rest))
    throw new ModelRefError(`"${spec}" is not a model reference (expected MODEL, MODEL@VERSION or MODEL#STAGE)`);
  return spec[at] === '@' ? { artifact, version: rest } : { artifact, stage: rest };
}

/** The artifact's name as tags write it (`dir=name`) matches its `dir:name` too. */
function findArtifact(state: RegistryState, name: string): ModelArtifact | undefined {
  return state.artifacts.find((a) => a.name === name) ?? state.artifacts.find((a) => a.name === name.replace('=', ':'));
}

const list = (items: string[], none: string) => (items.length ? items.join(', ') : none);

export function resolveModelRef(state: RegistryState, spec: string): ModelVersionRef {
  const parsed = parseModelSpec(spec);
  const artifact = findArtifact(state, parsed.artifact);
  if (!artifact)
    throw new ModelRefError(
      `no model "${parsed.artifact}" in the registry; models: ${list(
        state.artifacts.map((a) => a.name),
        'none (register one with a Git tag like model@v1.0.0)',
      )}`,
    );
  const names = artifact.versions.map((v) => v.version);
  let version: ModelVersion | undefined;
  if (parsed.version !== undefined) {
    const wanted = parsed.version;
    version = artifact.versions.find((v) => v.version === wanted) ?? artifact.versions.find((v) => v.version === `v${wanted}`);
    if (!version) throw new ModelRefError(`${artifact.name} has no version "${wanted}"; versions: ${list(names, 'none')}`);
  } else if (parsed.stage !== undefined) {
    const holders = artifact.stages[parsed.stage] ?? [];
    // Versions are newest first: with several holders (a policy allowing it) the newest wins.
    version = artifact.versions.find((v) => holders.includes(v.version));
    if (!version) {
      const stages = Object.entries(artifact.stages)
        .filter(([, vs]) => vs.length > 0)
        .map(([s, vs]) => `${s} (${vs.join(', ')})`);
      throw new ModelRefError(`no version of ${artifact.name} is in stage "${parsed.stage}"; stages: ${list(stages, 'none assigned')}`);
    }
  } else {
    version = artifact.versions.find((v) => v.active);
    if (!version)
      throw new ModelRefError(
        `${artifact.name} has no active version${names.length ? ` (all deregistered: ${names.join(', ')})` : ''}; name one with ${artifact.name}@VERSION`,
      );
  }
  return toModelVersionRef(artifact, version);
}

/** The card's reference to a version; the previous version is the next older registered, active one. */
export function toModelVersionRef(artifact: ModelArtifact, version: ModelVersion): ModelVersionRef {
  const index = artifact.versions.indexOf(version);
  const previous =
    artifact.versions.slice(index + 1).find((v) => v.registered && v.active && v.commit !== version.commit) ??
    artifact.versions.slice(index + 1).find((v) => v.registered && v.commit !== version.commit);
  return {
    artifact: artifact.name,
    version: version.version,
    commit: version.commit,
    path: artifact.decl?.path ?? null,
    type: artifact.decl?.type ?? null,
    stages: [...version.stages],
    previousVersion: previous ? { version: previous.version, commit: previous.commit } : null,
  };
}

/** Every version of every artifact as a reference, newest first per artifact (the quick pick's list). */
export function allModelVersionRefs(state: RegistryState): ModelVersionRef[] {
  return state.artifacts.flatMap((a) => a.versions.map((v) => toModelVersionRef(a, v)));
}
