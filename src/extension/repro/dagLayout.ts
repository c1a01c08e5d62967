// Layered (Sugiyama-style) layout of a directed graph, drawn top to bottom: cycles broken by
// reversing back edges, longest-path layering with sources pulled down next to their first
// consumer, dummy nodes on long edges, barycenter ordering sweeps that keep the order with the
// fewest crossings, and x positions from neighbour averages made non-overlapping by isotonic
// regression. Pure (no vscode import) and deterministic: the same input gives the same picture.

export interface LayoutNode {
  id: string;
  width: number;
  height: number;
}
export interface LayoutEdge {
  from: string;
  to: string;
}
export interface Point {
  x: number;
  y: number;
}
/** x, y: top-left corner. */
export interface PlacedNode extends LayoutNode {
  x: number;
  y: number;
  layer: number;
  order: number;
}
/** From the bottom centre of `from` to the top centre of `to` (bends at the dummy nodes); `reversed` for edges that closed a cycle. */
export interface PlacedEdge extends LayoutEdge {
  points: Point[];
  reversed: boolean;
}
export interface Layout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
  crossings: number;
}

export interface LayoutOptions {
  /** Vertical space between layers. */
  layerGap?: number;
  /** Horizontal space between neighbouring nodes of a layer. */
  nodeGap?: number;
  margin?: number;
  /** Down+up barycenter sweeps. */
  sweeps?: number;
}

interface Vertex {
  id: string;
  width: number;
  height: number;
  index: number;
  dummy: boolean;
  layer: number;
  x: number;
}

const DUMMY_WIDTH = 6;

export function layoutDag(nodes: LayoutNode[], edges: LayoutEdge[], options: LayoutOptions = {}): Layout {
  const layerGap = options.layerGap ?? 48;
  const nodeGap = options.nodeGap ?? 24;
  const margin = options.margin ?? 16;
  const sweeps = options.sweeps ?? 6;

  const verts: Vertex[] = [];
  const byId = new Map<string, Vertex>();
  for (const n of nodes) {
    if (byId.has(n.id)) continue;
    const v: Vertex = { id: n.id, width: n.width, height: n.height, index: verts.length, dummy: false, layer: 0, x: 0 };
    verts.push(v);
    byId.set(n.id, v);
  }
  const realCount = verts.length;

  // Unique edges between known nodes, no self-loops.
  const seen = new Set<string>();
  const input: { from: Vertex; to: Vertex; edge: LayoutEdge }[] = [];
  for (const e of edges) {
    const from = byId.get(e.from);
    const to = byId.get(e.to);
    const key = `${e.from}\u0000${e.to}`;
    if (!from || !to || from === to || seen.has(key)) continue;
    seen.add(key);
    input.push({ from, to, edge: e });
  }

  const reversed = reversedEdges(
    realCount,
    input.map((e) => [e.from.index, e.to.index] as const),
  );
  const acyclic = input.map((e, i) => (reversed.has(i) ? { from: e.to, to: e.from } : { from: e.from, to: e.to }));
  assignLayers(verts.slice(0, realCount), acyclic);

  // Long edges become chains through dummy vertices, one per layer crossed.
  const chains: Vertex[][] = acyclic.map(({ from, to }) => {
    const chain = [from];
    for (let l = from.layer + 1; l < to.layer; l++) {
      const d: Vertex = {
        id: `\u0000dummy${verts.length}`,
        width: DUMMY_WIDTH,
        height: 0,
        index: verts.length,
        dummy: true,
        layer: l,
        x: 0,
      };
      verts.push(d);
      chain.push(d);
    }
    chain.push(to);
    return chain;
  });
  const preds: number[][] = verts.map(() => []);
  const succs: number[][] = verts.map(() => []);
  for (const chain of chains) {
    for (let i = 0; i + 1 < chain.length; i++) {
      succs[chain[i].index].push(chain[i + 1].index);
      preds[chain[i + 1].index].push(chain[i].index);
    }
  }

  const layerCount = verts.reduce((m, v) => Math.max(m, v.layer + 1), 0);
  const layers: number[][] = Array.from({ length: layerCount }, () => []);
  // Dummies are created in edge order, so this keeps input order within each layer.
  for (const v of verts) layers[v.layer].push(v.index);

  const order = orderLayers(layers, preds, succs, sweeps);
  const crossings = totalCrossings(order, succs);

  // x: centre of each vertex; y: per layer, rows as tall as their tallest node.
  assignX(order, verts, preds, succs, nodeGap);
  let minLeft = Infinity;
  let maxRight = -Infinity;
  for (const v of verts) {
    minLeft = Math.min(minLeft, v.x - v.width / 2);
    maxRight = Math.max(maxRight, v.x + v.width / 2);
  }
  if (!Number.isFinite(minLeft)) {
    minLeft = 0;
    maxRight = 0;
  }
  const shift = margin - minLeft;
  const rowTop: number[] = [];
  const rowHeight: number[] = [];
  let y = margin;
  for (let l = 0; l < layerCount; l++) {
    rowTop.push(y);
    const h = order[l].reduce((m, i) => Math.max(m, verts[i].height), 0);
    rowHeight.push(h);
    y += h + layerGap;
  }
  const height = layerCount ? y - layerGap + margin : 2 * margin;
  const centreY = (v: Vertex) => rowTop[v.layer] + rowHeight[v.layer] / 2;
  const round = (n: number) => Math.round(n * 2) / 2;

  const position = new Map<number, number>();
  order.forEach((layer) => layer.forEach((v, i) => position.set(v, i)));
  const placed: PlacedNode[] = verts.slice(0, realCount).map((v) => ({
    id: v.id,
    width: v.width,
    height: v.height,
    layer: v.layer,
    order: position.get(v.index)!,
    x: round(v.x + shift - v.width / 2),
    y: round(centreY(v) - v.height / 2),
  }));
  const placedEdges: PlacedEdge[] = chains.map((chain, i) => {
    const points = chain.map((v, k): Point => {
      const x = round(v.x + shift);
      if (k === 0) return { x, y: round(centreY(v) + v.height / 2) };
      if (k === chain.length - 1) return { x, y: round(centreY(v) - v.height / 2) };
      return { x, y: round(centreY(v)) };
    });
    const isReversed = reversed.has(i);
    return { from: input[i].edge.from, to: input[i].edge.to, points: isReversed ? points.reverse() : points, reversed: isReversed };
  });
  return { nodes: placed, edges: placedEdges, width: round(maxRight - minLeft + 2 * margin), height: round(height), crossings };
}

