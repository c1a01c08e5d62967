// Checks on what arrives from the Plots webview and from VS Code's stored webview state.
// Messages are untrusted input: anything malformed is dropped. Pure, tested in Node.
import type { PlotKind, RenderedPlot, WebviewMessage } from '../../protocol/plots';
import { isCountMap, isRevisionText, parseExport } from '../webview/messages';

const MAX_REVISIONS = 16;
const KINDS: readonly PlotKind[] = ['line', 'scatter', 'bar', 'confusion', 'image'];

export function parsePlotsMessage(raw: unknown): WebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'pickRevisions':
      return { type: 'pickRevisions' };
    case 'export':
      return parseExport(m);
    case 'rendered': {
      if (!Array.isArray(m.plots) || m.plots.length > 10000 || typeof m.ms !== 'number') return undefined;
      const plots: RenderedPlot[] = [];
      for (const p of m.plots as Record<string, unknown>[]) {
        if (typeof p !== 'object' || p === null || typeof p.id !== 'string' || !KINDS.includes(p.kind as PlotKind) || !isCountMap(p.points))
          return undefined;
        plots.push({ id: p.id, kind: p.kind as PlotKind, points: p.points });
      }
      return { type: 'rendered', plots, ms: m.ms };
    }
    default:
      return undefined;
  }
}

/** The revisions a restored Plots panel shows, from the webview's saved state. */
export function plotRevisionsFromSavedState(state: unknown): string[] | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const revs = (state as Record<string, unknown>).revisions;
  if (!Array.isArray(revs) || revs.length === 0 || revs.length > MAX_REVISIONS || !revs.every(isRevisionText)) return undefined;
  return revs as string[];
}
