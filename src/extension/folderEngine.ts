import * as vscode from 'vscode';
import {
  openWorkspace,
  repositoryAt,
  type IndexProgress,
  type IndexReport,
  type RepoInfo,
  type Workspace,
} from '../core/workspace/workspace';
import { defaultIndexFile, indexExists } from '../core/workspace/indexFile';
import { StoreError } from '../core/workspace/errors';
import type { ServerSpec } from '../core/workspace/runSync';
import { readSettings } from './settings';
import { mlflowServers, type RunServerProvider } from './mlflowServer';

/** A tracking server is re-read at most this often by automatic refreshes (file events fire often during training). */
const SERVER_INTERVAL_MS = 2 * 60 * 1000;

export type EngineState =
  | { kind: 'opening' }
  | { kind: 'ready' }
  /** Restricted Mode with no index on disk yet: nothing to show until the folder is trusted. */
  | { kind: 'untrusted-empty' }
  | { kind: 'store-error'; error: StoreError }
  | { kind: 'failed'; message: string };

export interface IndexRunOptions {
  signal?: AbortSignal;
  onProgress?: (p: IndexProgress) => void;
}

/**
 * One workspace folder's engine: its opened Workspace (repository and index) and its index
 * runs. Runs never overlap (one index writer per folder); a request during a run queues
 * exactly one more.
 */
