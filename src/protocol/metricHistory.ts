// Messages between the Metric History webview and its host. Imported by both builds, so it
// holds types only (plus small pure id helpers).

export interface MetricId { file: string; key: string }

/** A revision whose first-parent chain is drawn: a branch, tag, experiment, sha or "workspace". */
export interface RevisionChoice {
  /** What resolveRevision understands (refs/heads/main, a sha, workspace). */
  rev: string;
  /** Display name (main, v1.0.0, short sha). */
  label: string;
}

export interface CommitPoint {
  sha: string;
  subject: string;
  /** Commit time in seconds. */
  time: number;
  /** First-parent ancestors of the commit (root = 0). */
  position: number;
  value: number;
}

/** One metric along one revision's first-parent chain, oldest first. */
export interface HistoryLine {
  metric: MetricId;
  rev: string;
  label: string;
  /** The sha the revision pointed at when loaded. */
  tip: string;
  points: CommitPoint[];
  nonNumeric: number;
  commits: number;
  truncated: boolean;
}

/** One DVCLive step series (plots/metrics/<name>.tsv) at one revision. */
export interface StepLine {
  rev: string;
  label: string;
  sha: string;
  name: string;
  path: string;
  points: [step: number, value: number][];
}

/** What the host chose to draw; kept by the webview for a reload. */
export interface HistorySelection {
  metrics: MetricId[];
  revisions: RevisionChoice[];
  stepRevisions: RevisionChoice[];
}

export interface HistoryState {
  selection: HistorySelection;
  /** Metric keys with numeric values anywhere in the index (for the picker). */
  available: MetricId[];
  /** Branches (and the workspace) offered as quick choices. */
  branches: RevisionChoice[];
  lines: HistoryLine[];
  steps: StepLine[];
  problems: string[];
}

/** Host -> webview. */
export type HostMessage =
  | { type: 'init'; state: HistoryState }
  /** After re-indexing: lines whose points changed or appeared, ids of lines gone, and the step series when they changed. */
  | { type: 'delta'; upserts: HistoryLine[]; removed: string[]; steps?: StepLine[]; available?: MetricId[]; branches?: RevisionChoice[]; problems: string[] }
  | { type: 'loading' }
  | { type: 'error'; message: string }
  /** Answer to `reveal`: whether the commit was found in the Runs view. */
  | { type: 'revealed'; sha: string; found: boolean }
  | { type: 'exported'; file: string };

/** Webview -> host. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'select'; selection: HistorySelection }
  | { type: 'pickRevisions'; target: 'history' | 'steps' }
  | { type: 'reveal'; sha: string; rev: string }
  | { type: 'export'; format: 'png' | 'csv'; name: string; data: string }
  /** After drawing: what each chart holds, for tests and for the log. */
  | { type: 'rendered'; charts: RenderedChart[]; ms: number };

export interface RenderedChart {
  id: string;
  kind: 'history' | 'steps';
  /** Points per dataset label. */
  points: Record<string, number>;
}

export function metricIdText(m: MetricId): string {
  return `${m.file}\u0000${m.key}`;
}

export function lineId(line: Pick<HistoryLine, 'metric' | 'rev'>): string {
  return `${metricIdText(line.metric)}\u0000${line.rev}`;
}

export function sameMetric(a: MetricId, b: MetricId): boolean {
  return a.file === b.file && a.key === b.key;
}
