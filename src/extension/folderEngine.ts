import * as vscode from 'vscode';
import { openRepo, type RepoInfo } from '../core/git/repo';
import { Store, StoreError } from '../core/store/store';
import { rebuildStore } from '../core/store/rebuild';
import { defaultStoreFile } from '../core/store/location';
import { indexRepository, type IndexProgress, type IndexReport } from '../core/indexer/indexer';
import { readSettings } from './settings';
import { syncRuns } from '../core/workspace/runSync';
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
 * One workspace folder's engine: its repository, its store and its index runs. Runs never
 * overlap (one store writer per folder); a request during a run queues exactly one more.
 */
export class FolderEngine implements vscode.Disposable {
  repo: RepoInfo | undefined;
  store: Store | undefined;
  state: EngineState = { kind: 'opening' };
  private running: Promise<IndexReport | undefined> | undefined;
  /** The run that starts after the current one; every caller during a run waits for it. */
  private next: Promise<IndexReport | undefined> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when what the trees show may have changed (store opened, a batch indexed, a run ended). */
  readonly onDidChange = this.changed.event;
  private readonly progressed = new vscode.EventEmitter<IndexProgress | undefined>();
  /** Progress of every index run (scheduled ones too), then undefined when the run ends: the status bar's spinner. */
  readonly onDidProgress = this.progressed.event;

  constructor(readonly folder: vscode.WorkspaceFolder, private readonly extensionRoot: string, private readonly log: vscode.LogOutputChannel,
    private readonly runServers: RunServerProvider = mlflowServers()) {}

  get storeFile(): string | undefined {
    if (!this.repo) return undefined;
    return readSettings(this.folder.uri).storePath || defaultStoreFile(this.repo);
  }

  /** Opens the repository and store; a broken store is kept as a state (the UI offers Rebuild). */
  async open(trusted: boolean): Promise<void> {
    const t = Date.now();
    try {
      this.repo = await openRepo(this.folder.uri.fsPath);
      const file = this.storeFile!;
      if (!trusted && !Store.exists(file)) {
        this.state = { kind: 'untrusted-empty' };
      } else {
        this.store = Store.open(file, { extensionRoot: this.extensionRoot, log: (m) => this.log.info(m), readonly: !trusted });
        this.state = { kind: 'ready' };
        this.log.info(`${this.folder.name}: opened ${file} (${this.store.driver}) in ${Date.now() - t} ms`);
      }
    } catch (error) {
      this.state = error instanceof StoreError ? { kind: 'store-error', error } : { kind: 'failed', message: (error as Error).message };
      this.log.error(`${this.folder.name}: ${(error as Error).message}`);
    }
    this.changed.fire();
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
      this.running = this.runOnce(options).finally(() => { this.running = undefined; });
      return this.running;
    }
    if (!this.next) {
      this.next = this.running.catch(() => undefined).then(() => {
        this.next = undefined;
        return this.index(options);
      });
    }
    return this.next;
  }

  private async runOnce(options: IndexRunOptions): Promise<IndexReport | undefined> {
    if (!this.repo || !this.store || this.state.kind !== 'ready') return undefined;
    const report = await indexRepository(this.repo, this.store, {
      signal: options.signal,
      excludePaths: readSettings(this.folder.uri).excludePaths,
      log: (m) => this.log.debug(`${this.folder.name}: ${m}`),
      onWaitForIndexer: (pid) => this.log.info(`${this.folder.name}: waiting for another indexer (pid ${pid}) to finish with this index`),
      onProgress: (p) => { options.onProgress?.(p); this.progressed.fire(p); if (p.phase === 'commits') this.changed.fire(); },
    }).finally(() => this.progressed.fire(undefined));
    if (!report.cancelled) await this.syncExternalRuns(options.signal);
    // The branch or HEAD may have moved: the trees read these from the repo info.
    this.repo = await openRepo(this.folder.uri.fsPath);
    const tm = report.timings;
    this.log.info(`${this.folder.name}: ${report.commitsIndexed} commits indexed (${report.commitsWalked} walked), ${report.blobsParsed} files parsed, refs +${report.refs.added} ~${report.refs.moved} -${report.refs.removed}` +
      ` in ${tm.totalMs} ms (refs ${tm.refsMs}, history ${tm.historyMs}, commits ${tm.commitsMs}, workspace ${tm.workspaceMs})${report.cancelled ? ', cancelled' : ''}`);
    for (const l of report.limitations) this.log.warn(`${this.folder.name}: ${l}`);
    this.changed.fire();
    return report;
  }

  /** MLflow/W&B runs after the Git index (runs link to its commits); a failure here never fails the Git index. */
  private async syncExternalRuns(signal: AbortSignal | undefined): Promise<void> {
    if (!this.repo || !this.store) return;
    try {
      const servers = await this.runServers(this.folder.uri);
      const r = await syncRuns(this.repo.root, this.store, {
        excludePaths: readSettings(this.folder.uri).excludePaths, servers, serverMinIntervalMs: SERVER_INTERVAL_MS, signal,
        log: (m) => this.log.debug(`${this.folder.name}: ${m}`),
      });
      if (r.sources > 0) this.log.info(`${this.folder.name}: runs from ${r.sources} source(s): ${r.read} read (${r.runs} runs), ${r.unchanged} unchanged, ${r.failed} failed, ${r.removed} removed in ${r.ms} ms`);
      for (const e of r.errors) this.log.warn(`${this.folder.name}: ${e}`);
    } catch (error) {
      this.log.error(`${this.folder.name}: MLflow/W&B runs not indexed: ${(error as Error).message}`);
    }
  }

  /** Deletes the index file (only when the user asked) and indexes from scratch. */
  async rebuild(options: IndexRunOptions = {}): Promise<IndexReport | undefined> {
    await this.running;
    this.store?.close();
    this.store = undefined;
    if (!this.repo) this.repo = await openRepo(this.folder.uri.fsPath);
    const file = this.storeFile!;
    // Local-only records (run environments) are carried into the new file; then it is reopened as usual.
    const rebuilt = rebuildStore(file, { extensionRoot: this.extensionRoot });
    rebuilt.store.close();
    this.log.info(`${this.folder.name}: rebuilt ${file} (kept ${Object.entries(rebuilt.kept).map(([t, n]) => `${n} ${t} rows`).join(', ') || 'no local records'})`);
    if (rebuilt.warning) { this.log.warn(rebuilt.warning); void vscode.window.showWarningMessage(rebuilt.warning); }
    await this.open(true);
    return this.index(options);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.store?.close();
    this.store = undefined;
    this.changed.dispose();
    this.progressed.dispose();
  }
}
