// The Pipeline DAG page: a toolbar (summary, zoom, legend), the problems, and the graph as SVG
// built with DOM APIs. Positions come laid out from the host; every label, detail and title is
// file-derived and set with textContent, never parsed as markup.
import type {
  DagGraph,
  DagNodeState,
  DagNodeView,
  DagStateUpdate,
  HostMessage,
  PersistedState,
  WebviewMessage,
} from '../../src/protocol/pipelineDag';

export interface ViewHost {
  post(message: WebviewMessage): void;
  save(state: PersistedState): void;
}

const SVG = 'http://www.w3.org/2000/svg';
const STATES: readonly [DagNodeState, string][] = [
  ['up-to-date', 'up to date'],
  ['changed', 'changed'],
  ['never-run', 'never run'],
  ['frozen', 'frozen'],
  ['running', 'running'],
  ['failed', 'failed'],
  ['broken', 'cannot run'],
  ['error', 'error'],
];
const MIN_ZOOM = 0.2;
const MAX_ZOOM = 3;

export function readPersisted(state: unknown): PersistedState & { saved: boolean } {
  const zoom = typeof state === 'object' && state !== null ? (state as Record<string, unknown>).zoom : undefined;
  const ok = typeof zoom === 'number' && zoom >= MIN_ZOOM && zoom <= MAX_ZOOM;
  return { version: 1, zoom: ok ? zoom : 1, saved: ok };
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  className?: string,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (className) e.setAttribute('class', className);
  return e;
}

