// What changed between two loads of the same Plots panel, by plot id. Pure, tested in Node.
import type { HostMessage, PlotsState, PlotView } from '../../protocol/plots';

export type PlotsDelta = Extract<HostMessage, { type: 'delta' }>;

export function computePlotsDelta(prev: PlotsState, next: PlotsState): PlotsDelta | undefined {
  const before = new Map<string, string>(prev.plots.map((p) => [p.id, JSON.stringify(p)]));
  const upserts: PlotView[] = next.plots.filter((p) => before.get(p.id) !== JSON.stringify(p));
  const ids = new Set(next.plots.map((p) => p.id));
  const removed = prev.plots.map((p) => p.id).filter((id) => !ids.has(id));
  const order = next.plots.map((p) => p.id);
  const sameOrder = order.join('\0') === prev.plots.map((p) => p.id).join('\0');
  const sameHeader = JSON.stringify([prev.revisions, prev.problems]) === JSON.stringify([next.revisions, next.problems]);
  if (upserts.length === 0 && removed.length === 0 && sameOrder && sameHeader) return undefined;
  return { type: 'delta', upserts, removed, order, revisions: next.revisions, problems: next.problems };
}
