// The dvc.lock files of a commit, with every dep and out as a repository-relative path: from
// the index when the commit is indexed, else (a tag outside the indexed refs) the root
// dvc.lock straight from Git.

import { parseDvcLock, type LockEntry, type LockFile } from '../formats/dvcLock';
import { flattenParams, isDataMap } from '../data/flatten';
import type { FlatMap, FlatValue } from '../data/types';
import { pipelinesAt } from '../query/history';
import type { Store } from '../store/store';
import { decodePayload } from '../util/values';
import { resolveInRepo } from '../util/paths';
import { blobsAt, readBlob } from './gitAt';

export interface LockedStage {
  /** `name` in the root project, `dir/dvc.yaml:name` elsewhere (as `dvc` prints it). */
  address: string;
  project: string;
  deps: (LockEntry & { repoPath: string })[];
  outs: (LockEntry & { repoPath: string })[];
  /** What dvc.lock recorded the stage ran with: params file (repository-relative) -> dotted key -> value. */
  params: Record<string, FlatMap>;
}

export interface LocksAt {
  stages: LockedStage[];
  /** No dvc.lock in the commit at all (as opposed to one that could not be read). */
  none: boolean;
  problems: string[];
}

const MAX_LOCK_BYTES = 32 * 1024 * 1024;

export async function locksAt(store: Store, root: string, sha: string): Promise<LocksAt> {
  const problems: string[] = [];
  const short = sha.slice(0, 8);
  const rows = store
    .sql(
      `SELECT rf.project, rf.path, rf.status AS fstatus, rf.detail, b.status, b.message, b.line, b.payload
      FROM revision r JOIN revision_file rf ON rf.rev_id = r.id LEFT JOIN blob b ON b.id = rf.blob_id
      WHERE r.sha = ? AND r.indexed_at IS NOT NULL AND rf.role = 'lock' ORDER BY rf.path`,
    )
    .all(sha) as {
    project: string;
    path: string;
    fstatus: string;
    detail: string | null;
    status: string | null;
    message: string | null;
    line: number | null;
    payload: string | null;
  }[];
  const indexed = Boolean(store.sql('SELECT 1 FROM revision WHERE sha = ? AND indexed_at IS NOT NULL').get(sha));
  const locks: { project: string; lock: LockFile }[] = [];
  if (indexed) {
    for (const r of rows) {
      if (r.fstatus === 'missing') continue;
      if (r.fstatus !== 'ok' || r.status !== 'ok' || !r.payload) {
        problems.push(`${r.path} at ${short}${r.line ? `, line ${r.line}` : ''}: ${r.message ?? r.detail ?? r.status ?? r.fstatus}`);
        continue;
      }
      locks.push({ project: r.project, lock: decodePayload<LockFile>(r.payload) });
    }
  } else {
    const blob = (await blobsAt(root, sha, ['dvc.lock'])).get('dvc.lock');
    const bytes = blob ? await readBlob(root, blob, MAX_LOCK_BYTES) : undefined;
    if (blob && !bytes) problems.push(`dvc.lock at ${short} is over ${MAX_LOCK_BYTES} bytes; not read.`);
    if (bytes) {
      const parsed = parseDvcLock(bytes.toString('utf8'));
      if (parsed.ok) locks.push({ project: '', lock: parsed.value });
      else problems.push(`dvc.lock at ${short}${parsed.line ? `, line ${parsed.line}` : ''}: ${parsed.message}`);
    }
  }
  const wdirs = new Map<string, string>();
  for (const p of indexed ? pipelinesAt(store, sha) : []) for (const s of p.def.stages) wdirs.set(`${p.project}\n${s.name}`, s.wdir);
  const stages: LockedStage[] = [];
  for (const { project, lock } of locks) {
    for (const name of lock.order) {
      const stage = lock.stages[name];
      const wdir = wdirs.get(`${project}\n${name}`) ?? '.';
      const base = resolveInRepo(project, wdir);
      const located = (entries: LockEntry[]) =>
        entries.flatMap((e) => {
          if (/^[a-z][a-z0-9+.-]*:\/\//i.test(e.path)) return [{ ...e, repoPath: e.path }];
          const r = resolveInRepo(base.ok ? base.path : project, e.path);
          if (!r.ok) {
            problems.push(`dvc.lock stage ${name} at ${short}: ${r.reason}`);
            return [];
          }
          return [{ ...e, repoPath: r.path }];
        });
      const params: Record<string, FlatMap> = {};
      for (const [file, values] of Object.entries(stage.params ?? {})) {
        const r = resolveInRepo(base.ok ? base.path : project, file);
        if (!r.ok) {
          problems.push(`dvc.lock stage ${name} at ${short}: ${r.reason}`);
          continue;
        }
        if (isDataMap(values)) params[r.path] = plainValues(flattenParams(values));
      }
      stages.push({
        address: project ? `${project}/dvc.yaml:${name}` : name,
        project,
        deps: located(stage.deps),
        outs: located(stage.outs),
        params,
      });
    }
  }
  return { stages, none: locks.length === 0 && problems.length === 0, problems };
}

/** The card is JSON (`--json`, the webview): ints past 2^53 become the nearest number, as the index gives them. */
function plainValues(values: FlatMap): FlatMap {
  const plain = (v: unknown): unknown =>
    typeof v === 'bigint'
      ? Number(v)
      : Array.isArray(v)
        ? v.map(plain)
        : v && typeof v === 'object'
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]))
          : v;
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, plain(v) as FlatValue]));
}
