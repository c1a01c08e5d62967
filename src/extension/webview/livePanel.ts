// The lifecycle of the live webview panels (Plots, Metric History, Lineage Card), the one the
// Metric Diff follows too: the webview says `ready` after every (re)load and then gets the
// whole state; index changes reload the state and post only a delta; nothing is posted before
// `ready`; results of a superseded load are dropped; bursts of index events coalesce into one
// reload.
import * as vscode from 'vscode';

export abstract class LivePanel<State, Host extends { type: string }> {
  /** Resolves at the webview's first `ready` message. */
  readonly ready: Promise<void>;
  private resolveReady!: () => void;
  private live = false;
  protected state: State | undefined;
  protected error: string | undefined;
  private posted: State | undefined;
  private generation = 0;
  private loading: Promise<void> | undefined;
  private reloadQueued = false;
  /** An index change arrived while the page was hidden (its next `ready` reloads). */
  private stale = false;
  protected disposed = false;
  protected readonly disposables: vscode.Disposable[] = [];
  private readonly listeners = new Set<(message: Host) => void>();

  protected constructor(
    readonly panel: vscode.WebviewPanel,
    onDidChangeIndex: vscode.Event<void>,
  ) {
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
    this.disposables.push(
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.live = false;
      }),
      panel.onDidDispose(() => this.dispose()),
      onDidChangeIndex(() => this.reload()),
    );
  }

  protected abstract fetch(): Promise<State>;
  protected abstract initMessage(state: State): Host;
  protected abstract errorMessage(message: string): Host;
  protected abstract loadingMessage(): Host;
  /** The message that turns `prev` into `next` on the page, or undefined when nothing changed. */
  protected abstract deltaMessage(prev: State, next: State): Host | undefined;

  /** The last state posted to the webview (init with deltas applied). */
  postedState(): State | undefined {
    return this.posted;
  }

  lastError(): string | undefined {
    return this.error;
  }

  onDidPost(listener: (message: Host) => void): vscode.Disposable {
    this.listeners.add(listener);
    return new vscode.Disposable(() => this.listeners.delete(listener));
  }

  /** Resolves when no load is running or queued. */
  async settled(): Promise<void> {
    while (this.loading) await this.loading;
  }

  protected onReady(): void {
    this.live = true;
    this.resolveReady();
    if (this.stale) {
      // The index changed while the page was hidden: load once now instead of on every change.
      this.stale = false;
      void this.load();
      return;
    }
    this.sendWhole();
  }

  /** Loads anew and posts the whole state (after the user changed what is shown). */
  protected load(): Promise<void> {
    const generation = ++this.generation;
    const run = (async () => {
      try {
        const state = await this.fetch();
        if (generation !== this.generation || this.disposed) return;
        this.state = state;
        this.error = undefined;
      } catch (error) {
        if (generation !== this.generation || this.disposed) return;
        this.state = undefined;
        this.error = messageOf(error);
      }
      this.sendWhole();
    })();
    this.track(run);
    return run;
  }

  /** After an index change: reload and post only what changed. */
  protected reload(): void {
    if (this.disposed) return;
    if (!this.live && this.posted) {
      this.stale = true;
      return;
    }
    if (this.loading) {
      this.reloadQueued = true;
      return;
    }
    const generation = ++this.generation;
    const run = (async () => {
      let next: State;
      try {
        next = await this.fetch();
      } catch (error) {
        if (generation !== this.generation || this.disposed) return;
        this.state = undefined;
        this.error = messageOf(error);
        this.sendWhole();
        return;
      }
      if (generation !== this.generation || this.disposed) return;
      const previous = this.state;
      this.state = next;
      this.error = undefined;
      if (!previous || !this.live || !this.posted) {
        this.sendWhole();
        return;
      }
      const delta = this.deltaMessage(previous, next);
      if (delta) {
        this.post(delta);
        this.posted = next;
      }
    })();
    this.track(run);
  }

  private track(run: Promise<void>): void {
    const tracked = run.finally(() => {
      if (this.loading !== tracked) return;
      this.loading = undefined;
      if (this.reloadQueued && !this.disposed) {
        this.reloadQueued = false;
        this.reload();
      }
    });
    this.loading = tracked;
  }

  protected sendWhole(): void {
    if (!this.live) return;
    if (this.state) {
      this.post(this.initMessage(this.state));
      this.posted = this.state;
    } else if (this.error !== undefined) {
      this.post(this.errorMessage(this.error));
    } else {
      this.post(this.loadingMessage());
    }
  }

  protected post(message: Host): void {
    if (!this.live || this.disposed) return;
    void this.panel.webview.postMessage(message);
    for (const listener of this.listeners) listener(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.live = false;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.listeners.clear();
    this.panel.dispose();
  }
}

/** Options of the chart pages (Metric History, Plots): scripts from dist/webview, styles from media. */
export function chartPanelOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export function messageOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split(/\r?\n/)[0] || 'unknown error';
}
