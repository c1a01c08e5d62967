import type { FlatMap, FlatValue } from '../data/types';
import { diffValues, pythonEquals } from './diff';
import { verdictOf, type Direction } from './direction';

/**
 * How one key of a file compares with the baseline: `better`/`worse` for metrics with a
 * numeric change (by direction), `changed` for params and non-numeric values, `new` for keys
 * the baseline lacks, `removed` for keys only the baseline has, `same` otherwise.
 */
export type InlineStatus = 'same' | 'better' | 'worse' | 'changed' | 'new' | 'removed';

export interface InlineEntry {
  key: string;
  status: InlineStatus;
  /** The file's value; undefined when removed. */
  value?: FlatValue;
  /** The baseline's value; undefined when new. */
  base?: FlatValue;
  /** value − base when both are numbers (Python counts booleans), exactly as `dvc metrics diff`. */
  delta?: number;
}

export interface InlineSummary {
  kind: 'metrics' | 'params';
  /** Keys in the file. */
  total: number;
  better: number;
  worse: number;
  changed: number;
  added: number;
  removed: number;
}

export interface InlineDiff {
  /** Every key of the file and of the baseline's file, by key. */
  entries: Map<string, InlineEntry>;
  summary: InlineSummary;
}

/**
 * A file's values against the same file at the baseline, with `dvc metrics/params diff`
 * semantics (diff.ts) and per-key verdicts (direction.ts); `directions` maps exact keys.
 */
export function inlineDiff(
  current: FlatMap,
  baseline: FlatMap,
  kind: 'metrics' | 'params',
  directions: Record<string, Direction> = {},
): InlineDiff {
  const diff = diffValues({ f: baseline }, { f: current }, { all: true }).f ?? {};
  const entries = new Map<string, InlineEntry>();
  const summary: InlineSummary = { kind, total: Object.keys(current).length, better: 0, worse: 0, changed: 0, added: 0, removed: 0 };
  for (const [key, d] of Object.entries(diff)) {
    const inCurrent = Object.prototype.hasOwnProperty.call(current, key);
    const inBase = Object.prototype.hasOwnProperty.call(baseline, key);
    const entry: InlineEntry = { key, status: 'same' };
    if (inCurrent) entry.value = current[key];
    if (inBase) entry.base = baseline[key];
    if (d.diff !== undefined) entry.delta = Number(d.diff);
    if (!inBase) entry.status = 'new';
    else if (!inCurrent) entry.status = 'removed';
    else if (d.diff === 0 || (d.diff === undefined && pythonEquals(d.old, d.new))) entry.status = 'same';
    else if (kind === 'metrics' && d.diff !== undefined) {
      const v = verdictOf(key, d.diff, directions);
      entry.status = v === 'better' || v === 'worse' ? v : v === 'same' ? 'same' : 'changed';
    } else entry.status = 'changed';
    entries.set(key, entry);
    if (entry.status === 'better') summary.better++;
    else if (entry.status === 'worse') summary.worse++;
    else if (entry.status === 'changed') summary.changed++;
    else if (entry.status === 'new') summary.added++;
    else if (entry.status === 'removed') summary.removed++;
  }
  return { entries, summary };
}

/** "12 metrics vs main: 7 better, 2 worse, 1 new" — the counts that are not zero; "no changes" when all are. */
export function summaryText(s: InlineSummary, baseline: string): string {
  const parts: string[] = [];
  if (s.better) parts.push(`${s.better} better`);
  if (s.worse) parts.push(`${s.worse} worse`);
  if (s.changed) parts.push(`${s.changed} changed`);
  if (s.added) parts.push(`${s.added} new`);
  if (s.removed) parts.push(`${s.removed} removed`);
  const noun = s.kind === 'metrics' ? (s.total === 1 ? 'metric' : 'metrics') : s.total === 1 ? 'param' : 'params';
  return `${s.total} ${noun} vs ${baseline}: ${parts.length ? parts.join(', ') : 'no changes'}`;
}
