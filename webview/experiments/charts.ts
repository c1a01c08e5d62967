// The charts tab: a scatter of a metric against a param, parallel coordinates over chosen
// columns, and the rank correlation of every numeric param with the metric, over the filtered
// rows or the selected ones. Drawn on canvas (no chart library for three small charts); each
// row coloured as its metric cell is in the table. Names reach the DOM only as text.
import type { ColumnInfo, HostMessage, PointsReply, Scope, TableRow, WebviewMessage } from '../../src/protocol/experiments';
import { groupLabel } from '../../src/protocol/experiments';
import { extent, nearest, niceTicks, rowTone, scale, tickLabel, type Extent, type RowTone } from './chartMath';
import { formatNumber } from './cells';

export interface ChartsHost {
  post(message: WebviewMessage): void;
  columns(): readonly ColumnInfo[];
  selected(): string[];
  baseline(): TableRow | null;
  nextRequestId(): number;
}

const MAX_AXES = 8;
const PAD = { left: 56, right: 16, top: 14, bottom: 36 };

type CorrelationMessage = Extract<HostMessage, { type: 'correlation' }>;

export class ChartsView {
  readonly element: HTMLDivElement;
  private readonly scope = document.createElement('select');
  private readonly metric = document.createElement('select');
  private readonly xParam = document.createElement('select');
  private readonly addAxis = document.createElement('select');
  private readonly axesChips = document.createElement('div');
  private readonly scatterCanvas = document.createElement('canvas');
  private readonly parallelCanvas = document.createElement('canvas');
  private readonly correlationList = document.createElement('div');
  private readonly correlationTitle = document.createElement('div');
  private readonly tooltip = document.createElement('div');
  private readonly info = document.createElement('div');
  private axes: string[] = [];
  private axesChosen = false;
  private xChosen = false;
  private points: PointsReply | undefined;
  private correlation: CorrelationMessage | undefined;
  private pointsRequest = 0;
  private correlationRequest = 0;
  private visible = false;
  private stale = true;
  private scatterHits: { x: number; y: number; row: number }[] = [];

  constructor(private readonly host: ChartsHost) {
    this.element = div('charts');
    const controls = div('charts-controls');
    this.scope.append(option('filtered', 'Filtered rows'), option('selected', 'Selected rows'));
    this.scope.setAttribute('aria-label', 'Rows');
    this.metric.setAttribute('aria-label', 'Metric');
    this.xParam.setAttribute('aria-label', 'Param for the scatter');
    this.addAxis.setAttribute('aria-label', 'Add an axis');
    for (const s of [this.scope, this.metric, this.xParam]) s.addEventListener('change', () => this.request());
    this.metric.addEventListener('change', () => {
      this.axesChosen = false;
    });
    this.xParam.addEventListener('change', () => {
      this.xChosen = true;
    });
    this.addAxis.addEventListener('change', () => {
      if (this.addAxis.value && !this.axes.includes(this.addAxis.value) && this.axes.length < MAX_AXES) {
        this.axes = [...this.axes, this.addAxis.value];
        this.axesChosen = true;
        this.request();
      }
      this.addAxis.value = '';
    });
    controls.append(labelled('Rows', this.scope), labelled('Metric', this.metric), this.info);
    this.info.className = 'charts-info';

    const scatter = card('Scatter', 'chart-scatter');
    scatter.head.append(labelled('Param', this.xParam));
    scatter.body.append(this.scatterCanvas);
    this.scatterCanvas.addEventListener('mousemove', (e) => this.hover(e));
    this.scatterCanvas.addEventListener('mouseleave', () => {
      this.tooltip.hidden = true;
    });

    const parallel = card('Parallel coordinates', 'chart-parallel');
    this.axesChips.className = 'axes-chips';
    parallel.head.append(this.axesChips, labelled('Add axis', this.addAxis));
    parallel.body.append(this.parallelCanvas);
    this.axesChips.addEventListener('click', (e) => {
      const id = (e.target as HTMLElement).closest<HTMLElement>('.chip-x')?.dataset.col;
      if (!id) return;
      this.axes = this.axes.filter((a) => a !== id);
      this.axesChosen = true;
      this.request();
    });

    const corr = card('Rank correlation', 'chart-correlation');
    this.correlationTitle.className = 'corr-title';
    corr.head.append(this.correlationTitle);
    this.correlationList.className = 'corr-list';
    this.correlationList.setAttribute('role', 'list');
    corr.body.append(this.correlationList);

    this.tooltip.className = 'chart-tip';
    this.tooltip.hidden = true;
    const grid = div('charts-grid');
    grid.append(scatter.element, corr.element, parallel.element);
    this.element.append(controls, grid, this.tooltip);
    new ResizeObserver(() => {
      if (this.visible) this.draw();
    }).observe(this.element);
  }

