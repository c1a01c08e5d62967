// The Experiments table as the CLI and the editor see it: rows are the workspace, commits,
// DVC experiments and MLflow/W&B runs; columns are every param and metric key found, plus a
// few about the row itself. The model answers windows of rows, so a page never holds more
// than it shows, and sorts and filters over the index, never by fetching every cell.

export type RowKind = 'workspace' | 'commit' | 'experiment' | 'run';

export type ColumnGroup = 'meta' | 'metrics' | 'params';

export interface TableColumn {
  /**
   * Stable across refreshes: `meta:created`, `meta:commit`, `meta:message`, `meta:state`,
   * `metrics:<file>:<key>`, `params:<file>:<key>` for DVC files, and `metrics:mlflow:<key>`,
   * `params:mlflow:<key>`, `metrics:wandb:<key>` (summary), `params:wandb:<key>` (config).
   */
  id: string;
  group: ColumnGroup;
  /** The file (DVC) or 'mlflow' / 'wandb'; '' for meta columns. */
  source: string;
  /** Dotted key (meta: created, commit, message, state). */
  key: string;
  /** Every value found in this column is a number (sorts numerically, colours by direction). */
  numeric: boolean;
}

/**
 * A cell: numbers as numbers (NaN and ±Infinity included), text as text; lists, objects and
 * integers past 2^53 arrive as `{ text }`, already written as DVC prints them.
 */
export type CellValue = null | boolean | number | string | { text: string };

export interface TableRow {
  /** The revision id queries take: a sha, 'workspace', 'mlflow:<id>' or 'wandb:<id>'. */
  id: string;
  kind: RowKind;
  /** 'workspace', branch or tag names (or 7 hex), the experiment's name, the run's name. */
  label: string;
  /** An experiment's baseline commit, a run's commit; null at the top level (or a run without a commit). */
  parentId: string | null;
  depth: number;
  commit: string | null;
  /** Milliseconds since the epoch, or null. */
  created: number | null;
  message: string;
  /** '' for commits; a run's status (RUNNING, FINISHED, FAILED, …); 'running' for a live DVC experiment. */
  state: string;
  starred: boolean;
  note: string;
  /** Column id → value; a key the row does not have is absent. */
  cells: Record<string, CellValue>;
  /** Every branch and tag name of a commit (label is the first), an experiment's full ref, a run's `mlflow:<id>`. */
  refs: string[];
  /** For a run shown in its own group (its commit is not a row): `MLflow: <experiment>` or `W&B: <project>`; else null. */
  group: string | null;
  /** Set when the row is shown only because a row under it matches the filters (it does not match them itself). */
  context?: boolean;
}

export interface SortKey {
  column: string;
  order: 'asc' | 'desc';
}

export type FilterOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | '!contains';

/** `metrics:eval/metrics.json:accuracy >= 0.9`, `params:params.yaml:train.lr contains 0.0`, `meta:state = failed`. */
export interface Filter {
  column: string;
  op: FilterOp;
  value: string;
}

export interface TableQuery {
  /** Branches whose first-parent commits are rows; default: the checked-out branch. */
  branches?: string[];
  /** Every indexed commit instead (`exp show -A`). */
  allCommits?: boolean;
  /** First-parent commits per branch (`exp show -n`); default 100. */
  commitsPerBranch?: number;
  /** MLflow/W&B runs as rows; default true. */
  runs?: boolean;
  sort?: SortKey[];
  filters?: Filter[];
  /** Free text: a row matches when its label, message, commit or note contains it (case-insensitive). */
  text?: string;
  /** Starred rows only. */
  starredOnly?: boolean;
  /** Tagged commits as rows even off the chosen branches; default true (ignored with allCommits, which has them). */
  tags?: boolean;
  /** Commits that have DVC experiments as rows even off the chosen branches, so every experiment has a row; default true. */
  allBaselines?: boolean;
}

export interface TableModel {
  columns: TableColumn[];
  rowCount: number;
  /** The row the table colours against (the checked-out commit, else the workspace). */
  baselineId: string | null;
  /** Rows [offset, offset + count) in the current order. */
  window(offset: number, count: number): TableRow[];
  /** The same rows without their cells (no query): what they are, where they sit, whether shown for context only. */
  outline(offset: number, count: number): RowOutline[];
}

export interface RowOutline {
  id: string;
  kind: RowKind;
  parentId: string | null;
  depth: number;
  /** See TableRow.context. */
  context: boolean;
}
