// Arithmetic of the charts tab (scatter, parallel coordinates): extents, round tick values,
// linear scales, the point under the mouse, a row's colour class. Pure, tested in Node.

export interface Extent {
  min: number;
  max: number;
}

/** The smallest and largest finite value, widened when all are equal so a scale has some span. */
export function extent(values: Iterable<number | null>): Extent | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity) return undefined;
  if (min === max) {
    const pad = Math.abs(min) * 0.05 || 1;
    return { min: min - pad, max: max + pad };
  }
  return { min, max };
}

/** About `count` round values (1, 2 or 5 times a power of ten apart) covering the extent. */
export function niceTicks(e: Extent, count = 5): number[] {
  const span = e.max - e.min;
  if (!(span > 0) || !Number.isFinite(span)) return [e.min];
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  // The multiple of the power nearest (geometrically) to the raw step, as d3's ticks pick it.
  const error = raw / power;
  const step = power * (error >= Math.sqrt(50) ? 10 : error >= Math.sqrt(10) ? 5 : error >= Math.sqrt(2) ? 2 : 1);
  const first = Math.ceil(e.min / step) * step;
  const ticks: number[] = [];
  for (let v = first; v <= e.max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Maps [min, max] onto [from, to] (pixels; `to` may be smaller for a y axis). */
export function scale(e: Extent, from: number, to: number): (v: number) => number {
  const k = (to - from) / (e.max - e.min);
  return (v) => from + (v - e.min) * k;
}

/** Index of the point nearest to (x, y) within `radius` pixels, or -1. */
export function nearest(points: readonly { x: number; y: number }[], x: number, y: number, radius: number): number {
  let best = -1;
  let bestD = radius * radius;
  for (let i = 0; i < points.length; i++) {
    const dx = points[i].x - x;
    const dy = points[i].y - y;
    const d = dx * dx + dy * dy;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

export type RowTone = 'baseline' | 'better' | 'worse' | 'same' | 'none';

/** A row's colour in the charts, as its cell of `metric` is coloured in the table: by direction against the baseline. */
export function rowTone(
  value: number | null,
  base: number | null,
  direction: 'higher' | 'lower' | undefined,
  isBaseline: boolean,
): RowTone {
  if (isBaseline) return 'baseline';
  if (value === null || base === null || !Number.isFinite(value) || !Number.isFinite(base)) return 'none';
  if (value === base) return 'same';
  if (!direction) return 'none';
  return (direction === 'higher') === value > base ? 'better' : 'worse';
}

/** A tick label: short, without float noise. */
export function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(4)));
}
