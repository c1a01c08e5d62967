// The real file-system side of status and repro, in one place: DVC hashing through the hash
// cache in the store, the local DVC cache, params read as DVC reads them, and dvc.lock writes.

import { join } from 'node:path';
import type { Store } from '../store/store';
import { HashCache } from './hashCache';
import { WorkspaceHasher } from './workspaceHasher';
import { isInCache, putInCache } from './dvcObjectCache';
import { pyEqual } from './pyFloat';
import { readTrackedParams, updateLockFile } from './lockIO';
import type { RunnerIO } from './runner';

export function createReproIO(root: string, store?: Store): RunnerIO & { hasher: WorkspaceHasher } {
  const hasher = new WorkspaceHasher(root, { cache: store ? new HashCache(store) : undefined });
  return {
    hasher,
    hash: (rel, kind) => hasher.hash(rel, kind),
    inCache: async (hash, kind) => isInCache(root, hash, kind),
    readParams: async (rel, keys) => readTrackedParams(join(root, ...rel.split('/')), keys),
    paramEqual: pyEqual,
    putInCache: async (rel, hash, kind) => {
      const withEntries = hash.md5.endsWith('.dir') ? await hasher.hashWithEntries(rel, kind) : undefined;
      await putInCache(root, rel, hash, withEntries?.entries, kind);
    },
    writeLockEntry: async (lockPath, stage, entry) => updateLockFile(join(root, ...lockPath.split('/')), stage, entry),
  };
}
