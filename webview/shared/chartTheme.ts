// Chart.js, bundled (no CDN) with only the parts the pages use, themed from VS Code's CSS
// variables and re-themed when the user switches theme (VS Code changes the body class and
// the variables). Chart.js writes canvas sizes through element.style (CSSOM), which the strict
// style-src allows; it creates no <style> element and evaluates no code.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  ScatterController,
  Tooltip,
} from 'chart.js';
import { FALLBACK_COLORS, PALETTE_VARIABLES } from './chartModel';

Chart.register(
  LineController,
  ScatterController,
  BarController,
  LineElement,
  PointElement,
  BarElement,
  LinearScale,
  CategoryScale,
  Legend,
  Tooltip,
);

export { Chart };

export interface Theme {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  fontFamily: string;
  fontSize: number;
  palette: string[];
  /** The heatmap's high end. */
  accent: string;
}

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(name).trim();
  return value || fallback;
}

export function readTheme(): Theme {
  const palette = PALETTE_VARIABLES.map((v, i) => cssVar(v, FALLBACK_COLORS[i]));
  return {
    foreground: cssVar('--vscode-foreground', '#cccccc'),
    muted: cssVar('--vscode-descriptionForeground', '#9d9d9d'),
    grid: cssVar('--vscode-charts-lines', 'rgba(128, 128, 128, 0.35)'),
    background: cssVar('--vscode-editor-background', '#1e1e1e'),
    fontFamily: cssVar('--vscode-font-family', 'sans-serif'),
    fontSize: Number.parseFloat(cssVar('--vscode-font-size', '13')) || 13,
    palette,
    accent: cssVar('--vscode-charts-blue', '#3794ff'),
  };
}

export function applyChartDefaults(theme: Theme): void {
  Chart.defaults.color = theme.muted;
  Chart.defaults.borderColor = theme.grid;
  Chart.defaults.font.family = theme.fontFamily;
  Chart.defaults.font.size = Math.max(11, theme.fontSize - 1);
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.responsive = true;
  Chart.defaults.plugins.legend.labels.color = theme.foreground;
  Chart.defaults.plugins.legend.labels.boxWidth = 12;
  Chart.defaults.plugins.legend.labels.boxHeight = 2;
}

/** Calls `changed` after VS Code switches the color theme (body class changes). */
export function onThemeChange(changed: () => void): void {
  let last = document.body.className;
  new MutationObserver(() => {
    if (document.body.className === last) return;
    last = document.body.className;
    changed();
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}

/**
 * Draws canvases side by side on the editor background (a chart's canvas is transparent)
 * and returns the PNG as a data: URI.
 */
export function canvasesToPng(
  canvases: HTMLCanvasElement[],
  background: string,
  captions: string[] = [],
  caption?: { color: string; font: string },
): string {
  const gap = 16;
  const captionHeight = captions.some(Boolean) ? 24 : 0;
  const width = canvases.reduce((w, c) => w + c.width, 0) + gap * Math.max(0, canvases.length - 1);
  const height = Math.max(...canvases.map((c) => c.height)) + captionHeight;
  const out = document.createElement('canvas');
  out.width = Math.max(1, width);
  out.height = Math.max(1, height);
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, out.width, out.height);
  let x = 0;
  canvases.forEach((c, i) => {
    if (captions[i] && caption) {
      ctx.fillStyle = caption.color;
      ctx.font = caption.font;
      ctx.textBaseline = 'middle';
      ctx.fillText(captions[i], x + 4, captionHeight / 2);
    }
    ctx.drawImage(c, x, captionHeight);
    x += c.width + gap;
  });
  return out.toDataURL('image/png');
}
