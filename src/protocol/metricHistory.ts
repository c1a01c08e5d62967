// Messages between the Metric History webview and its host. Imported by both builds, so it
// holds types only (plus small pure id helpers).

export interface MetricId {
  file: string;
  key: string;
}

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

/**
 * Points a running training appended to a step series (tail-read from its file), or with
 * `reset` the whole series as it is now (the file was rewritten); `gone`: the file was deleted.
 */
export interface StepAppend {
  rev: string;
  label: string;
  sha: string;
  name: string;
  path: string;
  points: [step: number, value: number][];
  reset: boolean;
  gone?: boolean;
}

/** An MLflow or W&B run whose step series are drawn with the DVCLive ones (one dataset per run). */
export interface RunChoice {
  source: 'mlflow' | 'wandb';
  id: string;
  /** Legend text: the run's name and its tool. */
  label: string;
}

/** A drawn run as the index knows it; `rev` is the `rev` of its StepLines (runRev). */
export interface RunShown extends RunChoice {
  rev: string;
  status: string;
  location: string;
  experimentId: string | null;
  /** Its series are being followed as the training writes them. */
  live: boolean;
}

/** What the host chose to draw; kept by the webview for a reload. */
export interface HistorySelection {
  metrics: MetricId[];
  revisions: RevisionChoice[];
  stepRevisions: RevisionChoice[];
  /** External runs overlaid on the step series (absent: none). */
  runs?: RunChoice[];
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
  /** The selection's runs as loaded (absent: none). */
  runs?: RunShown[];
}

/** Host -> webview. */
export type HostMessage =
  | { type: 'init'; state: HistoryState }
  /** After re-indexing: lines whose points changed or appeared, ids of lines gone, and the step series when they changed. */
  | {
      type: 'delta';
      upserts: HistoryLine[];
      removed: string[];
      steps?: StepLine[];
      available?: MetricId[];
      branches?: RevisionChoice[];
      problems: string[];
    }
  | { type: 'loading' }
  | { type: 'error'; message: string }
  /** Answer to `reveal`: whether the commit was found in the Runs view. */
  | { type: 'revealed'; sha: string; found: boolean }
  | { type: 'exported'; file: string }
  /** A live run's new step-series points: appended to the charts without redrawing the page. */
  | { type: 'stepsAppend'; appends: StepAppend[]; problems?: string[] }
  /** Whether a run is writing the shown series now (the "● live" badge), and why. */
  | { type: 'live'; live: boolean; detail: string };

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

/** The `rev` of a run's step lines; revisions are full ref names, shas or 'workspace', so the two never meet. */
export function runRev(run: Pick<RunChoice, 'source' | 'id'>): string {
  return `run:${run.source}:${run.id}`;
}

export function sameMetric(a: MetricId, b: MetricId): boolean {
  return a.file === b.file && a.key === b.key;
}

/**
 * Step lines after a live run's appends: points added (or replaced on reset), a deleted file's
 * line dropped, a new series placed among its revision's lines by path (the index's order).
 */
export function applyStepAppends(steps: StepLine[], appends: StepAppend[]): StepLine[] {
  let out = [...steps];
  for (const a of appends) {
    const i = out.findIndex((s) => s.rev === a.rev && s.name === a.name);
    if (a.gone) {
      if (i >= 0) out = [...out.slice(0, i), ...out.slice(i + 1)];
      continue;
    }
    if (i >= 0) {
      const line = out[i];
      out[i] = { ...line, path: a.path, points: a.reset ? [...a.points] : [...line.points, ...a.points] };
      continue;
    }
    const line: StepLine = { rev: a.rev, label: a.label, sha: a.sha, name: a.name, path: a.path, points: [...a.points] };
    const after = out.findIndex((s) => s.rev === a.rev && s.path > a.path);
    const lastOfRev = out.map((s) => s.rev).lastIndexOf(a.rev);
    const at = after >= 0 ? after : lastOfRev >= 0 ? lastOfRev + 1 : out.length;
    out = [...out.slice(0, at), line, ...out.slice(at)];
  }
  return out;
}