  /** The tab became visible: draw, asking for data if the table changed meanwhile. */
  shown(): void {
    this.visible = true;
    if (this.stale) this.request();
    else this.draw();
  }

  hidden(): void {
    this.visible = false;
  }

  /** A new table (query, index change): the next showing asks again. */
  tableChanged(): void {
    this.fillSelects();
    this.stale = true;
    if (this.visible && !this.element.closest('[hidden]')) this.request();
  }

  handle(message: Extract<HostMessage, { type: 'points' | 'correlation' }>): void {
    if (message.type === 'points') {
      if (message.requestId !== this.pointsRequest) return;
      this.points = message;
    } else {
      if (message.requestId !== this.correlationRequest) return;
      this.correlation = message;
      // Until the user picks them: the param that moves most with the metric on the scatter,
      // and the metric with the four strongest on the parallel axes.
      const top = message.entries.filter((e) => e.rho !== null).map((e) => e.column);
      let again = false;
      if (!this.xChosen && top[0] && this.xParam.value !== top[0]) {
        this.xParam.value = top[0];
        again = true;
      }
      if (!this.axesChosen) {
        const axes = [...top.slice(0, 4), message.metric];
        if (axes.join('\n') !== this.axes.join('\n')) {
          this.axes = axes;
          again = true;
        }
      }
      if (again) this.requestPoints();
    }
    this.draw();
  }

  private numeric(): ColumnInfo[] {
    return this.host.columns().filter((c) => c.numeric && c.group !== 'meta');
  }

  private fillSelects(): void {
    const numeric = this.numeric();
    const metrics = numeric.filter((c) => c.group === 'metrics');
    const params = numeric.filter((c) => c.group === 'params');
    refill(this.metric, metrics, this.metric.value || preferredMetric(metrics));
    refill(this.xParam, params.length ? params : numeric, this.xParam.value);
    const current = new Set(numeric.map((c) => c.id));
    this.axes = this.axes.filter((a) => current.has(a));
    refill(this.addAxis, numeric, '', 'Add an axis…');
    this.addAxis.value = '';
  }

  private request(): void {
    this.stale = false;
    this.fillSelectsIfEmpty();
    if (!this.metric.value) {
      this.info.textContent = 'No numeric metric in this table.';
      return;
    }
    this.requestPoints();
    this.correlationRequest = this.host.nextRequestId();
    this.host.post({
      type: 'correlation',
      requestId: this.correlationRequest,
      metric: this.metric.value,
      scope: this.scope.value as Scope,
      rowIds: this.rowIds(),
    });
  }

  private requestPoints(): void {
    const columns = [...new Set([this.metric.value, this.xParam.value, ...this.axes].filter(Boolean))];
    this.pointsRequest = this.host.nextRequestId();
    this.host.post({ type: 'points', requestId: this.pointsRequest, columns, scope: this.scope.value as Scope, rowIds: this.rowIds() });
  }

  private fillSelectsIfEmpty(): void {
    if (!this.metric.options.length) this.fillSelects();
  }

  private rowIds(): string[] {
    return this.scope.value === 'selected' ? this.host.selected() : [];
  }

  // ─── Drawing ───────────────────────────────────────────────────────────────────────────

  private draw(): void {
    if (!this.visible) return;
    const p = this.points;
    this.renderAxesChips();
    this.renderCorrelation();
    const metric = this.metric.value;
    const byId = new Map(this.host.columns().map((c) => [c.id, c]));
    if (!p) return;
    const rows = p.rows.length;
    this.info.textContent = `${rows} row${rows === 1 ? '' : 's'}${p.omitted ? ` (${p.omitted} more not drawn)` : ''}${this.scope.value === 'selected' && rows === 0 ? ': select rows in the table' : ''}`;
    const col = (id: string) => p.columns.indexOf(id);
    const base = this.host.baseline();
    const m = col(metric);
    const baseMetric = base && typeof base.cells[metric] === 'number' ? (base.cells[metric] as number) : null;
    const tones: RowTone[] = p.rows.map((r) =>
      rowTone(m >= 0 ? r.values[m] : null, baseMetric, byId.get(metric)?.direction, r.id === base?.id),
    );
    const selected = new Set(this.host.selected());
    const colors = themeColors();
    this.drawScatter(p, col(this.xParam.value), m, tones, selected, colors);
    this.drawParallel(p, this.axes.map(col), tones, selected, colors);
    const root = this.element.closest('.charts-pane') ?? this.element;
    root.setAttribute('data-drawn', String(p.rows.length));
  }

