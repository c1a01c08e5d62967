// The Metric History page: pickers (metrics, revisions, x axis), one line chart per metric with
// a dataset per revision (click a point: reveal the commit in the Runs view), then the DVCLive
// step series of the chosen revisions with an EMA smoothing slider.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-multi-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import type {
  HistorySelection,
  HistoryState,
  HostMessage,
  MetricId,
  RenderedChart,
  RevisionChoice,
  RunChoice,
  WebviewMessage,
} from '../../src/protocol/metricHistory';
import { applyStepAppends, metricIdText, runRev } from '../../src/protocol/metricHistory';
import { formatNumber, paletteColor, slug, withAlpha } from '../shared/chartModel';
import { applyChartDefaults, canvasesToPng, Chart, onThemeChange, readTheme, type Theme } from '../shared/chartTheme';
import { chartOf, registerChart, unregisterChart } from '../shared/chartRegistry';
import { ChartTooltip, externalTooltip } from '../shared/tooltip';
import { button, chartCard, chip, div, indexes, labelled, option } from './dom';
import { liveBadge, refreshStepChart, stepTooltip } from './live';
import {
  applyHistoryDelta,
  commitTooltip,
  dateTick,
  historyCharts,
  historyCsv,
  stepCharts,
  stepsCsv,
  type HistoryChart,
  type HistoryPersisted,
  type StepChart,
  type XMode,
} from './model';

export interface HistoryHost {
  post(message: WebviewMessage): void;
  save(state: HistoryPersisted): void;
}

export class MetricHistoryApp {
  private state: HistoryState | undefined;
  private theme: Theme;
  private xMode: XMode;
  private smoothing: number;
  private readonly metricSelect = document.createElement('vscode-multi-select');
  private readonly revisionSelect = document.createElement('vscode-multi-select');
  private readonly xSelect = document.createElement('vscode-single-select');
  private readonly stepRevisions = div('rev-list');
  private readonly slider = document.createElement('input');
  private readonly sliderValue = document.createElement('span');
  private readonly historyGrid = div('chart-grid history-grid');
  private readonly stepsGrid = div('chart-grid steps-grid');
  private readonly stepsSection = document.createElement('section');
  private readonly problems = div('problems');
  private readonly message = div('message');
  private readonly status = div('status');
  private readonly badge = liveBadge();
  /** The data each step chart shows now (tooltips read it, so appended points have theirs). */
  private readonly stepModels = new Map<string, StepChart>();
  private chartIds: string[] = [];
  private readonly reported: { history: HistoryChart[]; steps: StepChart[] } = { history: [], steps: [] };
  private statusTimer = 0;
  private suppressChange = false;

