// `exp save`: the workspace recorded as an experiment without running anything, as
// dvc/repo/experiments/save.py and BaseExecutor.save do it: every stage is committed the way
// `dvc commit --force` commits it (deps, params and outs hashed as they are, cached outs put in
// the DVC cache and ignored in Git, dvc.lock rewritten where it differs), then the commit holds
// the tracked files, the `-I` paths (added even when ignored), the top-level metrics/params/plots
// files and dvc.lock. Its message is `dvc: commit experiment <hash>` over every stage's entry.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/store';
import { buildDag, planStages, resolveTargets, type DagStage } from '../repro/dag';
import { updateDvcFile } from '../repro/dvcFiles';
import { cacheStageOuts, hashStagePaths, stageRepoPath } from '../repro/stageOuts';
import { lockStageEntry, renderLockUpdate } from '../repro/lockWriter';
import { pipelineProblems } from '../repro/ownership';
import { missingParamsMessage } from '../repro/paramValues';
import { createReproIO } from '../repro/reproIO';
import { ReproError, type RunnerIO } from '../repro/runner';
import { formatProblem, type LockedPath } from '../repro/types';
import { loadWorkspacePipelines, type WorkspaceProject } from '../repro/workspacePipelines';
import type { LockEntry } from '../formats/dvcLock';
import type { PyValue } from '../python/pyFloat';
import { writeFileAtomic } from '../util/atomicWrite';
import { resolveInRepo } from '../util/paths';
import { acquireExpLock, ExpUsageError, recordExperiment, requireDvcRepo, topLevelPaths } from './expCommon';
import { gitDirOf, headCommit, listExpRefs, TempIndex } from './expGit';
import { expCommitMessage, expHashOf } from './expHash';
import { freshExpName } from './expNames';
import { experimentExistsMessage, expNameProblem } from './expRefs';

export interface ExpSaveOptions {
  name?: string;
  force?: boolean;
  /** Untracked (even ignored) paths to include. */
  includeUntracked?: string[];
  /** Stages to commit (default every stage). */
  targets?: string[];
  message?: string;
}

export interface ExpSaveResult {
  name: string;
  baseline: string;
  ref: string;
  commit: string;
  hash: string;
  untracked: string[];
}

function repoPath(stage: DagStage, written: string): string {
  return stageRepoPath(stage, written, (reason) => new ExpUsageError(reason));
}

/** Hashes like the runner: a DVC 2 entry whose file did not change keeps its legacy hash. */
function hashPaths(io: RunnerIO, stage: DagStage, paths: string[], what: string, previous: LockEntry[] = []): Promise<LockedPath[]> {
  return hashStagePaths(io, stage, paths, previous, {
    path: (reason) => new ExpUsageError(reason),
    missing: (p) => new ExpUsageError(`failed to save experiment: ${what} '${p}' of stage '${stage.address}' does not exist`),
  });
}

/** Stage.save + Stage.commit for one pipeline stage; returns its lock entry. */
async function commitStage(root: string, io: RunnerIO, stage: DagStage, project: WorkspaceProject): Promise<PyValue> {
  const def = stage.def;
  const previous = project.lock?.stages[def.name];
  const deps = await hashPaths(
    io,
    stage,
    def.deps.map((d) => d.path),
    'dependency',
    previous?.deps,
  );
  const params: Record<string, Record<string, unknown>> = {};
  for (const spec of def.params) {
    const values = await io.readParams(repoPath(stage, spec.file), spec.keys);
    if (values === undefined)
      throw new ExpUsageError(`failed to save experiment: params file '${spec.file}' of stage '${stage.address}' does not exist`);
    const missing = (spec.keys ?? []).filter((k) => !(k in values));
    if (missing.length)
      throw new ExpUsageError(`failed to save experiment: stage '${stage.address}': ${missingParamsMessage(spec.file, missing)}`);
    params[spec.file] = values;
  }
  const outs = await hashPaths(
    io,
    stage,
    def.outs.map((o) => o.path),
    'output',
    previous?.outs,
  );
  await cacheStageOuts(root, io, stage, def.outs, outs, (reason) => new ExpUsageError(reason));
  const entry = lockStageEntry({ cmd: def.cmd, deps, params, outs });
  const abs = join(root, ...project.lockPath.split('/'));
  let before: string | undefined;
  try {
    before = readFileSync(abs, 'utf8');
  } catch {
    before = undefined;
  }
  const after = renderLockUpdate(abs, before, def.name, entry);
  if (after !== before) writeFileAtomic(abs, after);
  return entry;
}

