// Pure model of the Metric History page: deltas, persisted state, chart datasets (one chart
// per metric, one dataset per revision), step series with smoothing, tooltip text, CSV.
import type {
  CommitPoint,
  HistoryLine,
  HistorySelection,
  HistoryState,
  HostMessage,
  MetricId,
  StepLine,
} from '../../src/protocol/metricHistory';
import { lineId, metricIdText } from '../../src/protocol/metricHistory';
import { emaSmooth, formatNumber, toCsv } from '../shared/chartModel';

export type HistoryDelta = Extract<HostMessage, { type: 'delta' }>;
export type XMode = 'time' | 'position';

export interface HistoryPersisted {
  version: 1;
  selection?: HistorySelection;
  xMode: XMode;
  smoothing: number;
}

export function readPersisted(raw: unknown): HistoryPersisted {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const selection = s.selection && typeof s.selection === 'object' ? (s.selection as HistorySelection) : undefined;
  return {
    version: 1,
    selection,
    xMode: s.xMode === 'position' ? 'position' : 'time',
    smoothing: typeof s.smoothing === 'number' && s.smoothing >= 0 && s.smoothing < 1 ? s.smoothing : 0.6,
  };
}

export function applyHistoryDelta(state: HistoryState, delta: HistoryDelta): HistoryState {
  const byId = new Map(state.lines.map((l) => [lineId(l), l]));
  for (const id of delta.removed) byId.delete(id);
  for (const l of delta.upserts) byId.set(lineId(l), l);
  const order = new Map(state.lines.map((l, i) => [lineId(l), i]));
  const lines = [...byId.values()].sort((a, b) => (order.get(lineId(a)) ?? 1e9) - (order.get(lineId(b)) ?? 1e9));
  return {
    ...state,
    lines,
    steps: delta.steps ?? state.steps,
    available: delta.available ?? state.available,
    branches: delta.branches ?? state.branches,
    problems: delta.problems,
  };
}

export interface HistoryPoint {
  x: number;
  y: number;
  sha: string;
  subject: string;
  time: number;
}

export interface HistoryChart {
  id: string;
  metric: MetricId;
  title: string;
  datasets: { label: string; rev: string; points: HistoryPoint[] }[];
}

/** X of a commit: its time in ms (a date axis) or its first-parent position from the root. */
export function xOf(p: CommitPoint, mode: XMode): number {
  return mode === 'time' ? p.time * 1000 : p.position;
}

/** One chart per chosen metric (in the selection's order), one dataset per revision. */
export function historyCharts(state: HistoryState, mode: XMode): HistoryChart[] {
  const keys = new Set(state.available.map((m) => m.key));
  const dupKeys = new Set(
    state.selection.metrics
      .filter((m) => state.selection.metrics.filter((o) => o.key === m.key).length > 1 || !keys.has(m.key))
      .map((m) => m.key),
  );
  return state.selection.metrics.map((metric) => {
    const lines = state.lines.filter((l) => metricIdText(l.metric) === metricIdText(metric));
    return {
      id: chartIdOf('history', metric.file, metric.key),
      metric,
      title: dupKeys.has(metric.key) ? `${metric.key} (${metric.file})` : metric.key,
      datasets: overlay(lines.map((l) => ({ label: l.label, rev: l.rev, points: linePoints(l, mode) }))),
    };
  });
}

/**
 * Branches share their history with the branch they forked from: a commit already drawn by
 * an earlier dataset is not drawn again, except the fork point itself, so each later line
 * starts where it leaves the earlier ones. A line whose every commit is already drawn keeps
 * its tip.
 */
export function overlay<T extends { points: { sha: string }[] }>(datasets: T[]): T[] {
  const drawn = new Set<string>();
  return datasets.map((d, i) => {
    let points = d.points;
    if (i > 0) {
      const first = points.findIndex((p) => !drawn.has(p.sha));
      points = first < 0 ? points.slice(-1) : points.slice(Math.max(0, first - 1));
    }
    for (const p of d.points) drawn.add(p.sha);
    return { ...d, points };
  });
}

/** A chart id usable in CSS attribute selectors (no NUL): kind, then URI-encoded parts. */
export function chartIdOf(kind: 'history' | 'steps', ...parts: string[]): string {
  return `${kind}:${parts.map(encodeURIComponent).join(':')}`;
}

export function linePoints(line: HistoryLine, mode: XMode): HistoryPoint[] {
  return line.points.map((p) => ({ x: xOf(p, mode), y: p.value, sha: p.sha, subject: p.subject, time: p.time }));
}

/** Tooltip of a commit point: short sha and subject, then the value (and the revision). */
export function commitTooltip(point: HistoryPoint, metricKey: string, revisionLabel: string): string[] {
  const date = new Date(point.time * 1000).toISOString().slice(0, 16).replace('T', ' ');
  return [`${point.sha.slice(0, 8)} ${oneLine(point.subject)}`, `${metricKey}: ${formatNumber(point.y)}`, `${revisionLabel} · ${date} UTC`];
}

export function oneLine(text: string, max = 120): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export interface StepChart {
  id: string;
  name: string;
  datasets: { label: string; rev: string; raw: { x: number; y: number }[]; smoothed: { x: number; y: number }[] }[];
}

/** One chart per DVCLive series name (train/loss...), one dataset per revision, with EMA smoothing. */
export function stepCharts(steps: StepLine[], smoothing: number): StepChart[] {
  const names = [...new Set(steps.map((s) => s.name))].sort();
  return names.map((name) => ({
    id: chartIdOf('steps', name),
    name,
    datasets: steps
      .filter((s) => s.name === name)
      .map((s) => {
        const ys = emaSmooth(
          s.points.map(([, v]) => v),
          smoothing,
        );
        return {
          label: s.label,
          rev: s.rev,
          raw: s.points.map(([x, y]) => ({ x, y })),
          smoothed: s.points.map(([x], i) => ({ x, y: ys[i] })),
        };
      }),
  }));
}

export function historyCsv(chart: HistoryChart): string {
  const rows: unknown[][] = [];
  for (const d of chart.datasets)
    for (const p of d.points)
      rows.push([chart.metric.key, chart.metric.file, d.label, p.sha, new Date(p.time * 1000).toISOString(), p.subject, p.y]);
  return toCsv(['metric', 'file', 'revision', 'sha', 'commit_time', 'subject', 'value'], rows);
}

export function stepsCsv(chart: StepChart): string {
  const rows: unknown[][] = [];
  for (const d of chart.datasets) d.raw.forEach((p, i) => rows.push([chart.name, d.label, p.x, p.y, d.smoothed[i]?.y]));
  return toCsv(['series', 'revision', 'step', 'value', 'smoothed'], rows);
}

/** Date tick text for a time axis: day precision, or month when the span is long. */
export function dateTick(ms: number, spanMs: number): string {
  const iso = new Date(ms).toISOString();
  return spanMs > 400 * 86400000 ? iso.slice(0, 7) : iso.slice(0, 10);
}
