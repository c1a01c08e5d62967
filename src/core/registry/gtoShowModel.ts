/**
 * `gto show MODEL --json`: one artifact's versions with their registrations, the stages they
 * hold and every event of those stages (gto/api.py _show_versions, the dict_state of
 * gto/base.py), in GTO's key order. GTO's ordering rules are kept: lists sorted by time with
 * a stable sort, reversed for "newest first".
 */
import type { GtoCommit } from './gtoCommits';
import { pythonIso } from './gtoJson';
import {
  activeVersions,
  artifactActive,
  artifactRegistered,
  stageHolders,
  vstageActive,
  type GtoArtifact,
  type GtoState,
  type GtoVersion,
  type GtoVStage,
} from './gtoState';
import { isValidArtifactName, isValidStageName, isValidVersion } from './tagGrammar';
import type { RegistryEvent } from './types';

/** GTO's shortcut: `name`, `name#stage`, `name@vX.Y.Z`, `name@latest` (or `@greatest`). */
export interface GtoShortcut {
  name: string;
  stage: string | null;
  version: string | null;
  latest: boolean;
}

export function parseGtoShortcut(value: string): GtoShortcut {
  const m = /^([^@#]+)(?:#([^@#]+)|@([^@#]+))$/.exec(value);
  const version = m?.[3];
  const ok =
    m &&
    isValidArtifactName(m[1]) &&
    (m[2] !== undefined ? isValidStageName(m[2]) : version === 'latest' || version === 'greatest' || isValidVersion(version ?? ''));
  if (!m || !ok) return { name: value, stage: null, version: null, latest: false };
  const latest = version === 'latest' || version === 'greatest';
  return { name: m[1], stage: m[2] ?? null, version: latest ? null : (version ?? null), latest };
}

type Json = Record<string, unknown>;

/** One event with what GTO's authoring rules read from it. */
interface Ev {
  time: number;
  addition: boolean;
  created: string;
  author: string | null;
  email: string | null;
  message: string;
  ref: string;
}

const EVENT: Record<RegistryEvent['kind'], { priority: number; addition: boolean; name: string }> = {
  deprecate: { priority: 2, addition: false, name: 'deprecation' },
  register: { priority: 3, addition: true, name: 'registration' },
  deregister: { priority: 4, addition: false, name: 'deregistration' },
  assign: { priority: 5, addition: true, name: 'assignment' },
  unassign: { priority: 6, addition: false, name: 'unassignment' },
};

const ev = (e: RegistryEvent): Ev => ({
  time: e.time,
  addition: EVENT[e.kind].addition,
  created: pythonIso(e),
  author: e.author,
  email: e.authorEmail,
  message: e.message,
  ref: e.tag,
});
const ascending = <T extends { time: number }>(items: T[]): T[] => [...items].sort((a, b) => a.time - b.time);
const descending = <T extends { time: number }>(items: T[]): T[] => ascending(items).reverse();

/** model_dump of a tag event; dict_state (assignments in a stage) adds the event name. */
function eventJson(e: RegistryEvent, withName: boolean): Json {
  const out: Json = {
    priority: EVENT[e.kind].priority,
    addition: EVENT[e.kind].addition,
    artifact: e.artifact,
    created_at: pythonIso(e),
    author: e.author,
    author_email: e.authorEmail,
    message: e.message,
    commit_hexsha: e.commit,
    tag: e.tag,
  };
  if (e.kind !== 'deprecate') out.version = e.version;
  if (e.kind === 'assign' || e.kind === 'unassign') out.stage = e.stage;
  if (withName) out.event = EVENT[e.kind].name;
  return out;
}

/** BaseObject.authoring_event: the newest direct addition, else the newest other event. */
function authoring(direct: Ev[], indirect: Ev[]): Ev {
  return descending(direct).find((e) => e.addition) ?? descending(indirect)[0] ?? descending([...direct, ...indirect])[0];
}

const authored = (e: Ev): Json => ({ created_at: e.created, author: e.author, author_email: e.email, message: e.message, ref: e.ref });

function vstageJson(a: GtoArtifact, v: GtoVersion, s: GtoVStage): Json {
  const events = descending([...s.assignments, ...s.unassignments]);
  const active = events[0]?.kind === 'assign';
  return {
    artifact: a.name,
    commit_hexsha: v.commit,
    version: v.version,
    stage: s.stage,
    assignments: s.assignments.map((e) => eventJson(e, true)),
    unassignments: s.unassignments.map((e) => eventJson(e, true)),
    is_active: active,
    activated_at: active ? pythonIso(events[0]) : null,
    ...authored(authoring([...s.assignments, ...s.unassignments].map(ev), [])),
  };
}

function commitEvent(a: GtoArtifact, v: GtoVersion, c: GtoCommit | undefined, time: number): { json: Json; ev: Ev } {
  const declared = c?.declared.get(a.name);
  const json: Json = {
    priority: 0,
    addition: true,
    artifact: a.name,
    created_at: c?.iso ?? null,
    author: c?.author ?? null,
    author_email: c?.authorEmail ?? null,
    message: c?.message ?? '',
    commit_hexsha: v.commit,
    version: v.version,
    enrichments: declared ? [{ source: 'gto', artifact: declared }] : [],
    committer: c?.committer ?? null,
    committer_email: c?.committerEmail ?? null,
  };
  return {
    json,
    ev: {
      time,
      addition: true,
      created: c?.iso ?? '',
      author: c?.author ?? null,
      email: c?.authorEmail ?? null,
      message: c?.message ?? '',
      ref: v.commit,
    },
  };
}

function versionJson(a: GtoArtifact, v: GtoVersion, shown: GtoVStage[], commits: Map<string, GtoCommit>): Json {
  const enrichments = v.enrichments.map((t) => commitEvent(a, v, commits.get(v.commit), t));
  const direct = [...v.registrations, ...v.deregistrations].map(ev);
  const indirect = [
    ...enrichments.map((e) => e.ev),
    ...[...v.stages.values()].flatMap((s) => descending([...s.assignments, ...s.unassignments]).map(ev)),
  ];
  const newestDirect = descending([...v.registrations, ...v.deregistrations])[0];
  return {
    artifact: a.name,
    commit_hexsha: v.commit,
    version: v.version,
    enrichments: enrichments.map((e) => e.json),
    registrations: v.registrations.map((e) => eventJson(e, false)),
    deregistrations: v.deregistrations.map((e) => eventJson(e, false)),
    stages: shown.map((s) => vstageJson(a, v, s)),
    is_active: newestDirect ? newestDirect.kind === 'register' : indirect.length > 0,
    activated_at: v.registrations.length > 0 ? pythonIso(v.registrations[0]) : (ascending([...direct, ...indirect])[0]?.created ?? null),
    ...authored(authoring(direct, indirect)),
    discovered: direct.length === 0,
  };
}

/** The artifact's versions as `gto show NAME --json` lists them; undefined when there is no such artifact. */
export function gtoShowVersions(state: GtoState, spec: string, commits: Map<string, GtoCommit>): Json[] | undefined {
  const shortcut = parseGtoShortcut(spec);
  const a = state.get(shortcut.name);
  if (!a) return undefined;
  // GTO's show: vstages by assignment time, one holder per stage; versions newest semver first.
  const holders = stageHolders(a, { sort: 'timestamp' });
  if (!artifactActive(a)) return [];
  // GTO matches a version's stages by version name: when it made two versions of one commit
  // (an assignment without registration does that), both list the stage the second holds.
  const holding = (name: string, stage: string) =>
    a.versions
      .filter((v) => v.version === name)
      .map((v) => v.stages.get(stage))
      .find((s) => s && vstageActive(s));
  let versions = activeVersions(a, { includeNonExplicit: true, includeDiscovered: true, sort: 'semver' }).map((v) => {
    const shown = [...holders]
      .filter(([, names]) => names.includes(v.version))
      .map(([stage]) => holding(v.version, stage))
      .filter((s): s is GtoVStage => s !== undefined);
    return versionJson(a, v, shown, commits);
  });
  if (shortcut.latest) versions = versions.slice(0, 1);
  else if (shortcut.version) versions = versions.filter((v) => v.version === shortcut.version);
  else if (shortcut.stage) versions = versions.flatMap((v) => (v.stages as Json[]).filter((s) => s.stage === shortcut.stage).map(() => v));
  return versions;
}

/** `gto show NAME` as a table: artifact (`*name` when unregistered), version, stages, created_at, ref. */
export function gtoShowRows(state: GtoState, versions: Json[], spec: string): string[][] {
  const a = state.get(parseGtoShortcut(spec).name);
  const short = (s: unknown) => (typeof s === 'string' && /^[0-9a-fA-F]{40}$/.test(s) ? s.slice(0, 7) : String(s ?? '-'));
  return versions.map((v) => [
    a && artifactRegistered(a) ? String(v.artifact) : `*${String(v.artifact)}`,
    short(v.version),
    [...new Set((v.stages as Json[]).map((s) => String(s.stage)))].join(', '),
    String(v.created_at ?? '-').replace('T', ' '),
    short(v.ref),
  ]);
}
