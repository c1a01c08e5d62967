// The Plots page: the revisions shown (with their colors), problems, and one card per dvc.yaml
// plot. Every file-derived string is set with textContent.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { HostMessage, PlotsPersisted, PlotsState, PlotView, RenderedPlot, WebviewMessage } from '../../src/protocol/plots';
import { slug } from '../shared/chartModel';
import { applyChartDefaults, onThemeChange, readTheme, type Theme } from '../shared/chartTheme';
import { applyPlotsDelta, pointCounts } from './model';
import { PlotCard } from './plotCard';

export interface PlotsHost {
  post(message: WebviewMessage): void;
  save(state: PlotsPersisted): void;
}

export class PlotsApp {
  private state: PlotsState | undefined;
  private theme: Theme;
  private readonly cards = new Map<string, PlotCard>();
  private readonly revisions = div('revisions');
  private readonly status = div('status');
  private readonly problems = div('problems');
  private readonly message = div('message');
  private readonly grid = div('plot-grid');
  private smoothing: number;
  private statusTimer = 0;

  constructor(
    root: HTMLElement,
    private readonly host: PlotsHost,
    private persisted: PlotsPersisted,
  ) {
    this.smoothing = persisted.smoothing ?? 0.6;
    this.theme = readTheme();
    applyChartDefaults(this.theme);
    const top = div('top');
    const bar = div('toolbar');
    const change = document.createElement('vscode-button');
    change.textContent = 'Revisions…';
    change.title = 'Pick the revisions whose plots are shown';
    change.addEventListener('click', () => host.post({ type: 'pickRevisions' }));
    this.status.setAttribute('aria-live', 'polite');
    bar.append(this.revisions, div('grow'), this.status, change);
    top.append(bar, this.problems);
    root.append(top, this.message, this.grid);
    this.showMessage('Loading plots…', false);
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
      case 'delta': {
        if (!this.state) return;
        this.state = applyPlotsDelta(this.state, message);
        this.renderHeader();
        const changed = new Set(message.upserts.map((p) => p.id));
        this.renderCards((p) => changed.has(p.id));
        return;
      }
      case 'loading':
        this.setStatus('Loading…');
        if (!this.state) this.showMessage('Loading plots…', false);
        return;
      case 'error':
        this.state = undefined;
        for (const card of this.cards.values()) card.destroy();
        this.cards.clear();
        this.grid.replaceChildren();
        this.revisions.replaceChildren();
        this.problems.replaceChildren();
        this.showMessage(message.message, true);
        return;
      case 'exported':
        this.setStatus(`Saved ${message.file}`);
        return;
    }
  }

  private renderAll(): void {
    for (const card of this.cards.values()) card.destroy();
    this.cards.clear();
    this.grid.replaceChildren();
    this.renderHeader();
    this.renderCards(() => true);
  }

  private renderHeader(): void {
    const state = this.state;
    if (!state) return;
    this.persisted = { version: 1, revisions: state.revisions.map((r) => r.rev), smoothing: this.smoothing };
    this.host.save(this.persisted);
    this.revisions.replaceChildren(
      ...state.revisions.map((r, i) => {
        const chip = document.createElement('span');
        chip.className = 'rev-chip';
        const swatch = document.createElement('span');
        swatch.className = `swatch color-${i % 6}`;
        const label = document.createElement('span');
        label.textContent = r.label;
        chip.title = [r.label, r.sha !== 'workspace' ? r.sha : 'uncommitted files', r.subject].filter(Boolean).join('\n');
        chip.append(swatch, label);
        return chip;
      }),
    );
    this.problems.replaceChildren(
      ...state.problems.map((p) => {
        const line = div('problem');
        line.textContent = p;
        return line;
      }),
    );
    if (this.status.textContent === 'Loading…') this.setStatus('');
  }

  /** (Re)draws the cards `redraw` selects, keeps the others, and puts all in the state's order. */
  private renderCards(redraw: (plot: PlotView) => boolean): void {
    const state = this.state;
    if (!state) return;
    const started = performance.now();
    const ids = new Set(state.plots.map((p) => p.id));
    for (const [id, card] of this.cards)
      if (!ids.has(id)) {
        card.destroy();
        this.cards.delete(id);
      }
    const revisionIndex = new Map(state.revisions.map((r, i) => [r.label, i]));
    for (const plot of state.plots) {
      let card = this.cards.get(plot.id);
      if (!card) {
        card = new PlotCard(
          (kind, name, data) => this.host.post({ type: 'export', format: kind, name, data }),
          (weight) => {
            this.smoothing = weight;
            this.renderHeader();
          },
        );
        this.cards.set(plot.id, card);
      } else if (!redraw(plot)) {
        continue;
      }
      this.grid.append(card.element);
      card.render(plot, this.theme, revisionIndex, this.smoothing);
    }
    // Order as the state says (appending moves existing nodes).
    for (const plot of state.plots) this.grid.append(this.cards.get(plot.id)!.element);
    this.showMessage(state.plots.length ? '' : 'No plots at these revisions.', false);
    requestAnimationFrame(() => {
      const plots: RenderedPlot[] = state.plots.map((p) => ({ id: p.id, kind: p.kind, points: pointCounts(p) }));
      const ms = Math.round(performance.now() - started);
      this.grid.dataset.rendered = String(plots.length);
      this.grid.dataset.renderMs = String(ms);
      this.host.post({ type: 'rendered', plots, ms });
    });
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

export function div(className: string): HTMLDivElement {
  const node = document.createElement('div');
  node.className = className;
  return node;
}

export { slug };