  private drawScatter(p: PointsReply, xi: number, yi: number, tones: RowTone[], selected: Set<string>, colors: Colors): void {
    const ctx = sized(this.scatterCanvas);
    if (!ctx) return;
    const { width, height } = cssSize(this.scatterCanvas);
    this.scatterHits = [];
    if (xi < 0 || yi < 0) return;
    const xs = extent(p.rows.map((r) => r.values[xi]));
    const ys = extent(p.rows.map((r) => r.values[yi]));
    if (!xs || !ys) {
      emptyText(ctx, width, height, 'No rows have both values.', colors);
      return;
    }
    const sx = scale(xs, PAD.left, width - PAD.right);
    const sy = scale(ys, height - PAD.bottom, PAD.top);
    const nameOf = this.namer();
    axes(ctx, xs, ys, sx, sy, width, height, colors, nameOf(p.columns[xi]), nameOf(p.columns[yi]));
    // Unselected rows first, so the selected ones are on top.
    const order = p.rows.map((_, i) => i).sort((a, b) => Number(selected.has(p.rows[a].id)) - Number(selected.has(p.rows[b].id)));
    for (const i of order) {
      const r = p.rows[i];
      const x = r.values[xi];
      const y = r.values[yi];
      if (x === null || y === null) continue;
      const px = sx(x);
      const py = sy(y);
      this.scatterHits.push({ x: px, y: py, row: i });
      ctx.beginPath();
      ctx.arc(px, py, selected.has(r.id) ? 5 : 3.5, 0, Math.PI * 2);
      ctx.fillStyle = colors[tones[i]];
      ctx.globalAlpha = selected.size && !selected.has(r.id) ? 0.45 : 0.9;
      ctx.fill();
      if (selected.has(r.id)) {
        ctx.globalAlpha = 1;
        ctx.strokeStyle = colors.fg;
        ctx.lineWidth = 1.5;
        ctx.stroke();
      }
    }
    ctx.globalAlpha = 1;
  }

