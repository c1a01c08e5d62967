// What repro may delete. DVC removes a stage's outs before running its command, so an out
// that names the repository, Git's folder, a pipeline file or the stage's own input destroys
// what nobody meant to hand over. One rule decides, for the whole pipeline before anything
// runs, and again at the moment of removal (removeOut), so no caller can bypass it.
// An out must lie strictly inside the repository (after normalisation and symlinks) and
// must not be: `.git` or `.dvc` or anything in them; a DVC file (dvc.yaml, dvc.lock, *.dvc)
// or a params file a stage or the pipeline's templating reads; a folder holding a dvc.yaml or .dvc file; equal to,
// inside, or a parent of a dep of its stage (other stages' outs are checked in dag.ts).
// DVC's wording is used where DVC refuses the same thing (dvc/exceptions.py, dvc/output.py).

import { lstatSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { baseOf, isUnder, resolveInRepo } from '../util/paths';
import type { Dag, DagStage } from './dag';
import type { WorkspacePipelines, WorkspaceProject } from './workspacePipelines';
import type { ReproProblem } from './types';

export interface Ownership {
  root: string;
  /** The repository root with symlinks resolved: outs are judged by where they really are. */
  realRoot: string;
  /** Repository-relative files DVC or a stage reads as pipeline definition: never outs. */
  protectedFiles: Set<string>;
  /** Repository-relative dvc.yaml and .dvc files -> the address of a stage they define: no out may contain one. */
  pipelineFiles: Map<string, string>;
}

const isDvcFileName = (rel: string): boolean => {
  const b = baseOf(rel);
  return b === 'dvc.yaml' || b === 'dvc.lock' || b.endsWith('.dvc');
};
const overlaps = (a: string, b: string): boolean => isUnder(a, b) || isUnder(b, a);

export function ownershipOf(root: string, dag: Dag, projects: WorkspaceProject[] = []): Ownership {
  const protectedFiles = new Set<string>(projects.flatMap((p) => p.readFiles));
  const pipelineFiles = new Map<string, string>();
  for (const s of dag.stages) {
    if (!pipelineFiles.has(s.dvcYaml)) pipelineFiles.set(s.dvcYaml, s.address);
    if (!s.source) {
      protectedFiles.add(s.dvcYaml);
      protectedFiles.add(s.project ? `${s.project}/dvc.lock` : 'dvc.lock');
    } else protectedFiles.add(s.source.file);
    for (const spec of s.def.params) {
      const r = resolveInRepo(s.project, spec.projectPath);
      if (r.ok) protectedFiles.add(r.path);
    }
  }
  let realRoot = root;
  try {
    realRoot = realpathSync(root);
  } catch {
    /* judged as given */
  }
  return { root, realRoot, protectedFiles, pipelineFiles };
}

/**
 * Where `rel` really is, relative to the real root: the deepest existing folder above it is
 * resolved (a symlinked folder may lead anywhere); the out itself is not, since removing a
 * symlink removes only the link. Undefined when it lies outside the repository.
 */
function realRelative(own: Ownership, rel: string): string | undefined {
  const parts = rel.split('/').filter(Boolean);
  for (let i = parts.length - 1; i >= 0; i--) {
    let real: string;
    try {
      real = realpathSync(join(own.root, ...parts.slice(0, i)));
    } catch {
      continue;
    }
    const r = relative(own.realRoot, real).split(sep).join('/');
    if (r === '..' || r.startsWith('../') || r.startsWith('/') || /^[A-Za-z]:/.test(r)) return undefined;
    return [r, ...parts.slice(i)].filter(Boolean).join('/');
  }
  return rel;
}

/** Why `out` (repository-relative) of `stage` may not be an out, or undefined when it may. */
export function outRefusal(own: Ownership, stage: DagStage, out: string): string | undefined {
  const real = realRelative(own, out);
  if (real === undefined) return `output '${out}' leads outside the repository through a symbolic link; refused.`;
  for (const path of real === out ? [out] : [out, real]) {
    const shown = path === out ? out : `${out}' (really '${path}`;
    if (path === '') return `stage: '${stage.address}' is within an output '.' of another stage`;
    const top = path.split('/')[0];
    if (top === '.git') return `output '${shown}' is inside Git's folder '.git'; it cannot be an output.`;
    if (top === '.dvc') return `DVC file '${path}' cannot be an output.`;
    if (isDvcFileName(path)) return `DVC file '${path}' cannot be an output.`;
    if (own.protectedFiles.has(path)) return `output '${shown}' is a params file a stage reads; it cannot be an output.`;
    const inside = [...own.pipelineFiles].find(([f]) => isUnder(f, path));
    if (inside) return `stage: '${inside[1]}' is within an output '${out}' of another stage`;
    if (stage.deps.some((d) => overlaps(d, path)))
      return `Same item(s) are defined as both a dependency and an output in stage: ${stage.address}.`;
  }
  return undefined;
}

/** Every refusal of the pipeline; refused stages (and what depends on them) join dag.broken. */
export function ownershipProblems(own: Ownership, dag: Dag): ReproProblem[] {
  const problems: ReproProblem[] = [];
  for (const s of dag.stages) {
    if (s.refused.length) {
      problems.push({ file: s.dvcYaml, line: s.def.line, stage: s.address, message: s.refused.join('; '), kind: 'refused' });
      dag.broken.add(s.address);
      continue;
    }
    for (const out of s.outs) {
      const why = outRefusal(own, s, out);
      if (!why) continue;
      problems.push({ file: s.dvcYaml, line: s.def.line, stage: s.address, message: why, kind: 'refused' });
      dag.broken.add(s.address);
      break;
    }
  }
  for (const s of dag.stages) if (s.upstream.some((u) => dag.broken.has(u))) dag.broken.add(s.address);
  return problems;
}

export class OwnershipError extends Error {}

/**
 * The only way repro deletes a user's path: the out is judged again (the files may have
 * changed since the plan was checked) and removed only when the rule allows it. Symlinks
 * are removed as links, never followed.
 */
export function removeOut(own: Ownership, stage: DagStage, out: string): void {
  const checked = resolveInRepo('', out);
  if (!checked.ok) throw new OwnershipError(`stage '${stage.address}': ${checked.reason}`);
  if (!stage.outs.includes(checked.path)) throw new OwnershipError(`'${out}' is not an output of stage '${stage.address}'; not removed.`);
  const why = outRefusal(own, stage, checked.path);
  if (why) throw new OwnershipError(`stage '${stage.address}': ${why} Nothing was removed.`);
  rmSync(join(own.root, ...checked.path.split('/')), { recursive: true, force: true });
}

/**
 * The only way a checkout replaces a user's path with an out's cached version (`exp apply`,
 * `exp run`): the out is judged by the same rule as removeOut, then `prepared` (a complete file
 * or folder made beside it) is renamed over it; a folder or link in the way is removed first.
 * A file is replaced atomically; a folder is missing only between its removal and the rename.
 */
export function replaceOut(own: Ownership, stage: DagStage, out: string, prepared: string): void {
  const checked = resolveInRepo('', out);
  if (!checked.ok) throw new OwnershipError(`stage '${stage.address}': ${checked.reason}`);
  if (!stage.outs.includes(checked.path)) throw new OwnershipError(`'${out}' is not an output of stage '${stage.address}'; not replaced.`);
  const why = outRefusal(own, stage, checked.path);
  if (why) throw new OwnershipError(`stage '${stage.address}': ${why} Nothing was replaced.`);
  const dest = join(own.root, ...checked.path.split('/'));
  let present;
  try {
    present = lstatSync(dest);
  } catch {
    present = undefined;
  }
  if (present && (present.isDirectory() || present.isSymbolicLink() || lstatSync(prepared).isDirectory()))
    rmSync(dest, { recursive: true, force: true });
  renameSync(prepared, dest);
}

/**
 * Everything that stops a pipeline before it runs: files that cannot be evaluated, a graph
 * DVC refuses, outs the ownership rule refuses. DVC builds its whole graph before it
 * reproduces any target, so a problem anywhere in the workspace stops every run.
 */
export function pipelineProblems(root: string, loaded: WorkspacePipelines, dag: Dag): { problems: ReproProblem[]; ownership: Ownership } {
  const ownership = ownershipOf(root, dag, loaded.projects);
  const problems = [
    ...loaded.problems.map((p) => ({ kind: 'invalid' as const, ...p })),
    ...dag.problems,
    ...ownershipProblems(ownership, dag),
  ];
  return { problems, ownership };
}
