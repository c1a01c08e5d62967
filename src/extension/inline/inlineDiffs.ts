import * as vscode from 'vscode';
import type { Engines } from '../engines';
import { readSettings } from '../settings';
import type { Baselines } from './baselines';
import { DocumentModels, LARGE_DOCUMENT } from './documentModels';
import { InlineDecorations, type RenderedState } from './inlineDecorations';
import { InlineCodeLens, InlineHover } from './inlineProviders';

/** Files whose loader is JSON, YAML or TOML: opening one starts the engines (the index may hold it). */
const CANDIDATE = /\.(json|ya?ml|toml)$/i;
/** Debounce after an edit; a big file waits as long as its last parse took, so typing never queues parses. */
const EDIT_DELAY_MS = 200;
const SCROLL_DELAY_MS = 30;

export interface InlineDiffsTestView {
  /** What the editors of `uri` show now: the hints last drawn, for which version and lines. */
  rendered(uri: vscode.Uri): RenderedState | undefined;
  /** How often the document's text was parsed (once per version at most). */
  parses(uri: vscode.Uri): number;
  /** Draws the document's visible editors now, skipping the debounce. */
  update(uri: vscode.Uri): RenderedState | undefined;
}

/**
 * Inline diffs in params/metrics editors: after-line hints for the visible lines, the CodeLens,
 * the hover and a diagnostic when the text does not parse. Every part reads one model per
 * document version (DocumentModels); edits are debounced, scrolling only redraws.
 */
export class InlineDiffs implements vscode.Disposable {
  readonly models: DocumentModels;
  readonly decorations = new InlineDecorations();
  readonly codeLens: InlineCodeLens;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('ML Lineage');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly engines: Engines,
    private readonly baselines: Baselines,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.models = new DocumentModels(baselines);
    this.codeLens = new InlineCodeLens(this.models);
    const selector: vscode.DocumentSelector = { scheme: 'file' };
    this.subscriptions.push(
      vscode.languages.registerCodeLensProvider(selector, this.codeLens),
      vscode.languages.registerHoverProvider(selector, new InlineHover(this.models, baselines)),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        this.startIfNeeded(editors);
        for (const e of editors) this.schedule(e.document, 0);
      }),
      vscode.window.onDidChangeTextEditorVisibleRanges((e) => this.schedule(e.textEditor.document, SCROLL_DELAY_MS)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length && e.document.uri.scheme === 'file') this.schedule(e.document, this.editDelay(e.document));
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.closed(d)),
      baselines.onDidChange(() => {
        this.codeLens.refresh();
        this.updateAll();
      }),
    );
    this.startIfNeeded(vscode.window.visibleTextEditors);
    this.updateAll();
  }

  /** Stores open lazily (activation stays cheap); a visible JSON/YAML/TOML file is a reason to open them. */
  private startIfNeeded(editors: readonly vscode.TextEditor[]): void {
    if (
      editors.some(
        (e) =>
          e.document.uri.scheme === 'file' && CANDIDATE.test(e.document.uri.path) && vscode.workspace.getWorkspaceFolder(e.document.uri),
      )
    ) {
      void this.engines.whenOpen().catch((e: Error) => this.log.error(`Inline diffs: ${e.message}`));
    }
  }

  private editDelay(document: vscode.TextDocument): number {
    const last = this.models.lastParseMs(document.uri);
    return Math.min(2000, Math.max(EDIT_DELAY_MS, Math.round(last ?? 0)));
  }

  private schedule(document: vscode.TextDocument, delayMs: number): void {
    const key = document.uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        this.update(document);
      }, delayMs),
    );
  }

  private updateAll(): void {
    for (const document of new Set(vscode.window.visibleTextEditors.map((e) => e.document))) this.schedule(document, 0);
  }

  /** Parses the document if its version is new, sets its diagnostic and draws its visible editors. */
  update(document: vscode.TextDocument): RenderedState | undefined {
    if (document.isClosed) return undefined;
    const editors = vscode.window.visibleTextEditors.filter((e) => e.document === document);
    try {
      if (!readSettings(document.uri).inlineDiffs.enabled) {
        this.diagnostics.delete(document.uri);
        if (!this.decorations.lastRender.has(document.uri.toString())) return undefined;
        let state: RenderedState | undefined;
        for (const editor of editors)
          state = this.decorations.render(editor, undefined, undefined, false, 'inline diffs are turned off (lineage.inlineDiffs.enabled)');
        return state;
      }
      const before = this.models.parses.get(document.uri.toString());
      const model = this.models.model(document);
      // Not a params/metrics file (and never was): nothing to draw or clear.
      if (!model && !this.decorations.lastRender.has(document.uri.toString())) return undefined;
      const parsed = this.models.parses.get(document.uri.toString()) !== before;
      if (model && parsed && model.length > LARGE_DOCUMENT) this.codeLens.refresh();
      if (model?.error) this.diagnostics.set(document.uri, [diagnostic(document, model.file.path, model.error)]);
      else this.diagnostics.delete(document.uri);
      const diff = model && !model.error ? this.models.diff(model) : undefined;
      const showUnchanged = readSettings(document.uri).inlineDiffs.showUnchanged;
      let state: RenderedState | undefined;
      for (const editor of editors) state = this.decorations.render(editor, model, diff, showUnchanged);
      if (model && parsed && model.parseMs > 500)
        this.log.info(
          `Inline diffs: ${model.file.path} (${model.length} chars, ${model.spans.length} keys) parsed in ${model.parseMs.toFixed(0)} ms; ${state?.hints.length ?? 0} hints drawn in ${state?.ms.toFixed(1) ?? 0} ms`,
        );
      return state;
    } catch (error) {
      // A bug here must not break editing: log it and show nothing.
      this.log.error(`Inline diffs for ${document.uri.fsPath}: ${(error as Error).stack ?? error}`);
      return undefined;
    }
  }

  private closed(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending);
    this.timers.delete(key);
    this.models.forget(document.uri);
    this.decorations.lastRender.delete(key);
    this.diagnostics.delete(document.uri);
  }

  testView(): InlineDiffsTestView {
    return {
      rendered: (uri) => this.decorations.lastRender.get(uri.toString()),
      parses: (uri) => this.models.parses.get(uri.toString()) ?? 0,
      update: (uri) => {
        const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        return document ? this.update(document) : undefined;
      },
    };
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.subscriptions.forEach((s) => s.dispose());
    this.decorations.dispose();
    this.codeLens.dispose();
    this.diagnostics.dispose();
  }
}

/** The parser's complaint at its line and column (1-based there), for the Problems view. */
function diagnostic(
  document: vscode.TextDocument,
  path: string,
  error: { message: string; line?: number; column?: number },
): vscode.Diagnostic {
  const line = Math.min(Math.max((error.line ?? 1) - 1, 0), document.lineCount - 1);
  const text = document.lineAt(line).text;
  const col = Math.min(Math.max((error.column ?? 1) - 1, 0), text.length);
  const range =
    col < text.length
      ? new vscode.Range(line, col, line, text.length)
      : new vscode.Range(line, Math.max(0, text.length - 1), line, text.length);
  const d = new vscode.Diagnostic(
    range,
    `${path} does not parse, so its inline diffs are hidden until it does (DVC cannot read it either): ${error.message}`,
    vscode.DiagnosticSeverity.Error,
  );
  d.source = 'ML Lineage';
  return d;
}