/** `dvc commit --force` of a .dvc data file: its outs hashed, cached, the file updated. */
async function commitSource(root: string, io: RunnerIO, stage: DagStage): Promise<void> {
  const src = stage.source!;
  if (src.isImport) return;
  const outs = await hashPaths(
    io,
    stage,
    src.def.outs.map((o) => o.path),
    'output',
    src.lock.stages[src.file].outs,
  );
  const recorded = src.lock.stages[src.file].outs;
  if (outs.every((o) => recorded.find((e) => e.path === o.path)?.md5 === o.hash.md5)) return;
  await cacheStageOuts(root, io, stage, src.def.outs, outs, (reason) => new ExpUsageError(reason));
  updateDvcFile(join(root, ...src.file.split('/')), outs);
}

export async function saveExperiment(root: string, store: Store | undefined, options: ExpSaveOptions): Promise<ExpSaveResult> {
  requireDvcRepo(root);
  const gitDir = await gitDirOf(root);
  const baseline = await headCommit(root);
  if (!baseline) throw new ExpUsageError('Empty Git repo. Add a commit to use experiments.');
  const includes = (options.includeUntracked ?? []).map((p) => {
    const r = resolveInRepo('', p);
    if (!r.ok) throw new ExpUsageError(`-I ${p}: ${r.reason}`);
    return r.path;
  });
  const lock = acquireExpLock(root);
  try {
    const taken = new Set((await listExpRefs(root)).filter((r) => r.baseline === baseline).map((r) => r.name));
    let name = options.name;
    if (name !== undefined) {
      const problem = expNameProblem(baseline, name);
      if (problem) throw new ExpUsageError(problem);
      if (taken.has(name) && !options.force) throw new ExpUsageError(experimentExistsMessage(name, 'save'));
    } else {
      name = freshExpName((n) => taken.has(n));
    }
    const loaded = loadWorkspacePipelines(root);
    const dag = buildDag(loaded.projects, loaded.sources);
    const { problems } = pipelineProblems(root, loaded, dag);
    if (problems.length)
      throw new ReproError(`The pipeline cannot be saved; nothing was changed:\n  ${problems.map(formatProblem).join('\n  ')}`, problems);
    let stages = dag.stages;
    if (options.targets?.length) {
      const { addresses, unknown } = resolveTargets(dag, options.targets);
      if (unknown.length)
        throw new ExpUsageError(`stage ${unknown.map((u) => `'${u}'`).join(', ')} not found in any dvc.yaml of the workspace.`);
      stages = planStages(dag, addresses, { singleItem: true });
    }
    const io = createReproIO(root, store);
    const entries: [string, PyValue][] = [];
    for (const stage of stages) {
      if (stage.source) {
        await commitSource(root, io, stage);
        continue;
      }
      const project = loadWorkspacePipelines(root, [stage.dvcYaml]).projects[0];
      entries.push([stage.def.name, await commitStage(root, io, stage, project)]);
    }
    const hash = expHashOf(entries);
    const index = await TempIndex.fromUserIndex({ root, gitDir });
    try {
      await index.addPaths(includes, true);
      await index.addPaths([...topLevelPaths(loaded.projects), ...loaded.projects.map((p) => p.lockPath)]);
      await index.addTracked();
      const recorded = await recordExperiment(
        root,
        index,
        baseline,
        name,
        options.message ?? expCommitMessage(hash),
        Boolean(options.force),
      );
      const untracked = (await index.git(['ls-files', '-z', '-o', '--exclude-standard'])).toString('utf8').split('\0').filter(Boolean);
      return { name, baseline, ref: recorded.ref, commit: recorded.commit, hash, untracked };
    } finally {
      index.dispose();
    }
  } finally {
    lock.release();
  }
}
