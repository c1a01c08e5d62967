import { createHash } from 'node:crypto';
import type { Store } from '../store/store';
import type { PipelineDef } from '../formats/dvcYaml';

/**
 * Rendered pipelines keyed by their inputs (the dvc.yaml blob and each templating file's
 * blob): a pipeline unchanged across 10,000 commits is rendered and stored once.
 */
export class PipelineCache {
  private readonly byKey = new Map<string, { id?: number; def: PipelineDef }>();
  private pending: string[] = [];

  constructor(private readonly store: Store) {}

  static keyOf(parts: readonly string[]): string {
    return createHash('sha1').update(parts.join('\n')).digest('hex');
  }

  get(key: string): PipelineDef | undefined {
    const hit = this.byKey.get(key);
    if (hit) return hit.def;
    const row = this.store.sql('SELECT id, def FROM pipeline WHERE key = ?').get(key) as { id: number; def: string } | undefined;
    if (!row) return undefined;
    const def = JSON.parse(row.def) as PipelineDef;
    this.byKey.set(key, { id: row.id, def });
    return def;
  }

  put(key: string, def: PipelineDef): void {
    if (this.byKey.has(key)) return;
    this.byKey.set(key, { def });
    this.pending.push(key);
  }

  /** Inside the batch transaction. */
  flush(): void {
    const insert = this.store.sql('INSERT INTO pipeline (key, def) VALUES (?, ?) ON CONFLICT (key) DO NOTHING');
    const select = this.store.sql('SELECT id FROM pipeline WHERE key = ?');
    for (const key of this.pending) {
      const entry = this.byKey.get(key)!;
      insert.run(key, defText(entry.def));
      entry.id = (select.get(key) as { id: number }).id;
    }
    this.pending = [];
  }

  idOf(key: string): number {
    const id = this.byKey.get(key)?.id;
    if (id === undefined) throw new Error(`pipeline ${key} has no id; flush() first`);
    return id;
  }
}

/** A def may hold a big int a param rendered to (JSON.stringify throws on bigint): kept as a number. */
function defText(def: PipelineDef): string {
  try {
    return JSON.stringify(def);
  } catch {
    return JSON.stringify(def, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
  }
}
