import type { ArtifactDecl, ModelArtifact, ModelVersion, RegistryEvent, RegistryState } from './types';
import { artifactActive, isRegistered, stageHolders, versionActive, versionCreatedAt, type GtoState, type GtoVersion } from './gtoState';
import { compareSemver, isSemver } from './semver';

/**
 * One ModelVersion per (version name, commit). GTO keeps a separate, event-less copy of a
 * version for every assignment on an unregistered commit; those copies are merged here, and
 * versions that only exist because of GTO's HEAD enrichment are left out.
 */
function toVersions(artifact: string, versions: readonly GtoVersion[], holders: Map<string, string[]>): ModelVersion[] {
  const merged = new Map<string, ModelVersion>();
  for (const v of versions) {
    const events: RegistryEvent[] = [
      ...v.registrations,
      ...v.deregistrations,
      ...[...v.stages.values()].flatMap((s) => [...s.assignments, ...s.unassignments]),
    ];
    if (events.length === 0) continue;
    const key = `${v.version}\0${v.commit}`;
    let mv = merged.get(key);
    if (!mv) {
      const stages = [...holders].filter(([, names]) => names.includes(v.version)).map(([stage]) => stage);
      mv = {
        artifact,
        version: v.version,
        commit: v.commit,
        registered: false,
        active: false,
        createdAt: Infinity,
        author: null,
        stages,
        events: [],
      };
      merged.set(key, mv);
    }
    mv.events.push(...events);
    mv.registered ||= isRegistered(v);
    mv.active ||= versionActive(v);
    if (isRegistered(v)) {
      mv.createdAt = versionCreatedAt(v);
      mv.author = [...v.registrations].sort((a, b) => a.time - b.time).pop()!.author;
    }
  }
  const out = [...merged.values()];
  for (const mv of out) {
    mv.events.sort((a, b) => a.time - b.time);
    if (!mv.registered) {
      mv.createdAt = mv.events[0].time;
      mv.author = mv.events[0].author;
    }
  }
  const semver = out.filter((v) => isSemver(v.version)).sort((a, b) => compareSemver(b.version, a.version));
  const other = out.filter((v) => !isSemver(v.version)).sort((a, b) => b.createdAt - a.createdAt);
  return [...semver, ...other];
}

/** The registry as the views and the CLI show it, from GTO's state and the declarations. */
export function toRegistryState(state: GtoState, decls: readonly ArtifactDecl[], ignored: RegistryState['ignored']): RegistryState {
  const byName = new Map<string, ArtifactDecl>();
  for (const d of decls) if (!byName.has(d.name)) byName.set(d.name, d);
  const artifacts: ModelArtifact[] = [];
  for (const a of state.values()) {
    const holders = stageHolders(a, { sort: 'timestamp' });
    const versions = toVersions(a.name, a.versions, holders);
    // GTO's rule, including its quirk: a commit of artifacts.yaml after the deprecation
    // (GTO's HEAD enrichment event) makes the artifact active again.
    const deprecated = a.deprecations.length > 0 && !artifactActive(a);
    artifacts.push({ name: a.name, decl: byName.get(a.name) ?? null, deprecated, versions, stages: Object.fromEntries(holders) });
  }
  for (const d of byName.values()) {
    if (!state.has(d.name)) artifacts.push({ name: d.name, decl: d, deprecated: false, versions: [], stages: {} });
  }
  artifacts.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return { artifacts, ignored };
}
