import type { Store } from '../store/store';
import { decodePayload, encodePayload, encodeValue } from '../util/values';
import type { BlobFetcher } from './blobFetcher';
import { parseBlob, skippedBlob, type BlobRole, type ParsedBlob } from './blobParsers';

interface Known {
  id?: number;
  parsed: ParsedBlob;
  /** Whether parsed.value is present (store rows come without it until asked). */
  hasValue: boolean;
}

// Only dvc.yaml keeps its parsed form after a flush: the rest is reloaded from the store on the
// rare occasion it is needed again (rendering a new pipeline), which keeps memory flat.
const KEEP_VALUE: ReadonlySet<string> = new Set(['dvcyaml', 'lock']);

/**
 * Parse each blob once, ever: a blob known to the store is never parsed again, and within a
 * run each (blob, role) is fetched and parsed at most once even when many revisions ask at
 * the same time. New blobs wait in memory until the batch transaction writes them.
 */
export class BlobRegistry {
  private readonly known = new Map<string, Known>();
  private readonly inflight = new Map<string, Promise<void>>();
  private pending: { oid: string; role: BlobRole; known: Known }[] = [];
  parsedCount = 0;

  /** An empty store at start (a cold index) answers no lookups: skip them. */
  private readonly storeHadBlobs: boolean;

  constructor(
    private readonly store: Store,
    private readonly fetcher: BlobFetcher,
  ) {
    this.storeHadBlobs = Boolean(store.sql('SELECT 1 FROM blob LIMIT 1').get());
  }

  /** Makes sure each blob is known; with needValue, also that its parsed value is in memory. */
  async ensure(refs: readonly { oid: string; role: BlobRole }[], needValue: boolean): Promise<void> {
    const waits: Promise<void>[] = [];
    const toFetch = new Map<string, { oid: string; role: BlobRole }>();
    for (const ref of refs) {
      const key = `${ref.role}:${ref.oid}`;
      const busy = this.inflight.get(key);
      if (busy) {
        waits.push(busy);
        continue;
      }
      const known = this.known.get(key) ?? this.fromStore(ref.oid, ref.role);
      if (known) {
        this.known.set(key, known);
        if (!needValue || known.hasValue || known.parsed.status !== 'ok') continue;
        if (this.loadPayload(known)) continue;
      }
      toFetch.set(key, ref);
    }
    if (toFetch.size > 0) {
      const work = this.fetchAndParse([...toFetch.values()]);
      for (const key of toFetch.keys()) this.inflight.set(key, work);
      waits.push(
        work.finally(() => {
          for (const key of toFetch.keys()) this.inflight.delete(key);
        }),
      );
    }
    await Promise.all(waits);
  }

  get(oid: string, role: BlobRole): ParsedBlob {
    const known = this.known.get(`${role}:${oid}`);
    if (!known) throw new Error(`blob ${role}:${oid} was not ensured before use`);
    return known.parsed;
  }

  /** Records a blob that could not be read at all (e.g. not in the DVC cache). */
  private async fetchAndParse(refs: { oid: string; role: BlobRole }[]): Promise<void> {
    const needBytes = refs.filter((r) => r.role !== 'image');
    const fetched = await this.fetcher.fetch(needBytes.map((r) => r.oid));
    for (const ref of refs) {
      const key = `${ref.role}:${ref.oid}`;
      const got = ref.role === 'image' ? { bytes: Buffer.alloc(0) } : fetched.get(ref.oid)!;
      const parsed = 'bytes' in got ? parseBlob(ref.role, got.bytes) : skippedBlob(got.skipped);
      this.parsedCount++;
      const previous = this.known.get(key);
      const known: Known = { id: previous?.id, parsed, hasValue: true };
      this.known.set(key, known);
      if (previous?.id === undefined) this.pending.push({ oid: ref.oid, role: ref.role, known });
    }
  }

  private fromStore(oid: string, role: BlobRole): Known | undefined {
    if (!this.storeHadBlobs) return undefined;
    const row = this.store.sql('SELECT id, status, message, line, col FROM blob WHERE oid = ? AND role = ?').get(oid, role) as
      { id: number; status: ParsedBlob['status']; message: string | null; line: number | null; col: number | null } | undefined;
    if (!row) return undefined;
    return {
      id: row.id,
      hasValue: false,
      parsed: { status: row.status, message: row.message ?? undefined, line: row.line ?? undefined, col: row.col ?? undefined },
    };
  }

  private loadPayload(known: Known): boolean {
    const row = this.store.sql('SELECT payload FROM blob WHERE id = ?').get(known.id) as { payload: string | null } | undefined;
    if (!row?.payload) return false;
    known.parsed = { ...known.parsed, value: decodePayload(row.payload, { exact: true }) };
    known.hasValue = true;
    return true;
  }

  /** Fetches and parses again even if known: the raw dvc.yaml form is not kept in the store. */
  async reparse(oid: string, role: BlobRole): Promise<ParsedBlob> {
    await this.fetchAndParse([{ oid, role }]);
    return this.get(oid, role);
  }

  idOf(oid: string, role: BlobRole): number {
    const known = this.known.get(`${role}:${oid}`);
    if (known?.id === undefined) throw new Error(`blob ${role}:${oid} has no id; flush() first`);
    return known.id;
  }

  /** Writes blobs parsed since the last flush; call inside the batch transaction. */
  flush(): void {
    const insert = this.store.sql(
      'INSERT INTO blob (oid, role, status, message, line, col, payload) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (oid, role) DO NOTHING',
    );
    const select = this.store.sql('SELECT id FROM blob WHERE oid = ? AND role = ?');
    const value = this.store.sql('INSERT OR REPLACE INTO blob_value (blob_id, key, value, num) VALUES (?, ?, ?, ?)');
    for (const { oid, role, known } of this.pending) {
      const p = known.parsed;
      const result = insert.run(
        oid,
        role,
        p.status,
        p.message ?? null,
        p.line ?? null,
        p.col ?? null,
        p.payload === undefined ? null : encodePayload(p.payload),
      );
      known.id = Number((select.get(oid, role) as { id: number }).id);
      if (Number(result.changes) > 0 && p.values) {
        for (const [key, v] of Object.entries(p.values)) {
          // `num` is for ordering and filtering only; `value` holds a big int's exact digits.
          value.run(
            known.id,
            key,
            encodeValue(v),
            typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'bigint' ? Number(v) : null,
          );
        }
      }
      // Large plot tables and series are only needed again by queries, from the store.
      if (!KEEP_VALUE.has(role)) {
        known.parsed = { ...p, value: undefined, payload: undefined };
        known.hasValue = false;
      } else known.parsed = { ...p, payload: undefined };
    }
    this.pending = [];
  }
}