/** Indexes of edges that close a cycle in a depth-first search in input order (reversing them leaves a DAG). */
function reversedEdges(count: number, edges: (readonly [number, number])[]): Set<number> {
  const out: { to: number; edge: number }[][] = Array.from({ length: count }, () => []);
  edges.forEach(([a, b], i) => out[a].push({ to: b, edge: i }));
  const state = new Uint8Array(count); // 0 new, 1 on the stack, 2 done
  const back = new Set<number>();
  for (let root = 0; root < count; root++) {
    if (state[root]) continue;
    // Iterative DFS: deep pipelines must not overflow the stack.
    const stack: { v: number; next: number }[] = [{ v: root, next: 0 }];
    state[root] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      if (top.next < out[top.v].length) {
        const { to, edge } = out[top.v][top.next++];
        if (state[to] === 1) back.add(edge);
        else if (state[to] === 0) {
          state[to] = 1;
          stack.push({ v: to, next: 0 });
        }
      } else {
        state[top.v] = 2;
        stack.pop();
      }
    }
  }
  return back;
}

/** Longest path from the sources; then each source sits one layer above its nearest consumer. */
function assignLayers(verts: Vertex[], edges: { from: Vertex; to: Vertex }[]): void {
  const indegree = new Map<Vertex, number>(verts.map((v) => [v, 0]));
  const out = new Map<Vertex, Vertex[]>(verts.map((v) => [v, []]));
  for (const { from, to } of edges) {
    out.get(from)!.push(to);
    indegree.set(to, indegree.get(to)! + 1);
  }
  const queue = verts.filter((v) => indegree.get(v) === 0);
  for (const v of queue) v.layer = 0;
  for (let i = 0; i < queue.length; i++) {
    const v = queue[i];
    for (const w of out.get(v)!) {
      w.layer = Math.max(w.layer, v.layer + 1);
      indegree.set(w, indegree.get(w)! - 1);
      if (indegree.get(w) === 0) queue.push(w);
    }
  }
  const hasPred = new Set(edges.map((e) => e.to));
  for (const v of verts) {
    const next = out.get(v)!;
    if (hasPred.has(v) || next.length === 0) continue;
    v.layer = Math.max(0, Math.min(...next.map((w) => w.layer)) - 1);
  }
}

