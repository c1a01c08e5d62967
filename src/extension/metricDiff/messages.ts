// Checks on what arrives from the webview and from VS Code's stored webview state. Webview
// messages are treated as untrusted input: anything malformed is dropped. Pure, tested in Node.
import type { RevisionPair, WebviewMessage } from '../../protocol/metricDiff';

const MAX_ROW_IDS = 1_000_000;
const MAX_REVISION_LENGTH = 1024;

export function parseWebviewMessage(raw: unknown): WebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'swap':
      return { type: 'swap' };
    case 'pickRevision':
      return m.side === 'old' || m.side === 'new' ? { type: 'pickRevision', side: m.side } : undefined;
    case 'copyMarkdown':
      if (!Array.isArray(m.rowIds) || m.rowIds.length > MAX_ROW_IDS || !m.rowIds.every((id) => typeof id === 'string')) return undefined;
      return { type: 'copyMarkdown', rowIds: m.rowIds as string[] };
    default:
      return undefined;
  }
}

function isRevision(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_REVISION_LENGTH && !/[\0\r\n]/.test(value);
}

/** The revisions a restored panel should show, from the webview's saved state (see PersistedState). */
export function revisionsFromSavedState(state: unknown): RevisionPair | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const revs = (state as Record<string, unknown>).revisions;
  if (typeof revs !== 'object' || revs === null) return undefined;
  const { old, new: nu } = revs as Record<string, unknown>;
  return isRevision(old) && isRevision(nu) ? { old, new: nu } : undefined;
}
