// The charts on a page by id, and a read-only probe on `window.lineageCharts` that says where a
// data point is drawn: the browser tests hover it like a person would. It exposes positions
// and counts only, never a way to change the page.
import type { Chart } from 'chart.js';

const charts = new Map<string, Chart>();

export function registerChart(id: string, chart: Chart): void {
  charts.get(id)?.destroy();
  charts.set(id, chart);
}

export function unregisterChart(id: string): void {
  charts.get(id)?.destroy();
  charts.delete(id);
}

export function chartOf(id: string): Chart | undefined {
  return charts.get(id);
}

interface Probe {
  ids(): string[];
  /** Points per dataset label of a chart. */
  counts(id: string): Record<string, number>;
  /**
   * Viewport position of a point of a chart: by dataset label and either its index or, for
   * commit points, its sha (prefix).
   */
  point(id: string, label: string, which: number | string): { x: number; y: number } | undefined;
}

const probe: Probe = {
  ids: () => [...charts.keys()],
  counts: (id) => {
    const chart = charts.get(id);
    if (!chart) return {};
    return Object.fromEntries(
      chart.data.datasets.filter((d) => !(d as { derived?: boolean }).derived).map((d) => [String(d.label), d.data.length]),
    );
  },
  point: (id, label, which) => {
    const chart = charts.get(id);
    if (!chart) return undefined;
    const datasetIndex = chart.data.datasets.findIndex((d) => d.label === label && !(d as { derived?: boolean }).derived);
    if (datasetIndex < 0) return undefined;
    const data = chart.data.datasets[datasetIndex].data as unknown[];
    const index =
      typeof which === 'number'
        ? which
        : data.findIndex((p) => typeof (p as { sha?: unknown }).sha === 'string' && (p as { sha: string }).sha.startsWith(which));
    const element = chart.getDatasetMeta(datasetIndex).data[index];
    if (!element) return undefined;
    const rect = chart.canvas.getBoundingClientRect();
    return { x: rect.left + element.x, y: rect.top + element.y };
  },
};

(window as unknown as { lineageCharts: Probe }).lineageCharts = probe;
