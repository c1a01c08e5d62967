// What the editor compares a params/metrics file against: which files of the workspace are
// params or metrics (the index's roles), their values at the baseline revision, the values of
// the text being edited (parsed like the indexer does), and one key's recent history.

import type { Store } from '../store/store';
import type { FlatMap, FlatValue, ParseResult } from '../data/types';
import { failure, success } from '../data/types';
import { parseStructured } from '../formats/structured';
import { extractMetrics, selectParams } from '../data/flatten';
import { decodeValue } from '../util/values';
import { pythonEquals } from '../diff/diff';
import { WORKSPACE } from '../indexer/writeRevision';
import { isSelected, paramsSelector } from './values';

export type ValueRole = 'metrics' | 'params';

export interface TrackedFile {
  path: string;
  role: ValueRole;
  /** Params keys DVC shows (the stages' selection); null for the whole file, as for the root params.yaml (always null for metrics). */
  selector: string[] | null;
}

/** The params and metrics files of a revision (the workspace by default), by path; metrics win if a file is both. */
export function trackedFiles(store: Store, sha: string = WORKSPACE): Map<string, TrackedFile> {
  const rows = store
    .sql(
      `SELECT rf.path, rf.role, rf.selector FROM revision r JOIN revision_file rf ON rf.rev_id = r.id
      WHERE r.sha = ? AND rf.role IN ('metrics', 'params') ORDER BY rf.path, rf.role`,
    )
    .all(sha) as { path: string; role: ValueRole; selector: string | null }[];
  const out = new Map<string, TrackedFile>();
  for (const r of rows) {
    if (out.get(r.path)?.role === 'metrics') continue;
    out.set(r.path, { path: r.path, role: r.role, selector: r.role === 'params' ? paramsSelector(r.path, r.selector) : null });
  }
  return out;
}

export type FileValuesAt =
  | { status: 'ok'; values: FlatMap }
  /** The revision does not have the file (every key is new). */
  | { status: 'absent' }
  /** The file is there but could not be read (parse error, not in cache...). */
  | { status: 'problem'; message: string; line?: number; column?: number };

/**
 * One file's values at a revision, kept the way `valuesAt` keeps them: metrics as number,
 * string and boolean leaves; params as the pipeline selects them (`selector`, null = all).
 * The selector is the workspace's, so both sides of an inline diff select the same keys.
 */
export function fileValuesAt(store: Store, sha: string, path: string, role: ValueRole, selector: string[] | null): FileValuesAt {
  const file = store
    .sql(
      `SELECT rf.status, rf.detail, rf.blob_id, b.status AS bstatus, b.message, b.line, b.col
      FROM revision r JOIN revision_file rf ON rf.rev_id = r.id LEFT JOIN blob b ON b.id = rf.blob_id
      WHERE r.sha = ? AND rf.path = ? AND rf.role = ?`,
    )
    .get(sha, path, role) as
    | {
        status: string;
        detail: string | null;
        blob_id: number | null;
        bstatus: string | null;
        message: string | null;
        line: number | null;
        col: number | null;
      }
    | undefined;
  if (!file || file.status === 'missing') return { status: 'absent' };
  if (file.status !== 'ok') return { status: 'problem', message: file.detail ?? `${path} is ${file.status}` };
  if (file.bstatus !== 'ok')
    return { status: 'problem', message: file.message ?? 'unreadable', line: file.line ?? undefined, column: file.col ?? undefined };
  const rows = store.sql('SELECT key, value FROM blob_value WHERE blob_id = ?').all(file.blob_id) as { key: string; value: string }[];
  const values: FlatMap = {};
  for (const row of rows) {
    const value = decodeValue(row.value);
    if (role === 'metrics' ? value === null || Array.isArray(value) : !isSelected(row.key, selector)) continue;
    values[row.key] = value;
  }
  return { status: 'ok', values };
}

/** The values of a file's current text (an editor buffer), parsed and kept exactly as the indexer would. */
export function valuesOfText(text: string, path: string, role: ValueRole, selector: string[] | null): ParseResult<FlatMap> {
  let parsed;
  try {
    parsed = parseStructured(text, path);
  } catch (error) {
    return failure(`internal parser error: ${(error as Error).message}`);
  }
  if (!parsed.ok) return parsed;
  return success(role === 'metrics' ? extractMetrics(parsed.value) : selectParams(parsed.value, selector));
}

export interface ValueChange {
  /** The value from this commit on (until the next, newer entry). */
  value: FlatValue;
  /** The oldest commit of the run that has this value: where it was introduced, as far as the walk saw. */
  sha: string;
  subject: string;
  authorTime: number;
  /** The walk ended inside this run: the value may be older than `sha`. */
  truncated?: boolean;
}

/**
 * The last `limit` values one key took along the first-parent chain from `tip`, newest first,
 * each with the commit that introduced it; commits where the file or key is absent are
 * skipped. At most `maxCommits` commits are walked (one recursive query inside SQLite).
 */
export function valueHistory(
  store: Store,
  tip: string,
  path: string,
  role: ValueRole,
  key: string,
  options: { limit?: number; maxCommits?: number } = {},
): ValueChange[] {
  const limit = options.limit ?? 5;
  const rows = store
    .sql(
      `WITH RECURSIVE chain(sha, depth) AS (
      SELECT ?, 0
      UNION ALL
      SELECT r.first_parent, c.depth + 1 FROM chain c JOIN revision r ON r.sha = c.sha WHERE r.first_parent IS NOT NULL AND c.depth + 1 < ?
    )
    SELECT r.sha, r.subject, r.author_time, bv.value
    FROM chain c JOIN revision r ON r.sha = c.sha
    LEFT JOIN revision_file rf ON rf.rev_id = r.id AND rf.path = ? AND rf.role = ? AND rf.status = 'ok'
    LEFT JOIN blob_value bv ON bv.blob_id = rf.blob_id AND bv.key = ?
    ORDER BY c.depth`,
    )
    .all(tip, options.maxCommits ?? 1000, path, role, key) as {
    sha: string;
    subject: string | null;
    author_time: number | null;
    value: string | null;
  }[];
  const out: ValueChange[] = [];
  let current: ValueChange | undefined;
  for (const row of rows) {
    if (row.value === null) continue;
    const value = decodeValue(row.value);
    if (current && pythonEquals(current.value, value)) {
      current.sha = row.sha;
      current.subject = row.subject ?? '';
      current.authorTime = row.author_time ?? 0;
      continue;
    }
    if (out.length === limit) return out;
    current = { value, sha: row.sha, subject: row.subject ?? '', authorTime: row.author_time ?? 0 };
    out.push(current);
  }
  // The walk ran out (history or maxCommits) while the last value was still the same.
  if (current && rows.length >= (options.maxCommits ?? 1000)) current.truncated = true;
  return out;
}
