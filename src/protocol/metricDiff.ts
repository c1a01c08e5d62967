// Messages between the Metric Diff webview and its host. Imported by both builds (the
// extension bundle and the browser bundle), so it holds types only (plus the rowId helper).
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

/** The two revisions exactly as the host passes them to DiffDataSource.load (persisted for reload). */
export interface RevisionPair {
  old: string;
  new: string;
}

/** Host -> webview. */
export type HostMessage =
  /** The whole table; sent after every `ready` and whenever the revisions change. */
  | { type: 'init'; revisions: RevisionPair; state: DiffState }
  /** After re-indexing: rows whose values changed, rows added, and row ids removed. */
  | {
      type: 'delta';
      upserts: DiffRow[];
      removed: string[];
      improved: number;
      regressed: number;
      problems: string[];
      /** The labels again: a branch may now point at another commit. */
      old: RevisionLabel;
      new: RevisionLabel;
    }
  /** Loading the revisions failed (no commits, unknown revision, index not open...): one line for the user. */
  | { type: 'error'; revisions: RevisionPair; message: string }
  /** The host is (re)loading; the webview keeps its rows and shows a busy hint. */
  | { type: 'loading'; revisions: RevisionPair }
  | { type: 'copied'; count: number };

/** Webview -> host. */
export type WebviewMessage =
  { type: 'ready' } | { type: 'copyMarkdown'; rowIds: string[] } | { type: 'swap' } | { type: 'pickRevision'; side: 'old' | 'new' };

/** Which column a table is sorted by; 'default' is kind, file, key (the host's order). */
export type SortColumn = 'default' | 'kind' | 'file' | 'key' | 'old' | 'new' | 'delta' | 'relative';

export type KindFilter = 'all' | 'metric' | 'param';

/** Filters, sort and scroll of the table: kept by the webview across hide/show. */
export interface ViewOptions {
  text: string;
  onlyChanged: boolean;
  kind: KindFilter;
  /** '' for every file. */
  file: string;
  sort: SortColumn;
  descending: boolean;
}

/**
 * What the webview stores with `vscode.setState`; VS Code hands it to the panel serializer
 * after a window reload, which reads `revisions` to reopen the same comparison.
 */
export interface PersistedState {
  version: 1;
  revisions?: RevisionPair;
  options: ViewOptions;
  scrollTop: number;
}

/** Stable row identity across updates. */
export function rowId(row: Pick<DiffRow, 'kind' | 'file' | 'key'>): string {
  return `${row.kind}\u0000${row.file}\u0000${row.key}`;
}
