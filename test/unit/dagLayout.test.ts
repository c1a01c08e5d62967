import { strict as assert } from 'node:assert';
import { layoutDag, separate, type Layout, type LayoutEdge, type LayoutNode } from '../../src/extension/repro/dagLayout';

const box = (id: string, width = 100, height = 30): LayoutNode => ({ id, width, height });
const edge = (from: string, to: string): LayoutEdge => ({ from, to });
const node = (layout: Layout, id: string) => layout.nodes.find((n) => n.id === id)!;
const centre = (layout: Layout, id: string) => node(layout, id).x + node(layout, id).width / 2;

/** No two nodes of one layer overlap (with the gap), and every edge runs downward. */
function assertWellFormed(layout: Layout, gap = 24): void {
  const byLayer = new Map<number, typeof layout.nodes>();
  for (const n of layout.nodes) byLayer.set(n.layer, [...(byLayer.get(n.layer) ?? []), n]);
  for (const [layer, ns] of byLayer) {
    const sorted = [...ns].sort((a, b) => a.order - b.order);
    for (let i = 1; i < sorted.length; i++) {
      const gapSeen = sorted[i].x - (sorted[i - 1].x + sorted[i - 1].width);
      assert.ok(gapSeen >= gap - 0.51, `layer ${layer}: ${sorted[i - 1].id} and ${sorted[i].id} are ${gapSeen}px apart`);
    }
  }
  for (const n of layout.nodes) {
    assert.ok(n.x >= 0 && n.y >= 0 && n.x + n.width <= layout.width && n.y + n.height <= layout.height, `${n.id} outside the drawing`);
  }
  for (const e of layout.edges) {
    const ys = e.points.map((p) => p.y);
    const down = ys.every((y, i) => i === 0 || y >= ys[i - 1]);
    const up = ys.every((y, i) => i === 0 || y <= ys[i - 1]);
    assert.ok(e.reversed ? up : down, `edge ${e.from}->${e.to} ${JSON.stringify(e.points)}`);
  }
}

describe('layoutDag (layered DAG layout)', () => {
  it('lays a chain out top to bottom, aligned on one vertical line', () => {
    const l = layoutDag([box('a'), box('b', 160), box('c', 60)], [edge('a', 'b'), edge('b', 'c')]);
    assert.deepEqual(
      ['a', 'b', 'c'].map((id) => node(l, id).layer),
      [0, 1, 2],
    );
    assert.ok(node(l, 'a').y < node(l, 'b').y && node(l, 'b').y < node(l, 'c').y);
    assert.equal(centre(l, 'a'), centre(l, 'b'));
    assert.equal(centre(l, 'b'), centre(l, 'c'));
    assert.equal(l.crossings, 0);
    assertWellFormed(l);
  });

  it('puts a diamond side by side and centres the join under the fork', () => {
    const l = layoutDag([box('a'), box('b'), box('c'), box('d')], [edge('a', 'b'), edge('a', 'c'), edge('b', 'd'), edge('c', 'd')]);
    assert.equal(node(l, 'b').layer, node(l, 'c').layer);
    assert.equal(centre(l, 'a'), centre(l, 'd'));
    assert.ok(Math.abs(centre(l, 'a') - (centre(l, 'b') + centre(l, 'c')) / 2) < 1);
    assertWellFormed(l);
  });

  it('pulls an input file down next to the stage that reads it (not to the top layer)', () => {
    // raw -> prepare -> data -> train <- train.py
    const l = layoutDag(
      [box('raw'), box('prepare'), box('data'), box('train.py'), box('train')],
      [edge('raw', 'prepare'), edge('prepare', 'data'), edge('data', 'train'), edge('train.py', 'train')],
    );
    assert.equal(node(l, 'train').layer, 3);
    assert.equal(node(l, 'train.py').layer, 2);
    assert.equal(node(l, 'data').layer, 2);
    assertWellFormed(l);
  });

  it('routes an edge that spans layers through bends, one per layer crossed', () => {
    const l = layoutDag([box('a'), box('b'), box('c'), box('d')], [edge('a', 'b'), edge('b', 'c'), edge('c', 'd'), edge('a', 'd')]);
    const long = l.edges.find((e) => e.from === 'a' && e.to === 'd')!;
    assert.equal(long.points.length, 4);
    assert.equal(l.edges.find((e) => e.from === 'a' && e.to === 'b')!.points.length, 2);
    assertWellFormed(l);
  });

  it('removes crossings that the input order would make', () => {
    // Input order draws a->d and b->c crossing; c, d have their own children in the same order.
    const nodes = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => box(id));
    const l = layoutDag(nodes, [edge('a', 'd'), edge('b', 'c'), edge('c', 'e'), edge('d', 'f')]);
    assert.equal(l.crossings, 0);
    assert.ok(centre(l, 'd') < centre(l, 'c'), 'd moved under a');
    assertWellFormed(l);
  });

  it('draws a cycle without looping forever, marking the edge that closed it', () => {
    const l = layoutDag([box('a'), box('b'), box('c')], [edge('a', 'b'), edge('b', 'c'), edge('c', 'a')]);
    assert.equal(l.nodes.length, 3);
    assert.deepEqual(
      l.edges.filter((e) => e.reversed).map((e) => `${e.from}->${e.to}`),
      ['c->a'],
    );
    assertWellFormed(l);
  });

  it('ignores self-loops, duplicate edges and edges to unknown nodes', () => {
    const l = layoutDag([box('a'), box('b')], [edge('a', 'a'), edge('a', 'b'), edge('a', 'b'), edge('a', 'zzz')]);
    assert.equal(l.edges.length, 1);
    assertWellFormed(l);
  });

  it('handles an empty graph and isolated nodes', () => {
    const empty = layoutDag([], []);
    assert.deepEqual([empty.nodes.length, empty.edges.length], [0, 0]);
    const l = layoutDag([box('x'), box('y'), box('z')], []);
    assert.ok(l.nodes.every((n) => n.layer === 0));
    assertWellFormed(l);
  });

  it('is deterministic and well formed on random DAGs (200 nodes)', () => {
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let round = 0; round < 5; round++) {
      const nodes = Array.from({ length: 200 }, (_, i) => box(`n${i}`, 40 + Math.floor(rand() * 160), 20 + Math.floor(rand() * 30)));
      const edges: LayoutEdge[] = [];
      for (let i = 0; i < 300; i++) {
        const a = Math.floor(rand() * 200);
        const b = Math.floor(rand() * 200);
        if (a < b) edges.push(edge(`n${a}`, `n${b}`));
      }
      const started = Date.now();
      const l = layoutDag(nodes, edges);
      assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
      assertWellFormed(l);
      assert.equal(l.edges.filter((e) => e.reversed).length, 0);
      assert.deepEqual(layoutDag(nodes, edges), l);
    }
  });

  it('separate(): closest positions that keep order and spacing', () => {
    assert.deepEqual(separate([0, 0], [10, 10], 10), [-10, 10]);
    assert.deepEqual(separate([0, 100], [10, 10], 10), [0, 100]);
    assert.deepEqual(separate([5, 0, 100], [10, 10, 10], 0), [-2.5, 7.5, 100]);
  });
});
