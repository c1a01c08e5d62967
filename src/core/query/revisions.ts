import { runGitText } from '../git/exec';
import { FULL_SHA } from '../git/objectId';
import type { RepoInfo } from '../git/repo';
import type { CommitMeta } from '../git/history';
import type { Store } from '../store/store';
import { WORKSPACE } from '../indexer/writeRevision';

export type Revision = Omit<CommitMeta, 'body'>;

export interface RefRow {
  name: string;
  short: string;
  kind: 'branch' | 'tag' | 'exp';
  sha: string;
  annotated: boolean;
  time: number | null;
  message: string | null;
  baseline: string | null;
}

export class RevisionError extends Error {}

/** Rejects what git would read as an option or what cannot be a revision at all. */
export function validateRevisionText(text: string): void {
  if (!text || text.startsWith('-') || /[\0\n\r]/.test(text) || text.length > 1024) {
    throw new RevisionError(`${JSON.stringify(text)} is not a valid revision name`);
  }
}

/**
 * A user's revision text to a commit sha (or 'workspace'): experiment names and refs from the
 * index first, then whatever git rev-parse understands (HEAD~2, short shas, tags).
 */
export async function resolveRevision(store: Store, repo: RepoInfo, text: string): Promise<string> {
  if (text === WORKSPACE) return WORKSPACE;
  validateRevisionText(text);
  const ref = store
    .sql(`SELECT sha FROM ref WHERE name = ? OR (short = ? AND kind = 'exp') ORDER BY kind = 'exp' LIMIT 1`)
    .get(text, text) as { sha: string } | undefined;
  if (ref) return ref.sha;
  if (!repo.gitDir) throw new RevisionError(`"${text}": ${repo.root} is not a Git repository; only "workspace" can be compared`);
  const out = await runGitText(repo.root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${text}^{commit}`], {
    allowExit: [1, 128],
  });
  const sha = out.trim();
  if (!FULL_SHA.test(sha)) throw new RevisionError(`unknown revision "${text}" (not a branch, tag, experiment or commit in ${repo.root})`);
  return sha;
}

export function isIndexed(store: Store, sha: string): boolean {
  return Boolean(store.sql('SELECT 1 FROM revision WHERE sha = ? AND indexed_at IS NOT NULL').get(sha));
}

export function getRevision(store: Store, sha: string): Revision | undefined {
  const row = store
    .sql('SELECT sha, parents, author_name, author_email, author_time, commit_time, subject FROM revision WHERE sha = ?')
    .get(sha) as
    | { sha: string; parents: string; author_name: string; author_email: string; author_time: number; commit_time: number; subject: string }
    | undefined;
  if (!row) return undefined;
  return {
    sha: row.sha,
    parents: row.parents ? row.parents.split(' ') : [],
    authorName: row.author_name,
    authorEmail: row.author_email,
    authorTime: row.author_time,
    commitTime: row.commit_time,
    subject: row.subject,
  };
}

export function listRefRows(store: Store, kind?: RefRow['kind']): RefRow[] {
  const rows = (
    kind ? store.sql('SELECT * FROM ref WHERE kind = ? ORDER BY name').all(kind) : store.sql('SELECT * FROM ref ORDER BY kind, name').all()
  ) as (Omit<RefRow, 'annotated'> & { annotated: number })[];
  return rows.map((r) => ({ ...r, annotated: r.annotated === 1 }));
}

export interface Experiment {
  name: string;
  ref: string;
  sha: string;
  baseline: string;
  subject: string;
  commitTime: number;
}

/** The experiment a name or full ref names, if any (`exp-1a2b3`, `refs/exps/…/exp-1a2b3`). */
export function experimentNamed(store: Store, text: string): Experiment | undefined {
  return listExperimentRows(store, `AND (ref.name = ? OR ref.short = ?)`, [text, text])[0];
}

/** DVC experiments grouped by baseline commit, newest first within each group. */
export function listExperiments(store: Store, baseline?: string): Experiment[] {
  // Two statements, not `? IS NULL OR baseline = ?`, so that one baseline's lookup uses ref_baseline.
  return baseline === undefined ? listExperimentRows(store, '', []) : listExperimentRows(store, 'AND ref.baseline = ?', [baseline]);
}

function listExperimentRows(store: Store, where: string, args: (string | null)[]): Experiment[] {
  const rows = store
    .sql(
      `SELECT ref.short AS name, ref.name AS ref, ref.sha, ref.baseline, revision.subject, revision.commit_time
                          FROM ref LEFT JOIN revision ON revision.sha = ref.sha
                          WHERE ref.kind = 'exp' ${where}
                          ORDER BY ref.baseline, revision.commit_time DESC, ref.short`,
    )
    .all(...args) as { name: string; ref: string; sha: string; baseline: string; subject: string | null; commit_time: number | null }[];
  return rows.map((r) => ({
    name: r.name,
    ref: r.ref,
    sha: r.sha,
    baseline: r.baseline,
    subject: r.subject ?? '',
    commitTime: r.commit_time ?? 0,
  }));
}

/** The first-parent chain from a commit, newest first (what a branch's history view shows). */
export function firstParentChain(store: Store, sha: string, limit = 10000): Revision[] {
  const rows = store
    .sql(
      `WITH RECURSIVE chain(sha, depth) AS (
      SELECT ?, 0
      UNION ALL
      SELECT r.first_parent, c.depth + 1 FROM chain c JOIN revision r ON r.sha = c.sha WHERE r.first_parent IS NOT NULL AND c.depth + 1 < ?
    ) SELECT r.sha FROM chain c JOIN revision r ON r.sha = c.sha ORDER BY c.depth`,
    )
    .all(sha, limit) as { sha: string }[];
  return rows.map((r) => getRevision(store, r.sha)!);
}
