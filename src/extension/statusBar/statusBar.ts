import * as vscode from 'vscode';
import { headlineValue, numericDelta } from '../../core/workspace/runTree';
import { directionsFor, verdictOf } from '../../core/diff/direction';
import { formatValue } from '../../core/diff/format';
import type { IndexProgress } from '../../core/workspace/workspace';
import { WORKSPACE } from '../../core/workspace/revision';
import { COMMANDS } from '../commands';
import type { Engines } from '../engines';
import type { FolderEngine } from '../folderEngine';
import { headlineKey } from '../runs/runsTreeProvider';
import { readSettings } from '../settings';
import { formatDelta, oneLine, SafeTooltip } from '../tooltips';
import type { Baselines } from '../inline/baselines';
import { workspaceNode } from '../inline/inlineProviders';

/** A status bar item as tests read it. */
export interface StatusItemView {
  visible: boolean;
  text: string;
  tooltip: string;
  command?: string;
}

/** `$(name)` in a status bar text is an icon; a metric or branch name must not become one. */
const noIcons = (text: string) => oneLine(text, 40).replace(/\$\(/g, '$\u200b(');

/**
 * Two items: the current branch's headline metric against the baseline (a spinner and count
 * while indexing; click: Metric Diff baseline ↔ workspace) and the baseline (click: switch it).
 * They follow the folder of the active editor, else the first folder with an index.
 */
export class LineageStatusBar implements vscode.Disposable {
  private readonly headline = vscode.window.createStatusBarItem('lineage.headline', vscode.StatusBarAlignment.Left, 40);
  private readonly baseline = vscode.window.createStatusBarItem('lineage.baseline', vscode.StatusBarAlignment.Left, 39);
  private readonly views = {
    headline: { visible: false, text: '', tooltip: '' } as StatusItemView,
    baseline: { visible: false, text: '', tooltip: '' } as StatusItemView,
  };
  private readonly progress = new Map<FolderEngine, IndexProgress>();
  private readonly watched = new Map<FolderEngine, vscode.Disposable>();
  private readonly subscriptions: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly engines: Engines,
    private readonly baselines: Baselines,
  ) {
    this.headline.name = 'ML Lineage: Headline Metric';
    this.baseline.name = 'ML Lineage: Baseline Branch';
    this.subscriptions = [
      baselines.onDidChange(() => {
        this.watchEngines();
        this.update();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
    ];
    this.update();
  }

  /** Progress events of every folder engine (new folders included). */
  private watchEngines(): void {
    for (const engine of this.engines.list()) {
      if (this.watched.has(engine)) continue;
      this.watched.set(
        engine,
        engine.onDidProgress((p) => {
          if (p && p.phase !== 'done') this.progress.set(engine, p);
          else this.progress.delete(engine);
          // Batches come fast: redraw at most every 100 ms.
          this.timer ??= setTimeout(() => {
            this.timer = undefined;
            this.update();
          }, 100);
        }),
      );
    }
  }

  private engine(): FolderEngine | undefined {
    const active = vscode.window.activeTextEditor?.document.uri;
    const own = active && this.engines.forUri(active);
    if (own?.ws) return own;
    return this.engines.list().find((e) => e.ws && e.repo?.gitDir);
  }

  update(): void {
    const engine = this.engine();
    if (!engine?.ws || !engine.repo?.gitDir) {
      this.show('headline', undefined);
      this.show('baseline', undefined);
      return;
    }
    const ref = this.baselines.baseline(engine);
    const name = ref.name;
    const compare = { title: 'Compare with Baseline', command: COMMANDS.compareWithBaseline, arguments: [workspaceNode(engine)] };
    const indexing = this.progress.get(engine);
    if (indexing) {
      const count = indexing.total ? ` ${indexing.done}/${indexing.total}` : '';
      this.show('headline', {
        text: `$(sync~spin) Indexing${count}`,
        tooltip: new SafeTooltip().text(`ML Lineage is indexing ${engine.folder.name}: ${indexing.phase}${count}`).md,
      });
    } else {
      const key = headlineKey(engine);
      const value = key ? headlineValue(engine.ws, WORKSPACE, key) : undefined;
      if (!key || value === undefined) this.show('headline', undefined);
      else {
        const base = 'sha' in ref ? headlineValue(engine.ws, ref.sha, key) : undefined;
        const delta = numericDelta(value, base);
        const verdict =
          delta !== undefined ? verdictOf(key, delta, directionsFor([key], readSettings(engine.folder.uri).metricDirections)) : 'n/a';
        const t = new SafeTooltip().field(key, `${formatValue(value)} (workspace${engine.repo.branch ? ` on ${engine.repo.branch}` : ''})`);
        if ('sha' in ref)
          t.field(
            `${ref.name} (baseline)`,
            base === undefined
              ? 'no value'
              : `${formatValue(base)}${delta !== undefined ? ` (${formatDelta(delta)}${verdict === 'better' || verdict === 'worse' ? `, ${verdict}` : ''})` : ''}`,
          );
        t.text(`Click to open the Metric Diff of ${name ?? 'the baseline'} and the workspace.`);
        this.show('headline', {
          text: `$(graph) ${noIcons(key)} ${noIcons(formatValue(value))}${delta !== undefined ? ` ${formatDelta(delta)}` : ''}`,
          tooltip: t.md,
          command: compare,
        });
      }
    }
    const switchTooltip = (what: string) => new SafeTooltip().text(what).text('Click to pick another baseline branch.').md;
    this.show(
      'baseline',
      'sha' in ref
        ? {
            text: `$(git-compare) vs ${noIcons(ref.name)}`,
            tooltip: switchTooltip(`Deltas and inline diffs compare with ${ref.name} (${ref.sha.slice(0, 8)}).`),
            command: { title: 'Set Baseline Branch…', command: COMMANDS.setBaselineBranch },
          }
        : {
            text: name ? `$(git-compare) ${noIcons(name)} missing` : '$(git-compare) no baseline',
            tooltip: switchTooltip(`No baseline: ${ref.problem}.`),
            command: { title: 'Set Baseline Branch…', command: COMMANDS.setBaselineBranch },
            warning: true,
          },
    );
  }

  private show(
    which: 'headline' | 'baseline',
    content: { text: string; tooltip: vscode.MarkdownString; command?: vscode.Command; warning?: boolean } | undefined,
  ): void {
    const item = this[which];
    if (!content) {
      item.hide();
      this.views[which] = { visible: false, text: '', tooltip: '' };
      return;
    }
    item.text = content.text;
    item.tooltip = content.tooltip;
    item.command = content.command;
    item.backgroundColor = content.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    item.show();
    this.views[which] = { visible: true, text: content.text, tooltip: content.tooltip.value, command: content.command?.command };
  }

  testView(): { headline: StatusItemView; baseline: StatusItemView } {
    return { headline: { ...this.views.headline }, baseline: { ...this.views.baseline } };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.watched.values()) d.dispose();
    this.subscriptions.forEach((s) => s.dispose());
    this.headline.dispose();
    this.baseline.dispose();
  }
}
