// Stage status exactly as `dvc status` decides it (dvc/stage/__init__.py Stage.status,
// dvc/output.py Output.status, dvc/dependency/param.py workspace_status), checked against
// DVC 3.67 by hand:
// - deps (unless frozen): 'deleted' when missing, 'modified' when the hash differs from the
//   lock's (a stage with no lock entry has no hash, so an existing dep is 'modified'), 'new'
//   when neither side has a hash; params files: 'deleted' when the file is missing, 'new'
//   when the lock has no entry for the file, else per key new/deleted/modified;
// - outs: 'not in cache' when the lock has a hash, the out is cached and the cache lacks the
//   object; else as deps;
// - then "always changed", then "changed command" (only when a lock entry exists).

import type { LockEntry, LockStage } from '../formats/dvcLock';
import { resolveInRepo } from '../util/paths';
import { buildDag, resolveTargets, type Dag, type DagStage } from './dag';
import { loadWorkspacePipelines, type WorkspaceProject } from './workspacePipelines';
import { pipelineProblems } from './ownership';
import type { EntryChange, HashKind, ParamChange, PathHash, ReproProblem, StageChanges, StageStatus } from './types';

/** File system access the status needs; the runner and tests pass real implementations. */
export interface StatusIO {
  hash(relPath: string, kind: HashKind): Promise<PathHash | undefined>;
  inCache(hash: PathHash, kind: HashKind): Promise<boolean>;
  /** Values of the tracked keys (all top-level keys when keys is null); undefined when the file is missing. */
  readParams(relFile: string, keys: string[] | null): Promise<Record<string, unknown> | undefined>;
  /** Python equality of two param values (1 == 1.0). */
  paramEqual(a: unknown, b: unknown): boolean;
}

export interface StatusReport {
  stages: StageStatus[];
  problems: ReproProblem[];
  dag: Dag;
  projects: WorkspaceProject[];
  /** What could not be checked, said rather than left out (imports need the network). */
  notes: string[];
}

const DEFAULT_KIND: HashKind = 'md5';

function lockEntryFor(entries: LockEntry[] | undefined, path: string): LockEntry | undefined {
  return entries?.find((e) => e.path === path);
}

function withWdir(wdir: string, path: string): string {
  return wdir === '.' ? path : `${wdir}/${path}`;
}

async function entryChange(
  io: StatusIO,
  project: string,
  wdir: string,
  path: string,
  entry: LockEntry | undefined,
  cached: boolean | undefined,
): Promise<EntryChange | undefined> {
  const resolved = resolveInRepo(project, withWdir(wdir, path));
  if (!resolved.ok) throw new Error(resolved.reason);
  const kind = entry?.hashKind ?? DEFAULT_KIND;
  const recorded = entry?.md5;
  if (recorded && cached && !(await io.inCache({ md5: recorded, size: entry?.size ?? 0, nfiles: entry?.nfiles }, kind)))
    return 'not in cache';
  const actual = await io.hash(resolved.path, kind);
  if (!actual) return 'deleted';
  if (actual.md5 !== recorded) return recorded === undefined && actual.md5 === undefined ? 'new' : 'modified';
  return undefined;
}

async function paramChanges(
  io: StatusIO,
  project: string,
  stage: DagStage,
  lock: LockStage | undefined,
  out: StageChanges['deps'],
): Promise<void> {
  // One dependency per params file, in the order dvc.yaml lists them.
  for (const spec of stage.def.params) {
    const resolved = resolveInRepo(project, spec.projectPath);
    if (!resolved.ok) throw new Error(resolved.reason);
    const actual = await io.readParams(resolved.path, spec.keys);
    // Keys are repository-relative paths, as DVC prints them from the repository root.
    const key = resolved.path;
    if (actual === undefined) {
      out[key] = 'deleted';
      continue;
    }
    const info = lock?.params[spec.file];
    if (!lock || info === undefined) {
      out[key] = 'new';
      continue;
    }
    const keys = spec.keys ?? [...new Set([...Object.keys(actual), ...Object.keys(info)])];
    const changes: Record<string, ParamChange> = {};
    for (const key of keys) {
      if (!(key in actual)) changes[key] = 'deleted';
      else if (!(key in info)) changes[key] = 'new';
      else if (!io.paramEqual(actual[key], info[key])) changes[key] = 'modified';
    }
    if (Object.keys(changes).length > 0) out[key] = changes;
  }
}

function repoKey(stage: DagStage, written: string): string {
  const r = resolveInRepo(stage.project, withWdir(stage.def.wdir, written));
  return r.ok ? r.path : written;
}

export function isUpToDate(c: StageChanges): boolean {
  return !c.changedCommand && !c.alwaysChanged && Object.keys(c.deps).length === 0 && Object.keys(c.outs).length === 0;
}

