// The pipelines of the workspace as they are on disk right now (not as indexed): status and
// repro must see the files the user just saved, so this reads dvc.yaml, its templating files
// and dvc.lock directly.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contextFilesOf, parseDvcYaml, type PipelineDef } from '../formats/dvcYaml';
import { renderPipeline } from '../formats/dvcYamlRender';
import { parseDvcLock, type LockFile } from '../formats/dvcLock';
import { loadParamsText, templateData, withPythonValues } from './paramValues';
import type { DataMap, ParseFailure } from '../formats/types';
import { walkWorkspace } from '../indexer/fileSources';
import { baseOf, dirOf, resolveInRepo } from '../util/paths';
import type { ReproProblem } from './types';
import { loadDataSources, type DataSource } from './dvcFiles';

export interface WorkspaceProject {
  /** dvc.yaml folder relative to the repository root, '' for the root. */
  project: string;
  /** Repository-relative path of the dvc.yaml. */
  dvcYaml: string;
  /** Repository-relative path of the dvc.lock beside it. */
  lockPath: string;
  def: PipelineDef;
  /** Undefined when there is no dvc.lock yet (or it does not parse: see lockProblem). */
  lock?: LockFile;
  /** dvc.lock exists but does not parse: nothing may overwrite it. */
  lockProblem?: ReproProblem;
}

export interface WorkspacePipelines { projects: WorkspaceProject[]; problems: ReproProblem[]; sources: DataSource[] }

function readText(root: string, rel: string): string | undefined {
  try {
    return readFileSync(join(root, ...rel.split('/')), 'utf8');
  } catch {
    return undefined;
  }
}

/** Every dvc.yaml of the workspace (nested projects included), rendered, with its lock. */
export function loadWorkspacePipelines(root: string, only?: string[]): WorkspacePipelines {
  const paths = only ?? walkWorkspace(root, (p) => baseOf(p) === 'dvc.yaml');
  const projects: WorkspaceProject[] = [];
  const problems: ReproProblem[] = [];
  for (const dvcYaml of paths.sort()) {
    const project = dirOf(dvcYaml);
    const text = readText(root, dvcYaml);
    if (text === undefined) continue;
    const parsed = parseDvcYaml(text);
    if (!parsed.ok) {
      problems.push({ file: dvcYaml, line: parsed.line, message: parsed.message });
      continue;
    }
    // Python's types (1.0 stays a float) so `${lr}` renders as DVC renders it.
    const typed = withPythonValues(parsed.value, text);
    const inputs = new Map<string, DataMap | ParseFailure | undefined>();
    for (const rel of contextFilesOf(typed.raw)) {
      const resolved = resolveInRepo(project, rel);
      const ctxText = resolved.ok ? readText(root, resolved.path) : undefined;
      if (ctxText === undefined) { inputs.set(rel, undefined); continue; }
      const ctx = loadParamsText(ctxText, rel);
      inputs.set(rel, ctx.ok ? (templateData(ctx.value) as DataMap) : { ok: false, kind: 'error', message: ctx.message, line: ctx.line, column: ctx.column });
    }
    const def = renderPipeline(typed.raw, inputs);
    for (const e of def.errors) problems.push({ file: dvcYaml, line: e.line, stage: e.stage, message: e.message });
    const lockPath = project ? `${project}/dvc.lock` : 'dvc.lock';
    const entry: WorkspaceProject = { project, dvcYaml, lockPath, def };
    const lockText = readText(root, lockPath);
    if (lockText !== undefined) {
      const lock = parseDvcLock(lockText);
      if (lock.ok) entry.lock = lock.value;
      else {
        entry.lockProblem = { file: lockPath, line: lock.line, message: `${lockPath}${lock.line ? `:${lock.line}` : ''}: ${lock.message} Fix or delete the file; it will not be overwritten.` };
        problems.push(entry.lockProblem);
      }
    }
    projects.push(entry);
  }
  // Only a full scan looks for .dvc files; a reload of chosen dvc.yaml files does not need them.
  const data = only ? { sources: [], problems: [] } : loadDataSources(root);
  problems.push(...data.problems);
  return { projects, problems, sources: data.sources };
}
