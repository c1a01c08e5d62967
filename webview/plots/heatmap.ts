// A confusion matrix drawn on a canvas, as DVC's `confusion` template shows it: x field
// (actual) across, y field (predicted) down, both ascending; cell color by count (or by the
// share of its row for `confusion_normalized`), the number in each cell.
import type { ConfusionView } from '../../src/protocol/plots';
import { formatNumber, luminance, mix, parseColor } from '../shared/chartModel';
import type { Theme } from '../shared/chartTheme';

export interface HeatmapLayout {
  left: number;
  top: number;
  cell: number;
  width: number;
  height: number;
}

export interface HeatmapOptions {
  normalized: boolean;
  /** Shared maximum so matrices of several revisions use one color scale. */
  max: number;
  xTitle: string;
  yTitle: string;
  /** CSS pixels available across. */
  maxWidth: number;
}

export function normalizedRows(counts: number[][]): number[][] {
  return counts.map((row) => {
    const sum = row.reduce((a, b) => a + b, 0);
    return row.map((n) => (sum === 0 ? 0 : n / sum));
  });
}

export function drawHeatmap(canvas: HTMLCanvasElement, m: ConfusionView, theme: Theme, options: HeatmapOptions): HeatmapLayout {
  const ctx = canvas.getContext('2d')!;
  const font = `${Math.max(11, theme.fontSize - 1)}px ${theme.fontFamily}`;
  ctx.font = font;
  const labelWidth = Math.max(0, ...m.yLabels.map((l) => ctx.measureText(l).width));
  const left = Math.ceil(labelWidth) + 30;
  const top = 8;
  const nx = Math.max(1, m.xLabels.length);
  const ny = Math.max(1, m.yLabels.length);
  const cell = Math.max(22, Math.min(72, Math.floor((options.maxWidth - left - 8) / nx)));
  const bottom = 44;
  const width = left + nx * cell + 8;
  const height = top + ny * cell + bottom;
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  ctx.font = font;

  const bg = parseColor(theme.background) ?? [30, 30, 30];
  const hi = parseColor(theme.accent) ?? [55, 148, 255];
  const values = options.normalized ? normalizedRows(m.counts) : m.counts;
  const max = options.normalized ? 1 : Math.max(1, options.max);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  m.yLabels.forEach((_, r) => {
    m.xLabels.forEach((__, c) => {
      const v = values[r]?.[c] ?? 0;
      const t = v / max;
      const fill = mix(bg, hi, 0.08 + 0.92 * t);
      ctx.fillStyle = fill;
      const x = left + c * cell;
      const y = top + r * cell;
      ctx.fillRect(x + 1, y + 1, cell - 2, cell - 2);
      const rgb = parseColor(fill) ?? hi;
      ctx.fillStyle = luminance(rgb) > 0.35 ? '#000000' : '#ffffff';
      ctx.fillText(options.normalized ? v.toFixed(2) : formatNumber(v), x + cell / 2, y + cell / 2);
    });
  });
  // Axis labels.
  ctx.fillStyle = theme.foreground;
  ctx.textAlign = 'right';
  m.yLabels.forEach((l, r) => ctx.fillText(l, left - 6, top + r * cell + cell / 2));
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  m.xLabels.forEach((l, c) => ctx.fillText(fit(ctx, l, cell - 2), left + c * cell + cell / 2, top + ny * cell + 4));
  ctx.fillStyle = theme.muted;
  ctx.fillText(options.xTitle, left + (nx * cell) / 2, top + ny * cell + 24);
  ctx.save();
  ctx.translate(10, top + (ny * cell) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textBaseline = 'middle';
  ctx.fillText(options.yTitle, 0, 0);
  ctx.restore();
  return { left, top, cell, width, height };
}

function fit(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let s = text;
  while (s.length > 1 && ctx.measureText(`${s}…`).width > width) s = s.slice(0, -1);
  return `${s}…`;
}

/** The cell under a point in CSS pixels, or undefined outside the grid. */
export function cellAt(layout: HeatmapLayout, m: ConfusionView, x: number, y: number): { row: number; col: number } | undefined {
  const col = Math.floor((x - layout.left) / layout.cell);
  const row = Math.floor((y - layout.top) / layout.cell);
  if (col < 0 || row < 0 || col >= m.xLabels.length || row >= m.yLabels.length) return undefined;
  return { row, col };
}
