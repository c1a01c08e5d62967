// `dvc repro` without DVC: plan the stages (targets + upstream, or downstream, or only the
// targets), then for each in topological order decide from its status whether to run it,
// run its command, hash and cache its outs and write its dvc.lock entry. The first failure
// stops the run and leaves that stage's lock entry as it was (dvc/repo/reproduce.py,
// dvc/stage/__init__.py Stage.reproduce/run).

import { join } from 'node:path';
import type { Store } from '../store/store';
import { isUnder } from '../util/paths';
import { buildDag, planStages, resolveTargets, type Dag, type DagStage } from './dag';
import { pipelineProblems, removeOut, type Ownership } from './ownership';
import { sweepReproTemporaries } from './dvcObjectCache';
import { captureBaseEnvironment, completeEnvironment, EnvProbes, type EnvRecord } from './envRecord';
import { acquireReproLock } from './reproMutex';
import { commandLines, runLine } from './runCommand';
import { finishRun, startRun } from './runRecords';
import { stageStatus, describeChanges, type StatusIO } from './status';
import { loadWorkspacePipelines, type WorkspaceProject } from './workspacePipelines';
import { updateDvcFile } from './dvcFiles';
import { cacheStageOuts, hashStagePaths, stageRepoPath } from './stageOuts';
import { missingParamsMessage } from './paramValues';
import type { LockEntry } from '../formats/dvcLock';
import {
  formatProblem,
  type HashKind,
  type LockedPath,
  type LockEntryInput,
  type PathHash,
  type ReproEvent,
  type ReproOptions,
  type ReproProblem,
  type ReproResult,
  type StageChanges,
} from './types';

export type { LockedPath, LockEntryInput } from './types';

export interface RunnerIO extends StatusIO {
  putInCache(relPath: string, hash: PathHash, kind: HashKind): Promise<void>;
  /** Writes one stage's entry into the dvc.lock at lockPath (repository-relative), atomically. */
  writeLockEntry(lockPath: string, stage: string, entry: LockEntryInput): Promise<void>;
}

/** The pipeline cannot be run: nothing ran and nothing was removed. `problems` says where. */
export class ReproError extends Error {
  constructor(
    message: string,
    readonly problems: ReproProblem[] = [],
  ) {
    super(message);
  }
}

function refusal(problems: ReproProblem[]): ReproError {
  const lines = problems.map(formatProblem);
  const head = problems.some((p) => p.kind !== 'refused') ? 'The pipeline cannot be evaluated' : 'The pipeline is refused';
  return new ReproError(`${head}; nothing was run or removed:\n  ${lines.join('\n  ')}`, problems);
}

function repoPath(stage: DagStage, written: string): string {
  return stageRepoPath(stage, written, (reason) => new ReproError(reason));
}

function hashAll(
  io: RunnerIO,
  stage: DagStage,
  paths: string[],
  what: 'dependency' | 'output',
  previous: LockEntry[] = [],
): Promise<LockedPath[]> {
  return hashStagePaths(io, stage, paths, previous, {
    path: (reason) => new ReproError(reason),
    missing: (p) => new ReproError(`${what} '${p}' of stage '${stage.address}' does not exist.`),
  });
}

async function trackedParams(io: RunnerIO, stage: DagStage): Promise<Record<string, Record<string, unknown>>> {
  const params: Record<string, Record<string, unknown>> = {};
  for (const spec of stage.def.params) {
    const values = await io.readParams(repoPath(stage, spec.file), spec.keys);
    if (values === undefined) throw new ReproError(`params file '${spec.file}' of stage '${stage.address}' does not exist.`);
    const missing = (spec.keys ?? []).filter((k) => !(k in values));
    if (missing.length) throw new ReproError(`stage '${stage.address}': ${missingParamsMessage(spec.file, missing)}`);
    params[spec.file] = values;
  }
  return params;
}

