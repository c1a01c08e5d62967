// The Pipeline DAG as the webview draws it: a node per stage and per file, edges out -> stage
// for what a stage reads and stage -> out for what it writes, laid out by dagLayout. A dep that
// is, or lies inside, another stage's out is drawn from that out's node (DVC links them so).
// Pure (no vscode import), tested in Node.
import type { DagEdgeView, DagGraph, DagNodeState, DagNodeView, DagStateUpdate } from '../../protocol/pipelineDag';
import { layoutDag, type LayoutNode } from './dagLayout';

export interface GraphStage {
  address: string;
  state: DagNodeState;
  /** The state in words ("changed: deps data/raw"). */
  detail: string;
  title: string;
  /** Repository-relative paths. */
  deps: string[];
  outs: string[];
}

/** Average character width of the webview's 12-13px fonts; labels longer than their box are shortened. */
const CHAR = 7.2;
/** The second line of a stage node is smaller. */
const DETAIL_CHAR = 6.2;
const STAGE = { min: 170, max: 300, height: 46, padding: 44 };
const FILE = { min: 70, max: 240, height: 26, padding: 22 };

const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

/** Shortens the middle of a text to `max` characters, keeping more of the end (file names). */
export function fitText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…';
  const tail = Math.ceil((max - 1) * 0.6);
  return `${text.slice(0, max - 1 - tail)}…${text.slice(text.length - tail)}`;
}

/** Cuts the end of a text to `max` characters (state details: their start matters). */
export function fitEnd(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

function sized(text: string, box: typeof STAGE): { width: number; label: string } {
  const width = Math.min(box.max, Math.max(box.min, Math.ceil(text.length * CHAR + box.padding)));
  return { width, label: fitText(text, Math.floor((width - box.padding) / CHAR)) };
}

export function summaryOf(stages: { state: DagNodeState }[]): string {
  const words: Record<DagNodeState, string> = {
    'up-to-date': 'up to date',
    changed: 'changed',
    'never-run': 'never run',
    frozen: 'frozen',
    running: 'running',
    failed: 'failed',
    broken: 'cannot run',
    error: 'with errors',
  };
  const counts = new Map<DagNodeState, number>();
  for (const s of stages) counts.set(s.state, (counts.get(s.state) ?? 0) + 1);
  const parts = (Object.keys(words) as DagNodeState[]).filter((k) => counts.get(k)).map((k) => `${counts.get(k)} ${words[k]}`);
  return `${stages.length} stage${stages.length === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

export function buildDagGraph(folder: string, stages: GraphStage[], problems: string[], canRun: boolean): DagGraph {
  const nodes = new Map<string, Omit<DagNodeView, 'x' | 'y'>>();
  const edges: { from: string; to: string }[] = [];
  const producers: { out: string; address: string }[] = stages.flatMap((s) => s.outs.map((out) => ({ out, address: s.address })));
  const fileNode = (path: string) => {
    const id = `file:${path}`;
    if (!nodes.has(id)) {
      const { width, label } = sized(path, FILE);
      nodes.set(id, { id, kind: 'file', label, title: path, width, height: FILE.height });
    }
    return id;
  };
  for (const s of stages) {
    // Unproduced inputs first, then the stage, then its outs: a good first order for the layout.
    const from: string[] = [];
    for (const dep of s.deps) {
      const made = producers.filter((p) => p.address !== s.address && overlaps(dep, p.out));
      if (made.length) from.push(...made.map((p) => `file:${p.out}`));
      else from.push(fileNode(dep));
    }
    const id = `stage:${s.address}`;
    const { width, label } = sized(s.address, STAGE);
    nodes.set(id, {
      id,
      kind: 'stage',
      label,
      detail: fitEnd(s.detail, Math.floor((width - STAGE.padding) / DETAIL_CHAR)),
      title: s.title,
      state: s.state,
      address: s.address,
      width,
      height: STAGE.height,
    });
    for (const f of new Set(from)) edges.push({ from: f, to: id });
    for (const out of s.outs) edges.push({ from: id, to: fileNode(out) });
  }
  const list = [...nodes.values()];
  const layout = layoutDag(
    list.map((n): LayoutNode => ({ id: n.id, width: n.width, height: n.height })),
    edges,
  );
  const at = new Map(layout.nodes.map((n) => [n.id, n]));
  return {
    folder,
    width: layout.width,
    height: layout.height,
    nodes: list.map((n) => ({ ...n, x: at.get(n.id)!.x, y: at.get(n.id)!.y })),
    edges: layout.edges.map((e): DagEdgeView => ({ from: e.from, to: e.to, points: e.points })),
    // Problems refuse every run: the summary says so next to the counts.
    summary: `${summaryOf(stages)}${problems.length ? `; ${problems.length} problem${problems.length === 1 ? '' : 's'}` : ''}`,
    problems,
    canRun,
  };
}

/** Same nodes, labels and edges: only states can differ, so no new layout is needed. */
export function sameShape(a: DagGraph, b: DagGraph): boolean {
  if (a.canRun !== b.canRun || a.nodes.length !== b.nodes.length || a.edges.length !== b.edges.length) return false;
  const key = (g: DagGraph) => JSON.stringify([g.nodes.map((n) => [n.id, n.label, n.x, n.y, n.width]), g.edges.map((e) => [e.from, e.to])]);
  return key(a) === key(b);
}

/** The state changes from `a` to `b` (same shape). */
export function stateUpdates(a: DagGraph, b: DagGraph): DagStateUpdate[] {
  const before = new Map(a.nodes.map((n) => [n.id, n]));
  return b.nodes
    .filter(
      (n) =>
        n.kind === 'stage' &&
        (before.get(n.id)?.state !== n.state || before.get(n.id)?.detail !== n.detail || before.get(n.id)?.title !== n.title),
    )
    .map((n) => ({ id: n.id, state: n.state!, detail: n.detail ?? '', title: n.title }));
}
