import * as vscode from 'vscode';
import { spansInLines, type KeySpan } from '../../core/formats/keyPositions';
import { summaryText } from '../../core/diff/inlineDiff';
import { formatValue } from '../../core/diff/format';
import { COMMANDS } from '../commands';
import { readSettings } from '../settings';
import { formatDelta, oneLine, SafeTooltip } from '../tooltips';
import type { FolderEngine } from '../folderEngine';
import type { RunNode } from '../runs/runNodes';
import type { Baselines } from './baselines';
import type { DocumentModel, DocumentModels } from './documentModels';
import { WORKSPACE } from '../../core/workspace/revision';

/** The Runs tree's workspace node, which lineage.compareWithBaseline takes as its argument. */
export function workspaceNode(engine: FolderEngine): RunNode {
  return { kind: 'workspace', engine, rev: WORKSPACE, label: engine.folder.name, sha: WORKSPACE };
}

const enabled = (uri: vscode.Uri) => readSettings(uri).inlineDiffs.enabled;

/** The lens at the top of a params/metrics file: "12 metrics vs main: 7 better, 2 worse" and "Open diff". */
export class InlineCodeLens implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly models: DocumentModels) {}

  refresh(): void {
    this.changed.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!enabled(document.uri)) return [];
    // A big file is parsed by the debounced update, which refreshes the lenses after it.
    const model = this.models.model(document, { staleOk: true });
    if (!model) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    if (model.error) {
      const where = model.error.line !== undefined ? ` (line ${model.error.line})` : '';
      return [
        new vscode.CodeLens(top, {
          title: `ML Lineage: no inline diffs, the file does not parse${where}`,
          tooltip: oneLine(model.error.message, 300),
          command: 'workbench.actions.view.problems',
        }),
      ];
    }
    const diff = this.models.diff(model);
    if ('problem' in diff) {
      return [
        new vscode.CodeLens(top, {
          title: `ML Lineage: no inline diffs, ${oneLine(diff.problem, 100)}`,
          tooltip: 'Pick the branch to compare with',
          command: COMMANDS.setBaselineBranch,
        }),
      ];
    }
    const compare = { command: COMMANDS.compareWithBaseline, arguments: [workspaceNode(model.engine)] };
    const removed = [...diff.diff.entries.values()].filter((e) => e.status === 'removed').map((e) => e.key);
    const tooltip = [
      `${model.file.path} (${document.isDirty ? 'unsaved' : 'as saved'}) against ${diff.baseline} (${diff.sha.slice(0, 8)}).`,
      diff.note ? `${diff.note}.` : '',
      removed.length ? `Only on ${diff.baseline}: ${removed.slice(0, 20).join(', ')}${removed.length > 20 ? ', …' : ''}` : '',
      'Click to open the Metric Diff of the baseline and the workspace.',
    ]
      .filter(Boolean)
      .join('\n');
    return [
      new vscode.CodeLens(top, { title: oneLine(summaryText(diff.diff.summary, diff.baseline), 200), tooltip, ...compare }),
      new vscode.CodeLens(top, { title: 'Open diff', tooltip: `Metric Diff: ${diff.baseline} ↔ workspace`, ...compare }),
    ];
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Hover on a key: its value here and at the baseline, and its last values along the branch. */
export class InlineHover implements vscode.HoverProvider {
  constructor(
    private readonly models: DocumentModels,
    private readonly baselines: Baselines,
  ) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const settings = readSettings(document.uri).inlineDiffs;
    if (!settings.enabled) return undefined;
    const model = this.models.model(document);
    if (!model || model.error) return undefined;
    const span = spanAt(model, position);
    if (!span || !(span.key in model.values)) return undefined;
    const t = new SafeTooltip();
    t.field(span.key, `${formatValue(model.values[span.key])}${document.isDirty ? ' (unsaved)' : ''}`);
    const diff = this.models.diff(model);
    if ('problem' in diff) t.field('Baseline', diff.problem);
    else {
      const entry = diff.diff.entries.get(span.key);
      const change =
        entry?.status === 'new'
          ? `not on ${diff.baseline}`
          : `${formatValue(entry?.base)}${entry?.delta !== undefined && entry.status !== 'same' ? ` (${formatDelta(entry.delta)}${entry.status === 'better' || entry.status === 'worse' ? `, ${entry.status}` : ''})` : entry?.status === 'changed' ? ' (changed)' : ''}`;
      t.field(`${diff.baseline} (baseline, ${diff.sha.slice(0, 8)})`, change);
    }
    const history = this.baselines.history(model.engine, model.file, span.key, settings.historyLength);
    if (history.length) {
      t.text(
        `Last ${history.length} value${history.length === 1 ? '' : 's'} on ${model.engine.repo?.branch ?? 'HEAD'} (first-parent history, newest first):`,
      );
      for (const h of history) {
        const date = h.authorTime ? new Date(h.authorTime * 1000).toISOString().slice(0, 10) : '';
        t.field(
          h.sha.slice(0, 8),
          [formatValue(h.value), oneLine(h.subject, 80), date + (h.truncated ? ' or earlier' : '')].filter(Boolean).join(' · '),
        );
      }
    }
    return new vscode.Hover(t.md, new vscode.Range(span.keyStart.line, span.keyStart.character, span.keyEnd.line, span.keyEnd.character));
  }
}

/** The key whose key or value is under the position; the only key of the line otherwise. */
function spanAt(model: DocumentModel, position: vscode.Position): KeySpan | undefined {
  const onLine = spansInLines(model.spans, position.line, position.line);
  const inside = (s: KeySpan) => {
    const p = { line: position.line, character: position.character };
    const before = (a: { line: number; character: number }, b: typeof a) =>
      a.line < b.line || (a.line === b.line && a.character <= b.character);
    return before(s.keyStart, p) && before(p, s.valueEnd);
  };
  return onLine.find(inside) ?? (onLine.length === 1 ? onLine[0] : undefined);
}
