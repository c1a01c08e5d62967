// Live pipeline state for the editor: each folder's stage statuses read from the workspace
// files (not the index, so a saved dep shows at once), plus what this session saw run (the
// stage running now, stages whose last run failed). The Pipelines view, CodeLens, the DAG
// webview and the status document all read it; one computation per change serves them all.
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Engines } from '../engines';
import type { FolderEngine } from '../folderEngine';
import type { ReproEvent, ReproOptions, ReproProblem, ReproResult, StageStatus } from '../../core/repro/types';
import { problemsOf, refusal, stageProblems } from './problemPlaces';
import type { PipelineSnapshot, ReproEngine } from './reproEngine';
import type { LiveMark } from './stageText';

export interface FolderPipelines extends PipelineSnapshot {
  engine: FolderEngine;
  /** Repository root the addresses and paths are relative to. */
  root: string;
  /** The status could not be computed at all (one line for the user). */
  error?: string;
}

interface LiveRun {
  current?: string;
  planned: Set<string>;
  started: boolean;
}

/** A run refused before anything ran or was removed: the pipelines have problems. */
export interface ReproRefusal {
  engine: FolderEngine;
  root: string;
  problems: ReproProblem[];
}

const PIPELINE_FILES = /(^|\/)(dvc\.yaml|dvc\.lock|params\.(yaml|yml|json|toml|py)|\.dvcignore)$/;

export class ReproModel implements vscode.Disposable {
  private readonly snapshots = new Map<FolderEngine, Promise<FolderPipelines>>();
  private readonly runs = new Map<FolderEngine, LiveRun>();
  private readonly failures = new Map<FolderEngine, Map<string, { exitCode: number | null; message: string }>>();
  private readonly pendingRefresh = new Set<Promise<unknown>>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when statuses may have changed (after a save, a run event, an index run). */
  readonly onDidChange = this.changed.event;
  private readonly refused = new vscode.EventEmitter<ReproRefusal>();
  /** A Reproduce (any of its doors: Task, CodeLens, DAG, view, command) was refused; the notification listens. */
  readonly onDidRefuse = this.refused.event;
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private roots = '';

  constructor(
    private readonly engines: Engines,
    private readonly engine: ReproEngine,
    private readonly log: vscode.LogOutputChannel,
    private readonly trusted: () => boolean = () => vscode.workspace.isTrusted,
  ) {
    const watcher = vscode.workspace.createFileSystemWatcher(
      '**/{dvc.yaml,dvc.lock,params.yaml,params.yml,params.json,params.toml,params.py,.dvcignore}',
    );
    const onFile = () => this.invalidate(500);
    this.disposables.push(
      this.changed,
      this.refused,
      watcher,
      watcher.onDidCreate(onFile),
      watcher.onDidChange(onFile),
      watcher.onDidDelete(onFile),
      vscode.workspace.onDidSaveTextDocument((doc) => void this.saved(doc.uri)),
      // A folder opened, its repository found or its store reopened (trust granted): new roots.
      engines.onDidChange(() => {
        const roots = engines
          .list()
          .map((e) => `${e.folder.uri}|${e.repo?.root}|${e.state.kind}`)
          .join('\n');
        if (roots !== this.roots) {
          this.roots = roots;
          this.invalidate(0);
        }
      }),
    );
  }

  /** The folder's pipelines; computed once per change and shared by every caller. */
  pipelines(engine: FolderEngine): Promise<FolderPipelines> {
    let p = this.snapshots.get(engine);
    if (!p) {
      p = this.compute(engine);
      this.snapshots.set(engine, p);
    }
    return p;
  }

  /** Every open folder's pipelines (opening the folders' engines first). */
  async all(): Promise<FolderPipelines[]> {
    await this.engines.whenOpen();
    return Promise.all(this.engines.list().map((e) => this.pipelines(e)));
  }