/** A smooth curve through the layout's bend points, leaving and entering nodes vertically. */
export function edgePath(points: { x: number; y: number }[]): string {
  if (points.length === 0) return '';
  let d = `M${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    const dy = (b.y - a.y) / 2;
    d += ` C${a.x},${a.y + dy} ${b.x},${b.y - dy} ${b.x},${b.y}`;
  }
  return d;
}

interface NodeParts {
  g: SVGGElement;
  title: SVGTitleElement;
  detail?: SVGTextElement;
  node: DagNodeView;
}

export class DagView {
  private readonly summary = el('span', 'summary');
  private readonly zoomLabel = el('span', 'zoom-label');
  private readonly problems = el('ul', 'problems');
  private readonly message = el('div', 'message');
  private readonly canvas = el('div', 'canvas');
  private graph: DagGraph | undefined;
  private svgRoot: SVGSVGElement | undefined;
  private readonly nodes = new Map<string, NodeParts>();
  private readonly edgesOf = new Map<string, SVGPathElement[]>();
  private zoom: number;
  private zoomSaved: boolean;

  constructor(
    root: HTMLElement,
    private readonly host: ViewHost,
    persisted: PersistedState & { saved: boolean },
  ) {
    this.zoom = persisted.zoom;
    this.zoomSaved = persisted.saved;
    const bar = el('div', 'toolbar');
    const zoomOut = this.button('−', 'Zoom out', () => this.setZoom(this.zoom / 1.25));
    const zoomIn = this.button('+', 'Zoom in', () => this.setZoom(this.zoom * 1.25));
    const fit = this.button('Fit', 'Fit the graph to the window', () => this.fit());
    const actual = this.button('100%', 'Actual size', () => this.setZoom(1));
    const legend = el('div', 'legend');
    for (const [state, words] of STATES) {
      const item = el('span', `legend-item state-${state}`);
      item.append(el('span', 'swatch'), el('span', undefined, words));
      legend.append(item);
    }
    bar.append(this.summary, el('span', 'spacer'), zoomOut, this.zoomLabel, zoomIn, fit, actual);
    this.message.hidden = true;
    this.problems.hidden = true;
    root.append(bar, legend, this.problems, this.message, this.canvas);
    this.canvas.addEventListener(
      'wheel',
      (e) => {
        if (!e.ctrlKey && !e.metaKey) return;
        e.preventDefault();
        this.setZoom(this.zoom * (e.deltaY < 0 ? 1.1 : 1 / 1.1));
      },
      { passive: false },
    );
    // Until the user zooms, the graph follows the panel's size.
    new ResizeObserver(() => {
      if (!this.zoomSaved && this.graph) this.fit();
    }).observe(this.canvas);
    this.updateZoomLabel();
  }

  handle(message: HostMessage): void {
    switch (message.type) {
      case 'graph':
        this.render(message.graph);
        return;
      case 'states':
        this.applyStates(message.updates);
        this.summary.textContent = this.graph ? `${this.graph.folder}: ${message.summary}` : message.summary;
        this.showProblems(message.problems);
        return;
      case 'error':
        this.message.textContent = `The pipeline status could not be read: ${message.message}`;
        this.message.hidden = false;
        return;
    }
  }

  private button(text: string, title: string, onClick: () => void): HTMLButtonElement {
    const b = el('button', 'tool', text);
    b.type = 'button';
    b.title = title;
    b.setAttribute('aria-label', title);
    b.addEventListener('click', onClick);
    return b;
  }

  private render(graph: DagGraph): void {
    const first = this.graph === undefined;
    this.graph = graph;
    this.summary.textContent = `${graph.folder}: ${graph.summary}`;
    this.showProblems(graph.problems);
    this.message.hidden = graph.nodes.length > 0;
    this.message.textContent = graph.nodes.length ? '' : 'No pipeline stages: this folder has no dvc.yaml (or none that parses).';
    this.nodes.clear();
    this.edgesOf.clear();

    const root = svg('svg', { role: 'img', 'aria-label': `Pipeline DAG of ${graph.folder}` }, 'dag');
    const defs = svg('defs');
    const marker = svg('marker', {
      id: 'arrow',
      viewBox: '0 0 10 10',
      refX: 9,
      refY: 5,
      markerWidth: 7,
      markerHeight: 7,
      orient: 'auto-start-reverse',
    });
    marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z' }, 'arrow-head'));
    defs.append(marker);
    root.append(defs);

    const edges = svg('g', {}, 'edges');
    const produced = new Set(graph.edges.filter((e) => e.from.startsWith('stage:')).map((e) => e.to));
    for (const e of graph.edges) {
      const path = svg('path', { d: edgePath(e.points), 'marker-end': 'url(#arrow)' }, 'edge');
      edges.append(path);
      for (const id of [e.from, e.to]) this.edgesOf.set(id, [...(this.edgesOf.get(id) ?? []), path]);
    }
    const nodes = svg('g', {}, 'nodes');
    for (const n of graph.nodes) nodes.append(n.kind === 'stage' ? this.stageNode(n, graph.canRun) : this.fileNode(n, produced.has(n.id)));
    root.append(edges, nodes);
    this.svgRoot = root;
    this.canvas.replaceChildren(root);
    if (first && !this.zoomSaved) this.fit();
    else this.applyZoom();
  }

  private stageNode(n: DagNodeView, canRun: boolean): SVGGElement {
    const g = svg(
      'g',
      { transform: `translate(${n.x},${n.y})`, tabindex: 0, role: 'button', 'data-id': n.id },
      `node stage state-${n.state ?? 'never-run'}`,
    );
    const title = svg('title');
    title.textContent = n.title;
    const label = svg('text', { x: 14, y: 19 }, 'label');
    label.textContent = n.label;
    const detail = svg('text', { x: 14, y: 36 }, 'detail');
    detail.textContent = n.detail ?? '';
    g.append(
      title,
      svg('rect', { width: n.width, height: n.height, rx: 6 }, 'box'),
      svg('rect', { width: 5, height: n.height - 8, x: 4, y: 4, rx: 2 }, 'bar'),
      label,
      detail,
    );
    g.setAttribute('aria-label', `Stage ${n.label}, ${n.detail ?? ''}. Press Enter to open it in dvc.yaml.`);
    if (canRun && n.address) {
      const play = svg(
        'g',
        { transform: `translate(${n.width - 20},${n.height / 2})`, role: 'button', tabindex: 0, 'aria-label': `Reproduce ${n.label}` },
        'play',
      );
      const playTitle = svg('title');
      playTitle.textContent = `Reproduce ${n.address}`;
      play.append(playTitle, svg('circle', { r: 10 }), svg('path', { d: 'M-3,-5 L5,0 L-3,5 z' }));
      const run = (e: Event) => {
        e.stopPropagation();
        this.host.post({ type: 'reproduce', address: n.address! });
      };
      play.addEventListener('click', run);
      play.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') run(e);
      });
      g.append(play);
    }
    const reveal = () => {
      if (n.address) this.host.post({ type: 'reveal', address: n.address });
    };
    g.addEventListener('click', reveal);
    g.addEventListener('keydown', (e) => {
      if (e.target === g && (e.key === 'Enter' || e.key === ' ')) {
        e.preventDefault();
        reveal();
      }
    });
    this.hover(g, n.id);
    this.nodes.set(n.id, { g, title, detail, node: n });
    return g;
  }

  private fileNode(n: DagNodeView, produced: boolean): SVGGElement {
    const g = svg('g', { transform: `translate(${n.x},${n.y})`, 'data-id': n.id }, `node file${produced ? ' out' : ''}`);
    const title = svg('title');
    title.textContent = n.title;
    const label = svg('text', { x: n.width / 2, y: n.height / 2, 'text-anchor': 'middle', 'dominant-baseline': 'central' }, 'label');
    label.textContent = n.label;
    g.append(title, svg('rect', { width: n.width, height: n.height, rx: n.height / 2 }, 'box'), label);
    this.hover(g, n.id);
    this.nodes.set(n.id, { g, title, node: n });
    return g;
  }

  /** Hovering a node highlights its edges. */
  private hover(g: SVGGElement, id: string): void {
    const set = (on: boolean) => {
      for (const p of this.edgesOf.get(id) ?? []) p.classList.toggle('hl', on);
    };
    g.addEventListener('mouseenter', () => set(true));
    g.addEventListener('mouseleave', () => set(false));
  }

  private applyStates(updates: DagStateUpdate[]): void {
    for (const u of updates) {
      const parts = this.nodes.get(u.id);
      if (!parts) continue;
      for (const [state] of STATES) parts.g.classList.toggle(`state-${state}`, state === u.state);
      if (parts.detail) parts.detail.textContent = u.detail;
      parts.title.textContent = u.title;
      parts.node.state = u.state;
      parts.node.detail = u.detail;
      parts.g.setAttribute('aria-label', `Stage ${parts.node.label}, ${u.detail}. Press Enter to open it in dvc.yaml.`);
    }
  }

  /** Each problem is text (file-derived) and a link that opens its file at the line. */
  private showProblems(problems: string[]): void {
    this.problems.replaceChildren(
      ...problems.map((p, index) => {
        const li = el('li', 'problem', p);
        li.tabIndex = 0;
        li.setAttribute('role', 'link');
        li.title = 'Open in the editor';
        const open = () => this.host.post({ type: 'openProblem', index });
        li.addEventListener('click', open);
        li.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            open();
          }
        });
        return li;
      }),
    );
    this.problems.hidden = problems.length === 0;
  }

  private fit(): void {
    if (!this.graph) return;
    const w = this.canvas.clientWidth - 8;
    const h = this.canvas.clientHeight - 8;
    const z = Math.min(1, w > 0 ? w / this.graph.width : 1, h > 0 ? h / this.graph.height : 1);
    this.zoomSaved = false;
    this.setZoom(z, false);
  }

  private setZoom(z: number, save = true): void {
    this.zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, z));
    if (save) {
      this.zoomSaved = true;
      this.host.save({ version: 1, zoom: this.zoom });
    }
    this.applyZoom();
  }

  private applyZoom(): void {
    this.updateZoomLabel();
    if (!this.svgRoot || !this.graph) return;
    const { width, height } = this.graph;
    this.svgRoot.setAttribute('viewBox', `0 0 ${width} ${height}`);
    this.svgRoot.setAttribute('width', String(Math.round(width * this.zoom)));
    this.svgRoot.setAttribute('height', String(Math.round(height * this.zoom)));
  }

  private updateZoomLabel(): void {
    this.zoomLabel.textContent = `${Math.round(this.zoom * 100)}%`;
  }
}