  constructor(
    root: HTMLElement,
    private readonly host: HistoryHost,
    persisted: HistoryPersisted,
  ) {
    this.xMode = persisted.xMode;
    this.smoothing = persisted.smoothing;
    this.theme = readTheme();
    applyChartDefaults(this.theme);

    const controls = div('controls');
    this.metricSelect.setAttribute('aria-label', 'Metrics');
    this.metricSelect.setAttribute('combobox', '');
    this.metricSelect.className = 'metric-select';
    this.metricSelect.addEventListener('change', () => this.onPickerChange());
    this.revisionSelect.setAttribute('aria-label', 'Branches');
    this.revisionSelect.className = 'revision-select';
    this.revisionSelect.addEventListener('change', () => this.onPickerChange());
    const more = button('Other revisions…', 'Tags, experiments or commits to draw', () =>
      host.post({ type: 'pickRevisions', target: 'history' }),
    );
    this.xSelect.setAttribute('aria-label', 'X axis');
    this.xSelect.append(
      option('time', 'Commit time', this.xMode === 'time'),
      option('position', 'Commit # (first parent)', this.xMode === 'position'),
    );
    this.xSelect.addEventListener('change', () => {
      this.xMode = this.xSelect.value === 'position' ? 'position' : 'time';
      this.save();
      this.renderHistory();
    });
    controls.append(
      labelled('Metrics', this.metricSelect),
      labelled('Along', this.revisionSelect),
      more,
      labelled('X axis', this.xSelect),
      div('grow'),
      this.badge,
      this.status,
    );

    const historySection = document.createElement('section');
    historySection.className = 'history-section';
    historySection.append(this.historyGrid);

    this.stepsSection.className = 'steps-section';
    const stepsHeader = div('steps-header');
    const h2 = document.createElement('h2');
    h2.textContent = 'Step series';
    this.slider.type = 'range';
    this.slider.min = '0';
    this.slider.max = '0.99';
    this.slider.step = '0.01';
    this.slider.value = String(this.smoothing);
    this.slider.className = 'smoothing-slider';
    this.slider.setAttribute('aria-label', 'Smoothing (exponential moving average weight)');
    this.sliderValue.className = 'smoothing-value';
    this.sliderValue.textContent = this.smoothing.toFixed(2);
    this.slider.addEventListener('input', () => {
      this.smoothing = Number(this.slider.value);
      this.sliderValue.textContent = this.smoothing.toFixed(2);
      this.renderSteps();
    });
    this.slider.addEventListener('change', () => this.save());
    const smoothing = document.createElement('label');
    smoothing.className = 'smoothing';
    const smoothingText = document.createElement('span');
    smoothingText.textContent = 'Smoothing';
    smoothing.append(smoothingText, this.slider, this.sliderValue);
    const ofLabel = document.createElement('span');
    ofLabel.className = 'muted';
    ofLabel.textContent = 'of';
    stepsHeader.append(
      h2,
      ofLabel,
      this.stepRevisions,
      button('Revisions…', 'Revisions whose step series are drawn', () => host.post({ type: 'pickRevisions', target: 'steps' })),
      div('grow'),
      smoothing,
    );
    this.stepsSection.append(stepsHeader, this.stepsGrid);

    this.message.setAttribute('role', 'status');
    root.append(controls, this.problems, this.message, historySection, this.stepsSection);
    this.showMessage('Loading…', false);
    onThemeChange(() => {
      this.theme = readTheme();
      applyChartDefaults(this.theme);
      this.renderAll();
    });
  }

  handle(message: HostMessage): void {
    switch (message.type) {
      case 'init':
        this.state = message.state;
        this.renderAll();
        return;
      case 'delta':
        if (!this.state) return;
        this.state = applyHistoryDelta(this.state, message);
        this.renderAll();
        return;
      case 'stepsAppend':
        if (!this.state) return;
        this.state = {
          ...this.state,
          steps: applyStepAppends(this.state.steps, message.appends),
          problems: message.problems ?? this.state.problems,
        };
        if (message.problems)
          this.problems.replaceChildren(
            ...this.state.problems.map((p) => {
              const d = div('problem');
              d.textContent = p;
              return d;
            }),
          );
        this.appendSteps(new Set(message.appends.map((a) => a.name)));
        return;
      case 'live':
        this.badge.hidden = !message.live;
        this.badge.title = message.detail;
        return;
      case 'loading':
        this.setStatus('Loading…');
        return;
      case 'error':
        this.state = undefined;
        this.clearCharts();
        this.showMessage(message.message, true);
        return;
      case 'revealed':
        this.setStatus(
          message.found
            ? `Revealed ${message.sha.slice(0, 8)} in the Runs view`
            : `${message.sha.slice(0, 8)} is not on a branch the Runs view lists`,
        );
        return;
      case 'exported':
        this.setStatus(`Saved ${message.file}`);
        return;
    }
  }

  private renderAll(): void {
    const state = this.state;
    if (!state) return;
    this.save();
    this.suppressChange = true;
    this.fillMetricPicker(state);
    this.fillRevisionPicker(state);
    this.suppressChange = false;
    this.stepRevisions.replaceChildren(
      ...state.selection.stepRevisions.map((r) => chip(r.label)),
      ...(state.selection.runs ?? []).map((r) => this.runChip(r, state)),
    );
    this.problems.replaceChildren(
      ...state.problems.map((p) => {
        const d = div('problem');
        d.textContent = p;
        return d;
      }),
    );
    if (this.status.textContent === 'Loading…') this.setStatus('');
    const started = performance.now();
    this.renderHistory(false);
    this.renderSteps(false);
    this.report(performance.now() - started);
  }

