/**
 * GTO's registry state, computed the way GTO 1.10 computes it (gto/base.py, gto/tag.py) so
 * that what we show equals what `gto show` prints, quirks included: deprecations, then
 * registrations, then assignments, each in tagger-time order; an assignment attaches to the
 * registered version at its commit, else to a version named by the commit sha; and the
 * declared artifacts at HEAD (artifacts.yaml) add a "commit" event, as GTO's enrichment does.
 * Ties keep GTO's order: stable sorts, reversed for "newest first".
 */
import type { RegistryEvent } from './types';
import { compareSemver, isSemver } from './semver';

export interface GtoVStage {
  stage: string;
  version: string;
  assignments: RegistryEvent[];
  unassignments: RegistryEvent[];
}

export interface GtoVersion {
  version: string;
  commit: string;
  registrations: RegistryEvent[];
  deregistrations: RegistryEvent[];
  /** Times of GTO's "commit" enrichment events (the version's commit time). */
  enrichments: number[];
  stages: Map<string, GtoVStage>;
}

export interface GtoArtifact {
  name: string;
  versions: GtoVersion[];
  deprecations: RegistryEvent[];
}

/** The tag-derived state, in GTO's artifact order. */
export type GtoState = Map<string, GtoArtifact>;

interface Timed {
  time: number;
}

function ascending<T extends Timed>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => a.time - b.time);
}
function descending<T extends Timed>(items: readonly T[]): T[] {
  return ascending(items).reverse();
}

export type AnyEvent = RegistryEvent | { time: number; kind: 'commit' };

function vstageEvents(s: GtoVStage): RegistryEvent[] {
  return descending([...s.assignments, ...s.unassignments]);
}
export function vstageActive(s: GtoVStage): boolean {
  const events = vstageEvents(s);
  return events.length > 0 && events[0].kind === 'assign';
}
function vstageActivatedAt(s: GtoVStage): number {
  return vstageEvents(s)[0].time;
}
function vstageCreatedAt(s: GtoVStage): number {
  return descending(s.assignments)[0]?.time ?? vstageEvents(s)[0].time;
}

function versionDirect(v: GtoVersion): RegistryEvent[] {
  return descending([...v.registrations, ...v.deregistrations]);
}
function versionIndirect(v: GtoVersion): AnyEvent[] {
  const commits: AnyEvent[] = v.enrichments.map((time) => ({ time, kind: 'commit' }));
  return descending([...commits, ...[...v.stages.values()].flatMap(vstageEvents)]);
}
export function versionEvents(v: GtoVersion): AnyEvent[] {
  return descending<AnyEvent>([
    ...v.registrations,
    ...v.deregistrations,
    ...v.enrichments.map((time) => ({ time, kind: 'commit' as const })),
    ...[...v.stages.values()].flatMap(vstageEvents),
  ]);
}
export function versionActive(v: GtoVersion): boolean {
  const direct = versionDirect(v);
  if (direct.length > 0) return direct[0].kind === 'register';
  return versionIndirect(v).length > 0;
}
export const isRegistered = (v: GtoVersion): boolean => v.registrations.length > 0;
export const isDiscovered = (v: GtoVersion): boolean => v.registrations.length + v.deregistrations.length === 0;
export function versionCreatedAt(v: GtoVersion): number {
  const additions = descending(v.registrations);
  if (additions.length > 0) return additions[0].time;
  return versionIndirect(v)[0]?.time ?? 0;
}
/** Active stages of a version, by activation time. */
export function versionVStages(v: GtoVersion): GtoVStage[] {
  return [...v.stages.values()].filter(vstageActive).sort((a, b) => vstageActivatedAt(a) - vstageActivatedAt(b));
}

export function artifactEvents(a: GtoArtifact): AnyEvent[] {
  return descending<AnyEvent>([...a.deprecations, ...a.versions.flatMap(versionEvents)]);
}
export function artifactActive(a: GtoArtifact): boolean {
  const events = artifactEvents(a);
  return events.length > 0 && events[0].kind !== 'deprecate';
}
export function artifactRegistered(a: GtoArtifact): boolean {
  return artifactEvents(a).some((e) => e.kind !== 'commit');
}

export type VersionSort = 'semver' | 'timestamp';

function sortVersions(versions: GtoVersion[], sort: VersionSort): GtoVersion[] {
  if (sort === 'timestamp') return [...versions].sort((a, b) => versionCreatedAt(a) - versionCreatedAt(b)).reverse();
  const semver = versions
    .filter((v) => isSemver(v.version))
    .sort((a, b) => compareSemver(a.version, b.version))
    .reverse();
  const other = versions
    .filter((v) => !isSemver(v.version))
    .sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))
    .reverse();
  return [...semver, ...other];
}

