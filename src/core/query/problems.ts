import type { Store } from '../store/store';
import type { PipelineDef } from '../formats/dvcYaml';

export interface Problem {
  path: string;
  role: string;
  message: string;
  line?: number;
  column?: number;
  firstSeen: string;
  revisions: number;
}

/**
 * Every distinct unreadable file across the index: parse errors (with line and column),
 * refused paths, cache misses and dvc.yaml stage errors, each with the oldest revision it
 * appears at and how many revisions share it.
 */
export function allProblems(store: Store): Problem[] {
  const fileRows = store
    .sql(
      `SELECT rf.path, rf.role, COALESCE(b.message, rf.detail, rf.status) AS message, b.line, b.col,
        MIN(r.commit_time) AS t, COUNT(*) AS n, (SELECT r2.sha FROM revision_file f2 JOIN revision r2 ON r2.id = f2.rev_id
          WHERE f2.path = rf.path AND f2.role = rf.role AND f2.blob_id IS rf.blob_id ORDER BY r2.commit_time LIMIT 1) AS first
      FROM revision_file rf JOIN revision r ON r.id = rf.rev_id LEFT JOIN blob b ON b.id = rf.blob_id
      WHERE (rf.status NOT IN ('ok', 'missing')) OR (b.status IS NOT NULL AND b.status != 'ok')
      GROUP BY rf.path, rf.role, rf.blob_id, rf.status ORDER BY rf.path, t`,
    )
    .all() as { path: string; role: string; message: string; line: number | null; col: number | null; first: string; n: number }[];
  const problems: Problem[] = fileRows.map((r) => ({
    path: r.path,
    role: r.role,
    message: r.message,
    line: r.line ?? undefined,
    column: r.col ?? undefined,
    firstSeen: r.first,
    revisions: r.n,
  }));
  const pipelineRows = store
    .sql(
      `SELECT p.def, rp.project, MIN(r.commit_time) AS t, COUNT(*) AS n,
        (SELECT r2.sha FROM revision_pipeline p2 JOIN revision r2 ON r2.id = p2.rev_id WHERE p2.pipeline_id = p.id ORDER BY r2.commit_time LIMIT 1) AS first
      FROM pipeline p JOIN revision_pipeline rp ON rp.pipeline_id = p.id JOIN revision r ON r.id = rp.rev_id
      WHERE p.def LIKE '%"errors":[{%' GROUP BY p.id ORDER BY t`,
    )
    .all() as { def: string; project: string; first: string; n: number }[];
  for (const row of pipelineRows) {
    const def = JSON.parse(row.def) as PipelineDef;
    const path = row.project ? `${row.project}/dvc.yaml` : 'dvc.yaml';
    for (const e of def.errors) {
      problems.push({
        path,
        role: 'pipeline',
        message: e.stage ? `stage ${e.stage}: ${e.message}` : e.message,
        line: e.line,
        column: e.column,
        firstSeen: row.first,
        revisions: row.n,
      });
    }
  }
  return problems;
}