  /** An overlaid run: its label (status on hover), and a button that stops showing it. */
  private runChip(run: RunChoice, state: HistoryState): HTMLElement {
    const shown = state.runs?.find((r) => r.source === run.source && r.id === run.id);
    const c = chip(run.label);
    c.title = shown ? `${shown.location} · ${shown.id} · ${shown.live ? 'running, followed live' : shown.status}` : run.id;
    const remove = button('×', `Stop showing ${run.label}`, () => {
      const runs = (state.selection.runs ?? []).filter((r) => r !== run);
      this.host.post({ type: 'select', selection: { ...state.selection, runs } });
    });
    remove.setAttribute('aria-label', `Stop showing ${run.label}`);
    const wrap = document.createElement('span');
    wrap.append(c, remove);
    return wrap;
  }

  private fillMetricPicker(state: HistoryState): void {
    const chosen = new Set(state.selection.metrics.map(metricIdText));
    const all = [...state.selection.metrics, ...state.available.filter((m) => !chosen.has(metricIdText(m)))];
    const keyCount = new Map<string, number>();
    for (const m of all) keyCount.set(m.key, (keyCount.get(m.key) ?? 0) + 1);
    this.metricSelect.replaceChildren(
      ...all.map((m, i) =>
        option(String(i), keyCount.get(m.key)! > 1 ? `${m.key} — ${m.file}` : m.key, chosen.has(metricIdText(m)), m.file),
      ),
    );
    this.metricOptions = all;
  }

  private metricOptions: MetricId[] = [];
  private revisionOptions: RevisionChoice[] = [];

  private fillRevisionPicker(state: HistoryState): void {
    const chosen = new Set(state.selection.revisions.map((r) => r.rev));
    const all = [...state.selection.revisions, ...state.branches.filter((b) => !chosen.has(b.rev))];
    this.revisionSelect.replaceChildren(...all.map((r, i) => option(String(i), r.label, chosen.has(r.rev))));
    this.revisionOptions = all;
  }

  private onPickerChange(): void {
    if (this.suppressChange || !this.state) return;
    const metrics = indexes(this.metricSelect.value)
      .map((i) => this.metricOptions[i])
      .filter(Boolean);
    const revisions = indexes(this.revisionSelect.value)
      .map((i) => this.revisionOptions[i])
      .filter(Boolean);
    const selection: HistorySelection = { ...this.state.selection, metrics, revisions };
    this.host.post({ type: 'select', selection });
  }

  private renderHistory(report = true): void {
    const state = this.state;
    if (!state) return;
    const started = performance.now();
    for (const id of this.chartIds.filter((i) => i.startsWith('history:'))) unregisterChart(id);
    this.chartIds = this.chartIds.filter((i) => !i.startsWith('history:'));
    const charts = historyCharts(state, this.xMode);
    const colorOf = new Map(state.selection.revisions.map((r, i) => [r.rev, paletteColor(this.theme.palette, i)]));
    this.historyGrid.replaceChildren(...charts.map((c) => this.historyCard(c, colorOf)));
    const points = charts.reduce((n, c) => n + c.datasets.reduce((m, d) => m + d.points.length, 0), 0);
    if (charts.length === 0) this.showMessage(state.selection.runs?.length ? '' : 'Pick one or more metrics above.', false);
    else if (points === 0 && state.selection.revisions.length === 0) this.showMessage('Pick one or more branches above.', false);
    else if (points === 0) this.showMessage('No numeric values of these metrics along these revisions.', false);
    else this.showMessage('', false);
    this.reported.history = charts;
    if (report) this.report(performance.now() - started);
  }

  private renderSteps(report = true): void {
    const state = this.state;
    if (!state) return;
    const started = performance.now();
    for (const id of this.chartIds.filter((i) => i.startsWith('steps:'))) unregisterChart(id);
    this.chartIds = this.chartIds.filter((i) => !i.startsWith('steps:'));
    this.stepModels.clear();
    const charts = stepCharts(state.steps, this.smoothing);
    const revs = [...state.selection.stepRevisions.map((r) => r.rev), ...(state.selection.runs ?? []).map(runRev)];
    const colorOf = new Map(revs.map((rev, i) => [rev, paletteColor(this.theme.palette, i)]));
    this.stepsGrid.replaceChildren(...charts.map((c) => this.stepCard(c, colorOf)));
    this.stepsSection.hidden = state.selection.stepRevisions.length === 0 && charts.length === 0;
    this.reported.steps = charts;
    if (report) this.report(performance.now() - started);
  }

