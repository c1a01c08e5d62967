// Selected rows of the Experiments grid, by row id (ids survive sorting, filtering and live
// updates; indexes do not). The anchor and cursor are indexes in the current order, for
// shift-ranges and the keyboard. Pure, tested in Node.

export class Selection {
  private ids = new Set<string>();
  /** Where a shift-range starts. */
  anchor: number | undefined;
  /** The row the keyboard is on. */
  cursor = 0;

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** In the order they were selected (Compare takes the first as its old side). */
  list(): string[] {
    return [...this.ids];
  }

  only(id: string, index: number): void {
    this.ids = new Set([id]);
    this.anchor = index;
    this.cursor = index;
  }

  toggle(id: string, index: number): void {
    if (this.ids.has(id)) this.ids.delete(id);
    else this.ids.add(id);
    this.anchor = index;
    this.cursor = index;
  }

  /** Selects the rows from the anchor to `index` (their ids given in order); `add` keeps the others. */
  range(index: number, ids: readonly string[], add: boolean): void {
    if (!add) this.ids = new Set();
    for (const id of ids) this.ids.add(id);
    this.cursor = index;
  }

  /** Indexes [from, to] of a shift-range ending at `index`. */
  rangeTo(index: number): { from: number; to: number } {
    const a = this.anchor ?? index;
    return { from: Math.min(a, index), to: Math.max(a, index) };
  }

  set(ids: readonly string[]): void {
    this.ids = new Set(ids);
  }

  clear(): void {
    this.ids.clear();
    this.anchor = undefined;
  }

  /** Drops ids the table no longer has (after a filter); returns whether anything changed. */
  retain(keep: (id: string) => boolean): boolean {
    const before = this.ids.size;
    for (const id of [...this.ids]) if (!keep(id)) this.ids.delete(id);
    return this.ids.size !== before;
  }
}

/** Sort keys after a header click: plain click cycles asc → desc → off on that column alone; shift adds or cycles a key. */
export function nextSort(
  sort: readonly { column: string; order: 'asc' | 'desc' }[],
  column: string,
  add: boolean,
): { column: string; order: 'asc' | 'desc' }[] {
  const at = sort.findIndex((s) => s.column === column);
  const cycled = at < 0 ? { column, order: 'asc' as const } : sort[at].order === 'asc' ? { column, order: 'desc' as const } : undefined;
  if (!add) {
    if (sort.length === 1 && at === 0) return cycled ? [cycled] : [];
    return [{ column, order: 'asc' }];
  }
  const out = sort.map((s) => ({ ...s }));
  if (at < 0) return [...out, cycled!];
  if (cycled) out[at] = cycled;
  else out.splice(at, 1);
  return out;
}
