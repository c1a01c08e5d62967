// An HTML tooltip for Chart.js (its `external` hook): text nodes only, themed by CSS, and in
// the DOM, so screen readers and tests can read it. Positioned through the CSSOM.
import type { Chart, TooltipModel } from 'chart.js';

export class ChartTooltip {
  readonly element = document.createElement('div');

  constructor(host: HTMLElement) {
    this.element.className = 'chart-tooltip';
    this.element.setAttribute('role', 'tooltip');
    this.element.hidden = true;
    host.append(this.element);
  }

  show(lines: string[], x: number, y: number, color?: string): void {
    this.element.replaceChildren(
      ...lines.map((text, i) => {
        const line = document.createElement('div');
        line.className = i === 0 ? 'tt-title' : 'tt-line';
        if (i === 0 && color) {
          const swatch = document.createElement('span');
          swatch.className = 'tt-swatch';
          swatch.style.backgroundColor = color;
          line.append(swatch);
        }
        line.append(document.createTextNode(text));
        return line;
      }),
    );
    this.element.hidden = false;
    const host = this.element.parentElement!;
    const w = this.element.offsetWidth;
    const h = this.element.offsetHeight;
    const left = Math.min(Math.max(4, x + 12), Math.max(4, host.clientWidth - w - 4));
    const top = y - h - 10 < 0 ? y + 12 : y - h - 10;
    this.element.style.left = `${left}px`;
    this.element.style.top = `${top}px`;
  }

  hide(): void {
    this.element.hidden = true;
  }
}

/** A Chart.js `external` tooltip handler that asks `linesOf` for the text of the hovered point. */
export function externalTooltip(tooltip: ChartTooltip, linesOf: (datasetIndex: number, index: number) => string[] | undefined) {
  return (context: { chart: Chart; tooltip: TooltipModel<never> }): void => {
    const model = context.tooltip;
    const point = model.dataPoints?.[0];
    if (model.opacity === 0 || !point) {
      tooltip.hide();
      return;
    }
    const lines = linesOf(point.datasetIndex, point.dataIndex);
    if (!lines) {
      tooltip.hide();
      return;
    }
    const color = (context.chart.data.datasets[point.datasetIndex] as { borderColor?: unknown }).borderColor;
    tooltip.show(lines, model.caretX, model.caretY, typeof color === 'string' ? color : undefined);
  };
}
