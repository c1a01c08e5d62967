// Wiring of the Experiments table for the composition root: the "Show Experiments Table"
// command (Runs view title, palette, status bar), one table source per folder reading its
// index through the workspace seam, the selection actions (which open the existing panels
// and commands: Metric Diff, Plots, Metric History, Lineage Card, Checkout), and the panel
// serializer.
import * as vscode from 'vscode';
import { directionsFor, directionOf } from '../../core/diff/direction';
import type { TableModel, TableQuery, TableRow } from '../../core/expTable/types';
import { allModelVersionRefs } from '../../core/registry/resolve';
import { openExperimentsTable, setRowMark } from '../../core/workspace/experimentsTable';
import { registryState } from '../../core/workspace/registry';
import { WORKSPACE } from '../../core/workspace/revision';
import type { ColumnLayout, QueryView } from '../../protocol/experiments';
import { COMMANDS } from '../commands';
import type { EngineDiffSource } from '../diffDataSource';
import type { Engines } from '../engines';
import type { FolderEngine } from '../folderEngine';
import { MetricDiffPanel } from '../metricDiff/metricDiffPanel';
import { pickEngine } from '../revisionPicker';
import { readSettings } from '../settings';
import { oneLine } from '../tooltips';
import { ExperimentsPanel, registerExperimentsSerializer, type ExperimentsSource, type RowActions } from './experimentsPanel';
import { folderFromSavedState, storedLayout, storedQuery } from './messages';

export interface ExperimentsDeps {
  context: vscode.ExtensionContext;
  engines: Engines;
  sourceFor(engine: FolderEngine): EngineDiffSource;
  /** Selects a commit in the Runs view; false when the view does not show it. */
  revealCommit(engine: FolderEngine, sha: string): Promise<boolean>;
}

