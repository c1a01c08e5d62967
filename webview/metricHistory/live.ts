// Live step series on the page: the "● live" badge, and new points put into a drawn chart's
// datasets in place (one chart.update('none'), no new canvas) while a training writes them.
import type { Chart } from 'chart.js';
import { formatNumber } from '../shared/chartModel';
import type { StepChart } from './model';

export function liveBadge(): HTMLElement {
  const badge = document.createElement('span');
  badge.className = 'live-badge';
  badge.textContent = '● live';
  badge.setAttribute('role', 'status');
  badge.hidden = true;
  // Through the CSSOM (allowed by the page's CSP, unlike a style attribute); charts.css is shared.
  badge.style.color = 'var(--vscode-charts-red, #f14c4c)';
  badge.style.fontWeight = '600';
  badge.style.marginInline = '8px';
  return badge;
}

/** Dataset i of a step chart: one per revision, each followed by its smoothed line when smoothing. */
function datasetAt(chart: StepChart, smoothed: boolean, di: number): { d: StepChart['datasets'][number]; isSmoothed: boolean } | undefined {
  const d = chart.datasets[smoothed ? Math.floor(di / 2) : di];
  return d && { d, isSmoothed: smoothed && di % 2 === 1 };
}

/** Tooltip of point i of dataset di (the raw value with its smoothed one, or the other way round). */
export function stepTooltip(chart: StepChart, smoothed: boolean, di: number, i: number): string[] | undefined {
  const found = datasetAt(chart, smoothed, di);
  const raw = found?.d.raw[i];
  if (!found || !raw) return undefined;
  const smooth = found.d.smoothed[i];
  if (found.isSmoothed)
    return [`${found.d.label} (smoothed)`, `step ${raw.x}`, `${chart.name}: ${formatNumber(smooth.y)}`, `raw: ${formatNumber(raw.y)}`];
  return [
    found.d.label,
    `step ${raw.x}`,
    `${chart.name}: ${formatNumber(raw.y)}`,
    ...(smoothed ? [`smoothed: ${formatNumber(smooth.y)}`] : []),
  ];
}

/**
 * Puts the chart's new data into the drawn Chart.js datasets and redraws without animation.
 * False when the chart's datasets are not the ones drawn (a revision came or went): the
 * caller draws the chart anew.
 */
export function refreshStepChart(drawn: Chart, chart: StepChart, smoothed: boolean): boolean {
  const expected = chart.datasets.flatMap((d) => (smoothed ? [d.label, `${d.label} (smoothed)`] : [d.label]));
  const datasets = drawn.data.datasets;
  if (datasets.length !== expected.length || datasets.some((d, i) => d.label !== expected[i])) return false;
  datasets.forEach((d, di) => {
    const found = datasetAt(chart, smoothed, di)!;
    d.data = (found.isSmoothed ? found.d.smoothed : found.d.raw) as never;
  });
  drawn.update('none');
  return true;
}
