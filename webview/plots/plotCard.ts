// One plot of the Plots page: title and template, PNG/CSV export, and the drawing for its
// kind (Chart.js line/scatter/bar, a confusion heatmap per revision, images per revision).
import type { ChartDataset } from 'chart.js';
import type { ConfusionView, PlotView } from '../../src/protocol/plots';
import { formatNumber, paletteColor, slug, withAlpha } from '../shared/chartModel';
import { canvasesToPng, Chart, type Theme } from '../shared/chartTheme';
import { registerChart, unregisterChart } from '../shared/chartRegistry';
import { cellAt, drawHeatmap, normalizedRows, type HeatmapLayout } from './heatmap';
import { barSeries, linearX, lineSeries, plotCsv } from './model';
import { ChartTooltip, externalTooltip } from '../shared/tooltip';

type Exporter = (format: 'png' | 'csv', name: string, data: string) => void;

const DASHES: number[][] = [[], [6, 4], [2, 3], [8, 3, 2, 3]];

export class PlotCard {
  readonly element = document.createElement('section');
  private readonly title = document.createElement('h3');
  private readonly badge = document.createElement('span');
  private readonly tools = document.createElement('div');
  private readonly body = document.createElement('div');
  private readonly notes = document.createElement('div');
  private chartId: string | undefined;
  private plot: PlotView | undefined;
  private revisionIndex = new Map<string, number>();
  private png: () => string = () => '';

  constructor(
    private readonly exporter: Exporter,
    private readonly onSmoothing: (weight: number) => void,
  ) {
    this.element.className = 'plot-card';
    const header = document.createElement('header');
    this.title.className = 'plot-title';
    this.badge.className = 'plot-template';
    this.tools.className = 'plot-tools';
    const png = button(
      'PNG',
      'Export this chart as a PNG image',
      () => this.plot && this.exporter('png', slug(this.plot.title), this.png()),
    );
    const csv = button(
      'CSV',
      'Export the data of this chart as CSV',
      () => this.plot && this.exporter('csv', slug(this.plot.title), plotCsv(this.plot)),
    );
    png.classList.add('export-png');
    csv.classList.add('export-csv');
    this.tools.append(png, csv);
    header.append(this.title, this.badge, this.tools);
    this.body.className = 'plot-body';
    this.notes.className = 'plot-notes';
    this.element.append(header, this.body, this.notes);
  }

  render(plot: PlotView, theme: Theme, revisionIndex: Map<string, number>, smoothing: number): void {
    this.clear();
    this.plot = plot;
    this.revisionIndex = revisionIndex;
    this.element.dataset.plotId = plot.id;
    this.element.dataset.kind = plot.kind;
    this.element.dataset.template = plot.template;
    this.title.textContent = plot.title;
    this.title.title = plot.name;
    this.badge.textContent = plot.template;
    this.notes.replaceChildren(
      ...plot.problems.map((p) => {
        const n = document.createElement('div');
        n.className = 'problem';
        n.textContent = p;
        return n;
      }),
    );
    const colorOf = (revision: string) => paletteColor(theme.palette, revisionIndex.get(revision) ?? 0);
    if (plot.kind === 'image') this.renderImages(plot);
    else if (plot.kind === 'confusion') this.renderConfusion(plot, theme);
    else this.renderChart(plot, theme, colorOf, smoothing);
    (this.tools.querySelector('.export-csv') as HTMLElement).hidden = plot.kind === 'image';
    (this.tools.querySelector('.export-png') as HTMLElement).hidden = plot.kind === 'image';
  }

