// The rows the page holds: blocks of BLOCK rows around the view, each with the cells of the
// columns it was asked for. A block of an older table generation stays on screen until its
// new rows arrive, so live updates change values in place instead of blanking the grid.
// Blocks far from the view are dropped. Pure, tested in Node.
import type { RowsWindow, TableRow } from '../../src/protocol/experiments';

export const BLOCK = 50;

interface Block {
  generation: number;
  rows: TableRow[];
  /** Column ids whose cells the rows carry; null: every column. */
  columns: Set<string> | null;
}

interface Pending {
  requestId: number;
  generation: number;
  columns: Set<string> | null;
}

export interface WindowRequest {
  requestId: number;
  generation: number;
  offset: number;
  count: number;
  columns: string[] | null;
}

export class RowCache {
  private blocks = new Map<number, Block>();
  private pending = new Map<number, Pending>();
  private nextId = 1;
  generation = 0;
  rowCount = 0;

  /** A new table: its rows are asked for again; the old ones stay visible until they arrive. */
  reset(generation: number, rowCount: number): void {
    this.generation = generation;
    this.rowCount = rowCount;
    this.pending.clear();
    const lastBlock = Math.ceil(rowCount / BLOCK);
    for (const b of [...this.blocks.keys()]) if (b >= lastBlock) this.blocks.delete(b);
  }

  /** Drops every row (the page starts over: another folder, an error). */
  clear(): void {
    this.blocks.clear();
    this.pending.clear();
  }

  /** Takes a window the host sent; windows of other generations are dropped. */
  put(window: RowsWindow): boolean {
    if (window.generation !== this.generation) return false;
    const columns = window.columns === null ? null : new Set(window.columns);
    for (let i = 0; i < window.rows.length;) {
      const index = window.offset + i;
      const b = Math.floor(index / BLOCK);
      const start = b * BLOCK;
      const size = Math.min(BLOCK, this.rowCount - start);
      const take = Math.min(size - (index - start), window.rows.length - i);
      if (index === start && take === size) {
        this.blocks.set(b, { generation: window.generation, rows: window.rows.slice(i, i + take), columns });
        const p = this.pending.get(b);
        if (p && (p.requestId === window.requestId || window.requestId === 0)) this.pending.delete(b);
      }
      // A partial block (a window not aligned to blocks) is not kept: the block is asked for whole.
      i += take;
    }
    return true;
  }

  /** The row at an index, possibly of an older generation (shown until replaced); undefined when not here. */
  row(index: number): TableRow | undefined {
    const block = this.blocks.get(Math.floor(index / BLOCK));
    return block?.rows[index % BLOCK];
  }

  /** Whether the row at an index is current (this generation) and has every cell of `columns`. */
  complete(index: number, columns: readonly string[]): boolean {
    const block = this.blocks.get(Math.floor(index / BLOCK));
    return Boolean(block && block.generation === this.generation && covers(block.columns, columns));
  }

  /**
   * Requests for the blocks of rows [first, last) (plus `prefetch` blocks each side) that are
   * missing, stale, or lack some of `columns`; already requested blocks are not asked again.
   * Adjacent blocks are asked in one request.
   */
  plan(first: number, last: number, columns: readonly string[] | null, prefetch = 1): WindowRequest[] {
    const lastBlock = Math.ceil(this.rowCount / BLOCK) - 1;
    if (lastBlock < 0 || last <= first) return [];
    const from = Math.max(0, Math.floor(first / BLOCK) - prefetch);
    const to = Math.min(lastBlock, Math.floor((last - 1) / BLOCK) + prefetch);
    const wanted: number[] = [];
    for (let b = from; b <= to; b++) {
      const block = this.blocks.get(b);
      if (block && block.generation === this.generation && covers(block.columns, columns)) continue;
      const p = this.pending.get(b);
      if (p && p.generation === this.generation && covers(p.columns, columns)) continue;
      wanted.push(b);
    }
    const requests: WindowRequest[] = [];
    for (let i = 0; i < wanted.length;) {
      let j = i;
      while (j + 1 < wanted.length && wanted[j + 1] === wanted[j] + 1) j++;
      const requestId = this.nextId++;
      const offset = wanted[i] * BLOCK;
      const count = Math.min(this.rowCount, (wanted[j] + 1) * BLOCK) - offset;
      const set = columns === null ? null : new Set(columns);
      for (let b = wanted[i]; b <= wanted[j]; b++) this.pending.set(b, { requestId, generation: this.generation, columns: set });
      requests.push({ requestId, generation: this.generation, offset, count, columns: columns === null ? null : [...columns] });
      i = j + 1;
    }
    return requests;
  }

  /** Keeps only the blocks within `keep` blocks of rows [first, last). */
  evict(first: number, last: number, keep = 4): void {
    const from = Math.floor(first / BLOCK) - keep;
    const to = Math.floor(Math.max(first, last - 1) / BLOCK) + keep;
    for (const b of [...this.blocks.keys()]) if (b < from || b > to) this.blocks.delete(b);
    for (const b of [...this.pending.keys()]) if (b < from || b > to) this.pending.delete(b);
  }

  /** Rows held (for tests and the page's own report). */
  get size(): number {
    let n = 0;
    for (const b of this.blocks.values()) n += b.rows.length;
    return n;
  }

  /** Ids of rows [first, last) when every one of them is here (any generation's order is not trusted: this one's only). */
  ids(first: number, last: number): string[] | undefined {
    const out: string[] = [];
    for (let i = first; i < last; i++) {
      const block = this.blocks.get(Math.floor(i / BLOCK));
      if (!block || block.generation !== this.generation) return undefined;
      const row = block.rows[i % BLOCK];
      if (!row) return undefined;
      out.push(row.id);
    }
    return out;
  }
}

function covers(have: Set<string> | null, need: readonly string[] | null): boolean {
  if (have === null) return true;
  if (need === null) return false;
  return need.every((c) => have.has(c));
}
