// Checks on what arrives from the Lineage Card webview: untrusted input, anything malformed is
// dropped. A link must also be one the host put on the card shown (see linkAllowed). Pure.
import type { CardLink, WebviewMessage } from '../../protocol/lineageCard';

const MAX_PATH = 4096;

function parseLink(raw: unknown): CardLink | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const l = raw as Record<string, unknown>;
  if (l.kind === 'revealCommit') return { kind: 'revealCommit' };
  if (l.kind !== 'fileAtCommit' && l.kind !== 'workspaceFile') return undefined;
  const path = l.path;
  if (
    typeof path !== 'string' ||
    !path ||
    path.length > MAX_PATH ||
    /[\0\r\n]/.test(path) ||
    path.startsWith('/') ||
    path.startsWith('-') ||
    path.split(/[\\/]/).includes('..')
  )
    return undefined;
  return { kind: l.kind, path };
}

export function parseLineageMessage(raw: unknown): WebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'copyMarkdown':
      return { type: 'copyMarkdown' };
    case 'open': {
      const link = parseLink(m.link);
      return link ? { type: 'open', link } : undefined;
    }
    default:
      return undefined;
  }
}