  private renderChart(plot: PlotView, theme: Theme, colorOf: (rev: string) => string, smoothing: number): void {
    const wrap = document.createElement('div');
    wrap.className = 'chart-wrap';
    const canvas = document.createElement('canvas');
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `${plot.title}: ${plot.yLabel} against ${plot.xLabel}`);
    wrap.append(canvas);
    if (plot.smooth)
      this.body.append(
        smoothingControl(smoothing, (w) => {
          this.onSmoothing(w);
          this.render(plot, theme, this.revisionIndex, w);
        }),
      );
    this.body.append(wrap);
    const tooltip = new ChartTooltip(wrap);
    const perRevision = new Map<string, number>();
    let datasets: ChartDataset<'line' | 'scatter' | 'bar', unknown[]>[];
    let xType: 'linear' | 'category' = 'linear';
    let labels: string[] | undefined;
    const lines: string[][][] = [];
    if (plot.kind === 'bar') {
      const bars = barSeries(plot);
      labels = bars.labels;
      datasets = bars.datasets.map((d) => ({
        type: 'bar',
        label: d.label,
        data: d.values,
        backgroundColor: withAlpha(colorOf(d.label), 0.75),
        borderColor: colorOf(d.label),
        borderWidth: 1,
      }));
      bars.datasets.forEach(
        (d, i) =>
          (lines[i] = bars.labels.map((l, j) => [`${d.label}`, `${l}: ${d.values[j] === null ? '—' : formatNumber(d.values[j]!)}`])),
      );
    } else {
      const series = lineSeries(plot, smoothing);
      xType = linearX(series) ? 'linear' : 'category';
      if (xType === 'category') labels = [...new Set(series.flatMap((s) => s.points.map((p) => String(p.x))))];
      datasets = [];
      for (const s of series) {
        const color = colorOf(s.revision);
        const n = perRevision.get(s.revision) ?? 0;
        perRevision.set(s.revision, n + 1);
        const smoothed = s.smoothed;
        const base = {
          label: s.label,
          data: s.points,
          borderColor: smoothed ? withAlpha(color, 0.3) : color,
          backgroundColor: color,
          borderDash: DASHES[n % DASHES.length],
          borderWidth: 2,
          pointRadius: plot.kind === 'scatter' ? 3 : plot.template === 'simple' || smoothed || s.points.length > 60 ? 0 : 2,
          pointHoverRadius: 5,
          showLine: plot.kind !== 'scatter',
        };
        datasets.push({ type: plot.kind === 'scatter' ? 'scatter' : 'line', ...base } as never);
        lines.push(
          s.points.map((p) => [
            s.label,
            `${plot.xLabel}: ${typeof p.x === 'number' ? formatNumber(p.x) : p.x}`,
            `${plot.yLabel}: ${formatNumber(p.y)}`,
          ]),
        );
        if (smoothed) {
          datasets.push({
            type: 'line',
            label: `${s.label} (smoothed)`,
            derived: true,
            data: s.points.map((p, i) => ({ x: p.x, y: smoothed[i] })),
            borderColor: color,
            borderWidth: 2,
            pointRadius: 0,
            borderDash: base.borderDash,
          } as never);
          lines.push(
            s.points.map((p, i) => [
              `${s.label} (smoothed)`,
              `${plot.xLabel}: ${typeof p.x === 'number' ? formatNumber(p.x) : p.x}`,
              `${plot.yLabel}: ${formatNumber(smoothed[i])}`,
            ]),
          );
        }
      }
    }
    const chart = new Chart(canvas, {
      type: plot.kind === 'bar' ? 'bar' : plot.kind === 'scatter' ? 'scatter' : 'line',
      data: { labels, datasets: datasets as never },
      options: {
        indexAxis: plot.kind === 'bar' ? 'y' : 'x',
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          x: {
            type: plot.kind === 'bar' ? 'linear' : xType,
            title: { display: true, text: plot.xLabel, color: theme.foreground },
            grid: { color: theme.grid },
          },
          y: {
            type: plot.kind === 'bar' ? 'category' : 'linear',
            title: { display: true, text: plot.yLabel, color: theme.foreground },
            grid: { color: theme.grid },
          },
        },
        plugins: {
          legend: { display: true, position: 'bottom', labels: { filter: (item) => !String(item.text).endsWith('(smoothed)') } },
          tooltip: { enabled: false, external: externalTooltip(tooltip, (d, i) => lines[d]?.[i]) as never },
        },
      },
    });
    this.chartId = `plot:${plot.id}`;
    registerChart(this.chartId, chart);
    this.png = () => canvasesToPng([canvas], theme.background);
  }

  private renderConfusion(plot: PlotView, theme: Theme): void {
    const row = document.createElement('div');
    row.className = 'matrix-row';
    this.body.append(row);
    const max = Math.max(1, ...plot.matrices.flatMap((m) => m.counts.flat()));
    const width = Math.max(220, Math.floor((this.body.clientWidth || 560) / Math.max(1, plot.matrices.length)) - 16);
    const canvases: HTMLCanvasElement[] = [];
    for (const m of plot.matrices) {
      const figure = document.createElement('figure');
      figure.className = 'matrix';
      const caption = document.createElement('figcaption');
      caption.textContent = plot.matrices.filter((o) => o.revision === m.revision).length > 1 ? `${m.revision} · ${m.file}` : m.revision;
      const canvas = document.createElement('canvas');
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `Confusion matrix at ${m.revision}: ${m.total} rows`);
      const wrap = document.createElement('div');
      wrap.className = 'matrix-wrap';
      wrap.append(canvas);
      figure.append(caption, wrap);
      row.append(figure);
      const layout = drawHeatmap(canvas, m, theme, {
        normalized: plot.normalized,
        max,
        xTitle: plot.xLabel,
        yTitle: plot.yLabel,
        maxWidth: width,
      });
      canvas.dataset.cells = String(m.xLabels.length * m.yLabels.length);
      canvas.dataset.total = String(m.total);
      hoverCells(canvas, wrap, layout, m, plot);
      canvases.push(canvas);
    }
    this.png = () =>
      canvasesToPng(
        canvases,
        theme.background,
        plot.matrices.map((m) => m.revision),
        { color: theme.foreground, font: `${theme.fontSize}px ${theme.fontFamily}` },
      );
  }

  private renderImages(plot: PlotView): void {
    const row = document.createElement('div');
    row.className = 'image-row';
    for (const image of plot.images) {
      const figure = document.createElement('figure');
      figure.className = 'plot-image';
      const caption = document.createElement('figcaption');
      caption.textContent = image.revision;
      figure.append(caption);
      if (image.src && image.src.startsWith('data:image/')) {
        const img = document.createElement('img');
        img.alt = `${image.path} at ${image.revision}`;
        img.src = image.src;
        figure.append(img);
      } else {
        const missing = document.createElement('div');
        missing.className = 'problem';
        missing.textContent = image.problem ?? 'not available';
        figure.append(missing);
      }
      row.append(figure);
    }
    this.body.append(row);
    this.png = () => '';
  }

  private clear(): void {
    if (this.chartId) unregisterChart(this.chartId);
    this.chartId = undefined;
    this.body.replaceChildren();
  }

  destroy(): void {
    this.clear();
    this.element.remove();
  }
}

