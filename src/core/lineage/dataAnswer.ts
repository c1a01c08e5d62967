// Lineage question 2, "which data": the data a model version was made from. Starts at the
// dvc.lock stages whose outs are (or hold) the model's path and walks upstream through the
// stages that produced their deps, so the raw dataset's version shows next to the features
// built from it. Code (.py and friends) is a dep too, but it is not data: question 1 covers it.

import { isUnder } from '../util/paths';
import { parseDvcFile } from '../repro/dvcFiles';
import type { LockEntry } from '../formats/dvcLock';
import type { DataAnswer, DataDep } from './types';
import type { LocksAt } from './locks';
import { isCodePath, type ModelStages } from './stageWalk';
import { blobsAt, readBlob } from './gitAt';
import { cacheStateOf } from './cacheState';
import { DvcCache } from '../indexer/dvcCache';

type Located = LockEntry & { repoPath: string };

/**
 * `walk` is the model's stages at the commit; `noPath` the note to show when the version
 * declares no path (it says where the card looked).
 */
export async function dataAnswer(
  root: string,
  sha: string,
  locks: LocksAt,
  walk: ModelStages,
  modelPath: string | null,
  noPath: string,
  problems: string[],
): Promise<{ answer: DataAnswer | null; reason?: string }> {
  if (locks.stages.length === 0) {
    return {
      answer: null,
      reason: locks.none
        ? `no dvc.lock at ${sha.slice(0, 8)}, so no data versions were recorded`
        : `the dvc.lock of ${sha.slice(0, 8)} could not be read (see problems)`,
    };
  }
  const { producing } = walk;
  let note: string | null = null;
  if (modelPath && producing.length === 0)
    note = `No stage in dvc.lock at ${sha.slice(0, 8)} writes ${modelPath}; listing the data of every stage.`;
  if (!modelPath) note = noPath;
  const found = new Map<string, { entry: Located; stage: string }>();
  for (const stage of walk.upstream) {
    for (const dep of stage.deps)
      if (!isCodePath(dep.repoPath) && !found.has(dep.repoPath)) found.set(dep.repoPath, { entry: dep, stage: stage.address });
  }
  const sources = [...found.keys()].filter((p) => !locks.stages.some((s) => s.outs.some((o) => isUnder(p, o.repoPath))));
  const dvcFiles = await dvcFilesAt(root, sha, sources, problems);
  const dvcCache = new DvcCache(root);
  const deps: DataDep[] = [...found.values()].map(({ entry, stage }) => {
    const producer = locks.stages.find((s) => s.outs.some((o) => isUnder(entry.repoPath, o.repoPath)));
    const version = entry.md5 ?? entry.etag ?? entry.checksum ?? null;
    const hashKind = entry.md5 ? entry.hashKind : entry.etag ? 'etag' : entry.checksum ? 'checksum' : null;
    const cache = entry.md5
      ? cacheStateOf(dvcCache, entry.md5)
      : { state: 'not-cached' as const, detail: version ? 'not a local object (remote dependency)' : 'no hash recorded' };
    return {
      path: entry.repoPath,
      stage,
      producedBy: producer?.address ?? null,
      version,
      hashKind,
      dvcFile: dvcFiles.get(entry.repoPath) ?? null,
      size: entry.size ?? null,
      nfiles: entry.nfiles ?? null,
      isDir: Boolean(entry.md5?.endsWith('.dir')),
      inCache: cache.state,
      cacheDetail: cache.detail,
    };
  });
  if (deps.length === 0) {
    return {
      answer: null,
      reason:
        producing.length > 0
          ? `the stages writing ${modelPath} (${producing.map((s) => s.address).join(', ')}) read no data files, only code`
          : `no stage in dvc.lock at ${sha.slice(0, 8)} reads a data file`,
    };
  }
  return { answer: { producedBy: producing.map((s) => s.address), scope: producing.length > 0 ? 'model' : 'all-stages', deps, note } };
}

/** `<path>.dvc` files at the commit (data added with `dvc add`), with the md5 each records. */
async function dvcFilesAt(
  root: string,
  sha: string,
  paths: string[],
  problems: string[],
): Promise<Map<string, { path: string; md5: string | null }>> {
  const out = new Map<string, { path: string; md5: string | null }>();
  const blobs = await blobsAt(
    root,
    sha,
    paths.map((p) => `${p}.dvc`),
  );
  for (const [file, oid] of blobs) {
    const bytes = await readBlob(root, oid, 1024 * 1024);
    if (!bytes) {
      problems.push(`${file} at ${sha.slice(0, 8)} is over 1 MiB; not read.`);
      continue;
    }
    const { source, problem } = parseDvcFile(file, bytes.toString('utf8'));
    if (problem) problems.push(`${file} at ${sha.slice(0, 8)}${problem.line ? `, line ${problem.line}` : ''}: ${problem.message}`);
    const md5 = source?.lock.stages[file]?.outs[0]?.md5 ?? null;
    out.set(file.slice(0, -'.dvc'.length), { path: file, md5 });
  }
  return out;
}