/** Runs one stage that needs it; returns false when it failed or was cancelled (already reported). */
async function runStage(
  root: string,
  io: RunnerIO,
  own: Ownership,
  stage: DagStage,
  project: WorkspaceProject,
  options: ReproOptions,
  emit: (e: ReproEvent) => void,
  store: Store | undefined,
  probes: EnvProbes,
  pending: Promise<void>[],
): Promise<{ ok: boolean; exitCode?: number | null; message?: string; cancelled?: boolean }> {
  const def = stage.def;
  const cwd = join(root, ...repoPath(stage, '.').split('/').filter(Boolean));
  const lines = commandLines(def.cmd);
  for (const line of lines) emit({ type: 'start', stage: stage.address, cmd: line, cwd });
  if (options.dry) return { ok: true };
  if (stage.refused.length) throw new ReproError(`stage '${stage.address}': ${stage.refused.join('; ')}`);
  // Like DVC's save_deps(): a missing dep or param fails the stage before its command runs.
  await hashAll(
    io,
    stage,
    def.deps.map((d) => d.path),
    'dependency',
  );
  await trackedParams(io, stage);
  // DVC deletes outs before running so a stale out can never pass for a fresh one.
  for (const o of def.outs) if (!o.persist) removeOut(own, stage, repoPath(stage, o.path));
  const base = await captureBaseEnvironment(root, lines.join('\n'), cwd);
  // pip freeze and nvidia-smi take seconds: they run beside the command, not before it.
  const full = completeEnvironment(base, probes).catch((): EnvRecord => base);
  const started = Date.now();
  const runId = store ? startRun(store, stage.project, def.name, base, started) : undefined;
  const finish = async (status: 'ok' | 'failed' | 'cancelled', exitCode: number | null, outs?: LockedPath[]) => {
    if (!store || runId === undefined) return;
    const outcome = {
      status,
      exitCode,
      endedAt: Date.now(),
      project: stage.project,
      stage: def.name,
      outs: outs?.map((o) => ({ path: o.path, md5: o.hash.md5 })),
    };
    finishRun(store!, runId!, outcome);
    // The next stage need not wait for pip freeze; reproduce() awaits these before returning.
    pending.push(full.then((env) => finishRun(store!, runId!, { ...outcome, env })));
  };
  const childEnv = { ...process.env, DVC_ROOT: process.env.DVC_ROOT ?? root, DVC_STAGE: stage.address };
  for (const line of lines) {
    let outcome;
    try {
      outcome = await runLine(
        line,
        cwd,
        childEnv,
        (stream, text) => emit({ type: 'output', stage: stage.address, stream, text }),
        options.signal,
      );
    } catch (e) {
      await finish('failed', null);
      return { ok: false, exitCode: null, message: `failed to run: ${line}: ${(e as Error).message}` };
    }
    if (outcome.cancelled) {
      await finish('cancelled', outcome.exitCode);
      return { ok: false, cancelled: true, exitCode: outcome.exitCode };
    }
    if (outcome.exitCode !== 0) {
      await finish('failed', outcome.exitCode);
      const how = outcome.exitCode === null ? `was killed by ${outcome.signal}` : `exited with ${outcome.exitCode}`;
      return { ok: false, exitCode: outcome.exitCode, message: `failed to run: ${line}, ${how}` };
    }
  }
  try {
    const previous = project.lock?.stages[def.name];
    const deps = await hashAll(
      io,
      stage,
      def.deps.map((d) => d.path),
      'dependency',
      previous?.deps,
    );
    const outs = await hashAll(
      io,
      stage,
      def.outs.map((o) => o.path),
      'output',
      previous?.outs,
    );
    await cacheStageOuts(root, io, stage, def.outs, outs, (reason) => new ReproError(reason));
    const params = await trackedParams(io, stage);
    await io.writeLockEntry(project.lockPath, def.name, { cmd: def.cmd, deps, params, outs });
    await finish('ok', 0, outs);
    emit({ type: 'done', stage: stage.address, exitCode: 0, ms: Date.now() - started });
    emit({ type: 'locked', stage: stage.address, lockFile: project.lockPath });
    return { ok: true };
  } catch (e) {
    await finish('failed', 0);
    return { ok: false, exitCode: 0, message: (e as Error).message };
  }
}

/**
 * A `.dvc` data file whose data changed: DVC's repro verifies it, caches the new data and
 * rewrites the file's hashes (as `dvc commit` does). Imports would need the network.
 */
async function commitDataSource(
  root: string,
  io: RunnerIO,
  stage: DagStage,
  options: ReproOptions,
  emit: (e: ReproEvent) => void,
): Promise<{ ok: boolean; exitCode?: number | null; message?: string; cancelled?: boolean }> {
  const src = stage.source!;
  if (src.isImport)
    return {
      ok: false,
      exitCode: null,
      message: `'${src.file}' is an import; ML Lineage does not re-run imports (run \`dvc update ${src.file}\`).`,
    };
  if (options.dry) return { ok: true };
  const outs = await hashAll(
    io,
    stage,
    src.def.outs.map((o) => o.path),
    'output',
    src.lock.stages[src.file].outs,
  );
  await cacheStageOuts(root, io, stage, src.def.outs, outs, (reason) => new ReproError(reason));
  updateDvcFile(join(root, ...src.file.split('/')), outs);
  emit({ type: 'locked', stage: stage.address, lockFile: src.file });
  return { ok: true };
}

/**
 * Deps that are missing and that no stage planned to run before this one would produce. DVC
 * fails its dry run even for a dep an upstream stage would make; we list those as would-run.
 */
function missingInputs(stage: DagStage, deps: StageChanges['deps'], dag: Dag, ran: string[]): string[] {
  const producers = ran.map((a) => dag.byAddress.get(a)!).filter(Boolean);
  // The status just hashed every dep: a missing one is 'deleted' there, keyed by its path.
  return stage.deps.filter(
    (dep) => deps[dep] === 'deleted' && !producers.some((p) => p.outs.some((o) => isUnder(dep, o) || isUnder(o, dep))),
  );
}

