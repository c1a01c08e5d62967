// The version of the model itself: the hash, size and file count the version's commit records
// for the model path, in the dvc.lock out of the stage writing it or in the `.dvc` file that
// tracks it (`dvc add`). This is what tells two versions' bytes apart, whatever their tags say.

import { parseDvcFile } from '../repro/dvcFiles';
import { DvcCache } from '../indexer/dvcCache';
import type { LockEntry } from '../formats/dvcLock';
import { dirOf, isUnder, resolveInRepo } from '../util/paths';
import { cacheStateOf } from './cacheState';
import { blobsAt, readBlob } from './gitAt';
import type { LockedStage } from './locks';
import type { ModelOut } from './types';

/** `modelPath` normalized and repository-relative. */
export async function modelOutsAt(
  root: string,
  sha: string,
  stages: LockedStage[],
  modelPath: string,
  problems: string[],
): Promise<ModelOut[]> {
  const cache = new DvcCache(root);
  const found: ModelOut[] = [];
  for (const stage of stages) {
    for (const out of stage.outs) {
      if (isUnder(modelPath, out.repoPath) || isUnder(out.repoPath, modelPath))
        found.push(toModelOut(cache, out, out.repoPath, modelPath, stage.address, null));
    }
  }
  if (found.length > 0) return found;
  // Not a stage out: a `.dvc` file beside the model, or beside a folder holding it.
  const candidates: string[] = [];
  for (let p = modelPath; p; p = dirOf(p)) candidates.push(p);
  const blobs = await blobsAt(
    root,
    sha,
    candidates.map((p) => `${p}.dvc`),
  );
  for (const p of candidates) {
    const file = `${p}.dvc`;
    const oid = blobs.get(file);
    if (!oid) continue;
    const bytes = await readBlob(root, oid, 1024 * 1024);
    if (!bytes) {
      problems.push(`${file} at ${sha.slice(0, 8)} is over 1 MiB; not read.`);
      continue;
    }
    const { source, problem } = parseDvcFile(file, bytes.toString('utf8'));
    if (problem) problems.push(`${file} at ${sha.slice(0, 8)}${problem.line ? `, line ${problem.line}` : ''}: ${problem.message}`);
    for (const entry of source?.lock.stages[file]?.outs ?? []) {
      const r = resolveInRepo(dirOf(file), entry.path);
      if (r.ok && isUnder(modelPath, r.path)) found.push(toModelOut(cache, entry, r.path, modelPath, null, file));
    }
    if (found.length > 0) break;
  }
  return found;
}

function toModelOut(
  cache: DvcCache,
  entry: LockEntry,
  path: string,
  modelPath: string,
  stage: string | null,
  dvcFile: string | null,
): ModelOut {
  const version = entry.md5 ?? entry.etag ?? entry.checksum ?? null;
  const hashKind = entry.md5 ? entry.hashKind : entry.etag ? 'etag' : entry.checksum ? 'checksum' : null;
  const state = entry.md5
    ? cacheStateOf(cache, entry.md5)
    : { state: 'not-cached' as const, detail: version ? 'not a local object (remote)' : 'no hash recorded' };
  let file: ModelOut['file'] = null;
  if (path !== modelPath && isUnder(modelPath, path)) {
    // The model is one file of a folder out: its own md5 is in the folder's listing, when that is here.
    const inside = entry.md5?.endsWith('.dir') ? cache.fileInDirectory(entry.md5, modelPath.slice(path.length + 1)) : undefined;
    file = { path: modelPath, md5: inside?.ok ? inside.md5 : null };
  }
  return {
    path,
    stage,
    dvcFile,
    version,
    hashKind,
    size: entry.size ?? null,
    nfiles: entry.nfiles ?? null,
    isDir: Boolean(entry.md5?.endsWith('.dir')),
    inCache: state.state,
    cacheDetail: state.detail,
    file,
  };
}
