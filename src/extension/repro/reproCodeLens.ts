// "▶ Reproduce · up to date" over each stage of every dvc.yaml. The state comes from the
// live model, so it follows saves of dvc.yaml, params and deps, and runs (running, failed).
// A stage with a problem says "error: …" instead; a problem no listed stage carries (a stage
// that could not be rendered, a file-level error) gets its own lens at its line.
import * as vscode from 'vscode';
import { COMMANDS } from '../commands';
import type { Engines } from '../engines';
import { oneLine } from '../tooltips';
import { fileProblems, problemMessage, problemWhere, stageLabel } from './problemPlaces';
import { repoRelative, type ReproModel } from './reproModel';
import { stageArg } from './stageArgs';
import { stageGroupOf, stageKeyLines, stateText } from './stageText';

export const DVC_YAML_SELECTOR: vscode.DocumentSelector = { scheme: 'file', pattern: '**/dvc.yaml' };

export class ReproCodeLensProvider implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(
    private readonly engines: Engines,
    private readonly model: ReproModel,
    private readonly trusted: () => boolean = () => vscode.workspace.isTrusted,
  ) {
    this.onDidChangeCodeLenses = model.onDidChange;
  }

  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    await this.engines.whenOpen();
    const engine = this.engines.forUri(doc.uri);
    if (!engine || token.isCancellationRequested) return [];
    const p = await this.model.pipelines(engine);
    const rel = repoRelative(p.root, doc.uri.fsPath);
    const stages = p.stages.filter((s) => s.file === rel);
    // Unsaved edits move lines: then find each stage's key in the text as it is.
    const keyLines = doc.isDirty ? stageKeyLines(doc.getText()) : undefined;
    const lineOf = (name: string, line?: number) => (keyLines ? keyLines.get(stageGroupOf(name)) : line);
    const perLine = new Map<number, number>();
    for (const s of stages) {
      const l = lineOf(s.name, s.line);
      if (l) perLine.set(l, (perLine.get(l) ?? 0) + 1);
    }
    const lenses: vscode.CodeLens[] = [];
    for (const s of stages) {
      const line = lineOf(s.name, s.line);
      if (!line || line > doc.lineCount) continue;
      const range = doc.lineAt(line - 1).range;
      // Generated stages (foreach/matrix) share their group's line: name each one.
      const who = (perLine.get(line) ?? 0) > 1 ? ` ${s.name}` : '';
      if (!this.trusted()) {
        lenses.push(
          new vscode.CodeLens(range, {
            title: `Reproduce${who} needs a trusted workspace`,
            tooltip: 'Running a stage runs its command. Trust this workspace to reproduce stages.',
            command: 'workbench.trust.manage',
          }),
        );
        continue;
      }
      const live = this.model.live(engine, s, p);
      // Error texts quote the file: `$(…)` in them must not turn into icons.
      const text = noIcons(stateText(s, live, 60));
      lenses.push(
        new vscode.CodeLens(
          range,
          live.running
            ? { title: `$(sync~spin) Reproducing${who}…`, command: '' }
            : {
                title: `▶ Reproduce${who} · ${text}`,
                tooltip: `Reproduce stage '${s.address}' (and what it depends on) as a task`,
                command: COMMANDS.reproduceStage,
                arguments: [stageArg(engine, s.address)],
              },
        ),
      );
    }
    // A problem in this file at its line (unsaved edits: at its stage's key, if it names one);
    // one in dvc.lock or params at the stage it names, else at the top, with its file.
    for (const pr of rel === undefined ? [] : fileProblems(rel, p.problems, p.stages)) {
      const own = pr.file === rel;
      const keyLine = pr.stage ? (keyLines ?? stageKeyLines(doc.getText())).get(stageGroupOf(stageLabel(pr.stage))) : undefined;
      const line = (own && !doc.isDirty ? pr.line : undefined) ?? keyLine ?? (own ? pr.line : undefined) ?? 1;
      if (line > doc.lineCount) continue;
      const text = own ? problemMessage(pr) : `${problemWhere(pr)}: ${problemMessage(pr)}`;
      lenses.push(
        new vscode.CodeLens(doc.lineAt(line - 1).range, {
          title: `$(error) ${noIcons(oneLine(text, 200))}`,
          tooltip: 'This pipeline cannot be reproduced until the problem is fixed (see the Problems panel).',
          command: '',
        }),
      );
    }
    if (p.error && lenses.length === 0 && stages.length === 0) {
      lenses.push(
        new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), {
          title: `Pipeline status unavailable: ${p.error}`,
          command: COMMANDS.showStageStatus,
          arguments: [{ folder: engine.folder.uri.toString() }],
        }),
      );
    }
    return lenses;
  }
}

function noIcons(text: string): string {
  return text.replace(/\$\(/g, '$\u200b(');
}
