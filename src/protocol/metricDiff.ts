// Messages between the Metric Diff webview and its host. Imported by both builds (the
// extension bundle and the browser bundle), so it holds types only.
import type { DiffRow } from '../core/diff/diffRows';

export type { DiffRow };

export interface RevisionLabel {
  /** What the user picked: a branch, tag, experiment name, short sha or "workspace". */
  label: string;
  /** Full sha or "workspace". */
  sha: string;
  subject?: string;
}

export interface DiffState {
  old: RevisionLabel;
  new: RevisionLabel;
  rows: DiffRow[];
  improved: number;
  regressed: number;
  /** Files that could not be read at either side, already phrased for the user. */
  problems: string[];
}

/** Host -> webview. */
export type HostMessage =
  | { type: 'init'; state: DiffState }
  /** After re-indexing: rows whose values changed, rows added, and row ids removed. */
  | { type: 'delta'; upserts: DiffRow[]; removed: string[]; improved: number; regressed: number; problems: string[] }
  | { type: 'copied' };

/** Webview -> host. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'copyMarkdown'; rowIds: string[] }
  | { type: 'swap' }
  | { type: 'pickRevision'; side: 'old' | 'new' };

/** Stable row identity across updates. */
export function rowId(row: Pick<DiffRow, 'kind' | 'file' | 'key'>): string {
  return `${row.kind}\u0000${row.file}\u0000${row.key}`;
}
