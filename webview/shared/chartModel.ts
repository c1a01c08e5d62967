// Pure helpers shared by the chart webviews (Plots, Metric History): CSV text, EMA smoothing,
// number formatting, series to chart points. No DOM access; tested in Node.

/** RFC 4180 CSV: fields with a comma, quote, CR or LF are quoted, quotes doubled; CRLF line ends. */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const cell = (v: unknown): string => {
    const s = v === null || v === undefined ? '' : typeof v === 'number' && !Number.isFinite(v) ? String(v) : String(v);
    // A leading =, +, - or @ makes spreadsheets run a formula: keep the text, prefix a quote.
    const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/**
 * TensorBoard's smoothing: an exponential moving average with weight `w` in [0, 1), debiased
 * so the first values are not pulled towards 0. Non-finite values pass through and do not
 * disturb the average.
 */
export function emaSmooth(values: readonly number[], weight: number): number[] {
  const w = Math.min(Math.max(weight, 0), 0.999);
  if (w === 0) return [...values];
  let last = 0;
  let n = 0;
  return values.map((v) => {
    if (!Number.isFinite(v)) return v;
    last = last * w + (1 - w) * v;
    n++;
    return last / (1 - Math.pow(w, n));
  });
}

/** Short display of a metric value: up to 6 significant digits, exponent for tiny/huge numbers. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e6 || abs < 1e-4) return v.toExponential(3);
  return String(Number(v.toPrecision(6)));
}

export interface XY {
  x: number;
  y: number;
}

/** Whether every x of the points is a finite number (a linear axis), else a category axis. */
export function numericX(points: readonly { x: unknown }[]): boolean {
  return points.every((p) => typeof p.x === 'number' && Number.isFinite(p.x));
}

/** Chart points with numeric y (and x when numeric); strings, booleans and nulls in y are left out. */
export function numericPoints(points: readonly { x: unknown; y: unknown }[]): { x: number | string; y: number }[] {
  const out: { x: number | string; y: number }[] = [];
  for (const p of points) {
    if (typeof p.y !== 'number' || !Number.isFinite(p.y)) continue;
    out.push({ x: typeof p.x === 'number' ? p.x : String(p.x), y: p.y });
  }
  return out;
}

/** A file-name friendly slug of a title. */
export function slug(text: string): string {
  return (
    text
      .replace(/[^\p{L}\p{N}._-]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'chart'
  );
}

/** Colors from VS Code's chart theme variables, then fixed hues for more series. */
export const PALETTE_VARIABLES = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-purple',
  '--vscode-charts-red',
  '--vscode-charts-yellow',
];
export const FALLBACK_COLORS = [
  '#3794ff',
  '#d18616',
  '#89d185',
  '#b180d7',
  '#f14c4c',
  '#cca700',
  '#4ec9b0',
  '#c586c0',
  '#9cdcfe',
  '#ce9178',
];

export function paletteColor(palette: readonly string[], index: number): string {
  const list = palette.length ? palette : FALLBACK_COLORS;
  if (index < list.length) return list[index];
  return FALLBACK_COLORS[index % FALLBACK_COLORS.length];
}

/** r,g,b of `#rgb`, `#rrggbb(aa)` or `rgb(a)(...)`; undefined for anything else. */
export function parseColor(text: string): [number, number, number] | undefined {
  const s = text.trim();
  let m = /^#([0-9a-f]{3})$/i.exec(s);
  if (m) return [0, 1, 2].map((i) => parseInt(m![1][i] + m![1][i], 16)) as [number, number, number];
  m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(s);
  if (m) return [0, 2, 4].map((i) => parseInt(m![1].slice(i, i + 2), 16)) as [number, number, number];
  m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(s);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return undefined;
}

/** `from` blended towards `to` by t in [0, 1], as rgb(). */
export function mix(from: [number, number, number], to: [number, number, number], t: number): string {
  const k = Math.min(Math.max(t, 0), 1);
  const c = from.map((v, i) => Math.round(v + (to[i] - v) * k));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** Relative luminance (0 dark .. 1 light), to pick readable text on a colored cell. */
export function luminance([r, g, b]: [number, number, number]): number {
  const f = (v: number) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
  };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
}

/** `rgba()` of a color with an alpha, for translucent raw lines under smoothed ones. */
export function withAlpha(color: string, alpha: number): string {
  const rgb = parseColor(color);
  return rgb ? `rgba(${rgb[0]}, ${rgb[1]}, ${rgb[2]}, ${alpha})` : color;
}
