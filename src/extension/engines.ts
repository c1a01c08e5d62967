import * as vscode from 'vscode';
import { FolderEngine } from './folderEngine';
import { COMMANDS } from './commands';
import { mlflowServers } from './mlflowServer';

/**
 * All folders' engines (multi-root: one per workspace folder) and the first index. Trees
 * listen to `onDidChange`, debounced so progress events do not re-render them per batch.
 */
export class Engines implements vscode.Disposable {
  readonly byFolder = new Map<string, FolderEngine>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private debounce: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private firstIndex: Promise<void> | undefined;
  private opening: Promise<void> | undefined;
  private storeErrorShown = false;

  // SecretStorage holds MLflow server tokens; without it only MLFLOW_TRACKING_TOKEN is used.
  constructor(
    private readonly extensionRoot: string,
    private readonly log: vscode.LogOutputChannel,
    private readonly secrets?: vscode.SecretStorage,
  ) {}

  get trusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  list(): FolderEngine[] {
    return [...this.byFolder.values()];
  }

  forUri(uri: vscode.Uri): FolderEngine | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.byFolder.get(folder.uri.toString()) : undefined;
  }

  /** Opens every folder and runs the first index, once; later calls return the same promise. */
  whenIndexed(): Promise<void> {
    if (!this.firstIndex) {
      this.opening = this.openAll();
      this.firstIndex = this.opening.then(() => this.indexAll('first'));
    }
    return this.firstIndex;
  }

  /** Starts the engines if needed and resolves once every folder's store is open (not indexed). */
  async whenOpen(): Promise<void> {
    void this.whenIndexed().catch((e: Error) => this.log.error(`Indexing failed: ${e.message}`));
    await this.opening;
  }

  private async openAll(): Promise<void> {
    this.disposables.push(vscode.workspace.onDidChangeWorkspaceFolders((e) => void this.foldersChanged(e)));
    await Promise.all((vscode.workspace.workspaceFolders ?? []).map((f) => this.add(f)));
    // The welcome views ("no Git repository or ML files") key off this context.
    void vscode.commands.executeCommand(
      'setContext',
      'lineage.hasWorkspace',
      this.list().some((e) => e.repo?.gitDir || e.state.kind !== 'ready'),
    );
  }

  private async add(folder: vscode.WorkspaceFolder): Promise<FolderEngine> {
    const engine = new FolderEngine(folder, this.extensionRoot, this.log, mlflowServers(this.secrets));
    this.byFolder.set(folder.uri.toString(), engine);
    engine.onDidChange(() => this.fireSoon());
    await engine.open(this.trusted);
    this.reportStoreError(engine);
    return engine;
  }

  private async foldersChanged(e: vscode.WorkspaceFoldersChangeEvent): Promise<void> {
    for (const f of e.removed) {
      this.byFolder.get(f.uri.toString())?.dispose();
      this.byFolder.delete(f.uri.toString());
    }
    for (const f of e.added) (await this.add(f)).schedule(0);
    this.fireSoon();
  }

  /** One notification for the first run (counts, Cancel); a status-bar spinner afterwards. */
  async indexAll(kind: 'first' | 'refresh' | 'rebuild'): Promise<void> {
    if (!this.trusted) return;
    const engines = this.list().filter((e) => e.state.kind === 'ready' || kind === 'rebuild');
    if (engines.length === 0) return;
    const location = kind === 'refresh' ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification;
    await vscode.window.withProgress(
      { location, title: 'ML Lineage: indexing', cancellable: location === vscode.ProgressLocation.Notification },
      async (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => {
          abort.abort();
          this.log.info('Indexing cancelled by the user; what is done stays in the index.');
        });
        for (const engine of engines) {
          const name = engine.folder.name;
          const run = {
            signal: abort.signal,
            onProgress: (p: { phase: string; done: number; total: number }) =>
              progress.report({ message: `${name}: ${p.phase}${p.total ? ` ${p.done}/${p.total}` : ''}` }),
          };
          try {
            if (kind === 'rebuild') await engine.rebuild(run);
            else await engine.index(run);
            this.reportStoreError(engine);
          } catch (error) {
            this.log.error(`${name}: indexing failed: ${(error as Error).message}`);
          }
          if (abort.signal.aborted) break;
        }
      },
    );
    this.fireSoon();
  }

  /** A broken index is reported once per session, with the action that fixes it. */
  private reportStoreError(engine: FolderEngine): void {
    if (engine.state.kind !== 'store-error' || this.storeErrorShown) return;
    this.storeErrorShown = true;
    void vscode.window.showErrorMessage(engine.state.error.message, 'Rebuild Index').then((choice) => {
      if (choice === 'Rebuild Index') void vscode.commands.executeCommand(COMMANDS.rebuildIndex);
    });
  }

  /** Trust granted after start: reopen read-write and index. */
  async trustGranted(): Promise<void> {
    // open() closes the read-only index first.
    for (const engine of this.list()) await engine.open(true);
    await this.indexAll('first');
  }

  private fireSoon(): void {
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.changed.fire();
    }, 250);
  }

  dispose(): void {
    if (this.debounce) clearTimeout(this.debounce);
    for (const e of this.list()) e.dispose();
    this.byFolder.clear();
    this.disposables.forEach((d) => d.dispose());
    this.changed.dispose();
  }
}
