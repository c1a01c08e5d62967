import type { RefInfo } from '../git/refs';
import type { RepoInfo } from '../git/repo';
import type { Store } from '../store/store';

export interface RefChanges {
  added: number;
  moved: number;
  removed: number;
}

/**
 * Replaces the stored refs with the current ones. Runs last, after every commit they point
 * at is indexed: a crash before this leaves the old refs, so the next run walks again and
 * skips the commits already written.
 */
export function syncRefs(store: Store, refs: RefInfo[], repo: RepoInfo): RefChanges {
  const before = new Map((store.sql('SELECT name, sha FROM ref').all() as { name: string; sha: string }[]).map((r) => [r.name, r.sha]));
  const changes: RefChanges = { added: 0, moved: 0, removed: 0 };
  const current = new Set(refs.map((r) => r.name));
  for (const name of before.keys()) if (!current.has(name)) changes.removed++;
  for (const r of refs) {
    const old = before.get(r.name);
    if (old === undefined) changes.added++;
    else if (old !== r.sha) changes.moved++;
  }
  store.sql('DELETE FROM ref').run();
  const insert = store.sql('INSERT INTO ref (name, short, kind, sha, annotated, time, message, baseline) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  for (const r of refs)
    insert.run(r.name, r.short, r.kind, r.sha, r.annotated ? 1 : 0, r.time ?? null, r.message ?? null, r.baseline ?? null);
  void repo;
  return changes;
}
