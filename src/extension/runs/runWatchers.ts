import * as vscode from 'vscode';
import type { Engines } from '../engines';

// What MLflow and W&B write while a run logs: the file store's run folders, the database and
// its WAL, a W&B run's binary log and summary files.
const RUN_GLOBS = [
  '**/mlruns/**',
  '**/mlflow.db',
  '**/mlflow.db-wal',
  '**/{wandb,.wandb}/*/*.wandb',
  '**/{wandb,.wandb}/*/files/*.{json,yaml}',
];

/** Runs logged between refreshes show up without a manual refresh: each change schedules the folder's index. */
export function createRunWatchers(engines: Engines): vscode.Disposable {
  const disposables: vscode.Disposable[] = [];
  const trigger = (uri: vscode.Uri) => {
    if (!vscode.workspace.isTrusted) return;
    const engine = engines.forUri(uri);
    // Longer than the file watchers' delay: a training run writes a metric file per step.
    if (engine && engine.state.kind === 'ready') engine.schedule(1500);
  };
  for (const glob of RUN_GLOBS) {
    const w = vscode.workspace.createFileSystemWatcher(glob);
    disposables.push(w, w.onDidCreate(trigger), w.onDidChange(trigger), w.onDidDelete(trigger));
  }
  return vscode.Disposable.from(...disposables);
}