  /** A live run's points: the charts of these series take them in place; anything else new draws the section anew. */
  private appendSteps(names: Set<string>): void {
    const state = this.state!;
    const started = performance.now();
    const charts = stepCharts(state.steps, this.smoothing);
    const drawn = this.reported.steps.map((c) => c.id).join('\0');
    const refreshed =
      drawn === charts.map((c) => c.id).join('\0') &&
      charts
        .filter((c) => names.has(c.name))
        .every((c) => {
          const chart = chartOf(c.id);
          return chart !== undefined && refreshStepChart(chart, c, this.smoothing > 0);
        });
    if (!refreshed) {
      this.renderSteps();
      return;
    }
    for (const c of charts) {
      this.stepModels.set(c.id, c);
      const card = [...this.stepsGrid.children].find((e) => (e as HTMLElement).dataset.chartId === c.id) as HTMLElement | undefined;
      if (card) card.dataset.points = JSON.stringify(Object.fromEntries(c.datasets.map((d) => [d.label, d.raw.length])));
    }
    this.reported.steps = charts;
    this.report(performance.now() - started);
  }

  private historyCard(chart: HistoryChart, colorOf: Map<string, string>): HTMLElement {
    const { card, canvas, wrap } = chartCard(
      chart.title,
      chart.id,
      () => this.export('png', chart.title, canvas),
      () => this.export('csv', chart.title, historyCsv(chart)),
    );
    card.title = chart.metric.file;
    const tooltip = new ChartTooltip(wrap);
    const spans = chart.datasets.flatMap((d) => d.points.map((p) => p.x));
    const span = spans.length ? Math.max(...spans) - Math.min(...spans) : 0;
    const c = new Chart(canvas, {
      type: 'line',
      data: {
        datasets: chart.datasets.map((d) => ({
          label: d.label,
          data: d.points as never,
          borderColor: colorOf.get(d.rev) ?? this.theme.palette[0],
          backgroundColor: colorOf.get(d.rev) ?? this.theme.palette[0],
          borderWidth: 1.5,
          pointRadius: d.points.length > 150 ? 1.5 : d.points.length > 60 ? 2 : 3,
          pointHoverRadius: 6,
          pointHitRadius: 6,
          tension: 0,
        })),
      },
      options: {
        parsing: false,
        interaction: { mode: 'nearest', intersect: false },
        onHover: (e, elements) => {
          (e.native?.target as HTMLElement | undefined)?.classList.toggle('pointer', elements.length > 0);
        },
        onClick: (_e, elements) => {
          const el = elements[0];
          if (!el) return;
          const d = chart.datasets[el.datasetIndex];
          const p = d?.points[el.index];
          if (p) this.host.post({ type: 'reveal', sha: p.sha, rev: d.rev });
        },
        scales: {
          x: {
            type: 'linear',
            title: {
              display: true,
              text: this.xMode === 'time' ? 'commit time (UTC)' : 'commit # along first parents',
              color: this.theme.foreground,
            },
            ticks: {
              callback: (v) => (this.xMode === 'time' ? dateTick(Number(v), span) : String(v)),
              maxRotation: 0,
              autoSkipPadding: 16,
            },
            grid: { color: this.theme.grid },
          },
          y: {
            title: { display: true, text: chart.metric.key, color: this.theme.foreground },
            grid: { color: this.theme.grid },
            ticks: { callback: (v) => formatNumber(Number(v)) },
          },
        },
        plugins: {
          legend: { display: true, position: 'bottom' },
          tooltip: {
            enabled: false,
            external: externalTooltip(tooltip, (di, i) => {
              const d = chart.datasets[di];
              const p = d?.points[i];
              return p ? commitTooltip(p, chart.metric.key, d.label) : undefined;
            }) as never,
          },
        },
      },
    });
    registerChart(chart.id, c);
    this.chartIds.push(chart.id);
    card.dataset.points = JSON.stringify(Object.fromEntries(chart.datasets.map((d) => [d.label, d.points.length])));
    return card;
  }

