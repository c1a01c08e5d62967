// Pure model of the Plots page: state updates, persisted state, CSV of a plot, datasets of a
// chart. No DOM; tested in Node.
import type { HostMessage, PlotsPersisted, PlotsState, PlotView } from '../../src/protocol/plots';
import { emaSmooth, numericPoints, numericX, toCsv } from '../shared/chartModel';

export type PlotsDelta = Extract<HostMessage, { type: 'delta' }>;

export function applyPlotsDelta(state: PlotsState, delta: PlotsDelta): PlotsState {
  const byId = new Map(state.plots.map((p) => [p.id, p]));
  for (const id of delta.removed) byId.delete(id);
  for (const p of delta.upserts) byId.set(p.id, p);
  return {
    revisions: delta.revisions,
    problems: delta.problems,
    plots: delta.order.map((id) => byId.get(id)).filter((p): p is PlotView => Boolean(p)),
  };
}

export function readPersisted(raw: unknown): PlotsPersisted {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const revisions = Array.isArray(s.revisions) && s.revisions.every((r) => typeof r === 'string') ? (s.revisions as string[]) : undefined;
  const smoothing = typeof s.smoothing === 'number' && s.smoothing >= 0 && s.smoothing < 1 ? s.smoothing : undefined;
  return { version: 1, revisions, smoothing };
}

/** The plot's data as CSV, in DVC's long "datapoints" shape (one row per point). */
export function plotCsv(plot: PlotView): string {
  if (plot.kind === 'confusion') {
    const rows: unknown[][] = [];
    for (const m of plot.matrices) {
      m.yLabels.forEach((y, r) => m.xLabels.forEach((x, c) => rows.push([m.revision, m.file, x, y, m.counts[r][c]])));
    }
    return toCsv(['rev', 'filename', plot.xLabel || 'x', plot.yLabel || 'y', 'count'], rows);
  }
  if (plot.kind === 'image')
    return toCsv(
      ['rev', 'filename'],
      plot.images.map((i) => [i.revision, i.path]),
    );
  const rows: unknown[][] = [];
  for (const s of plot.series) for (const p of s.points) rows.push([s.revision, s.file, s.field, p.x, p.y]);
  return toCsv(['rev', 'filename', 'field', plot.xLabel || 'x', plot.yLabel || 'y'], rows);
}

export interface SeriesData {
  /** Legend text: the revision, plus file/field when a plot has several per revision. */
  label: string;
  revision: string;
  points: { x: number | string; y: number }[];
  /** EMA-smoothed y values (smooth template with a weight > 0). */
  smoothed?: number[];
}

/** One dataset per (revision, file, field); labels say only what differs between them. */
export function lineSeries(plot: PlotView, smoothing = 0): SeriesData[] {
  const files = new Set(plot.series.map((s) => s.file));
  const fields = new Set(plot.series.map((s) => s.field));
  return plot.series.map((s) => {
    const parts = [s.revision];
    if (files.size > 1) parts.push(shortFile(s.file, [...files]));
    if (fields.size > 1) parts.push(s.field);
    const points = numericPoints(s.points);
    const data: SeriesData = { label: parts.join(' · '), revision: s.revision, points };
    if (plot.smooth && smoothing > 0)
      data.smoothed = emaSmooth(
        points.map((p) => p.y),
        smoothing,
      );
    return data;
  });
}

/** A file path without the folders every path of the plot shares (as DVC's filename field). */
export function shortFile(file: string, all: string[]): string {
  if (all.length < 2) return file;
  const parts = all.map((f) => f.split('/'));
  let common = 0;
  while (parts.every((p) => p.length > common + 1 && p[common] === parts[0][common])) common++;
  return file.split('/').slice(common).join('/');
}

/** Whether the chart's x axis is numeric (linear) or categorical. */
export function linearX(series: SeriesData[]): boolean {
  return series.every((s) => numericX(s.points));
}

/** Categories for a categorical axis, in first-seen order. */
export function categories(values: Iterable<string | number>): string[] {
  return [...new Set([...values].map(String))];
}

/** Bar charts (DVC's bar_horizontal): y holds the category, x the value. */
export function barSeries(plot: PlotView): { labels: string[]; datasets: { label: string; values: (number | null)[] }[] } {
  const labels = categories(plot.series.flatMap((s) => s.points.map((p) => String(p.y))));
  const byRevision = new Map<string, Map<string, number>>();
  for (const s of plot.series) {
    const m = byRevision.get(s.revision) ?? new Map<string, number>();
    byRevision.set(s.revision, m);
    for (const p of s.points) if (typeof p.x === 'number' && Number.isFinite(p.x)) m.set(String(p.y), p.x);
  }
  let ordered = labels;
  if (plot.template === 'bar_horizontal_sorted') {
    const first = byRevision.values().next().value as Map<string, number> | undefined;
    ordered = [...labels].sort((a, b) => (first?.get(b) ?? -Infinity) - (first?.get(a) ?? -Infinity));
  }
  return { labels: ordered, datasets: [...byRevision].map(([label, m]) => ({ label, values: ordered.map((l) => m.get(l) ?? null) })) };
}

/** Points per dataset, reported to the host after drawing (tests read it). */
export function pointCounts(plot: PlotView): Record<string, number> {
  if (plot.kind === 'confusion') return Object.fromEntries(plot.matrices.map((m) => [m.revision, m.total]));
  if (plot.kind === 'image') return Object.fromEntries(plot.images.map((i) => [i.revision, i.src ? 1 : 0]));
  if (plot.kind === 'bar')
    return Object.fromEntries(barSeries(plot).datasets.map((d) => [d.label, d.values.filter((v) => v !== null).length]));
  return Object.fromEntries(lineSeries(plot).map((s) => [s.label, s.points.length]));
}
