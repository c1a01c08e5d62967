// The real file-system side of status and repro, in one place: DVC hashing through the hash
// cache in the store, the local DVC cache, params read as DVC reads them (Python types kept),
// and dvc.lock written as DVC writes it.

import { join } from 'node:path';
import type { Store } from '../store/store';
import { HashCache } from './hashCache';
import { WorkspaceHasher } from './workspaceHasher';
import { isInCache, putInCache } from './dvcObjectCache';
import { pyEqual } from '../python/pyFloat';
import { readTrackedParams } from './paramValues';
import { updateLockFile } from './lockWriter';
import type { RunnerIO } from './runner';

function readParams(absFile: string, keys: string[] | null): Record<string, unknown> | undefined {
  const tracked = readTrackedParams(absFile, keys);
  if (!tracked.exists) return undefined;
  if (tracked.error) throw new Error(`${tracked.error.message}${tracked.error.line ? ` (line ${tracked.error.line})` : ''}`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of tracked.values)
    Object.defineProperty(out, String(k), { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

export function createReproIO(root: string, store?: Store): RunnerIO & { hasher: WorkspaceHasher } {
  const hasher = new WorkspaceHasher(root, { cache: store ? new HashCache(store) : undefined });
  return {
    hasher,
    hash: (rel, kind) => hasher.hash(rel, kind),
    inCache: async (hash, kind) => isInCache(root, hash, kind),
    readParams: async (rel, keys) => readParams(join(root, ...rel.split('/')), keys),
    paramEqual: pyEqual,
    putInCache: async (rel, hash, kind) => {
      const withEntries = hash.md5.endsWith('.dir') ? await hasher.hashWithEntries(rel, kind) : undefined;
      await putInCache(root, rel, hash, withEntries?.entries, kind);
    },
    writeLockEntry: async (lockPath, stage, entry) =>
      updateLockFile(join(root, ...lockPath.split('/')), stage, {
        cmd: entry.cmd,
        deps: entry.deps,
        outs: entry.outs,
        params: entry.params as Record<string, Record<string, unknown>>,
      }),
  };
}
