// The Metric History panel's view of one folder's engine: metric lines along revisions'
// first-parent chains, DVCLive step series, the choices for the pickers, and revealing a
// commit in the Runs view.
import * as vscode from 'vscode';
import { refRows } from '../../core/workspace/experiments';
import { metricLine, numericMetricKeys, stepLines } from '../../core/workspace/history';
import { runSeriesOf } from '../../core/workspace/runSeries';
import { RevisionError, WORKSPACE, type Revision } from '../../core/workspace/revision';
import type { HistoryLine, HistorySelection, HistoryState, MetricId, RevisionChoice, StepLine } from '../../protocol/metricHistory';
import type { FolderEngine } from '../folderEngine';
import { labelOf, revisionItems } from '../revisionPicker';

export interface HistoryDataSource {
  readonly onDidChangeIndex: vscode.Event<void>;
  readonly name: string;
  readonly folder: vscode.Uri | undefined;
  load(selection: HistorySelection): Promise<HistoryState>;
  pickRevisions(title: string, current: RevisionChoice[]): Promise<RevisionChoice[] | undefined>;
  /** Shows the commit in the Runs view; false when it is not on a branch the view lists. */
  reveal(sha: string, rev: string): Promise<boolean>;
}

export type RevealCommit = (engine: FolderEngine, sha: string, rev: string) => Promise<boolean>;

/** At most this many newest values per line: Chart.js stays smooth, and the README says so. */
export const MAX_POINTS_PER_LINE = 5000;

export class EngineHistorySource implements HistoryDataSource {
  constructor(
    private readonly engine: FolderEngine,
    readonly onDidChangeIndex: vscode.Event<void>,
    private readonly revealCommit: RevealCommit,
  ) {}

  get name(): string {
    return this.engine.folder.name;
  }

  get folder(): vscode.Uri {
    return this.engine.folder.uri;
  }

  async load(selection: HistorySelection): Promise<HistoryState> {
    const ws = this.engine.ws;
    if (!ws || !this.engine.repo) throw new Error(`${this.engine.folder.name}: the index is not open`);
    const problems: string[] = [];
    const resolve = async (choice: RevisionChoice): Promise<Revision | undefined> => {
      try {
        const revision = await ws.resolve(choice.rev);
        // Runs are drawn from their own series (selection.runs), not along commits.
        if (revision.kind === 'run')
          throw new RevisionError(`"${choice.rev}" is an MLflow/W&B run: add it with "Show Metric History" on the run`);
        return revision;
      } catch (error) {
        problems.push((error as Error).message);
        return undefined;
      }
    };
    const lines: HistoryLine[] = [];
    for (const choice of selection.revisions) {
      const revision = await resolve(choice);
      if (!revision) continue;
      const tip = revision.id;
      for (const metric of selection.metrics) {
        const line = metricLine(ws, tip, metric, MAX_POINTS_PER_LINE);
        lines.push({ metric, rev: choice.rev, label: choice.label, tip, ...line });
        if (line.commits === 0) problems.push(`${choice.label} (${tip.slice(0, 8)}) is not indexed yet: run "Lineage: Refresh Index".`);
        if (line.truncated) problems.push(`${metric.key} along ${choice.label}: only the newest ${MAX_POINTS_PER_LINE} values are drawn.`);
      }
    }
    const steps: StepLine[] = [];
    for (const choice of selection.stepRevisions) {
      const revision = await resolve(choice);
      if (!revision) continue;
      const sha = revision.id;
      const found = stepLines(ws, revision);
      if (found.length === 0) problems.push(`No DVCLive step series (dvclive/plots/metrics/*.tsv) at ${choice.label}.`);
      for (const s of found) steps.push({ rev: choice.rev, label: choice.label, sha, ...s });
    }
    const runs = runSeriesOf(ws, selection.runs ?? []);
    steps.push(...runs.steps);
    problems.push(...runs.problems);
    return {
      selection,
      available: numericMetricKeys(ws),
      branches: this.branchChoices(),
      lines,
      steps,
      problems: [...new Set(problems)],
      ...(runs.shown.length ? { runs: runs.shown } : {}),
    };
  }

  /** The current branch first, then the others, then the workspace. */
  branchChoices(): RevisionChoice[] {
    const ws = this.engine.ws;
    if (!ws) return [];
    const current = this.engine.repo?.branch;
    const branches = refRows(ws, 'branch').sort((a, b) => Number(b.short === current) - Number(a.short === current));
    return [...branches.map((b) => ({ rev: b.name, label: b.short })), { rev: WORKSPACE, label: WORKSPACE }];
  }

  async pickRevisions(title: string, current: RevisionChoice[]): Promise<RevisionChoice[] | undefined> {
    const chosen = new Set(current.map((c) => c.rev));
    const items = revisionItems(this.engine).map((item) => ({ ...item, picked: item.rev !== undefined && chosen.has(item.rev) }));
    const picked = await vscode.window.showQuickPick(items, {
      title,
      placeHolder: 'Branches, tags, experiments or commits (type to filter)',
      canPickMany: true,
      matchOnDescription: true,
      matchOnDetail: true,
    });
    const revs = picked?.filter((p) => p.rev);
    if (!revs?.length) return undefined;
    return revs.map((p) => ({ rev: p.rev!, label: labelOf(p.rev!, p.rev!) }));
  }

  reveal(sha: string, rev: string): Promise<boolean> {
    return this.revealCommit(this.engine, sha, rev);
  }
}

/** The selection a command opens with: the metric (else the headline), the current branch, the workspace's step series. */
export function defaultSelection(source: EngineHistorySource, metrics: MetricId[], revisions?: RevisionChoice[]): HistorySelection {
  const branches = source.branchChoices();
  return {
    metrics,
    revisions: revisions ?? branches.slice(0, 1),
    stepRevisions: [{ rev: WORKSPACE, label: WORKSPACE }],
  };
}