/** Barycenter sweeps down and up; returns the order with the fewest crossings seen. */
function orderLayers(layers: number[][], preds: number[][], succs: number[][], sweeps: number): number[][] {
  let order = layers.map((l) => [...l]);
  let best = order.map((l) => [...l]);
  let bestCrossings = totalCrossings(order, succs);
  const pos = new Map<number, number>();
  const index = () => order.forEach((layer) => layer.forEach((v, i) => pos.set(v, i)));
  const sortBy = (layer: number[], neighbours: number[][]) => {
    const key = new Map<number, number>();
    for (const v of layer) {
      const ns = neighbours[v];
      key.set(v, ns.length ? ns.reduce((s, n) => s + pos.get(n)!, 0) / ns.length : pos.get(v)!);
    }
    // Stable sort: ties keep the current order, so the result is deterministic.
    return layer
      .map((v, i) => ({ v, i }))
      .sort((a, b) => key.get(a.v)! - key.get(b.v)! || a.i - b.i)
      .map((e) => e.v);
  };
  for (let s = 0; s < sweeps && bestCrossings > 0; s++) {
    index();
    for (let l = 1; l < order.length; l++) {
      order[l] = sortBy(order[l], preds);
      order[l].forEach((v, i) => pos.set(v, i));
    }
    for (let l = order.length - 2; l >= 0; l--) {
      order[l] = sortBy(order[l], succs);
      order[l].forEach((v, i) => pos.set(v, i));
    }
    const c = totalCrossings(order, succs);
    if (c < bestCrossings) {
      bestCrossings = c;
      best = order.map((l) => [...l]);
    }
  }
  order = best;
  return order;
}

/** Edge crossings between each pair of adjacent layers, counted as inversions (Fenwick tree). */
export function totalCrossings(order: number[][], succs: number[][]): number {
  let total = 0;
  for (let l = 0; l + 1 < order.length; l++) {
    const below = new Map<number, number>(order[l + 1].map((v, i) => [v, i]));
    const targets: number[] = [];
    for (const v of order[l]) {
      const ts = succs[v]
        .map((w) => below.get(w))
        .filter((p): p is number => p !== undefined)
        .sort((a, b) => a - b);
      targets.push(...ts);
    }
    const size = order[l + 1].length;
    const tree = new Array<number>(size + 1).fill(0);
    for (let i = targets.length - 1; i >= 0; i--) {
      // Edges already seen (later in the upper order) that end strictly left of this one cross it.
      for (let k = targets[i]; k > 0; k -= k & -k) total += tree[k];
      for (let k = targets[i] + 1; k <= size; k += k & -k) tree[k]++;
    }
  }
  return total;
}

/** Centres: packed, then pulled toward the mean of their neighbours' centres without overlapping. */
function assignX(order: number[][], verts: Vertex[], preds: number[][], succs: number[][], gap: number): void {
  for (const layer of order) {
    let x = 0;
    for (const v of layer) {
      verts[v].x = x + verts[v].width / 2;
      x += verts[v].width + gap;
    }
  }
  const mean = (v: number, ns: number[][]) => (ns[v].length ? ns[v].reduce((s, n) => s + verts[n].x, 0) / ns[v].length : verts[v].x);
  const place = (layer: number[], desired: (v: number) => number) => {
    const targets = layer.map(desired);
    const xs = separate(
      targets,
      layer.map((v) => verts[v].width),
      gap,
    );
    layer.forEach((v, i) => (verts[v].x = xs[i]));
  };
  for (let round = 0; round < 4; round++) {
    for (let l = 1; l < order.length; l++) place(order[l], (v) => mean(v, preds));
    for (let l = order.length - 2; l >= 0; l--) place(order[l], (v) => mean(v, succs));
  }
  // A last pass on both sides balances nodes between their producers and consumers.
  for (let l = 0; l < order.length; l++) {
    place(order[l], (v) => {
      const ns = [...preds[v], ...succs[v]];
      return ns.length ? ns.reduce((s, n) => s + verts[n].x, 0) / ns.length : verts[v].x;
    });
  }
}

/**
 * Positions closest (least squares) to `targets` that keep the given order with at least `gap`
 * between neighbours: with offsets o_i (cumulative minimum distances) it is isotonic regression
 * of targets_i - o_i, solved by pooling adjacent violators.
 */
export function separate(targets: number[], widths: number[], gap: number): number[] {
  const offsets: number[] = [];
  let o = 0;
  for (let i = 0; i < targets.length; i++) {
    if (i > 0) o += widths[i - 1] / 2 + gap + widths[i] / 2;
    offsets.push(o);
  }
  const blocks: { sum: number; count: number }[] = [];
  for (let i = 0; i < targets.length; i++) {
    blocks.push({ sum: targets[i] - offsets[i], count: 1 });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1];
      const a = blocks[blocks.length - 2];
      if (a.sum / a.count <= b.sum / b.count) break;
      blocks.pop();
      a.sum += b.sum;
      a.count += b.count;
    }
  }
  const out: number[] = [];
  for (const b of blocks) for (let k = 0; k < b.count; k++) out.push(b.sum / b.count + offsets[out.length]);
  return out;
}