  private drawParallel(p: PointsReply, idx: number[], tones: RowTone[], selected: Set<string>, colors: Colors): void {
    const ctx = sized(this.parallelCanvas);
    if (!ctx) return;
    const { width, height } = cssSize(this.parallelCanvas);
    const axesIdx = idx.filter((i) => i >= 0);
    if (axesIdx.length < 2) {
      emptyText(ctx, width, height, 'Choose at least two axes.', colors);
      return;
    }
    const exts = axesIdx.map((i) => extent(p.rows.map((r) => r.values[i])) ?? { min: 0, max: 1 });
    const left = 40;
    const right = width - 40;
    const top = 42;
    const bottom = height - 24;
    const xOf = (k: number) => left + ((right - left) * k) / (axesIdx.length - 1);
    const ys = exts.map((e) => scale(e, bottom, top));
    const order = p.rows.map((_, i) => i).sort((a, b) => Number(selected.has(p.rows[a].id)) - Number(selected.has(p.rows[b].id)));
    ctx.lineWidth = 1;
    for (const i of order) {
      const r = p.rows[i];
      ctx.beginPath();
      let drawing = false;
      axesIdx.forEach((vi, k) => {
        const v = r.values[vi];
        if (v === null) {
          drawing = false;
          return;
        }
        const x = xOf(k);
        const y = ys[k](v);
        if (drawing) ctx.lineTo(x, y);
        else ctx.moveTo(x, y);
        drawing = true;
      });
      ctx.strokeStyle = colors[tones[i]];
      ctx.globalAlpha = selected.size ? (selected.has(r.id) ? 1 : 0.2) : 0.55;
      ctx.lineWidth = selected.has(r.id) ? 2.5 : 1;
      ctx.stroke();
    }
    ctx.globalAlpha = 1;
    ctx.lineWidth = 1;
    ctx.font = `11px ${colors.font}`;
    axesIdx.forEach((vi, k) => {
      const x = xOf(k);
      ctx.strokeStyle = colors.axis;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, bottom);
      ctx.stroke();
      ctx.fillStyle = colors.fg;
      ctx.textAlign = k === 0 ? 'left' : k === axesIdx.length - 1 ? 'right' : 'center';
      const name = this.namer()(p.columns[vi]);
      ctx.fillText(name.length > 24 ? `${name.slice(0, 23)}…` : name, x, 14);
      ctx.fillStyle = colors.muted;
      ctx.fillText(tickLabel(exts[k].max), x, top - 6);
      ctx.fillText(tickLabel(exts[k].min), x, bottom + 14);
    });
  }

  private hover(e: MouseEvent): void {
    const rect = this.scatterCanvas.getBoundingClientRect();
    const hit = nearest(this.scatterHits, e.clientX - rect.left, e.clientY - rect.top, 8);
    const p = this.points;
    if (hit < 0 || !p) {
      this.tooltip.hidden = true;
      return;
    }
    const row = p.rows[this.scatterHits[hit].row];
    const nameOf = this.namer();
    const lines = [row.label, ...p.columns.map((c, i) => `${nameOf(c)}: ${row.values[i] === null ? '—' : formatNumber(row.values[i]!)}`)];
    this.tooltip.textContent = lines.join('\n');
    this.tooltip.hidden = false;
    const host = this.element.getBoundingClientRect();
    this.tooltip.style.left = `${e.clientX - host.left + 12}px`;
    this.tooltip.style.top = `${e.clientY - host.top + 12}px`;
  }

  private renderAxesChips(): void {
    const name = this.namer();
    this.axesChips.replaceChildren(
      ...this.axes.map((id) => {
        const chip = div('chip');
        const text = document.createElement('span');
        text.textContent = name(id);
        chip.title = id;
        const x = document.createElement('button');
        x.type = 'button';
        x.className = 'chip-x';
        x.dataset.col = id;
        x.textContent = '×';
        x.title = 'Remove this axis';
        chip.append(text, x);
        return chip;
      }),
    );
  }

  /** A column's key, with its file or tracker when another numeric column has the same key. */
  private namer(): (id: string) => string {
    const columns = this.host.columns();
    const byId = new Map(columns.map((c) => [c.id, c]));
    const count = new Map<string, number>();
    for (const c of columns) if (c.numeric) count.set(c.key, (count.get(c.key) ?? 0) + 1);
    return (id) => {
      const c = byId.get(id);
      if (!c) return id;
      return (count.get(c.key) ?? 0) > 1 ? `${c.key} · ${c.source}` : c.key;
    };
  }

  private renderCorrelation(): void {
    const c = this.correlation;
    const nameOf = this.namer();
    if (!c) {
      this.correlationList.replaceChildren();
      return;
    }
    this.correlationTitle.textContent = `Spearman's ρ of each param with ${nameOf(c.metric)} over ${c.n} row${c.n === 1 ? '' : 's'}, strongest first`;
    if (!c.entries.length) {
      const none = div('corr-none');
      none.textContent = 'No numeric params.';
      this.correlationList.replaceChildren(none);
      return;
    }
    // Params no row here has (another tracker's, another file's) say nothing: counted, not listed.
    const withValues = c.entries.filter((e) => e.n > 0);
    const without = c.entries.length - withValues.length;
    const note = div('corr-none');
    note.textContent = without ? `${without} param${without === 1 ? '' : 's'} without values in these rows` : '';
    this.correlationList.replaceChildren(
      ...withValues.slice(0, 200).map((e) => {
        const item = div('corr-item');
        item.setAttribute('role', 'listitem');
        item.title = `${e.column}\n${e.n} rows with both values`;
        const name = div('corr-name');
        name.textContent = nameOf(e.column);
        const bar = div('corr-bar');
        const fill = div(`corr-fill ${e.rho === null ? '' : e.rho >= 0 ? 'pos' : 'neg'}`);
        // Widths through the CSSOM: the strict CSP allows no inline style attributes in markup.
        fill.style.width = `${Math.round(Math.abs(e.rho ?? 0) * 50)}%`;
        fill.style.left = e.rho !== null && e.rho < 0 ? `${50 - Math.round(Math.abs(e.rho) * 50)}%` : '50%';
        bar.append(fill);
        const value = div('corr-value');
        value.textContent = e.rho === null ? '—' : e.rho.toFixed(2);
        const n = div('corr-n');
        n.textContent = `n=${e.n}`;
        item.append(name, bar, value, n);
        return item;
      }),
      note,
    );
  }
}

interface Colors extends Record<RowTone, string> {
  fg: string;
  muted: string;
  axis: string;
  grid: string;
  font: string;
}