/** GTO's Artifact.get_versions with active_only. */
export function activeVersions(
  a: GtoArtifact,
  o: { includeNonExplicit: boolean; includeDiscovered?: boolean; sort: VersionSort },
): GtoVersion[] {
  const kept = a.versions.filter(
    (v) =>
      versionActive(v) &&
      ((isRegistered(v) && !isDiscovered(v)) || (!!o.includeDiscovered && isDiscovered(v)) || (o.includeNonExplicit && !isRegistered(v))),
  );
  return sortVersions(kept, o.sort);
}

export function latestRegistered(a: GtoArtifact): GtoVersion | null {
  return activeVersions(a, { includeNonExplicit: false, sort: 'semver' })[0] ?? null;
}

/**
 * GTO's Artifact.get_vstages: for each stage, the versions holding it, newest assignment
 * first, at most `versionsPerStage` (-1 = all; GTO's default is 1).
 */
export function stageHolders(
  a: GtoArtifact,
  o: { sort: VersionSort; versionsPerStage?: number; registeredOnly?: boolean } = { sort: 'timestamp' },
): Map<string, string[]> {
  const perStage = o.versionsPerStage ?? 1;
  const versions = activeVersions(a, { includeNonExplicit: !o.registeredOnly, sort: o.sort });
  let assignments = versions.flatMap(versionVStages);
  if (o.sort === 'timestamp') assignments = [...assignments].sort((x, y) => vstageCreatedAt(x) - vstageCreatedAt(y)).reverse();
  const stages = new Map<string, string[]>();
  for (const s of assignments) {
    const holders = stages.get(s.stage) ?? [];
    stages.set(s.stage, holders);
    if (perStage > -1 && holders.length >= perStage) continue;
    if (!holders.includes(s.version)) holders.push(s.version);
  }
  return stages;
}

/** GTO's find_version: versions with tag events (not "discovered") matching name and commit. */
function findVersions(a: GtoArtifact, name: string | null, commit: string | null, includeDiscovered = false): GtoVersion[] {
  return a.versions.filter(
    (v) => (name === null || v.version === name) && (commit === null || v.commit === commit) && (includeDiscovered || !isDiscovered(v)),
  );
}
function findOrCreate(a: GtoArtifact, name: string | null, commit: string): GtoVersion {
  // GTO raises on several matches (two registered versions on one commit); we take the first.
  const found = findVersions(a, name, commit)[0];
  if (found) return found;
  const created: GtoVersion = {
    version: name ?? commit,
    commit,
    registrations: [],
    deregistrations: [],
    enrichments: [],
    stages: new Map(),
  };
  a.versions.push(created);
  return created;
}
function artifactOf(state: GtoState, name: string): GtoArtifact {
  let a = state.get(name);
  if (!a) {
    a = { name, versions: [], deprecations: [] };
    state.set(name, a);
  }
  return a;
}

/**
 * Builds the state from annotated registry tags (`version` of assignment events is filled
 * in here, as GTO resolves it) and the commit times GTO's enrichment uses.
 */
export function buildGtoState(
  events: readonly RegistryEvent[],
  commitTime: (sha: string) => number,
  head: { commit: string; declared: string[] } | null,
): GtoState {
  const state: GtoState = new Map();
  const phase = (kinds: RegistryEvent['kind'][]) => ascending(events.filter((e) => kinds.includes(e.kind)));
  for (const e of phase(['deprecate'])) artifactOf(state, e.artifact).deprecations.push(e);
  for (const e of phase(['register', 'deregister'])) {
    const v = findOrCreate(artifactOf(state, e.artifact), e.version, e.commit);
    (e.kind === 'register' ? v.registrations : v.deregistrations).push(e);
  }
  for (const e of phase(['assign', 'unassign'])) {
    const a = artifactOf(state, e.artifact);
    e.version = findOrCreate(a, null, e.commit).version;
    const v = findOrCreate(a, e.version, e.commit);
    const stage = e.stage!;
    let vs = v.stages.get(stage);
    if (!vs) {
      vs = { stage, version: v.version, assignments: [], unassignments: [] };
      v.stages.set(stage, vs);
    }
    (e.kind === 'assign' ? vs.assignments : vs.unassignments).push(e);
  }
  for (const a of state.values()) for (const v of a.versions) v.enrichments.push(commitTime(v.commit));
  if (head) {
    for (const name of head.declared) {
      const v = findOrCreate(artifactOf(state, name), null, head.commit);
      if (!v.enrichments.includes(commitTime(head.commit))) v.enrichments.push(commitTime(head.commit));
    }
  }
  return state;
}

/** GTO's "used" stages: every stage some version holds, sorted. */
export function usedStages(state: GtoState): string[] {
  const all = new Set<string>();
  for (const a of state.values()) for (const s of stageHolders(a, { sort: 'semver' }).keys()) all.add(s);
  return [...all].sort();
}
