import * as vscode from 'vscode';
import { spansInLines, type KeySpan } from '../../core/formats/keyPositions';
import type { InlineEntry, InlineStatus } from '../../core/diff/inlineDiff';
import { formatValue } from '../../core/diff/format';
import { formatDelta, oneLine } from '../tooltips';
import type { DocumentModel, ModelDiff } from './documentModels';

/** Lines above and below the visible ranges that get hints too, so a small scroll shows them at once. */
const MARGIN_LINES = 30;

/** One hint as drawn, for the test API. */
export interface RenderedHint {
  key: string;
  line: number;
  character: number;
  text: string;
  status: InlineStatus;
  value?: unknown;
  base?: unknown;
  delta?: number;
}

export interface RenderedState {
  uri: string;
  version: number;
  baseline?: string;
  hints: RenderedHint[];
  /** Keys in the document (hints are computed only for the visible ones). */
  totalKeys: number;
  /** The line ranges hints were computed for (visible ranges plus a margin). */
  lines: [number, number][];
  /** Time to draw (the hints of the visible lines). */
  ms: number;
  /** Time the document version's parse took (values and key positions), once per version. */
  parseMs?: number;
  /** Why there are no hints (parse error, no baseline, disabled). */
  reason?: string;
}

/** "▲ +0.013 vs main (0.899)", "changed vs main (was adam)", "new vs main", "= main". */
export function hintText(entry: InlineEntry, baseline: string): string {
  const b = oneLine(baseline, 40);
  const was = (v: unknown) => oneLine(formatValue(v), 40);
  switch (entry.status) {
    case 'new':
      return `new vs ${b}`;
    case 'removed':
      return `removed since ${b}`;
    case 'same':
      return `= ${b}`;
    default:
      return entry.delta !== undefined && !Number.isNaN(entry.delta)
        ? `${formatDelta(entry.delta)} vs ${b} (${was(entry.base)})`
        : `changed vs ${b} (was ${was(entry.base)})`;
  }
}

const COLORS: Record<InlineStatus, string> = {
  better: 'lineage.inlineBetterForeground',
  worse: 'lineage.inlineWorseForeground',
  changed: 'lineage.inlineChangedForeground',
  new: 'lineage.inlineNewForeground',
  removed: 'lineage.inlineChangedForeground',
  same: 'lineage.inlineUnchangedForeground',
};

/** After-line decorations, one type per status so each has its theme color. */
export class InlineDecorations implements vscode.Disposable {
  private readonly types = new Map<InlineStatus, vscode.TextEditorDecorationType>();
  readonly lastRender = new Map<string, RenderedState>();

  constructor() {
    for (const [status, color] of Object.entries(COLORS) as [InlineStatus, string][]) {
      this.types.set(
        status,
        vscode.window.createTextEditorDecorationType({
          after: { color: new vscode.ThemeColor(color), margin: '0 0 0 2em' },
          rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
        }),
      );
    }
  }

  /** Draws the hints of the editor's visible lines; `diff` undefined or a problem clears them. */
  render(
    editor: vscode.TextEditor,
    model: DocumentModel | undefined,
    diff: ModelDiff | undefined,
    showUnchanged: boolean,
    reason?: string,
  ): RenderedState {
    const started = performance.now();
    const uri = editor.document.uri.toString();
    const byStatus = new Map<InlineStatus, vscode.DecorationOptions[]>();
    const hints: RenderedHint[] = [];
    const lines = visibleLines(editor);
    const usable = model && !model.error && diff && 'diff' in diff ? diff : undefined;
    if (model && usable) {
      const spans = lines.flatMap(([from, to]) => spansInLines(model.spans, from, to));
      const perLine = new Map<number, number>();
      for (const s of spans) perLine.set(s.keyStart.line, (perLine.get(s.keyStart.line) ?? 0) + 1);
      for (const span of spans) {
        const entry = usable.diff.entries.get(span.key);
        if (!entry || (entry.status === 'same' && !showUnchanged)) continue;
        const at = anchor(editor.document, span, perLine.get(span.keyStart.line)! > 1);
        const text = hintText(entry, usable.baseline);
        const options: vscode.DecorationOptions = {
          range: new vscode.Range(at, at),
          // No hoverMessage: the hover provider answers for the whole line, history included.
          renderOptions: { after: { contentText: text } },
        };
        (byStatus.get(entry.status) ?? byStatus.set(entry.status, []).get(entry.status)!).push(options);
        hints.push({
          key: span.key,
          line: at.line,
          character: at.character,
          text,
          status: entry.status,
          value: entry.value,
          base: entry.base,
          delta: entry.delta,
        });
      }
    }
    for (const [status, type] of this.types) editor.setDecorations(type, byStatus.get(status) ?? []);
    const state: RenderedState = {
      uri,
      version: editor.document.version,
      baseline: usable?.baseline ?? (diff && 'baseline' in diff ? diff.baseline : undefined),
      hints,
      totalKeys: model?.spans.length ?? 0,
      lines,
      ms: performance.now() - started,
      parseMs: model?.parseMs,
      reason:
        reason ??
        (model?.error
          ? `does not parse: ${model.error.message}`
          : diff && 'problem' in diff
            ? diff.problem
            : !model
              ? 'not a params or metrics file of the index'
              : undefined),
    };
    this.lastRender.set(uri, state);
    return state;
  }

  dispose(): void {
    for (const t of this.types.values()) t.dispose();
    this.types.clear();
  }
}

/** Visible line ranges widened by a margin and merged. */
function visibleLines(editor: vscode.TextEditor): [number, number][] {
  const last = editor.document.lineCount - 1;
  const ranges = editor.visibleRanges
    .map((r) => [Math.max(0, r.start.line - MARGIN_LINES), Math.min(last, r.end.line + MARGIN_LINES)] as [number, number])
    .sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const r of ranges) {
    const prev = out[out.length - 1];
    if (prev && r[0] <= prev[1] + 1) prev[1] = Math.max(prev[1], r[1]);
    else out.push(r);
  }
  return out;
}

/** End of the key's line; right after the value when the line holds several keys (`{"a": 1, "b": 2}`). */
function anchor(document: vscode.TextDocument, span: KeySpan, shared: boolean): vscode.Position {
  if (shared && span.valueEnd.line === span.keyStart.line) return new vscode.Position(span.valueEnd.line, span.valueEnd.character);
  return new vscode.Position(span.keyStart.line, document.lineAt(span.keyStart.line).text.length);
}
