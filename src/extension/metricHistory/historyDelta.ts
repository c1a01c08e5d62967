// What changed between two loads of a Metric History panel, by line id. Pure, tested in Node.
import { lineId, type HistoryLine, type HistoryState, type HostMessage } from '../../protocol/metricHistory';

export type HistoryDelta = Extract<HostMessage, { type: 'delta' }>;

export function computeHistoryDelta(prev: HistoryState, next: HistoryState): HistoryDelta | undefined {
  const before = new Map<string, string>(prev.lines.map((l) => [lineId(l), JSON.stringify(l)]));
  const upserts: HistoryLine[] = next.lines.filter((l) => before.get(lineId(l)) !== JSON.stringify(l));
  const ids = new Set(next.lines.map(lineId));
  const removed = prev.lines.map(lineId).filter((id) => !ids.has(id));
  const stepsChanged = JSON.stringify(prev.steps) !== JSON.stringify(next.steps);
  const availableChanged = JSON.stringify(prev.available) !== JSON.stringify(next.available);
  const branchesChanged = JSON.stringify(prev.branches) !== JSON.stringify(next.branches);
  const problemsChanged = JSON.stringify(prev.problems) !== JSON.stringify(next.problems);
  if (!upserts.length && !removed.length && !stepsChanged && !availableChanged && !branchesChanged && !problemsChanged) return undefined;
  const delta: HistoryDelta = { type: 'delta', upserts, removed, problems: next.problems };
  if (stepsChanged) delta.steps = next.steps;
  if (availableChanged) delta.available = next.available;
  if (branchesChanged) delta.branches = next.branches;
  return delta;
}
