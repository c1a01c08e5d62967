// Host side of the Pipeline DAG webview: one panel per workspace folder. The webview says
// `ready` after every (re)load and gets the whole laid-out graph; after that, state changes
// (a save, a run starting or ending) arrive as `states` updates, and only a change of stages,
// files or edges sends a new graph. Nothing is posted before `ready`.
import * as vscode from 'vscode';
import { formatProblem, type ReproProblem } from '../../core/repro/types';
import type { DagGraph, HostMessage, WebviewMessage } from '../../protocol/pipelineDag';
import { COMMANDS } from '../commands';
import type { Engines } from '../engines';
import type { FolderEngine } from '../folderEngine';
import { buildDagGraph, sameShape, stateUpdates, type GraphStage } from './dagGraph';
import { buildPipelineDagHtml, makeNonce, parseDagMessage } from './dagHtml';
import type { FolderPipelines, ReproModel } from './reproModel';
import { openProblem } from './reproProblems';
import { stageArg } from './stageArgs';
import { changeSummary, stageState, stateText } from './stageText';

export interface DagPanelDeps {
  extensionUri: vscode.Uri;
  model: ReproModel;
  trusted: () => boolean;
}

export class PipelineDagPanel {
  static readonly viewType = 'lineage.pipelineDag';
  private static readonly open = new Map<FolderEngine, PipelineDagPanel>();

  readonly ready: Promise<void>;
  private resolveReady!: () => void;
  private live = false;
  private posted: DagGraph | undefined;
  /** `problemRefs[i]` is the problem behind `graph.problems[i]` (undefined: the status error, no place). */
  private latest: { graph?: DagGraph; pipelines?: FolderPipelines; problemRefs?: (ReproProblem | undefined)[]; error?: string } = {};
  private updating: Promise<void> | undefined;
  private queued = false;
  private disposed = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly listeners = new Set<(m: HostMessage) => void>();

