// A pipeline problem as VS Code objects: its file and range, a command that opens it there, and
// the error notification of a refused Reproduce. Every Reproduce door (Task, CodeLens, DAG,
// Pipelines view, commands) runs through ReproModel.run, whose refusals land here.
import * as vscode from 'vscode';
import type { ReproProblem } from '../../core/repro/types';
import type { ReproModel } from './reproModel';
import { noticeText, problemsSummary, problemWhere } from './problemPlaces';

export function problemUri(root: string, p: ReproProblem): vscode.Uri {
  return vscode.Uri.joinPath(vscode.Uri.file(root), ...p.file.split('/'));
}

/** The problem's position (1-based line and column in the engine, 0-based here); its whole line without a column. */
export function problemRange(p: ReproProblem): vscode.Range {
  const line = Math.max(0, (p.line ?? 1) - 1);
  if (p.column) return new vscode.Range(line, p.column - 1, line, p.column - 1);
  // The editor clamps the end to the line's length.
  return new vscode.Range(line, 0, line, Number.MAX_SAFE_INTEGER);
}

function caretAt(p: ReproProblem): vscode.Range {
  const start = problemRange(p).start;
  return new vscode.Range(start, start);
}

/** For tree items: opens the file with the caret on the problem. */
export function openProblemCommand(root: string, p: ReproProblem): vscode.Command {
  return { command: 'vscode.open', title: 'Open', arguments: [problemUri(root, p), { selection: caretAt(p), preview: true }] };
}

export async function openProblem(root: string, p: ReproProblem, viewColumn?: vscode.ViewColumn): Promise<void> {
  await vscode.window.showTextDocument(problemUri(root, p), { selection: caretAt(p), preview: true, viewColumn });
}

/** The notification of a refused run: the first problem (+N more), a button to open it, one to list them all. */
export async function showRefusal(root: string, problems: ReproProblem[]): Promise<void> {
  if (problems.length === 0) return;
  const open = `Open ${problemWhere(problems[0])}`;
  const all = 'Show All Problems';
  const buttons = problems.length > 1 ? [open, all] : [open];
  const choice = await vscode.window.showErrorMessage(
    noticeText(`ML Lineage: Reproduce refused, nothing was run: ${problemsSummary(problems)}`),
    ...buttons,
  );
  if (choice === open) await openProblem(root, problems[0]);
  else if (choice === all) await vscode.commands.executeCommand('workbench.actions.view.problems');
}

/** Shows every refusal of the model's runs. */
export function registerRefusalNotices(model: ReproModel): vscode.Disposable {
  return model.onDidRefuse((r) => void showRefusal(r.root, r.problems));
}
