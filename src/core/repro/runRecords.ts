// repro_run rows: written by the runner, read by `lineage env` and the lineage card.

import type { Store } from '../store/store';
import type { LockFile } from '../formats/dvcLock';
import { decodePayload } from '../util/values';
import { redactText } from '../util/redact';
import { outsKey, redactEnvRecord, type EnvRecord } from './envRecord';

export type RunStatus = 'running' | 'ok' | 'failed' | 'cancelled';

export interface RunRecord {
  id: number;
  project: string;
  stage: string;
  head?: string;
  dirty?: boolean;
  cmd: string;
  startedAt: number;
  endedAt?: number;
  exitCode?: number;
  status: RunStatus;
  env: EnvRecord;
}

interface Row {
  id: number;
  project: string;
  stage: string;
  head: string | null;
  dirty: number | null;
  cmd: string;
  started_at: number;
  ended_at: number | null;
  exit_code: number | null;
  status: RunStatus;
  env: string;
}

const toRecord = (r: Row): RunRecord => ({
  id: r.id,
  project: r.project,
  stage: r.stage,
  head: r.head ?? undefined,
  dirty: r.dirty === null ? undefined : r.dirty === 1,
  // Masked again on the way out: rows written before redaction existed are still in old indexes.
  cmd: redactText(r.cmd),
  startedAt: r.started_at,
  endedAt: r.ended_at ?? undefined,
  exitCode: r.exit_code ?? undefined,
  status: r.status,
  env: redactEnvRecord(JSON.parse(r.env) as EnvRecord),
});

export function startRun(store: Store, project: string, stage: string, recorded: EnvRecord, startedAt: number): number {
  const env = redactEnvRecord(recorded);
  const info = store
    .sql(`INSERT INTO repro_run (project, stage, head, dirty, cmd, started_at, status, env) VALUES (?, ?, ?, ?, ?, ?, 'running', ?)`)
    .run(
      project,
      stage,
      env.git.head ?? null,
      env.git.dirty === undefined ? null : env.git.dirty ? 1 : 0,
      env.cmd,
      startedAt,
      JSON.stringify(env),
    ) as { lastInsertRowid: number | bigint };
  return Number(info.lastInsertRowid);
}

export function finishRun(
  store: Store,
  id: number,
  outcome: {
    status: RunStatus;
    exitCode?: number | null;
    endedAt: number;
    outs?: { path: string; md5?: string }[];
    project: string;
    stage: string;
    env?: EnvRecord;
  },
): void {
  const key = outcome.status === 'ok' && outcome.outs ? outsKey(outcome.project, outcome.stage, outcome.outs) : undefined;
  store
    .sql('UPDATE repro_run SET status = ?, exit_code = ?, ended_at = ?, outs_key = ?, env = coalesce(?, env) WHERE id = ?')
    .run(
      outcome.status,
      outcome.exitCode ?? null,
      outcome.endedAt,
      key ?? null,
      outcome.env ? JSON.stringify(redactEnvRecord(outcome.env)) : null,
      id,
    );
}

/** Most recent runs first. */
export function recentRuns(store: Store, limit = 50): RunRecord[] {
  return (store.sql('SELECT * FROM repro_run ORDER BY started_at DESC, id DESC LIMIT ?').all(limit) as Row[]).map(toRecord);
}

/**
 * The environment of each stage at a revision: the successful run whose outs are the ones the
 * revision's dvc.lock records (so a run committed later still matches), else a run started
 * at that very commit.
 */
export function runsForRevision(store: Store, sha: string): { project: string; stage: string; run: RunRecord; match: 'outs' | 'head' }[] {
  const locks = store
    .sql(
      `SELECT rf.project, b.payload FROM revision r JOIN revision_file rf ON rf.rev_id = r.id JOIN blob b ON b.id = rf.blob_id
      WHERE r.sha = ? AND rf.role = 'lock' AND b.status = 'ok'`,
    )
    .all(sha) as { project: string; payload: string | null }[];
  const byKey = store.sql(`SELECT * FROM repro_run WHERE outs_key = ? AND status = 'ok' ORDER BY started_at DESC, id DESC LIMIT 1`);
  const found: { project: string; stage: string; run: RunRecord; match: 'outs' | 'head' }[] = [];
  const seen = new Set<string>();
  for (const l of locks) {
    if (!l.payload) continue;
    const lock = decodePayload<LockFile>(l.payload);
    for (const name of lock.order) {
      const key = outsKey(l.project, name, lock.stages[name].outs);
      const row = key ? (byKey.get(key) as Row | undefined) : undefined;
      if (row) {
        found.push({ project: l.project, stage: name, run: toRecord(row), match: 'outs' });
        seen.add(`${l.project}\n${name}`);
      }
    }
  }
  const atHead = store.sql(`SELECT * FROM repro_run WHERE head = ? ORDER BY started_at DESC, id DESC`).all(sha) as Row[];
  for (const row of atHead) {
    const id = `${row.project}\n${row.stage}`;
    if (seen.has(id)) continue;
    seen.add(id);
    found.push({ project: row.project, stage: row.stage, run: toRecord(row), match: 'head' });
  }
  return found;
}