export class FolderEngine implements vscode.Disposable {
  /** The repository facts; known even when no index is open (Restricted Mode, a broken index). */
  repo: RepoInfo | undefined;
  /** The opened folder every view and command reads through; undefined until the index is open. */
  ws: Workspace | undefined;
  state: EngineState = { kind: 'opening' };
  private running: Promise<IndexReport | undefined> | undefined;
  /** The run that starts after the current one; every caller during a run waits for it. */
  private next: Promise<IndexReport | undefined> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when what the trees show may have changed (index opened, a batch indexed, a run ended). */
  readonly onDidChange = this.changed.event;
  private readonly progressed = new vscode.EventEmitter<IndexProgress | undefined>();
  /** Progress of every index run (scheduled ones too), then undefined when the run ends: the status bar's spinner. */
  readonly onDidProgress = this.progressed.event;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    private readonly extensionRoot: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly runServers: RunServerProvider = mlflowServers(),
  ) {}

  /** The opened index under the name the test API has always used (it is the Workspace). */
  get store(): Workspace | undefined {
    return this.ws;
  }

  get storeFile(): string | undefined {
    if (!this.repo) return undefined;
    return readSettings(this.folder.uri).storePath || defaultIndexFile(this.repo);
  }

  /** Opens the repository and its index; a broken index is kept as a state (the UI offers Rebuild). */
  async open(trusted: boolean): Promise<void> {
    const t = Date.now();
    this.closeIndex();
    try {
      this.repo = await repositoryAt(this.folder.uri.fsPath);
      const file = this.storeFile!;
      if (!trusted && !indexExists(file)) {
        this.state = { kind: 'untrusted-empty' };
      } else {
        this.attach(
          await openWorkspace(this.folder.uri.fsPath, {
            storeFile: file,
            readonly: !trusted,
            extensionRoot: this.extensionRoot,
            log: (m) => this.log.info(m),
          }),
          t,
        );
      }
    } catch (error) {
      this.state = error instanceof StoreError ? { kind: 'store-error', error } : { kind: 'failed', message: (error as Error).message };
      this.log.error(`${this.folder.name}: ${(error as Error).message}`);
    }
    this.changed.fire();
  }

  private attach(ws: Workspace, started: number): void {
    this.ws = ws;
    this.repo = ws.repo;
    this.state = { kind: 'ready' };
    this.log.info(`${this.folder.name}: opened ${ws.storeFile} (${ws.driver}) in ${Date.now() - started} ms`);
  }

  /** Closes the index (trust granted: it is opened again read-write). */
  closeIndex(): void {
    this.ws?.close();
    this.ws = undefined;
  }

  /** An incremental run after a burst of file events settles. */
  schedule(delayMs = 500): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.index().catch((e: Error) => this.log.error(`${this.folder.name}: indexing failed: ${e.message}`));
    }, delayMs);
  }

  /**
   * Indexes now, or, while a run is going, after it: a caller that wrote a file just before
   * calling must see it, so it waits for the next run (one queued run serves every caller).
   */
  index(options: IndexRunOptions = {}): Promise<IndexReport | undefined> {
    if (!this.running) {
      this.running = this.runOnce(options).finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    if (!this.next) {
      this.next = this.running
        .catch(() => undefined)
        .then(() => {
          this.next = undefined;
          return this.index(options);
        });
    }
    return this.next;
  }

  private async runOnce(options: IndexRunOptions): Promise<IndexReport | undefined> {
    const ws = this.ws;
    if (!ws || this.state.kind !== 'ready') return undefined;
    const name = this.folder.name;
    const servers = await this.servers();
    // Git first, then MLflow/W&B runs (they link to its commits); a failure reading runs never fails the Git index.
    const report = await ws
      .refresh({
        signal: options.signal,
        excludePaths: readSettings(this.folder.uri).excludePaths,
        log: (m) => this.log.debug(`${name}: ${m}`),
        onWaitForIndexer: (pid) => this.log.info(`${name}: waiting for another indexer (pid ${pid}) to finish with this index`),
        onProgress: (p) => {
          options.onProgress?.(p);
          this.progressed.fire(p);
          if (p.phase === 'commits') this.changed.fire();
        },
        runs: servers === undefined ? false : { servers, serverMinIntervalMs: SERVER_INTERVAL_MS },
      })
      .finally(() => this.progressed.fire(undefined));
    const r = report.runs;
    if (r && r.sources > 0)
      this.log.info(
        `${name}: runs from ${r.sources} source(s): ${r.read} read (${r.runs} runs), ${r.unchanged} unchanged, ${r.failed} failed, ${r.removed} removed in ${r.ms} ms`,
      );
    for (const e of r?.errors ?? []) this.log.warn(`${name}: ${e}`);
    if (report.runsError !== undefined) this.log.error(`${name}: MLflow/W&B runs not indexed: ${report.runsError}`);
    // The branch or HEAD may have moved: the trees read these from the repo info.
    if (this.ws === ws) this.repo = await ws.reopenRepo();
    const tm = report.timings;
    this.log.info(
      `${name}: ${report.commitsIndexed} commits indexed (${report.commitsWalked} walked), ${report.blobsParsed} files parsed, refs +${report.refs.added} ~${report.refs.moved} -${report.refs.removed}` +
        ` in ${tm.totalMs} ms (refs ${tm.refsMs}, history ${tm.historyMs}, commits ${tm.commitsMs}, workspace ${tm.workspaceMs})${report.cancelled ? ', cancelled' : ''}`,
    );
    for (const l of report.limitations) this.log.warn(`${name}: ${l}`);
    this.changed.fire();
    return report;
  }

  /** The tracking servers to read; undefined when they cannot be listed (then runs are not read this time). */
  private async servers(): Promise<ServerSpec[] | undefined> {
    try {
      return await this.runServers(this.folder.uri);
    } catch (error) {
      this.log.error(`${this.folder.name}: MLflow/W&B runs not indexed: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** Replaces the index file with a fresh one (only when the user asked) and indexes from scratch. */
  async rebuild(options: IndexRunOptions = {}): Promise<IndexReport | undefined> {
    await this.running;
    this.closeIndex();
    const t = Date.now();
    if (!this.repo) this.repo = await repositoryAt(this.folder.uri.fsPath);
    const file = this.storeFile!;
    // Local-only records (run environments) are carried into the new file.
    const ws = await openWorkspace(this.folder.uri.fsPath, {
      storeFile: file,
      rebuild: true,
      extensionRoot: this.extensionRoot,
      log: (m) => this.log.info(m),
      onRebuilt: (kept) =>
        this.log.info(
          `${this.folder.name}: rebuilt ${file} (kept ${
            Object.entries(kept)
              .map(([t, n]) => `${n} ${t} rows`)
              .join(', ') || 'no local records'
          })`,
        ),
      onWarning: (warning) => {
        this.log.warn(warning);
        void vscode.window.showWarningMessage(warning);
      },
    });
    this.attach(ws, t);
    this.changed.fire();
    return this.index(options);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.closeIndex();
    this.changed.dispose();
    this.progressed.dispose();
  }
}
