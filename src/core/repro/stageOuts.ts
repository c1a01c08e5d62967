// One stage's paths, hashes and cached outs, as the runner records them. `exp save` records a
// stage the same way without running it, so both take these; each says its own errors.

import type { LockEntry } from '../formats/dvcLock';
import { resolveInRepo } from '../util/paths';
import { ignoreOuts } from './gitignore';
import type { DagStage } from './dag';
import type { RunnerIO } from './runner';
import type { LockedPath } from './types';

/** A path written in a stage (relative to its wdir) as a repository path. */
export function stageRepoPath(stage: DagStage, written: string, fail: (reason: string) => Error): string {
  const r = resolveInRepo(stage.project, stage.def.wdir === '.' ? written : `${stage.def.wdir}/${written}`);
  if (!r.ok) throw fail(`stage '${stage.address}': ${r.reason}`);
  return r.path;
}

/**
 * DVC 3 keeps a DVC 2 (md5-dos2unix) lock entry as it is while its hash is unchanged and
 * moves it to `hash: md5` only when the file changed; new entries are md5.
 */
export async function hashStagePaths(
  io: Pick<RunnerIO, 'hash'>,
  stage: DagStage,
  paths: string[],
  previous: LockEntry[] = [],
  errors: { path: (reason: string) => Error; missing: (path: string) => Error },
): Promise<LockedPath[]> {
  const out: LockedPath[] = [];
  for (const p of paths) {
    const rel = stageRepoPath(stage, p, errors.path);
    const old = previous.find((e) => e.path === p);
    if (old?.hashKind === 'md5-dos2unix' && old.md5) {
      const legacy = await io.hash(rel, 'md5-dos2unix');
      if (legacy && legacy.md5 === old.md5) {
        out.push({ path: p, hash: legacy, kind: 'md5-dos2unix' });
        continue;
      }
    }
    const hash = await io.hash(rel, 'md5');
    if (!hash) throw errors.missing(p);
    out.push({ path: p, hash, kind: 'md5' });
  }
  return out;
}

/** DVC's Output.ignore() for the cached outs, then each cached out into the DVC cache. */
export async function cacheStageOuts(
  root: string,
  io: Pick<RunnerIO, 'putInCache'>,
  stage: DagStage,
  outs: readonly { path: string; cache: boolean }[],
  locked: readonly LockedPath[],
  fail: (reason: string) => Error,
): Promise<void> {
  const cached = outs.filter((o) => o.cache);
  await ignoreOuts(
    root,
    cached.map((o) => stageRepoPath(stage, o.path, fail)),
  );
  for (const o of cached) {
    const entry = locked.find((x) => x.path === o.path)!;
    await io.putInCache(stageRepoPath(stage, o.path, fail), entry.hash, entry.kind);
  }
}