export async function stageStatus(io: StatusIO, stage: DagStage, lockFile: WorkspaceProject['lock']): Promise<StageStatus> {
  const def = stage.def;
  const lock = lockFile?.stages[def.name];
  const changes: StageChanges = { deps: {}, outs: {}, changedCommand: false, alwaysChanged: def.alwaysChanged, neverRun: !lock };
  if (!def.frozen) {
    for (const dep of def.deps) {
      const c = await entryChange(io, stage.project, def.wdir, dep.path, lockEntryFor(lock?.deps, dep.path), undefined);
      if (c) changes.deps[repoKey(stage, dep.path)] = c;
    }
    await paramChanges(io, stage.project, stage, lock, changes.deps);
  }
  for (const out of def.outs) {
    const c = await entryChange(io, stage.project, def.wdir, out.path, lockEntryFor(lock?.outs, out.path), out.cache);
    if (c) changes.outs[repoKey(stage, out.path)] = c;
  }
  if (lock) changes.changedCommand = JSON.stringify(lock.cmd) !== JSON.stringify(def.cmd);
  return {
    project: stage.project,
    name: def.name,
    address: stage.address,
    file: stage.dvcYaml,
    upToDate: isUpToDate(changes),
    frozen: def.frozen,
    changes,
    cmd: def.cmd,
    wdir: def.wdir,
    line: def.line,
    deps: stage.deps,
    outs: stage.outs,
  };
}

/** Every stage (or the targets) of the workspace, upstream first. */
export async function stageStatuses(root: string, io: StatusIO, options: { targets?: string[] } = {}): Promise<StatusReport> {
  const loaded = loadWorkspacePipelines(root);
  const { projects, sources } = loaded;
  const dag = buildDag(projects, sources);
  const { problems } = pipelineProblems(root, loaded, dag);
  let stages = dag.stages;
  if (options.targets && options.targets.length > 0) {
    const { addresses, unknown } = resolveTargets(dag, options.targets);
    for (const u of unknown)
      problems.push({ file: 'dvc.yaml', message: `stage '${u}' not found in any dvc.yaml of the workspace.`, kind: 'unknown-target' });
    stages = stages.filter((s) => addresses.includes(s.address));
  }
  const lockOf = new Map(projects.map((p) => [p.project, p.lock]));
  const out: StageStatus[] = [];
  // DVC lists dvc.yaml stages first and .dvc data files after them.
  for (const s of [...stages.filter((x) => !x.source), ...stages.filter((x) => x.source)]) {
    // Paths that leave the repository, or a dvc.lock that cannot be read, are already a problem.
    if (s.refused.length || (!s.source && projects.find((p) => p.project === s.project)?.lockProblem)) continue;
    try {
      out.push(await stageStatus(io, s, s.source ? s.source.lock : lockOf.get(s.project)));
    } catch (e) {
      problems.push({ file: s.dvcYaml, line: s.def.line, stage: s.address, message: (e as Error).message, kind: 'invalid' });
    }
  }
  // `dvc status` asks an import's source whether it has an update; that needs the network.
  const notes = stages
    .filter((s) => s.source?.isImport)
    .map(
      (s) =>
        `${s.address}: imported from ${s.source!.importFrom ?? 'elsewhere'}; whether it has an update was not checked (needs the network: \`dvc update --dry ${s.address}\` or \`dvc status\`).`,
    );
  return { stages: out, problems, dag, projects, notes };
}

/** The `dvc status --json` shape: {address: [{"changed deps": ...}, {"changed outs": ...}, "always changed", "changed command"]}. */
export function toDvcStatusJson(stages: StageStatus[]): Record<string, unknown[]> {
  const json: Record<string, unknown[]> = {};
  for (const s of stages) {
    const entries: unknown[] = [];
    if (Object.keys(s.changes.deps).length) entries.push({ 'changed deps': s.changes.deps });
    if (Object.keys(s.changes.outs).length) entries.push({ 'changed outs': s.changes.outs });
    if (s.changes.alwaysChanged) entries.push('always changed');
    if (s.changes.changedCommand) entries.push('changed command');
    if (entries.length) json[s.address] = entries;
  }
  return json;
}

/**
 * The lines `dvc status` prints under a stage's name ("\tchanged deps:", "\t\tmodified:  path",
 * ...), shared by `lineage status` and the editor's status document.
 */
export function dvcStatusLines(c: StageChanges, options: { deps?: boolean } = {}): string[] {
  const lines: string[] = [];
  const pad = (label: string) => `${label}:`.padEnd(20);
  const deps = Object.entries(c.deps);
  if (deps.length && options.deps !== false) {
    lines.push('\tchanged deps:');
    for (const [path, ch] of deps) {
      if (typeof ch === 'string') lines.push(`\t\t${pad(ch)}${path}`);
      else {
        lines.push(`\t\t${path}:`);
        for (const [key, kc] of Object.entries(ch)) lines.push(`\t\t\t${pad(kc)}${key}`);
      }
    }
  }
  const outs = Object.entries(c.outs);
  if (outs.length) {
    lines.push('\tchanged outs:');
    for (const [path, ch] of outs) lines.push(`\t\t${pad(ch)}${path}`);
  }
  if (c.alwaysChanged) lines.push('\talways changed');
  if (c.changedCommand) lines.push('\tchanged command');
  return lines;
}

/** One line per change, for the CLI, CodeLens and tree tooltips: "deps data/raw modified". */
export function describeChanges(c: StageChanges): string[] {
  const lines: string[] = [];
  if (c.neverRun) lines.push('never run (no dvc.lock entry)');
  for (const [path, v] of Object.entries(c.deps)) {
    if (typeof v === 'string') lines.push(`dep ${path} ${v}`);
    else for (const [key, ch] of Object.entries(v)) lines.push(`param ${key} ${ch}`);
  }
  for (const [path, v] of Object.entries(c.outs)) lines.push(`out ${path} ${v}`);
  if (c.alwaysChanged) lines.push('always changed');
  if (c.changedCommand) lines.push('command changed');
  return lines;
}