  private stepCard(chart: StepChart, colorOf: Map<string, string>): HTMLElement {
    const { card, canvas, wrap } = chartCard(
      chart.name,
      chart.id,
      () => this.export('png', chart.name, canvas),
      () => this.export('csv', chart.name, stepsCsv(chart)),
    );
    const tooltip = new ChartTooltip(wrap);
    const smoothed = this.smoothing > 0;
    const datasets: object[] = [];
    this.stepModels.set(chart.id, chart);
    for (const d of chart.datasets) {
      const color = colorOf.get(d.rev) ?? this.theme.palette[0];
      datasets.push({
        label: d.label,
        data: d.raw,
        borderColor: smoothed ? withAlpha(color, 0.28) : color,
        backgroundColor: color,
        borderWidth: smoothed ? 1 : 2,
        pointRadius: 0,
        pointHoverRadius: 4,
      });
      if (smoothed) {
        datasets.push({
          label: `${d.label} (smoothed)`,
          derived: true,
          data: d.smoothed,
          borderColor: color,
          backgroundColor: color,
          borderWidth: 2,
          pointRadius: 0,
          pointHoverRadius: 4,
        });
      }
    }
    const c = new Chart(canvas, {
      type: 'line',
      data: { datasets: datasets as never },
      options: {
        parsing: false,
        normalized: true,
        interaction: { mode: 'nearest', intersect: false },
        scales: {
          x: { type: 'linear', title: { display: true, text: 'step', color: this.theme.foreground }, grid: { color: this.theme.grid } },
          y: {
            title: { display: true, text: chart.name, color: this.theme.foreground },
            grid: { color: this.theme.grid },
            ticks: { callback: (v) => formatNumber(Number(v)) },
          },
        },
        plugins: {
          legend: { display: true, position: 'bottom', labels: { filter: (item) => !String(item.text).endsWith('(smoothed)') } },
          tooltip: {
            enabled: false,
            external: externalTooltip(tooltip, (di, i) => stepTooltip(this.stepModels.get(chart.id) ?? chart, smoothed, di, i)) as never,
          },
        },
      },
    });
    registerChart(chart.id, c);
    this.chartIds.push(chart.id);
    card.dataset.points = JSON.stringify(Object.fromEntries(chart.datasets.map((d) => [d.label, d.raw.length])));
    return card;
  }

  /** Tells the host what is drawn now (both sections; each redraw reports the whole page). */
  private report(ms: number): void {
    const { history, steps } = this.reported;
    const charts: RenderedChart[] = [
      ...history.map((c) => ({
        id: c.id,
        kind: 'history' as const,
        points: Object.fromEntries(c.datasets.map((d) => [d.label, d.points.length])),
      })),
      ...steps.map((c) => ({
        id: c.id,
        kind: 'steps' as const,
        points: Object.fromEntries(c.datasets.map((d) => [d.label, d.raw.length])),
      })),
    ];
    this.historyGrid.dataset.renderMs = String(Math.round(ms));
    requestAnimationFrame(() => this.host.post({ type: 'rendered', charts, ms: Math.round(ms) }));
  }

  private export(format: 'png' | 'csv', title: string, what: HTMLCanvasElement | string): void {
    const data = typeof what === 'string' ? what : canvasesToPng([what], this.theme.background);
    this.host.post({ type: 'export', format, name: slug(title), data });
  }

  private clearCharts(): void {
    for (const id of this.chartIds) unregisterChart(id);
    this.chartIds = [];
    this.historyGrid.replaceChildren();
    this.stepsGrid.replaceChildren();
  }

  private save(): void {
    this.host.save({ version: 1, selection: this.state?.selection, xMode: this.xMode, smoothing: this.smoothing });
  }

  private showMessage(text: string, isError: boolean): void {
    this.message.textContent = text;
    this.message.hidden = text === '';
    this.message.classList.toggle('error', isError);
  }

  private setStatus(text: string): void {
    this.status.textContent = text;
    clearTimeout(this.statusTimer);
    if (text) this.statusTimer = window.setTimeout(() => (this.status.textContent = ''), 5000);
  }
}
