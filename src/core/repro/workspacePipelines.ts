// The pipelines of the workspace as they are on disk right now (not as indexed): status and
// repro must see the files the user just saved, so this reads dvc.yaml, its templating files
// and dvc.lock directly.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contextFilesOf, parseDvcYaml, type PipelineDef } from '../formats/dvcYaml';
import { renderPipeline } from '../formats/dvcYamlRender';
import { parseDvcLock, type LockFile } from '../formats/dvcLock';
import { loadParamsText, templateData, withPythonValues } from './paramValues';
import type { DataMap, ParseFailure } from '../data/types';
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
  /** Repository-relative files the dvc.yaml reads besides itself (params.yaml, `vars`, top-level params). */
  readFiles: string[];
}

export interface WorkspacePipelines {
  projects: WorkspaceProject[];
  problems: ReproProblem[];
  sources: DataSource[];
}

/** The file's text; undefined when it does not exist; throws when it exists but cannot be read. */
function readText(root: string, rel: string): string | undefined {
  try {
    return readFileSync(join(root, ...rel.split('/')), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new UnreadableFile(rel, (e as Error).message);
  }
}

class UnreadableFile extends Error {
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`cannot read ${file}: ${reason}`);
  }
}

const MD5_RE = /^[0-9a-f]{32}(\.dir)?$/;

/**
 * DVC refuses a dvc.lock whose md5 is not an md5 (its schema validates it); a bad one must
 * not pass for "modified" or reach the cache paths. Returns the problem, at the value's line.
 */
function badLockHash(lockPath: string, text: string, lock: LockFile): ReproProblem | undefined {
  for (const name of lock.order ?? Object.keys(lock.stages)) {
    const stage = lock.stages[name];
    for (const e of [...(stage?.deps ?? []), ...(stage?.outs ?? [])]) {
      if (e.md5 === undefined || MD5_RE.test(e.md5)) continue;
      const at = text.split('\n').findIndex((l) => l.includes(e.md5!));
      return {
        file: lockPath,
        line: at >= 0 ? at + 1 : undefined,
        stage: name,
        kind: 'invalid',
        message: `md5 '${e.md5}' of '${e.path}' in stage '${name}' is not an md5 hash. Fix or delete the file; it will not be overwritten.`,
      };
    }
  }
  return undefined;
}

/** Every dvc.yaml of the workspace (nested projects included), rendered, with its lock. */
export function loadWorkspacePipelines(root: string, only?: string[]): WorkspacePipelines {
  const paths = only ?? walkWorkspace(root, (p) => baseOf(p) === 'dvc.yaml');
  const projects: WorkspaceProject[] = [];
  const problems: ReproProblem[] = [];
  for (const dvcYaml of paths.sort()) {
    try {
      const entry = loadProject(root, dvcYaml, problems);
      if (entry) projects.push(entry);
    } catch (e) {
      if (!(e instanceof UnreadableFile)) throw e;
      problems.push({ file: e.file, kind: 'invalid', message: e.message });
    }
  }
  // Only a full scan looks for .dvc files; a reload of chosen dvc.yaml files does not need them.
  const data = only ? { sources: [], problems: [] } : loadDataSources(root);
  problems.push(...data.problems);
  return { projects, problems, sources: data.sources };
}

function loadProject(root: string, dvcYaml: string, problems: ReproProblem[]): WorkspaceProject | undefined {
  const project = dirOf(dvcYaml);
  const text = readText(root, dvcYaml);
  if (text === undefined) return undefined;
  const parsed = parseDvcYaml(text);
  if (!parsed.ok) {
    problems.push({ file: dvcYaml, line: parsed.line, column: parsed.column, message: parsed.message, kind: 'invalid' });
    return undefined;
  }
  // Python's types (1.0 stays a float) so `${lr}` renders as DVC renders it.
  const typed = withPythonValues(parsed.value, text);
  const inputs = new Map<string, DataMap | ParseFailure | undefined>();
  const readFiles: string[] = [];
  for (const rel of contextFilesOf(typed.raw)) {
    const resolved = resolveInRepo(project, rel);
    if (resolved.ok) readFiles.push(resolved.path);
    const ctxText = resolved.ok ? readText(root, resolved.path) : undefined;
    if (ctxText === undefined) {
      inputs.set(rel, undefined);
      continue;
    }
    const ctx = loadParamsText(ctxText, rel);
    inputs.set(
      rel,
      ctx.ok
        ? (templateData(ctx.value) as DataMap)
        : { ok: false, kind: 'error', message: ctx.message, line: ctx.line, column: ctx.column },
    );
  }
  const def = renderPipeline(typed.raw, inputs);
  for (const e of def.errors)
    problems.push({ file: dvcYaml, line: e.line, column: e.column, stage: e.stage, message: e.message, kind: 'invalid' });
  const lockPath = project ? `${project}/dvc.lock` : 'dvc.lock';
  for (const rel of def.params) {
    const r = resolveInRepo(project, rel);
    if (r.ok) readFiles.push(r.path);
  }
  const entry: WorkspaceProject = { project, dvcYaml, lockPath, def, readFiles };
  const lockText = readText(root, lockPath);
  if (lockText !== undefined) {
    const lock = parseDvcLock(lockText);
    if (lock.ok) {
      entry.lock = lock.value;
      entry.lockProblem = badLockHash(lockPath, lockText, lock.value);
    } else {
      entry.lockProblem = {
        file: lockPath,
        line: lock.line,
        column: lock.column,
        kind: 'invalid',
        message: `${lock.message} Fix or delete the file; it will not be overwritten.`,
      };
    }
    if (entry.lockProblem) problems.push(entry.lockProblem);
  }
  return entry;
}
