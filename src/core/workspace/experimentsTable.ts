// The Experiments table as the adapters use it: the editor's grid (openExperimentsTable, a
// model answering windows of rows), stars and notes per row, and `lineage exps show` (the
// table `dvc exp show` prints, from the same index).

import { openTableModel } from '../expTable/model';
import { readMarks, writeMark, MAX_NOTE_LENGTH, type RowMark } from '../expTable/marks';
import { dvcShowData, type DvcShowSelection } from '../expTable/dvcShow';
import {
  dvcTable,
  toCsv,
  toMarkdown,
  formatField,
  pyFormatG,
  displayWidth,
  DvcShowError,
  type DvcTable,
  type DvcTableOptions,
} from '../expTable/dvcTable';
import { parseFilter, resolveColumn, FilterTextError } from '../expTable/filterText';
import { cellText, cellMatches, sortValue, compareSortValues, FILTER_OPS } from '../expTable/cellValues';
import type { ExpState } from '../query/expShow';
import type { TableModel, TableQuery } from '../expTable/types';
import type { Workspace } from './workspace';
import { storeOf } from './internal';

export type * from '../expTable/types';
export type { RowMark, DvcShowSelection, DvcTable, DvcTableOptions, ExpState };
export {
  toCsv,
  toMarkdown,
  formatField,
  pyFormatG,
  displayWidth,
  DvcShowError,
  parseFilter,
  resolveColumn,
  FilterTextError,
  cellText,
  cellMatches,
  sortValue,
  compareSortValues,
  FILTER_OPS,
  MAX_NOTE_LENGTH,
};

/** The table for a query: its columns, its row count in the query's order, and windows of rows. */
export function openExperimentsTable(ws: Workspace, query: TableQuery = {}): TableModel {
  return openTableModel(storeOf(ws), { sha: ws.repo.head, branch: ws.repo.branch }, query);
}

/**
 * Stars or unstars a row and/or sets its note (an empty note clears it), kept in the index;
 * a rebuild keeps them. Not in a read-only workspace (Restricted Mode).
 */
export function setRowMark(ws: Workspace, rowId: string, change: { starred?: boolean; note?: string }): RowMark {
  if (ws.readonly) throw new Error('the index is open read-only (Restricted Mode): stars and notes cannot be saved');
  return writeMark(storeOf(ws), rowId, change);
}

/** Every starred or annotated row, by row id. */
export function rowMarks(ws: Workspace): Map<string, RowMark> {
  return readMarks(storeOf(ws));
}

/** The rows `dvc exp show --json` prints for a selection (the workspace, baselines, their experiments). */
export async function expShowRowsOf(ws: Workspace, selection: DvcShowSelection = {}): Promise<ExpState[]> {
  return (await dvcShowData(storeOf(ws), ws.repo, selection)).states;
}

/** The table `dvc exp show` prints for a selection, shaped by its flags (sort, keep, drop, only-changed, csv). */
export async function expShowTable(ws: Workspace, selection: DvcShowSelection = {}, options: DvcTableOptions = {}): Promise<DvcTable> {
  const { states, deps } = await dvcShowData(storeOf(ws), ws.repo, selection);
  return dvcTable(states, deps, options);
}
