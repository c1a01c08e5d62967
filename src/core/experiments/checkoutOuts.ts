// `dvc checkout --force` for the outs the workspace's dvc.lock and .dvc files record: an out
// whose hash differs from the recorded one (or that is missing) is rebuilt from the DVC cache
// beside itself and put in place through ownership.replaceOut, the same rule repro deletes
// outs by. `exp run` does this before reproducing with missing objects allowed (executor
// reproduce: dvc_checkout(force=True, allow_missing=True)); `exp apply` after writing the
// experiment's files, reporting objects the cache lacks (apply: dvc_checkout(force=True)).

import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildDag, planStages, resolveTargets, type DagStage } from '../repro/dag';
import { cacheDirOf, isInCache, objectPath } from '../repro/dvcObjectCache';
import { pipelineProblems, replaceOut } from '../repro/ownership';
import { loadWorkspacePipelines } from '../repro/workspacePipelines';
import { formatProblem, type HashKind, type PathHash } from '../repro/types';
import type { LockEntry } from '../formats/dvcLock';
import { tempNameIn } from '../util/atomicWrite';
import { resolveInRepo } from '../util/paths';

export interface CheckoutIO {
  hash(relPath: string, kind: HashKind): Promise<PathHash | undefined>;
}

export interface CheckoutReport {
  /** Repository-relative outs rebuilt from the cache. */
  restored: string[];
  /** Outs that differ but whose objects the cache lacks (left as they are). */
  missing: string[];
  /** Why some stages were not looked at (a pipeline that cannot be evaluated). */
  problems: string[];
}

interface ListingRow {
  relpath: string;
  md5: string;
  isexec?: boolean;
}

function listingOf(cacheDir: string, md5: string, kind: HashKind): ListingRow[] {
  const raw = JSON.parse(readFileSync(objectPath(cacheDir, md5, kind), 'utf8')) as unknown;
  if (!Array.isArray(raw)) throw new Error(`the cached listing ${md5} is not a list`);
  return raw.filter((e): e is ListingRow => typeof e?.relpath === 'string' && typeof e?.md5 === 'string');
}

/** The out rebuilt from the cache at a temporary name beside `dest`; returns that name. */
function prepare(cacheDir: string, dest: string, entry: LockEntry): string {
  mkdirSync(dirname(dest), { recursive: true });
  const tmp = tempNameIn(dirname(dest));
  try {
    if (!entry.md5!.endsWith('.dir')) {
      copyFileSync(objectPath(cacheDir, entry.md5!, entry.hashKind), tmp);
      chmodSync(tmp, entry.isexec ? 0o755 : 0o644);
      return tmp;
    }
    mkdirSync(tmp);
    for (const row of listingOf(cacheDir, entry.md5!, entry.hashKind)) {
      const inside = resolveInRepo('', row.relpath);
      if (!inside.ok) throw new Error(`listing entry "${row.relpath}" of ${entry.md5} leads outside its folder`);
      const file = join(tmp, ...inside.path.split('/'));
      mkdirSync(dirname(file), { recursive: true });
      copyFileSync(objectPath(cacheDir, row.md5, entry.hashKind), file);
      chmodSync(file, row.isexec ? 0o755 : 0o644);
    }
    return tmp;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Restores the cached outs of `targets` (and the stages they depend on; every stage when
 * empty) whose workspace copy differs from what dvc.lock records.
 */
export async function checkoutOuts(root: string, io: CheckoutIO, options: { targets?: string[] } = {}): Promise<CheckoutReport> {
  const report: CheckoutReport = { restored: [], missing: [], problems: [] };
  const loaded = loadWorkspacePipelines(root);
  const dag = buildDag(loaded.projects, loaded.sources);
  const { problems, ownership } = pipelineProblems(root, loaded, dag);
  report.problems = problems.map(formatProblem);
  let stages: DagStage[] = dag.stages;
  if (options.targets?.length) {
    const { addresses } = resolveTargets(dag, options.targets);
    stages = planStages(dag, addresses, {});
  }
  const locks = new Map(loaded.projects.map((p) => [p.project, p.lock]));
  const cacheDir = cacheDirOf(root);
  for (const stage of stages) {
    if (dag.broken.has(stage.address) || stage.refused.length) continue;
    const recorded = stage.source
      ? stage.source.lock.stages[stage.source.file]?.outs
      : locks.get(stage.project)?.stages[stage.def.name]?.outs;
    for (const out of stage.def.outs) {
      if (!out.cache) continue;
      const entry = recorded?.find((e) => e.path === out.path);
      if (!entry?.md5) continue;
      const rel = resolveInRepo(stage.project, out.projectPath);
      if (!rel.ok) continue;
      const current = await io.hash(rel.path, entry.hashKind);
      if (current?.md5 === entry.md5) continue;
      if (!isInCache(root, { md5: entry.md5, size: entry.size ?? 0, nfiles: entry.nfiles }, entry.hashKind)) {
        report.missing.push(rel.path);
        continue;
      }
      const prepared = prepare(cacheDir, join(root, ...rel.path.split('/')), entry);
      try {
        replaceOut(ownership, stage, rel.path, prepared);
      } finally {
        rmSync(prepared, { recursive: true, force: true });
      }
      report.restored.push(rel.path);
    }
  }
  return report;
}
