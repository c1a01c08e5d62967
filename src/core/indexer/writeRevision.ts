import type { Store } from '../store/store';
import type { CommitMeta } from '../git/history';
import type { BlobRegistry } from './blobRegistry';
import type { PipelineCache } from './pipelineCache';
import type { RevisionPlan } from './planner';

export const WORKSPACE = 'workspace';

/**
 * Upserts the revision row and its files and pipelines. Inside a transaction. `replace` clears
 * old rows first: only the workspace is rewritten; a commit's row is written once, whole.
 */
export function writeRevision(
  store: Store,
  blobs: BlobRegistry,
  pipelines: PipelineCache,
  meta: CommitMeta,
  plan: RevisionPlan,
  now: number,
  replace: boolean,
): void {
  const upsert =
    store.sql(`INSERT INTO revision (sha, parents, first_parent, author_name, author_email, author_time, commit_time, subject, body, indexed_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (sha) DO UPDATE SET parents = excluded.parents, first_parent = excluded.first_parent, subject = excluded.subject, body = excluded.body,
               author_name = excluded.author_name, author_email = excluded.author_email, author_time = excluded.author_time, commit_time = excluded.commit_time
             RETURNING id`);
  const revId = (
    upsert.get(
      meta.sha,
      meta.parents.join(' '),
      meta.parents[0] ?? null,
      meta.authorName,
      meta.authorEmail,
      meta.authorTime,
      meta.commitTime,
      meta.subject,
      meta.body,
      now,
    ) as { id: number }
  ).id;
  if (replace) {
    store.sql('DELETE FROM revision_file WHERE rev_id = ?').run(revId);
    store.sql('DELETE FROM revision_pipeline WHERE rev_id = ?').run(revId);
  }
  const insertFile = store.sql(
    'INSERT INTO revision_file (rev_id, path, role, project, blob_id, source, status, detail, selector, ord) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  // ord: the plan's order, the order DVC collects files in (see planner.ts).
  plan.files.forEach((f, ord) => {
    const blobId = f.status === 'ok' && f.oid && f.blobRole ? blobs.idOf(f.oid, f.blobRole) : null;
    insertFile.run(
      revId,
      f.path,
      f.role,
      f.project,
      blobId,
      f.source,
      f.status,
      f.detail ?? null,
      f.selector === undefined ? null : JSON.stringify(f.selector),
      ord,
    );
  });
  const insertPipeline = store.sql('INSERT INTO revision_pipeline (rev_id, project, pipeline_id) VALUES (?, ?, ?)');
  for (const p of plan.pipelines) insertPipeline.run(revId, p.project, pipelines.idOf(p.key));
  if (replace) store.sql('UPDATE revision SET indexed_at = ? WHERE id = ?').run(now, revId);
}