  static show(engine: FolderEngine, deps: DagPanelDeps): PipelineDagPanel {
    const existing = PipelineDagPanel.open.get(engine);
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      PipelineDagPanel.viewType,
      `Pipeline DAG: ${engine.folder.name}`,
      vscode.ViewColumn.Active,
      PipelineDagPanel.options(deps.extensionUri),
    );
    return new PipelineDagPanel(panel, engine, deps);
  }

  /** Adopts a panel VS Code restored after a window reload. */
  static revive(panel: vscode.WebviewPanel, engine: FolderEngine, deps: DagPanelDeps): PipelineDagPanel {
    return new PipelineDagPanel(panel, engine, deps);
  }

  static panels(): readonly PipelineDagPanel[] {
    return [...PipelineDagPanel.open.values()];
  }

  private static options(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      retainContextWhenHidden: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    readonly engine: FolderEngine,
    private readonly deps: DagPanelDeps,
  ) {
    this.ready = new Promise((resolve) => (this.resolveReady = resolve));
    PipelineDagPanel.open.set(engine, this);
    const webview = panel.webview;
    webview.options = PipelineDagPanel.options(deps.extensionUri);
    panel.title = `Pipeline DAG: ${engine.folder.name}`;
    this.disposables.push(
      webview.onDidReceiveMessage((raw) => this.onMessage(parseDagMessage(raw))),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.live = false;
      }),
      panel.onDidDispose(() => this.dispose()),
      deps.model.onDidChange(() => this.update()),
    );
    webview.html = buildPipelineDagHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, 'dist', 'webview', 'pipelineDag.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(deps.extensionUri, 'media', 'pipelineDag.css')).toString(),
      nonce: makeNonce(),
    });
    this.update();
  }

  /** The graph as the webview has it now (the last `graph` with `states` applied). */
  postedGraph(): DagGraph | undefined {
    return this.posted;
  }

  onDidPost(listener: (m: HostMessage) => void): vscode.Disposable {
    this.listeners.add(listener);
    return new vscode.Disposable(() => this.listeners.delete(listener));
  }

  /** Resolves when no graph computation is running or queued. */
  async settled(): Promise<void> {
    while (this.updating) await this.updating;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.live = false;
    if (PipelineDagPanel.open.get(this.engine) === this) PipelineDagPanel.open.delete(this.engine);
    this.disposables.splice(0).forEach((d) => d.dispose());
    this.listeners.clear();
    this.panel.dispose();
  }

  private onMessage(message: WebviewMessage | undefined): void {
    if (!message || this.disposed) return;
    switch (message.type) {
      case 'ready':
        this.live = true;
        this.resolveReady();
        this.posted = undefined;
        this.send();
        return;
      case 'reveal':
        void this.reveal(message.address);
        return;
      case 'openProblem': {
        const problem = this.latest.problemRefs?.[message.index];
        if (problem && this.latest.pipelines) void openProblem(this.latest.pipelines.root, problem, this.besideColumn());
        return;
      }
      case 'reproduce':
        // Only addresses of this folder's stages; the command checks trust again.
        if (this.latest.pipelines?.stages.some((s) => s.address === message.address)) {
          void vscode.commands.executeCommand(COMMANDS.reproduceStage, stageArg(this.engine, message.address));
        }
        return;
    }
  }

  private async reveal(address: string): Promise<void> {
    const s = this.latest.pipelines?.stages.find((st) => st.address === address);
    if (!s || !this.latest.pipelines) return;
    const uri = vscode.Uri.joinPath(vscode.Uri.file(this.latest.pipelines.root), ...s.file.split('/'));
    const line = Math.max(0, (s.line ?? 1) - 1);
    await vscode.window.showTextDocument(uri, {
      selection: new vscode.Range(line, 0, line, 0),
      viewColumn: this.besideColumn(),
      preview: true,
    });
  }

  /** Files open next to the graph, not over it. */
  private besideColumn(): vscode.ViewColumn {
    return this.panel.viewColumn === vscode.ViewColumn.One ? vscode.ViewColumn.Beside : vscode.ViewColumn.One;
  }

  /** Recomputes the graph; bursts of changes coalesce into one more run. */
  private update(): void {
    if (this.disposed) return;
    if (this.updating) {
      this.queued = true;
      return;
    }
    const run = (async () => {
      try {
        const p = await this.deps.model.pipelines(this.engine);
        this.latest = { pipelines: p, graph: this.graphOf(p), problemRefs: [...(p.error ? [undefined] : []), ...p.problems] };
      } catch (error) {
        this.latest = { error: (error as Error).message.split('\n')[0] };
      }
      this.send();
    })();
    this.updating = run.finally(() => {
      this.updating = undefined;
      if (this.queued && !this.disposed) {
        this.queued = false;
        this.update();
      }
    });
  }

  private graphOf(p: FolderPipelines): DagGraph {
    const stages = p.stages.map((s): GraphStage => {
      const live = this.deps.model.live(this.engine, s, p);
      const cmd = Array.isArray(s.cmd) ? s.cmd.join(' && ') : s.cmd;
      const state = stageState(s, live);
      // The color says "changed"; the node's second line says why.
      const detail = state === 'changed' ? changeSummary(s.changes, 200) : stateText(s, live, 200);
      const problems = (live.problems ?? []).map((pr) => `\n${formatProblem(pr)}`).join('');
      return {
        address: s.address,
        state,
        detail,
        title: `${s.address}\n${stateText(s, live, 400)}\n$ ${cmd}${live.failed ? `\nlast run: ${live.failed.message}` : ''}${problems}`,
        deps: s.deps,
        outs: s.outs,
      };
    });
    const problems = [...(p.error ? [p.error] : []), ...p.problems.map(formatProblem)];
    return buildDagGraph(this.engine.folder.name, stages, problems, this.deps.trusted());
  }

  private send(): void {
    if (!this.live || this.disposed) return;
    const { graph, error } = this.latest;
    if (error !== undefined) {
      this.post({ type: 'error', message: error });
      this.posted = undefined;
      return;
    }
    if (!graph) return;
    if (this.posted && sameShape(this.posted, graph)) {
      const updates = stateUpdates(this.posted, graph);
      if (updates.length || this.posted.summary !== graph.summary || this.posted.problems.join('\n') !== graph.problems.join('\n')) {
        this.post({ type: 'states', updates, summary: graph.summary, problems: graph.problems });
      }
    } else {
      this.post({ type: 'graph', graph });
    }
    this.posted = graph;
  }

  private post(message: HostMessage): void {
    if (!this.live || this.disposed) return;
    void this.panel.webview.postMessage(message);
    for (const l of this.listeners) l(message);
  }
}

/** Restores DAG panels after a window reload (for the first folder). */
export function registerPipelineDagSerializer(engines: Engines, deps: DagPanelDeps): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(PipelineDagPanel.viewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
      await engines.whenOpen();
      const engine = engines.list()[0];
      if (engine) PipelineDagPanel.revive(panel, engine, deps);
      else panel.dispose();
    },
  });
}
