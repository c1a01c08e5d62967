// Checks shared by the chart webviews (Plots, Metric History) on what their pages post:
// exports, rendered point counts, revision texts. Messages are untrusted input: anything
// malformed is dropped. Pure, tested in Node.

const MAX_EXPORT_CHARS = 64 * 1024 * 1024;
const MAX_NAME = 200;
const MAX_REVISION_LENGTH = 1024;

export type ExportMessage = { type: 'export'; format: 'png' | 'csv'; name: string; data: string };

/** An export request: a PNG data: URI or CSV text, and a file name without folders. */
export function parseExport(m: Record<string, unknown>): ExportMessage | undefined {
  if (m.format !== 'png' && m.format !== 'csv') return undefined;
  if (typeof m.name !== 'string' || m.name.length === 0 || m.name.length > MAX_NAME) return undefined;
  if (typeof m.data !== 'string' || m.data.length > MAX_EXPORT_CHARS) return undefined;
  if (m.format === 'png' && !/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/.test(m.data)) return undefined;
  return { type: 'export', format: m.format, name: safeFileName(m.name, m.format), data: m.data };
}

/** A file name for the save dialog: no folders, no control or reserved characters, the right extension. */
export function safeFileName(name: string, ext: string): string {
  const base =
    name
      .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-')
      .replace(/^[.\s-]+/, '')
      .slice(0, 120)
      .trim() || 'plot';
  return base.toLowerCase().endsWith(`.${ext}`) ? base : `${base}.${ext}`;
}

export function isCountMap(value: unknown): value is Record<string, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length <= 10000 && entries.every(([, n]) => typeof n === 'number' && Number.isFinite(n));
}

export function isRevisionText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_REVISION_LENGTH && !/[\0\r\n]/.test(value);
}
