// Cheap answers to "is a run writing right now?", asked every poll: DVCLive's signal files
// (liveRunIn, with a living pid), an MLflow file-store run whose meta.yaml says RUNNING, or a
// series file written moments ago (a DVCLive run outside `dvc exp run` writes no signal file
// unless it says so, and a killed MLflow run stays RUNNING forever).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { liveRunIn } from '../query/liveRun';

export type LiveReason = 'dvclive-signal' | 'mlflow-running' | 'recent-write';

export interface LiveSignal {
  live: boolean;
  reason?: LiveReason;
  pid?: number;
  step?: number;
}

/** Writes newer than this count as a run still writing (DVCLive steps are usually seconds apart). */
export const RECENT_WRITE_MS = 15000;

/** The `status` of an MLflow file-store run's meta.yaml (1 RUNNING … 5 KILLED), or undefined. */
export function mlflowRunStatus(root: string, runDir: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(join(root, runDir, 'meta.yaml'), 'utf8');
  } catch {
    return undefined;
  }
  const m = /^status:[ \t]*(\d+)[ \t]*\r?$/m.exec(text);
  return m ? Number(m[1]) : undefined;
}

export interface LiveQuery {
  root: string;
  /** MLflow file-store run folders shown (repo-relative, `mlruns/<experiment>/<run>`). */
  mlflowRuns?: string[];
  /** Newest write to a watched series file (ms since the epoch). */
  lastWriteMs?: number;
  now?: number;
  recentMs?: number;
  isAlive?: (pid: number) => boolean;
}

export function liveSignal(q: LiveQuery): LiveSignal {
  const run = liveRunIn(q.root, q.isAlive);
  if (run) return { live: true, reason: 'dvclive-signal', pid: run.pid, step: run.step };
  if (q.mlflowRuns?.some((dir) => mlflowRunStatus(q.root, dir) === 1)) return { live: true, reason: 'mlflow-running' };
  const now = q.now ?? Date.now();
  if (q.lastWriteMs !== undefined && now - q.lastWriteMs < (q.recentMs ?? RECENT_WRITE_MS)) return { live: true, reason: 'recent-write' };
  return { live: false };
}