function themeColors(): Colors {
  const s = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => s.getPropertyValue(name).trim() || fallback;
  return {
    baseline: v('--vscode-charts-blue', '#3794ff'),
    better: v('--vscode-testing-iconPassed', v('--vscode-charts-green', '#388a34')),
    worse: v('--vscode-testing-iconFailed', v('--vscode-charts-red', '#e51400')),
    same: v('--vscode-descriptionForeground', '#888'),
    none: v('--vscode-charts-purple', '#b180d7'),
    fg: v('--vscode-foreground', '#ccc'),
    muted: v('--vscode-descriptionForeground', '#999'),
    axis: v('--vscode-editorWidget-border', '#555'),
    grid: v('--vscode-editorIndentGuide-background', v('--vscode-editorWidget-border', '#444')),
    font: v('--vscode-font-family', 'sans-serif'),
  };
}

function sized(canvas: HTMLCanvasElement): CanvasRenderingContext2D | null {
  const { width, height } = cssSize(canvas);
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}

function cssSize(canvas: HTMLCanvasElement): { width: number; height: number } {
  const r = canvas.getBoundingClientRect();
  return { width: Math.max(50, r.width), height: Math.max(50, r.height) };
}

function axes(
  ctx: CanvasRenderingContext2D,
  xs: Extent,
  ys: Extent,
  sx: (v: number) => number,
  sy: (v: number) => number,
  width: number,
  height: number,
  c: Colors,
  xName: string,
  yName: string,
): void {
  ctx.font = `11px ${c.font}`;
  ctx.lineWidth = 1;
  ctx.fillStyle = c.muted;
  ctx.textAlign = 'center';
  for (const t of niceTicks(xs)) {
    const x = sx(t);
    ctx.strokeStyle = c.grid;
    ctx.beginPath();
    ctx.moveTo(x, PAD.top);
    ctx.lineTo(x, height - PAD.bottom);
    ctx.stroke();
    ctx.fillText(tickLabel(t), x, height - PAD.bottom + 14);
  }
  ctx.textAlign = 'right';
  for (const t of niceTicks(ys)) {
    const y = sy(t);
    ctx.strokeStyle = c.grid;
    ctx.beginPath();
    ctx.moveTo(PAD.left, y);
    ctx.lineTo(width - PAD.right, y);
    ctx.stroke();
    ctx.fillText(tickLabel(t), PAD.left - 6, y + 4);
  }
  ctx.strokeStyle = c.axis;
  ctx.strokeRect(PAD.left, PAD.top, width - PAD.left - PAD.right, height - PAD.top - PAD.bottom);
  ctx.fillStyle = c.fg;
  ctx.textAlign = 'center';
  ctx.fillText(xName, (PAD.left + width - PAD.right) / 2, height - 6);
  ctx.save();
  ctx.translate(12, (PAD.top + height - PAD.bottom) / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText(yName, 0, 0);
  ctx.restore();
}

function emptyText(ctx: CanvasRenderingContext2D, width: number, height: number, text: string, c: Colors): void {
  ctx.fillStyle = c.muted;
  ctx.font = `12px ${c.font}`;
  ctx.textAlign = 'center';
  ctx.fillText(text, width / 2, height / 2);
}

function preferredMetric(metrics: readonly ColumnInfo[]): string {
  return (metrics.find((m) => m.key === 'accuracy') ?? metrics.find((m) => m.direction === 'higher') ?? metrics[0])?.id ?? '';
}

function refill(select: HTMLSelectElement, columns: readonly ColumnInfo[], keep: string, placeholder?: string): void {
  const options = columns.map((c) => option(c.id, `${c.key} · ${groupLabel(c)}`));
  if (placeholder) options.unshift(option('', placeholder));
  select.replaceChildren(...options);
  if (keep && columns.some((c) => c.id === keep)) select.value = keep;
}

function option(value: string, text: string): HTMLOptionElement {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  return o;
}

function labelled(text: string, control: HTMLElement): HTMLLabelElement {
  const label = document.createElement('label');
  label.className = 'control';
  const span = document.createElement('span');
  span.textContent = text;
  label.append(span, control);
  return label;
}

function card(title: string, className: string): { element: HTMLDivElement; head: HTMLDivElement; body: HTMLDivElement } {
  const element = div(`chart-card ${className}`);
  const head = div('chart-head');
  const h = document.createElement('h3');
  h.textContent = title;
  head.append(h);
  const body = div('chart-body');
  element.append(head, body);
  return { element, head, body };
}

function div(className: string): HTMLDivElement {
  const node = document.createElement('div');
  node.className = className;
  return node;
}
