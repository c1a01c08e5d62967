// Stars and notes on the Experiments table's rows, kept in the index (exp_mark) by row id: a
// commit or experiment sha, 'workspace', 'mlflow:<id>' or 'wandb:<id>'. They are the user's
// own records, so a rebuild carries them over (store/rebuild.ts).

import type { Store } from '../store/store';

export interface RowMark {
  starred: boolean;
  note: string;
}

/** Notes are one user's words about a row, not documents: longer ones are refused. */
export const MAX_NOTE_LENGTH = 10000;

/** An index opened read-only and written by an older version may not have the table yet. */
function hasMarkTable(store: Store): boolean {
  return Boolean(store.sql(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'exp_mark'`).get());
}

export function readMarks(store: Store, ids?: readonly string[]): Map<string, RowMark> {
  const out = new Map<string, RowMark>();
  if (!hasMarkTable(store)) return out;
  const rows = (
    ids
      ? store.sql('SELECT row_id, starred, note FROM exp_mark WHERE row_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids))
      : store.sql('SELECT row_id, starred, note FROM exp_mark').all()
  ) as { row_id: string; starred: number; note: string }[];
  for (const r of rows) out.set(r.row_id, { starred: r.starred === 1, note: r.note });
  return out;
}

/**
 * Sets a row's star and/or note (what is not given stays); a row with neither is forgotten.
 * Returns the mark as stored.
 */
export function writeMark(store: Store, rowId: string, change: { starred?: boolean; note?: string }): RowMark {
  if (typeof rowId !== 'string' || rowId === '' || rowId.length > 512 || /[\0\n\r]/.test(rowId))
    throw new Error(`${JSON.stringify(rowId)} is not a row id`);
  if (change.note !== undefined && change.note.length > MAX_NOTE_LENGTH)
    throw new Error(`a note holds at most ${MAX_NOTE_LENGTH} characters (this one has ${change.note.length})`);
  return store.transaction(() => {
    const old = readMarks(store, [rowId]).get(rowId) ?? { starred: false, note: '' };
    const mark: RowMark = { starred: change.starred ?? old.starred, note: change.note ?? old.note };
    if (!mark.starred && mark.note === '') store.sql('DELETE FROM exp_mark WHERE row_id = ?').run(rowId);
    else {
      store
        .sql(
          `INSERT INTO exp_mark (row_id, starred, note, updated_at) VALUES (?, ?, ?, ?)
          ON CONFLICT (row_id) DO UPDATE SET starred = excluded.starred, note = excluded.note, updated_at = excluded.updated_at`,
        )
        .run(rowId, mark.starred ? 1 : 0, mark.note, Date.now());
    }
    return mark;
  });
}