  /** Drops the computed statuses (after `delayMs`, coalescing bursts) and tells the views. */
  invalidate(delayMs = 0): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.snapshots.clear();
      this.changed.fire();
    }, delayMs);
  }

  /** What this session knows beyond the files: running now, failed last time, not runnable. */
  live(engine: FolderEngine, s: StageStatus, snapshot?: FolderPipelines): LiveMark {
    return {
      running: this.runs.get(engine)?.current === s.address,
      failed: this.failures.get(engine)?.get(s.address),
      broken: snapshot?.broken.has(s.address),
      problems: snapshot?.problems.length ? stageProblems(s, snapshot.problems, snapshot.stages) : undefined,
    };
  }

  isRunning(engine: FolderEngine): boolean {
    return this.runs.has(engine);
  }

  /**
   * Reproduces in this process; `onEvent` gets every event (the Task's terminal). Afterwards the
   * statuses are recomputed and the folder's index is brought up to date, so every view updates.
   */
  async run(engine: FolderEngine, options: ReproOptions, onEvent: (e: ReproEvent) => void): Promise<ReproResult> {
    // Two runs in one folder would interleave dvc.lock writes; the engine's lock file also stops a CLI run.
    if (this.runs.has(engine))
      throw new Error(`A repro is already running in ${engine.folder.name}; wait for it to finish or terminate its task.`);
    const root = this.rootOf(engine);
    const failures = this.failures.get(engine) ?? new Map();
    this.failures.set(engine, failures);
    const live: LiveRun = { planned: new Set(), started: false };
    this.runs.set(engine, live);
    const index = this.writableIndex(engine);
    try {
      // The runner refuses pipelines with problems itself; the editor checks the statuses it
      // already has as well, so a known problem never reaches a run however the engine evolves.
      const known = await this.problemsBeforeRun(engine);
      if (known.length) throw refusal(known);
      return await this.engine.reproduce(root, index, options, (e) => {
        this.track(engine, live, failures, e);
        onEvent(e);
      });
    } catch (error) {
      const problems = problemsOf(error);
      if (problems.length) this.refused.fire({ engine, root, problems });
      throw error;
    } finally {
      this.runs.delete(engine);
      this.snapshots.delete(engine);
      this.changed.fire();
      // A stage that started may have written outs, the cache and dvc.lock: the index catches up.
      if (live.started && this.trusted() && engine.state.kind === 'ready') {
        const indexing = engine
          .index()
          .catch((e: Error) => this.log.error(`${engine.folder.name}: indexing after repro failed: ${e.message}`));
        this.pendingRefresh.add(indexing);
        void indexing.finally(() => this.pendingRefresh.delete(indexing));
      }
    }
  }

  /**
   * The folder's problems as the statuses say. A snapshot can be a debounce old: one with
   * problems is recomputed before it refuses, so a fix saved a moment ago counts.
   */
  private async problemsBeforeRun(engine: FolderEngine): Promise<ReproProblem[]> {
    if ((await this.pipelines(engine)).problems.length === 0) return [];
    this.snapshots.delete(engine);
    return (await this.pipelines(engine)).problems;
  }

  /** Resolves when the index runs started after repro runs have ended (tests, refresh). */
  async settled(): Promise<void> {
    while (this.pendingRefresh.size) await Promise.all([...this.pendingRefresh]);
  }

  rootOf(engine: FolderEngine): string {
    return engine.repo?.root ?? engine.folder.uri.fsPath;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.disposables.forEach((d) => d.dispose());
  }

  private track(
    engine: FolderEngine,
    live: LiveRun,
    failures: Map<string, { exitCode: number | null; message: string }>,
    e: ReproEvent,
  ): void {
    switch (e.type) {
      case 'plan':
        e.stages.forEach((s) => live.planned.add(s));
        return;
      case 'skip':
        if (failures.delete(e.stage)) this.changed.fire();
        return;
      case 'stage':
        live.current = e.stage;
        live.started = true;
        failures.delete(e.stage);
        this.changed.fire();
        return;
      case 'failed':
        failures.set(e.stage, { exitCode: e.exitCode, message: e.message });
        live.current = undefined;
        this.changed.fire();
        return;
      case 'locked':
      case 'cancelled':
        // The stage's dvc.lock entry is written (or the stage stopped): its status is news.
        live.current = undefined;
        this.snapshots.delete(engine);
        this.changed.fire();
        return;
      default:
        return;
    }
  }

  private async compute(engine: FolderEngine): Promise<FolderPipelines> {
    const root = this.rootOf(engine);
    const started = Date.now();
    try {
      const snapshot = await this.engine.status(root, this.writableIndex(engine));
      this.log.debug(`${engine.folder.name}: status of ${snapshot.stages.length} stages in ${Date.now() - started} ms`);
      return { ...snapshot, engine, root };
    } catch (error) {
      const message = (error as Error).message.split('\n')[0];
      this.log.error(`${engine.folder.name}: pipeline status failed: ${message}`);
      return { engine, root, stages: [], problems: [], broken: new Set(), upstream: new Map(), downstream: new Map(), error: message };
    }
  }

  /** The hash cache lives in the index; a read-only index (Restricted Mode) gets none. */
  private writableIndex(engine: FolderEngine) {
    return this.trusted() && engine.state.kind === 'ready' ? engine.ws : undefined;
  }

  /** After a save: pipeline files and files under a stage's deps or outs change statuses. */
  private async saved(uri: vscode.Uri): Promise<void> {
    if (uri.scheme !== 'file') return;
    const engine = this.engines.forUri(uri);
    if (!engine) return;
    const rel = repoRelative(this.rootOf(engine), uri.fsPath);
    if (rel === undefined) return;
    if (PIPELINE_FILES.test(rel)) {
      this.invalidate(400);
      return;
    }
    // Without statuses yet, no view shows a state that could go stale.
    const snapshot = await this.snapshots.get(engine);
    if (snapshot?.stages.some((st) => [...st.deps, ...st.outs].some((p) => rel === p || rel.startsWith(`${p}/`)))) this.invalidate(400);
  }
}

/**
 * A file's path relative to the repository root ('/'-separated), or undefined outside it. The
 * root is a real path (Git resolves links), so the file's path is resolved too when it exists.
 */
export function repoRelative(root: string, fsPath: string): string | undefined {
  let real = fsPath;
  try {
    real = realpathSync(fsPath);
  } catch {
    /* not on disk (yet): as given */
  }
  const rel = path.relative(root, real);
  return rel.startsWith('..') || path.isAbsolute(rel) ? undefined : rel.split(path.sep).join('/');
}
