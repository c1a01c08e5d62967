import type { Store } from '../store/store';
import { decodePayload, decodeValue } from '../util/values';
import type { FlatValue } from '../data/types';
import type { StepPoint } from '../formats/stepSeries';
import type { PipelineDef } from '../formats/dvcYaml';

export interface HistoryPoint {
  sha: string;
  subject: string;
  commitTime: number;
  /** The metric at this commit per metrics file that has it (usually one). */
  values: { path: string; value: FlatValue }[];
}

/**
 * One metric along the first-parent chain from `tip`, newest first. One recursive query: the
 * chain walk and the value lookup both run inside SQLite.
 */
export function metricHistory(store: Store, tip: string, key: string, options: { path?: string; limit?: number } = {}): HistoryPoint[] {
  const rows = store
    .sql(
      `WITH RECURSIVE chain(sha, depth) AS (
      SELECT ?, 0
      UNION ALL
      SELECT r.first_parent, c.depth + 1 FROM chain c JOIN revision r ON r.sha = c.sha WHERE r.first_parent IS NOT NULL AND c.depth + 1 < ?
    )
    SELECT c.depth, r.sha, r.subject, r.commit_time, rf.path, bv.value
    FROM chain c JOIN revision r ON r.sha = c.sha
    LEFT JOIN revision_file rf ON rf.rev_id = r.id AND rf.role = 'metrics' AND (? IS NULL OR rf.path = ?)
    LEFT JOIN blob_value bv ON bv.blob_id = rf.blob_id AND bv.key = ?
    ORDER BY c.depth`,
    )
    .all(tip, options.limit ?? 100000, options.path ?? null, options.path ?? null, key) as {
    depth: number;
    sha: string;
    subject: string;
    commit_time: number;
    path: string | null;
    value: string | null;
  }[];
  const points: HistoryPoint[] = [];
  for (const row of rows) {
    let point = points[points.length - 1];
    if (!point || point.sha !== row.sha) {
      point = { sha: row.sha, subject: row.subject, commitTime: row.commit_time, values: [] };
      points.push(point);
    }
    if (row.path !== null && row.value !== null) point.values.push({ path: row.path, value: decodeValue(row.value) });
  }
  return points;
}

/** DVCLive step series at a revision: metric name (e.g. train/loss) -> points. */
export function stepSeriesAt(store: Store, sha: string): { path: string; name: string; points: StepPoint[] }[] {
  const rows = store
    .sql(
      `SELECT rf.path, b.payload FROM revision r JOIN revision_file rf ON rf.rev_id = r.id JOIN blob b ON b.id = rf.blob_id
      WHERE r.sha = ? AND rf.role = 'series' AND b.status = 'ok' ORDER BY rf.path`,
    )
    .all(sha) as { path: string; payload: string }[];
  return rows.map((r) => {
    const m = /^(.*?)\/?plots\/metrics\/(.+)\.tsv$/i.exec(r.path);
    return { path: r.path, name: m ? m[2] : r.path, points: decodePayload<StepPoint[]>(r.payload) };
  });
}

/**
 * Rendered pipelines of a revision, by project folder ('' for the root). Many revisions share
 * a pipeline: a caller reading many passes `parsed` (pipeline id -> def), kept for one pass
 * over a store that does not change meanwhile, so each is parsed once.
 */
export function pipelinesAt(store: Store, sha: string, parsed?: Map<number, PipelineDef>): { project: string; def: PipelineDef }[] {
  const rows = store
    .sql(
      `SELECT rp.project, p.id, p.def FROM revision r JOIN revision_pipeline rp ON rp.rev_id = r.id JOIN pipeline p ON p.id = rp.pipeline_id
      WHERE r.sha = ? ORDER BY rp.project`,
    )
    .all(sha) as { project: string; id: number; def: string }[];
  return rows.map((r) => {
    let def = parsed?.get(r.id);
    if (!def) {
      def = JSON.parse(r.def) as PipelineDef;
      parsed?.set(r.id, def);
    }
    return { project: r.project, def };
  });
}

/** pipelinesAt for many revisions in one pass: sha -> pipelines (every sha given has an entry); each pipeline parsed once. */
export function pipelinesAtMany(
  store: Store,
  shas: readonly string[],
  parsed = new Map<number, PipelineDef>(),
): Map<string, { project: string; def: PipelineDef }[]> {
  const out = new Map(shas.map((sha) => [sha, [] as { project: string; def: PipelineDef }[]]));
  const rows = store
    .sql(
      `SELECT r.sha, rp.project, rp.pipeline_id AS id FROM revision r JOIN revision_pipeline rp ON rp.rev_id = r.id
      WHERE r.sha IN (SELECT value FROM json_each(?)) ORDER BY r.sha, rp.project`,
    )
    .all(JSON.stringify(shas)) as { sha: string; project: string; id: number }[];
  const missing = [...new Set(rows.map((r) => r.id).filter((id) => !parsed.has(id)))];
  for (const p of store.sql('SELECT id, def FROM pipeline WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(missing)) as {
    id: number;
    def: string;
  }[]) {
    parsed.set(p.id, JSON.parse(p.def) as PipelineDef);
  }
  for (const r of rows) {
    const def = parsed.get(r.id);
    if (def) out.get(r.sha)?.push({ project: r.project, def });
  }
  return out;
}
