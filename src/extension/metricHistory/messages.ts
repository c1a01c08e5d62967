// Checks on what arrives from the Metric History webview and from its saved state. Pure.
import type { HistorySelection, MetricId, RenderedChart, RevisionChoice, RunChoice, WebviewMessage } from '../../protocol/metricHistory';
import { isCountMap, isRevisionText, parseExport } from '../webview/messages';

const MAX_METRICS = 32;
const MAX_REVISIONS = 16;
const MAX_TEXT = 4096;

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_TEXT && !value.includes('\0');
}

function metricIds(value: unknown): MetricId[] | undefined {
  if (!Array.isArray(value) || value.length > MAX_METRICS) return undefined;
  const out: MetricId[] = [];
  for (const m of value as Record<string, unknown>[]) {
    if (typeof m !== 'object' || m === null || !isText(m.file) || !isText(m.key) || m.key === '') return undefined;
    out.push({ file: m.file, key: m.key });
  }
  return out;
}

function revisionChoices(value: unknown): RevisionChoice[] | undefined {
  if (!Array.isArray(value) || value.length > MAX_REVISIONS) return undefined;
  const out: RevisionChoice[] = [];
  for (const r of value as Record<string, unknown>[]) {
    if (typeof r !== 'object' || r === null || !isRevisionText(r.rev) || !isText(r.label)) return undefined;
    out.push({ rev: r.rev, label: r.label });
  }
  return out;
}

/** Run ids as MLflow and W&B make them (hex, base36); nothing that could leave a runs folder. */
const RUN_ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

function runChoices(value: unknown): RunChoice[] | undefined {
  if (!Array.isArray(value) || value.length > MAX_REVISIONS) return undefined;
  const out: RunChoice[] = [];
  for (const r of value as Record<string, unknown>[]) {
    if (
      typeof r !== 'object' ||
      r === null ||
      (r.source !== 'mlflow' && r.source !== 'wandb') ||
      typeof r.id !== 'string' ||
      !RUN_ID.test(r.id) ||
      !isText(r.label)
    )
      return undefined;
    out.push({ source: r.source, id: r.id, label: r.label });
  }
  return out;
}

export function parseSelection(value: unknown): HistorySelection | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const s = value as Record<string, unknown>;
  const metrics = metricIds(s.metrics);
  const revisions = revisionChoices(s.revisions);
  const stepRevisions = revisionChoices(s.stepRevisions ?? []);
  const runs = s.runs === undefined ? undefined : runChoices(s.runs);
  if (!metrics || !revisions || !stepRevisions || (s.runs !== undefined && !runs)) return undefined;
  return { metrics, revisions, stepRevisions, ...(runs?.length ? { runs } : {}) };
}

export function parseHistoryMessage(raw: unknown): WebviewMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Record<string, unknown>;
  switch (m.type) {
    case 'ready':
      return { type: 'ready' };
    case 'select': {
      const selection = parseSelection(m.selection);
      return selection ? { type: 'select', selection } : undefined;
    }
    case 'pickRevisions':
      return m.target === 'history' || m.target === 'steps' ? { type: 'pickRevisions', target: m.target } : undefined;
    case 'reveal':
      return typeof m.sha === 'string' && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(m.sha) && isRevisionText(m.rev)
        ? { type: 'reveal', sha: m.sha, rev: m.rev }
        : undefined;
    case 'export':
      return parseExport(m);
    case 'rendered': {
      if (!Array.isArray(m.charts) || m.charts.length > 1000 || typeof m.ms !== 'number') return undefined;
      const charts: RenderedChart[] = [];
      for (const c of m.charts as Record<string, unknown>[]) {
        if (
          typeof c !== 'object' ||
          c === null ||
          typeof c.id !== 'string' ||
          (c.kind !== 'history' && c.kind !== 'steps') ||
          !isCountMap(c.points)
        )
          return undefined;
        charts.push({ id: c.id, kind: c.kind, points: c.points });
      }
      return { type: 'rendered', charts, ms: m.ms };
    }
    default:
      return undefined;
  }
}

/** The selection a restored panel shows, from the webview's saved state. */
export function selectionFromSavedState(state: unknown): HistorySelection | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  return parseSelection((state as Record<string, unknown>).selection);
}
