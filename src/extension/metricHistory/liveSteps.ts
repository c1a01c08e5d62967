// The workspace's step series as a live run writes them: which DVCLive folders to follow, and
// how tail-read series replace the indexed ones (so an index run that lags behind the files
// never takes points away) or become append messages. Pure, tested in Node.
import type { SeriesDelta } from '../../core/workspace/live';
import type { MetricPoint } from '../../core/runs/types';
import type { HistoryState, RevisionChoice, StepAppend, StepLine } from '../../protocol/metricHistory';
import { WORKSPACE } from '../../core/workspace/revision';
import { chartPoints } from '../../core/workspace/runSeries';

export { chartPoints };
export const WORKSPACE_REV = WORKSPACE;
/** Where DVCLive writes unless told otherwise: followed even before its first file exists. */
export const DEFAULT_LIVE_DIR = 'dvclive';

/** The DVCLive folder of a series file, as the index names series (`<dir>/plots/metrics/<name>.tsv`). */
export function liveDirOf(path: string): string | undefined {
  const m = /^(.*?)\/?plots\/metrics\/(.+)\.tsv$/i.exec(path);
  return m ? m[1] : undefined;
}

/** Folders to follow: those of the workspace's indexed series, and DVCLive's default. */
export function liveDirsOf(steps: StepLine[]): string[] {
  const dirs = new Set<string>([DEFAULT_LIVE_DIR]);
  for (const s of steps) {
    const dir = s.rev === WORKSPACE_REV ? liveDirOf(s.path) : undefined;
    if (dir !== undefined) dirs.add(dir);
  }
  return [...dirs].sort();
}

export interface TrackedSeries {
  key: string;
  file: string;
  points: MetricPoint[];
}

/**
 * The state with the workspace's series taken from the files as read now, in place of the
 * indexed ones of the same files (an indexed series the reader does not list, e.g. a DVC
 * cache symlink it does not follow, stays). Revisions keep the selection's order; the
 * workspace's lines are ordered by path, as the index orders them.
 */
export function withLiveSeries(state: HistoryState, choice: RevisionChoice, tracked: TrackedSeries[]): HistoryState {
  const read = new Set(tracked.map((t) => t.file));
  const kept = state.steps.filter((s) => s.rev !== choice.rev || !read.has(s.path));
  const live: StepLine[] = tracked.map((t) => ({
    rev: choice.rev,
    label: choice.label,
    sha: WORKSPACE_REV,
    name: t.key,
    path: t.file,
    points: chartPoints(t.points),
  }));
  const workspace = [...kept.filter((s) => s.rev === choice.rev), ...live].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const steps: StepLine[] = [];
  for (const r of state.selection.stepRevisions) steps.push(...(r.rev === choice.rev ? workspace : kept.filter((s) => s.rev === r.rev)));
  const none = `No DVCLive step series (dvclive/plots/metrics/*.tsv) at ${choice.label}.`;
  const problems = workspace.length ? state.problems.filter((p) => p !== none) : state.problems;
  return { ...state, steps, problems };
}

/** Append messages of a poll's deltas (points as the chart takes them; a delta left empty is dropped). */
export function appendsOf(choice: RevisionChoice, deltas: SeriesDelta[]): StepAppend[] {
  const out: StepAppend[] = [];
  for (const d of deltas) {
    const points = chartPoints(d.points);
    if (!d.reset && points.length === 0) continue;
    out.push({
      rev: choice.rev,
      label: choice.label,
      sha: WORKSPACE_REV,
      name: d.key,
      path: d.file,
      points,
      reset: d.reset,
      ...(d.gone ? { gone: true } : {}),
    });
  }
  return out;
}
