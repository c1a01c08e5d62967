// What `exp run` and `exp save` share: one experiment operation at a time, which files DVC
// stages into the experiment commit besides the tracked ones, and recording the commit under
// its ref the way BaseExecutor.commit does.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DagStage } from '../repro/dag';
import type { WorkspaceProject } from '../repro/workspacePipelines';
import { tryOwnerLock, type OwnerLock } from '../util/ownerLock';
import { resolveInRepo } from '../util/paths';
import { commitTree, refTarget, setRef, treeOf, type TempIndex } from './expGit';
import { experimentExistsMessage, expRefName } from './expRefs';

/** Bad input or a refusal before anything changed: exit 2. */
export class ExpUsageError extends Error {}

/** One experiment operation per repository; a second one is refused with the first one's pid. */
export function acquireExpLock(root: string): OwnerLock {
  requireDvcRepo(root);
  const file = join(root, '.dvc', 'tmp', 'lineage-exp.lock');
  const r = tryOwnerLock(file);
  if ('lock' in r) return r.lock;
  throw new ExpUsageError(
    `another experiment operation is running in this repository (pid ${r.holder.pid}${r.holder.host ? ` on ${r.holder.host}` : ''}, since ${r.holder.started ?? '?'}); wait for it to finish. Lock file: ${file}`,
  );
}

export function requireDvcRepo(root: string): void {
  if (!existsSync(join(root, '.dvc')))
    throw new ExpUsageError(`${root} is not a DVC repository (there is no .dvc folder); experiments need one (dvc init)`);
}

const inRepo = (project: string, path: string): string[] => {
  const r = resolveInRepo(project, path);
  return r.ok ? [r.path] : [];
};

/**
 * _get_top_level_paths: top-level metrics, params and plot data files of every dvc.yaml,
 * repository-relative. DVC stages them even when Git does not track them yet.
 */
export function topLevelPaths(projects: WorkspaceProject[]): string[] {
  const out: string[] = [];
  for (const p of projects) {
    for (const m of p.def.metrics) out.push(...inRepo(p.project, m));
    for (const f of p.def.params) out.push(...inRepo(p.project, f));
    for (const plot of p.def.plots) {
      if (plot.files?.length) for (const f of plot.files) out.push(...inRepo(p.project, f));
      else if (plot.projectPath) out.push(...inRepo(p.project, plot.projectPath));
    }
  }
  return out;
}

/**
 * stage.utils._get_stage_files: the stage's dvc.yaml and dvc.lock (a .dvc file for a data
 * source) and its outs that Git keeps (`cache: false`). Deps are DVC's cached kind and are
 * not staged.
 */
export function stageFiles(stage: DagStage, projects: WorkspaceProject[]): string[] {
  if (stage.source)
    return [stage.source.file, ...stage.def.outs.filter((o) => !o.cache).flatMap((o) => inRepo(stage.project, o.projectPath))];
  const project = projects.find((p) => p.project === stage.project);
  return [
    stage.dvcYaml,
    ...(project ? [project.lockPath] : []),
    ...stage.def.outs.filter((o) => !o.cache).flatMap((o) => inRepo(stage.project, o.projectPath)),
  ];
}

export interface Recorded {
  ref: string;
  commit: string;
  reused: boolean;
}

/**
 * Writes the index's tree as a commit on `baseline` and points refs/exps/…/<name> at it.
 * An existing ref is replaced only with `force`; without it, an identical tree reuses the
 * existing commit and a different one is refused (_raise_ref_conflict).
 */
export async function recordExperiment(
  root: string,
  index: TempIndex,
  baseline: string,
  name: string,
  message: string,
  force: boolean,
): Promise<Recorded> {
  const tree = await index.writeTree();
  const commit = await commitTree(root, tree, baseline, message);
  const ref = expRefName({ baseline, name });
  const existing = await refTarget(root, ref);
  if (existing && !force) {
    if ((await treeOf(root, existing)) === tree) return { ref, commit: existing, reused: true };
    throw new ExpUsageError(experimentExistsMessage(name));
  }
  await setRef(root, ref, commit, existing);
  return { ref, commit, reused: false };
}
