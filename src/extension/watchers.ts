import * as vscode from 'vscode';
import type { Engines } from './engines';

// Files whose change can change what the index holds: pipelines, locks, params and metrics
// (by the names DVC and DVCLive use) and Git's refs/HEAD for commits, branch switches, tags
// and experiments.
const WORKSPACE_GLOBS = [
  '**/dvc.yaml',
  '**/dvc.lock',
  '**/params.{yaml,yml,json,toml,py}',
  '**/{metrics,scores,eval,summary}*.{json,yaml,yml,toml}',
  '**/dvclive/**/*.{json,tsv}',
];
const GIT_GLOBS = ['HEAD', 'packed-refs', 'refs/**'];

/** Watchers for every folder; each event schedules a debounced incremental run of its folder. */
export function createWatchers(engines: Engines): vscode.Disposable {
  const disposables: vscode.Disposable[] = [];
  const trigger = (uri: vscode.Uri) => {
    if (!vscode.workspace.isTrusted) return;
    // A file under .git belongs to the folder that holds that .git (not necessarily a workspace folder for .git outside).
    const engine = engines.forUri(uri) ?? engines.list().find((e) => e.repo?.gitDir && uri.fsPath.startsWith(e.repo.gitDir));
    if (engine && engine.state.kind === 'ready') engine.schedule(500);
  };
  const watch = (pattern: vscode.GlobPattern) => {
    const w = vscode.workspace.createFileSystemWatcher(pattern);
    disposables.push(w, w.onDidCreate(trigger), w.onDidChange(trigger), w.onDidDelete(trigger));
  };
  for (const glob of WORKSPACE_GLOBS) watch(glob);
  const gitWatched = new Set<string>();
  const watchGitDirs = () => {
    for (const engine of engines.list()) {
      const gitDir = engine.repo?.gitDir;
      if (!gitDir || gitWatched.has(gitDir)) continue;
      gitWatched.add(gitDir);
      for (const glob of GIT_GLOBS) watch(new vscode.RelativePattern(vscode.Uri.file(gitDir), glob));
    }
  };
  watchGitDirs();
  disposables.push(engines.onDidChange(watchGitDirs));
  return vscode.Disposable.from(...disposables);
}
