import * as vscode from 'vscode';
import { hasRuns, runs as listRuns } from '../core/workspace/runs';
import { runRevision } from '../core/workspace/revision';
import type { Workspace } from '../core/workspace/workspace';
import type { ExternalRun } from '../core/runs/types';
import type { FolderEngine } from './folderEngine';
import { revisionItems } from './revisionPicker';
import { oneLine as flat } from './tooltips';
import { runDescription } from '../core/workspace/runTree';

/** QuickPick renders `$(name)` in labels as icons; a run name must not. */
const oneLine = (text: string, max?: number) => flat(text, max).replace(/\$\(/g, '$\u200b(');

/** The first runs offered; type-ahead covers the rest of a big experiment poorly, so newest first. */
const MAX_RUNS = 500;

/** The newest runs of each source, what a picker offers. */
export function recentRuns(ws: Workspace): ExternalRun[] {
  if (!hasRuns(ws)) return [];
  return [...listRuns(ws, { source: 'mlflow', limit: MAX_RUNS }), ...listRuns(ws, { source: 'wandb', limit: MAX_RUNS })];
}

interface Item extends vscode.QuickPickItem {
  rev?: string;
}

/** Items for MLflow and W&B runs: one section per source, newest first. */
export function runItems(runs: ExternalRun[]): Item[] {
  const items: Item[] = [];
  for (const source of ['mlflow', 'wandb'] as const) {
    const mine = runs.filter((r) => r.source === source);
    if (mine.length === 0) continue;
    items.push({ label: source === 'mlflow' ? 'MLflow runs' : 'W&B runs', kind: vscode.QuickPickItemKind.Separator });
    for (const run of mine) {
      items.push({
        label: `$(beaker) ${oneLine(run.name || run.id, 80)}`,
        description: oneLine(runDescription(run), 100),
        detail: oneLine(`${run.experiment ?? ''} · ${run.id}`, 120),
        rev: runRevision(run),
      });
    }
  }
  return items;
}

/** A revision or an external run, as the text a diff side takes (`mlflow:<id>` for runs). */
export async function pickRevisionOrRun(engine: FolderEngine, title: string): Promise<string | undefined> {
  const runs = engine.ws ? recentRuns(engine.ws) : [];
  const pick = await vscode.window.showQuickPick([...revisionItems(engine), ...runItems(runs)], {
    title,
    placeHolder: 'Branch, tag, experiment, commit or MLflow/W&B run (type to filter)',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return pick?.rev;
}
