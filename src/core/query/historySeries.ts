// What the Metric History chart plots: numeric metric values along a revision's first-parent
// chain (oldest first, with each commit's position from the root), the metric keys the index
// knows, and DVCLive step series per revision. Built on metricHistory/stepSeriesAt.
import type { Store } from '../store/store';
import { metricHistory, stepSeriesAt } from './history';

export interface MetricId {
  file: string;
  key: string;
}

export interface CommitValue {
  sha: string;
  subject: string;
  /** Commit time, seconds since the epoch. */
  time: number;
  /** First-parent ancestors of this commit (the root commit is 0). */
  position: number;
  value: number;
}

export interface MetricLine {
  points: CommitValue[];
  /** Commits on the chain that hold the key with a value that is not a finite number. */
  nonNumeric: number;
  /** Commits on the chain (with or without the metric). */
  commits: number;
  /** Older points were left out (more than `limit` values). */
  truncated: boolean;
}

/** Metric keys with a numeric value at some indexed revision, by file then key. */
export function numericMetricKeys(store: Store, limit = 20000): MetricId[] {
  const rows = store
    .sql(
      `SELECT DISTINCT f.path, bv.key FROM (SELECT DISTINCT path, blob_id FROM revision_file WHERE role = 'metrics' AND blob_id IS NOT NULL) f
      JOIN blob_value bv ON bv.blob_id = f.blob_id WHERE bv.num IS NOT NULL ORDER BY f.path, bv.key LIMIT ?`,
    )
    .all(limit) as { path: string; key: string }[];
  return rows.map((r) => ({ file: r.path, key: r.key }));
}

/** One metric of one file along the first-parent chain from `tip`; at most `limit` newest values. */
export function metricLine(store: Store, tip: string, metric: MetricId, limit = 5000): MetricLine {
  const chain = metricHistory(store, tip, metric.key, { path: metric.file });
  const points: CommitValue[] = [];
  let nonNumeric = 0;
  chain.forEach((p, depth) => {
    const found = p.values.find((v) => v.path === metric.file);
    if (!found) return;
    if (typeof found.value !== 'number' || !Number.isFinite(found.value)) {
      nonNumeric++;
      return;
    }
    points.push({ sha: p.sha, subject: p.subject, time: p.commitTime, position: chain.length - 1 - depth, value: found.value });
  });
  const truncated = points.length > limit;
  return { points: points.slice(0, limit).reverse(), nonNumeric, commits: chain.length, truncated };
}

export interface StepLine {
  path: string;
  name: string;
  points: [step: number, value: number][];
}

/** DVCLive step series of a revision (plots/metrics/**.tsv), non-finite values dropped. */
export function stepLines(store: Store, sha: string): StepLine[] {
  return stepSeriesAt(store, sha).map((s) => ({
    path: s.path,
    name: s.name,
    points: s.points.filter((p) => Number.isFinite(p.value) && Number.isFinite(p.step)).map((p) => [p.step, p.value] as [number, number]),
  }));
}

/** How many first-parent steps lead from `tip` back to `sha` (0 when equal), or undefined when `sha` is not on that chain. */
export function firstParentDepth(store: Store, tip: string, sha: string): number | undefined {
  const row = store
    .sql(
      `WITH RECURSIVE chain(sha, depth) AS (
      SELECT ?, 0
      UNION ALL
      SELECT r.first_parent, c.depth + 1 FROM chain c JOIN revision r ON r.sha = c.sha WHERE r.first_parent IS NOT NULL AND c.sha != ?
    ) SELECT depth FROM chain WHERE sha = ? LIMIT 1`,
    )
    .get(tip, sha, sha) as { depth: number } | undefined;
  return row?.depth;
}
