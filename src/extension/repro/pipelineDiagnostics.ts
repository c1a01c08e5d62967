// Pipeline problems (a dvc.yaml that does not parse or render, a refused stage, a bad dvc.lock
// or params file) in the Problems panel, at their file, line and column. They follow the live
// statuses: a fix saved clears them. The problem matcher only sees what a Task printed, and
// only until the next run; these are there without running anything.
import * as vscode from 'vscode';
import type { ReproProblem } from '../../core/repro/types';
import type { ReproModel } from './reproModel';
import { problemMessage } from './problemPlaces';
import { problemRange, problemUri } from './reproProblems';

/** Coalesces the bursts of changes around a save or a run. */
const DEBOUNCE_MS = 250;

export function problemDiagnostic(p: ReproProblem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(problemRange(p), problemMessage(p), vscode.DiagnosticSeverity.Error);
  d.source = 'ML Lineage';
  // 'refused' = readable but unsafe to run; 'invalid' = cannot be evaluated.
  d.code = p.kind ?? 'pipeline';
  return d;
}

export class PipelineDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('lineage-pipelines');
  private readonly subscription: vscode.Disposable;
  private timer: NodeJS.Timeout | undefined;
  private generation = 0;
  private disposed = false;

  /**
   * Statuses are computed for every folder even with no view open: a problem should be in the
   * Problems panel as soon as the file is saved, as a linter's would be.
   */
  constructor(private readonly model: ReproModel) {
    this.subscription = model.onDidChange(() => this.schedule(DEBOUNCE_MS));
    this.schedule(0);
  }

  /** Resolves when the diagnostics match the model's current statuses (tests). */
  async settled(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.update();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.subscription.dispose();
    this.collection.dispose();
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.update();
    }, delayMs);
  }

  private async update(): Promise<void> {
    const generation = ++this.generation;
    const folders = await this.model.all();
    // A newer update started meanwhile: its result wins.
    if (this.disposed || generation !== this.generation) return;
    const next = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
    for (const f of folders) {
      for (const p of f.problems) {
        const uri = problemUri(f.root, p);
        const entry = next.get(uri.toString()) ?? { uri, diagnostics: [] };
        entry.diagnostics.push(problemDiagnostic(p));
        next.set(uri.toString(), entry);
      }
    }
    const stale: vscode.Uri[] = [];
    this.collection.forEach((uri) => {
      if (!next.has(uri.toString())) stale.push(uri);
    });
    for (const uri of stale) this.collection.delete(uri);
    for (const { uri, diagnostics } of next.values()) this.collection.set(uri, diagnostics);
  }
}