function hoverCells(canvas: HTMLCanvasElement, wrap: HTMLElement, layout: HeatmapLayout, m: ConfusionView, plot: PlotView): void {
  const tooltip = new ChartTooltip(wrap);
  const shares = normalizedRows(m.counts);
  canvas.addEventListener('mousemove', (e) => {
    const rect = canvas.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const y = e.clientY - rect.top;
    const cell = cellAt(layout, m, x, y);
    if (!cell) return tooltip.hide();
    const n = m.counts[cell.row][cell.col];
    tooltip.show(
      [
        m.revision,
        `${plot.xLabel}: ${m.xLabels[cell.col]}`,
        `${plot.yLabel}: ${m.yLabels[cell.row]}`,
        `count: ${n} (${(shares[cell.row][cell.col] * 100).toFixed(1)}% of the row)`,
      ],
      x,
      y,
    );
  });
  canvas.addEventListener('mouseleave', () => tooltip.hide());
}

function button(text: string, title: string, onClick: () => void): HTMLElement {
  const b = document.createElement('vscode-button');
  b.secondary = true;
  b.textContent = text;
  b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

function smoothingControl(value: number, changed: (weight: number) => void): HTMLElement {
  const label = document.createElement('label');
  label.className = 'smoothing';
  const text = document.createElement('span');
  text.textContent = 'Smoothing';
  const input = document.createElement('input');
  input.type = 'range';
  input.min = '0';
  input.max = '0.99';
  input.step = '0.01';
  input.value = String(value);
  const shown = document.createElement('span');
  shown.className = 'smoothing-value';
  shown.textContent = value.toFixed(2);
  input.addEventListener('input', () => {
    shown.textContent = Number(input.value).toFixed(2);
  });
  input.addEventListener('change', () => changed(Number(input.value)));
  label.append(text, input, shown);
  return label;
}
