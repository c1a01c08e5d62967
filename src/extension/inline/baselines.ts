import * as vscode from 'vscode';
import { refRows } from '../../core/workspace/experiments';
import {
  fileValuesAt,
  trackedFiles,
  valueHistory,
  type FileValuesAt,
  type TrackedFile,
  type ValueChange,
} from '../../core/workspace/baselines';
import { baselineBranchName } from '../runs/runsTreeProvider';
import type { Engines } from '../engines';
import type { FolderEngine } from '../folderEngine';

export type BaselineRef = { name: string; sha: string } | { name?: string; problem: string };

/**
 * What the editor features compare against, per folder: the baseline branch and its commit,
 * the workspace's params/metrics files, the baseline's values per file and key histories.
 * Everything is cached until the index or the `lineage` settings change (then `onDidChange`).
 */
export class Baselines implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /** Bumped on every invalidation, so derived caches know they are stale. */
  generation = 0;
  private refs = new Map<FolderEngine, BaselineRef>();
  private tracked = new Map<FolderEngine, Map<string, TrackedFile>>();
  private values = new Map<string, FileValuesAt>();
  private histories = new Map<string, ValueChange[]>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly engines: Engines) {
    this.subscriptions = [
      engines.onDidChange(() => this.invalidate()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('lineage')) this.invalidate();
      }),
    ];
  }

  invalidate(): void {
    this.generation++;
    this.refs.clear();
    this.tracked.clear();
    this.values.clear();
    this.histories.clear();
    this.changed.fire();
  }

  /** The engine of a file's folder, with its index open. */
  engineFor(uri: vscode.Uri): FolderEngine | undefined {
    const engine = this.engines.forUri(uri);
    return engine?.ws && engine.state.kind === 'ready' ? engine : undefined;
  }

  baseline(engine: FolderEngine): BaselineRef {
    let ref = this.refs.get(engine);
    if (!ref) {
      const name = baselineBranchName(engine);
      const sha = name && engine.ws ? refRows(engine.ws, 'branch').find((b) => b.short === name)?.sha : undefined;
      ref = !name
        ? { problem: 'no baseline branch (no main or master)' }
        : !sha
          ? { name, problem: `the baseline branch "${name}" does not exist` }
          : { name, sha };
      this.refs.set(engine, ref);
    }
    return ref;
  }

  /** The params/metrics files of the workspace, by repository-relative path. */
  trackedFiles(engine: FolderEngine): Map<string, TrackedFile> {
    let files = this.tracked.get(engine);
    if (!files) {
      files = engine.ws ? trackedFiles(engine.ws) : new Map<string, TrackedFile>();
      this.tracked.set(engine, files);
    }
    return files;
  }

  fileValues(engine: FolderEngine, sha: string, file: TrackedFile): FileValuesAt {
    const key = `${engine.folder.uri.toString()}\0${sha}\0${file.role}\0${file.path}\0${JSON.stringify(file.selector)}`;
    let v = this.values.get(key);
    if (!v) {
      v = engine.ws ? fileValuesAt(engine.ws, sha, file.path, file.role, file.selector) : { status: 'absent' };
      this.values.set(key, v);
    }
    return v;
  }

  /** The last `limit` values of a key along HEAD's first-parent chain. */
  history(engine: FolderEngine, file: TrackedFile, key: string, limit: number): ValueChange[] {
    const head = engine.repo?.head;
    if (!head || !engine.ws || limit <= 0) return [];
    const id = `${engine.folder.uri.toString()}\0${head}\0${file.role}\0${file.path}\0${key}\0${limit}`;
    let h = this.histories.get(id);
    if (!h) {
      h = valueHistory(engine.ws, head, file.path, file.role, key, { limit });
      this.histories.set(id, h);
    }
    return h;
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}
