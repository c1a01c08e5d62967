// Finds the MLflow MLmodel file of a model version: `<path>/MLmodel` (the model is a folder) or
// beside the model file, in the commit's tree; else, when the model is a DVC out, in the local
// DVC cache under the md5 that commit's dvc.lock (or .dvc file) records; else in the workspace
// when the commit is the checked-out one.

import { existsSync, lstatSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DvcCache } from '../indexer/dvcCache';
import { parseMLmodel, type MLmodelInfo } from '../mlflow/mlmodel';
import { parseDvcFile } from '../repro/dvcFiles';
import { baseOf, dirOf, isUnder, resolveInRepo } from '../util/paths';
import { blobsAt, readBlob } from './gitAt';
import type { LockedStage } from './locks';

const MAX_MLMODEL_BYTES = 1024 * 1024;

export function mlmodelCandidates(modelPath: string): string[] {
  const r = resolveInRepo('', modelPath);
  if (!r.ok || !r.path) return [];
  if (baseOf(r.path) === 'MLmodel') return [r.path];
  const beside = dirOf(r.path);
  return [`${r.path}/MLmodel`, ...(beside ? [`${beside}/MLmodel`] : [])];
}

interface Out {
  repoPath: string;
  md5?: string;
}

export async function mlmodelAt(
  root: string,
  sha: string,
  modelPath: string | null,
  stages: LockedStage[],
  head: string | undefined,
  problems: string[],
): Promise<MLmodelInfo | null> {
  if (!modelPath) return null;
  const candidates = mlmodelCandidates(modelPath);
  if (candidates.length === 0) return null;
  const where = (file: string, source: string) => `${file} (${source} at ${sha.slice(0, 8)})`;
  const finish = (text: string, file: string, source: MLmodelInfo['source']): MLmodelInfo | null => {
    const { info, problems: found } = parseMLmodel(
      text,
      file,
      source,
      where(file, source === 'git' ? 'Git' : source === 'dvc-cache' ? 'DVC cache' : 'workspace'),
    );
    problems.push(...found);
    return info;
  };
  const blobs = await blobsAt(root, sha, [...candidates, `${modelPath}.dvc`]);
  for (const file of candidates) {
    const oid = blobs.get(file);
    if (!oid) continue;
    const bytes = await readBlob(root, oid, MAX_MLMODEL_BYTES);
    if (bytes) return finish(bytes.toString('utf8'), file, 'git');
    problems.push(`${file} at ${sha.slice(0, 8)} is over 1 MiB; not read as an MLmodel file.`);
    return null;
  }
  const outs: Out[] = stages.flatMap((s) => s.outs);
  const dvcOid = blobs.get(`${modelPath}.dvc`);
  if (dvcOid) {
    const bytes = await readBlob(root, dvcOid, MAX_MLMODEL_BYTES);
    const parsed = bytes ? parseDvcFile(`${modelPath}.dvc`, bytes.toString('utf8')).source : undefined;
    const md5 = parsed?.lock.stages[`${modelPath}.dvc`]?.outs[0]?.md5;
    if (md5) outs.push({ repoPath: modelPath, md5 });
  }
  const cache = new DvcCache(root);
  for (const file of candidates) {
    const out = outs.find((o) => o.md5 && isUnder(file, o.repoPath));
    if (!out?.md5) continue;
    const md5 =
      out.repoPath === file
        ? out.md5
        : out.md5.endsWith('.dir')
          ? inListing(cache, out.md5, file.slice(out.repoPath.length + 1))
          : undefined;
    if (!md5) continue;
    const read = cache.read(md5, MAX_MLMODEL_BYTES);
    if (read.ok) return finish(read.bytes.toString('utf8'), file, 'dvc-cache');
  }
  if (head === sha) {
    for (const file of candidates) {
      const abs = join(root, ...file.split('/'));
      // lstat: a symlink in the workspace could point anywhere; MLflow writes plain files.
      const st = existsSync(abs) ? lstatSync(abs) : undefined;
      if (st?.isFile() && st.size <= MAX_MLMODEL_BYTES) return finish(readFileSync(abs, 'utf8'), file, 'workspace');
    }
  }
  return null;
}

function inListing(cache: DvcCache, dirMd5: string, relpath: string): string | undefined {
  const r = cache.fileInDirectory(dirMd5, relpath);
  return r.ok ? r.md5 : undefined;
}
