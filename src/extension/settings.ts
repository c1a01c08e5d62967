import * as vscode from 'vscode';
import type { Direction } from '../core/diff/direction';

/** The extension's settings, read fresh each time (they can change per folder and at any time). */
export interface LineageSettings {
  baselineBranch: string;
  headlineMetric: string;
  metricDirections: Record<string, Direction>;
  excludePaths: string[];
  commitsPerPage: number;
  storePath: string;
  /** Inline diffs in params/metrics editors (lineage.inlineDiffs.*). */
  inlineDiffs: { enabled: boolean; showUnchanged: boolean; historyLength: number };
}

export function readSettings(scope?: vscode.Uri): LineageSettings {
  const c = vscode.workspace.getConfiguration('lineage', scope);
  const perPage = c.get<number>('commitsPerPage', 50);
  return {
    baselineBranch: c.get<string>('baselineBranch', '').trim(),
    headlineMetric: c.get<string>('headlineMetric', '').trim(),
    metricDirections: sanitizeDirections(c.get<unknown>('metricDirections', {})),
    excludePaths: (c.get<unknown[]>('excludePaths', []) ?? []).filter((p): p is string => typeof p === 'string'),
    commitsPerPage: Number.isInteger(perPage) && perPage > 0 ? Math.min(perPage, 1000) : 50,
    storePath: c.get<string>('storePath', '').trim(),
    inlineDiffs: {
      enabled: c.get<boolean>('inlineDiffs.enabled', true) !== false,
      showUnchanged: c.get<boolean>('inlineDiffs.showUnchanged', false) === true,
      historyLength: clampInt(c.get<number>('inlineDiffs.historyLength', 5), 0, 50, 5),
    },
  };
}

function clampInt(value: unknown, min: number, max: number, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

/** Settings are user-editable JSON: keep only glob -> 'higher' | 'lower'. */
function sanitizeDirections(raw: unknown): Record<string, Direction> {
  const out: Record<string, Direction> = {};
  if (!raw || typeof raw !== 'object') return out;
  for (const [glob, d] of Object.entries(raw as Record<string, unknown>)) if (d === 'higher' || d === 'lower') out[glob] = d;
  return out;
}
