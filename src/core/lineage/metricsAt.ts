// The metrics of a version's commit, from the index. Metrics kept as DVC-cached outs are not in
// Git: the index reads them from the local DVC cache, and records "not in cache" when they were
// not there. Such a file fetched since (dvc pull / dvc fetch) is read from the cache here, so
// the card does not wait for a re-index; one still missing says so, with the command to fetch it.

import type { FileValues } from '../diff/diff';
import type { FlatMap, FlatValue } from '../data/types';
import { dataRole, parseBlob } from '../indexer/blobParsers';
import { DvcCache } from '../indexer/dvcCache';
import { valuesAt, type FileProblem } from '../query/values';
import type { Store } from '../store/store';
import { isUnder } from '../util/paths';
import type { LockedStage } from './locks';

const MAX_METRICS_BYTES = 64 * 1024 * 1024;

export interface MetricsRead {
  values: FileValues;
  unread: FileProblem[];
}

export function metricsAt(store: Store, root: string, sha: string, stages: LockedStage[]): MetricsRead {
  const { values, problems } = valuesAt(store, sha, 'metrics');
  const unread: FileProblem[] = [];
  const cache = new DvcCache(root);
  for (const p of problems) {
    const late = p.status === 'not-in-cache' ? readCached(cache, p.path, stages) : undefined;
    if (late) values[p.path] = late;
    else unread.push(p);
  }
  return { values, unread };
}

/** The md5 dvc.lock records for `path`: its own out, or its entry in a cached folder out's listing. */
function cachedMd5(cache: DvcCache, path: string, stages: LockedStage[]): string | undefined {
  for (const out of stages.flatMap((s) => s.outs)) {
    if (!out.md5 || !isUnder(path, out.repoPath)) continue;
    if (out.repoPath === path) return out.md5.endsWith('.dir') ? undefined : out.md5;
    if (!out.md5.endsWith('.dir')) continue;
    const inside = cache.fileInDirectory(out.md5, path.slice(out.repoPath.length + 1));
    return inside.ok ? inside.md5 : undefined;
  }
  return undefined;
}

function readCached(cache: DvcCache, path: string, stages: LockedStage[]): FlatMap | undefined {
  const md5 = cachedMd5(cache, path, stages);
  const read = md5 ? cache.read(md5, MAX_METRICS_BYTES) : undefined;
  if (!read?.ok) return undefined;
  const parsed = parseBlob(dataRole(path), read.bytes);
  if (parsed.status !== 'ok' || !parsed.values) return undefined;
  // As the index keeps metrics (valuesAt): no lists or nulls, numbers as JSON carries them.
  const out: FlatMap = {};
  for (const [key, v] of Object.entries(parsed.values)) {
    if (v === null || Array.isArray(v)) continue;
    out[key] = (typeof v === 'bigint' ? Number(v) : v) as FlatValue;
  }
  return out;
}

const listed = (paths: string[]) => (paths.length > 3 ? `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more` : paths.join(', '));

/** Why a commit has no metrics to show and what to do; undefined when nothing was declared at all. */
export function metricsGap(sha: string, unread: FileProblem[], stages: LockedStage[]): { reason: string; action?: string } | undefined {
  const short = sha.slice(0, 8);
  const isOut = (path: string) => stages.some((s) => s.outs.some((o) => o.md5 && isUnder(path, o.repoPath)));
  const cached = unread.filter((p) => p.status === 'not-in-cache' || (p.status === 'missing' && isOut(p.path))).map((p) => p.path);
  if (cached.length > 0) {
    const one = cached.length === 1;
    return {
      reason: `${listed(cached)} ${one ? 'is' : 'are'} declared as metrics at ${short}, but ${one ? 'it is a DVC-cached out' : 'they are DVC-cached outs'} (in dvc.lock, not in Git) and ${one ? 'its' : 'their'} bytes are in the DVC cache, not on this machine`,
      action: `fetch ${one ? 'it' : 'them'} from the DVC remote: \`dvc pull\` with that commit checked out, or \`dvc fetch --all-tags --type metrics\` for every tagged version (the card then reads the local cache)`,
    };
  }
  const missing = unread.filter((p) => p.status === 'missing').map((p) => p.path);
  if (missing.length > 0) {
    return {
      reason: `${listed(missing)} ${missing.length === 1 ? 'is' : 'are'} declared as metrics at ${short}, but neither committed to Git nor recorded as an out in dvc.lock`,
      action: 'commit the metrics file (cache: false under metrics in dvc.yaml), or run the stage and commit dvc.lock so DVC caches it',
    };
  }
  if (unread.length > 0) return { reason: `${listed(unread.map((p) => p.path))} at ${short} could not be read (see problems)` };
  return undefined;
}