/** A folder's table, read from its index; layout and query kept in the workspace state. */
class EngineTableSource implements ExperimentsSource, vscode.Disposable {
  readonly key: string;
  readonly folder: string;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeIndex = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly engine: FolderEngine,
    private readonly engines: Engines,
    private readonly state: vscode.Memento,
  ) {
    this.key = engine.folder.uri.toString();
    this.folder = engine.folder.name;
    this.subscriptions = [
      engine.onDidChange(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('lineage.metricDirections', engine.folder.uri)) this.changed.fire();
      }),
    ];
  }

  async whenReady(): Promise<void> {
    await this.engines.whenOpen();
    if (!this.engine.ws)
      throw new Error(
        this.engine.state.kind === 'untrusted-empty'
          ? `${this.folder} has no index yet; it is made once the folder is trusted.`
          : `${this.folder}: the index is not open (${this.engine.state.kind === 'failed' ? this.engine.state.message : this.engine.state.kind}).`,
      );
  }

  open(query: TableQuery): TableModel {
    const ws = this.engine.ws;
    if (!ws) throw new Error(`${this.folder}: the index is not open`);
    return openExperimentsTable(ws, query);
  }

  directions(columns: readonly { key: string }[]): Record<string, 'higher' | 'lower'> {
    const keys = columns.map((c) => c.key);
    const overrides = directionsFor(keys, readSettings(this.engine.folder.uri).metricDirections);
    return Object.fromEntries(keys.map((k) => [k, directionOf(k, overrides)]));
  }

  setMark(rowId: string, mark: { starred?: boolean; note?: string }): void {
    const ws = this.engine.ws;
    if (!ws) throw new Error(`${this.folder}: the index is not open`);
    setRowMark(ws, rowId, mark);
  }

  loadLayout(): ColumnLayout {
    return storedLayout(this.state.get(`lineage.experiments.layout:${this.key}`));
  }

  saveLayout(layout: ColumnLayout): Thenable<void> {
    return this.state.update(`lineage.experiments.layout:${this.key}`, layout);
  }

  loadQuery(): QueryView {
    return storedQuery(this.state.get(`lineage.experiments.query:${this.key}`));
  }

  saveQuery(query: QueryView): Thenable<void> {
    return this.state.update(`lineage.experiments.query:${this.key}`, query);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

/** The row as the Runs view's nodes are, for the commands that take one. */
function revisionNode(
  engine: FolderEngine,
  row: TableRow,
  rev = row.id,
): { kind: string; engine: FolderEngine; rev: string; label: string; sha: string } {
  return {
    kind: row.kind === 'workspace' ? 'workspace' : row.kind === 'experiment' ? 'exp' : 'commit',
    engine,
    rev,
    label: row.label,
    sha: row.kind === 'run' ? (row.commit ?? rev) : row.id,
  };
}

/** What other panels are given for a row: a branch, tag or experiment ref names it better in their titles than a sha. */
function revOf(row: TableRow): string {
  return (row.kind === 'commit' || row.kind === 'experiment') && row.refs[0] ? row.refs[0] : row.id;
}

function runOf(row: TableRow): { source: 'mlflow' | 'wandb'; id: string; name: string } | undefined {
  const m = /^(mlflow|wandb):(.+)$/s.exec(row.id);
  return row.kind === 'run' && m ? { source: m[1] as 'mlflow' | 'wandb', id: m[2], name: row.label } : undefined;
}

function rowActions(deps: ExperimentsDeps, engine: FolderEngine): RowActions {
  const info = (text: string) => void vscode.window.showInformationMessage(`ML Lineage: ${text}`);
  const commitsOf = (rows: TableRow[]) => rows.filter((r) => r.kind !== 'run');
  return {
    async compare(oldRow, newRow) {
      MetricDiffPanel.show(deps.context.extensionUri, deps.sourceFor(engine), revOf(oldRow), revOf(newRow));
    },
    async plots(rows) {
      const revs = commitsOf(rows).map(revOf);
      if (!revs.length) {
        info('Plots are files of commits and experiments; the selected rows are runs.');
        return;
      }
      await vscode.commands.executeCommand(COMMANDS.showPlots, revs);
    },
    async history(rows, metrics) {
      const revisions = commitsOf(rows).map((r) => ({ rev: revOf(r), label: r.label }));
      const run = rows.map(runOf).find((r) => r !== undefined);
      if (!revisions.length && run) {
        await vscode.commands.executeCommand(COMMANDS.showMetricHistory, { kind: 'extRun', engine, ext: run, under: '' });
        return;
      }
      if (!metrics.length) {
        info('No numeric DVC metric among the columns shown: sort by one or show one.');
        return;
      }
      await vscode.commands.executeCommand(COMMANDS.showMetricHistory, {
        metrics: metrics.map((m) => ({ file: m.source, key: m.key })),
        revisions,
      });
    },
    async lineage(row) {
      const sha = row.kind === 'run' ? row.commit : row.kind === 'workspace' ? engine.repo?.head : row.id;
      if (!sha || !engine.repo) {
        info(`${row.label} has no commit.`);
        return;
      }
      const refs = allModelVersionRefs(await registryState(engine.repo.root)).filter((r) => r.commit === sha);
      if (!refs.length) {
        info(`no model version is registered at ${sha.slice(0, 8)} (${row.label}).`);
        return;
      }
      const ref =
        refs.length === 1
          ? refs[0]
          : (
              await vscode.window.showQuickPick(
                refs.map((r) => ({ label: oneLine(`${r.artifact} ${r.version}`).replace(/\$\(/g, '$\u200b('), ref: r })),
                { placeHolder: 'Model version' },
              )
            )?.ref;
      if (ref) await vscode.commands.executeCommand(COMMANDS.showLineage, { ref, folder: engine.folder.uri.toString() });
    },
    async checkout(row) {
      if (row.kind === 'workspace') {
        info('the workspace is what is checked out.');
        return;
      }
      const rev = row.kind === 'run' ? row.commit : row.kind === 'commit' && row.refs[0] ? row.refs[0] : row.id;
      if (!rev) {
        info(`${row.label} has no commit to check out.`);
        return;
      }
      await vscode.commands.executeCommand(COMMANDS.checkout, revisionNode(engine, row, rev));
    },
    async open(row) {
      const run = runOf(row);
      if (run) {
        await vscode.commands.executeCommand(COMMANDS.showMetricHistory, { kind: 'extRun', engine, ext: run, under: '' });
        return;
      }
      const sha = row.kind === 'workspace' ? WORKSPACE : row.id;
      // The Runs view shows the commit when it is on a branch it lists; else the metrics at the commit.
      const revealed =
        sha !== WORKSPACE &&
        (await deps.revealCommit(engine, sha).then(
          (ok) => ok,
          () => false,
        ));
      if (revealed) return;
      await vscode.commands.executeCommand(COMMANDS.showMetricsAtRevision, revisionNode(engine, row));
    },
    async editNote(row) {
      return vscode.window.showInputBox({
        title: `Note on ${oneLine(row.label, 60)}`,
        value: row.note,
        prompt: 'Kept in the index; shown in the table, its tooltips and `lineage exps`. Empty removes it.',
        validateInput: (v) => (v.length > 10000 ? 'At most 10,000 characters' : undefined),
      });
    },
    copy: (text) => vscode.env.clipboard.writeText(text),
  };
}

export function registerExperiments(deps: ExperimentsDeps): vscode.Disposable[] {
  const sources = new Map<FolderEngine, EngineTableSource>();
  const sourceOf = (engine: FolderEngine) => {
    let s = sources.get(engine);
    if (!s) sources.set(engine, (s = new EngineTableSource(engine, deps.engines, deps.context.workspaceState)));
    return s;
  };
  const show = async (arg?: unknown): Promise<ExperimentsPanel | undefined> => {
    const given = (arg as { engine?: FolderEngine } | undefined)?.engine;
    const engine = given && deps.engines.list().includes(given) ? given : await pickEngine(deps.engines);
    if (!engine) return undefined;
    return ExperimentsPanel.show(deps.context.extensionUri, sourceOf(engine), rowActions(deps, engine));
  };
  const status = vscode.window.createStatusBarItem('lineage.experiments', vscode.StatusBarAlignment.Left, 38);
  status.name = 'ML Lineage: Experiments';
  status.text = '$(table) Experiments';
  status.tooltip = 'Show the Experiments table';
  status.command = COMMANDS.showExperiments;
  const updateStatus = () => {
    if (deps.engines.list().some((e) => e.ws && e.repo?.gitDir)) status.show();
    else status.hide();
  };
  return [
    vscode.commands.registerCommand(COMMANDS.showExperiments, (arg?: unknown) =>
      show(arg).catch((error: Error) => {
        void vscode.window.showErrorMessage(`ML Lineage: ${error.message}`);
        return undefined;
      }),
    ),
    registerExperimentsSerializer(async (state) => {
      await deps.engines.whenOpen();
      const folder = folderFromSavedState(state);
      const engine =
        deps.engines.list().find((e) => e.ws && (folder === undefined || e.folder.name === folder)) ??
        deps.engines.list().find((e) => e.ws);
      return engine ? { extensionUri: deps.context.extensionUri, source: sourceOf(engine), actions: rowActions(deps, engine) } : undefined;
    }),
    status,
    deps.engines.onDidChange(updateStatus),
    new vscode.Disposable(() => {
      for (const s of sources.values()) s.dispose();
    }),
  ];
}