export async function reproduce(
  root: string,
  io: RunnerIO,
  options: ReproOptions,
  onEvent: (e: ReproEvent) => void,
  deps: { store?: Store } = {},
): Promise<ReproResult> {
  const lock = options.dry ? undefined : acquireReproLock(root);
  if (lock?.warning) onEvent({ type: 'warning', message: lock.warning });
  const release = () => lock?.release();
  try {
    const loaded = loadWorkspacePipelines(root);
    const { projects, sources } = loaded;
    const dag = buildDag(projects, sources);
    const { problems, ownership } = pipelineProblems(root, loaded, dag);
    if (problems.length) throw refusal(problems);
    const { addresses, unknown } = resolveTargets(dag, options.targets);
    if (unknown.length)
      throw new ReproError(`stage ${unknown.map((u) => `'${u}'`).join(', ')} not found in any dvc.yaml of the workspace.`);
    const plan = planStages(dag, addresses, { singleItem: options.singleItem, downstream: options.downstream });
    const projectOf = new Map(projects.map((p) => [p.project, p]));
    // A kill during an earlier run can leave temporaries in the cache; the lock says no run is writing now.
    if (!options.dry) sweepReproTemporaries(root);
    onEvent({ type: 'plan', stages: plan.map((s) => s.address) });
    const result: ReproResult = { ok: true, ran: [], skipped: [] };
    const probes = new EnvProbes();
    const pending: Promise<void>[] = [];
    // A forced or reproduced stage makes nothing downstream forced (DVC's default, no --force-downstream).
    for (const stage of plan) {
      if (options.signal?.aborted) {
        result.ok = false;
        result.cancelled = true;
        onEvent({ type: 'cancelled', stage: stage.address });
        break;
      }
      const project = stage.source ? undefined : projectOf.get(stage.project)!;
      // Re-read the lock: an upstream stage of the same project may just have rewritten it.
      const fresh = project ? (loadWorkspacePipelines(root, [project.dvcYaml]).projects[0] ?? project) : undefined;
      let status;
      try {
        if (stage.refused.length) throw new ReproError(`stage '${stage.address}': ${stage.refused.join('; ')}`);
        status = await stageStatus(io, stage, fresh ? fresh.lock : stage.source!.lock);
      } catch (e) {
        const message = (e as Error).message;
        result.ok = false;
        result.failed = { stage: stage.address, exitCode: null, message };
        onEvent({ type: 'failed', stage: stage.address, exitCode: null, message });
        break;
      }
      if (stage.def.frozen) {
        const missing = Object.entries(status.changes.outs)
          .filter(([, c]) => c === 'deleted')
          .map(([p]) => p);
        if (missing.length) {
          const message = `stage '${stage.address}' is frozen and its outputs are missing: ${missing.join(', ')}.`;
          result.ok = false;
          result.failed = { stage: stage.address, exitCode: null, message };
          onEvent({ type: 'failed', stage: stage.address, exitCode: null, message });
          break;
        }
        result.skipped.push(stage.address);
        onEvent({ type: 'skip', stage: stage.address, reason: 'frozen' });
        continue;
      }
      if (!options.force && status.upToDate) {
        result.skipped.push(stage.address);
        onEvent({ type: 'skip', stage: stage.address, reason: 'up to date' });
        continue;
      }
      const missing = options.dry ? missingInputs(stage, status.changes.deps, dag, result.ran) : [];
      if (missing.length) {
        // DVC's dry run fails here too ("failed to reproduce 'prepare': No such file"): a run would.
        const message = `${missing.map((d) => `dependency '${d}'`).join(', ')} does not exist and no stage that runs before it produces it; a run would fail.`;
        result.ok = false;
        result.failed = { stage: stage.address, exitCode: null, message };
        onEvent({ type: 'failed', stage: stage.address, exitCode: null, message });
        break;
      }
      onEvent({ type: 'stage', stage: stage.address, reasons: options.force ? ['forced'] : describeChanges(status.changes) });
      let outcome;
      try {
        outcome = stage.source
          ? await commitDataSource(root, io, stage, options, onEvent)
          : await runStage(root, io, ownership, stage, fresh!, options, onEvent, deps.store, probes, pending);
      } catch (e) {
        outcome = { ok: false, exitCode: null, message: (e as Error).message };
      }
      if (outcome.cancelled) {
        result.ok = false;
        result.cancelled = true;
        onEvent({ type: 'cancelled', stage: stage.address });
        break;
      }
      if (!outcome.ok) {
        const message = outcome.message ?? 'failed';
        result.ok = false;
        result.failed = { stage: stage.address, exitCode: outcome.exitCode ?? null, message };
        onEvent({ type: 'failed', stage: stage.address, exitCode: outcome.exitCode ?? null, message });
        break;
      }
      result.ran.push(stage.address);
    }
    await Promise.all(pending);
    return result;
  } finally {
    release();
  }
}
