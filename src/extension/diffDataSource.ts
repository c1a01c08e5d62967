import * as vscode from 'vscode';
import { comparisonTable, type DiffTable } from '../core/workspace/compare';
import { commitInfo } from '../core/workspace/experiments';
import { runLabel, type Revision } from '../core/workspace/revision';
import { rowsToMarkdown } from '../core/diff/markdown';
import type { DiffState, RevisionLabel } from '../protocol/metricDiff';
import { rowId } from '../protocol/metricDiff';
import type { DiffDataSource } from './metricDiff/metricDiffPanel';
import type { FolderEngine } from './folderEngine';
import { readSettings } from './settings';
import { pickRevisionOrRun } from './runPicker';

/** The Metric Diff panel's view of one folder's engine. */
export class EngineDiffSource implements DiffDataSource {
  constructor(
    private readonly engine: FolderEngine,
    readonly onDidChangeIndex: vscode.Event<void>,
  ) {}

  async load(oldRev: string, newRev: string): Promise<DiffState> {
    const { table, oldLabel, newLabel, revisions } = await this.table(oldRev, newRev);
    return {
      old: oldLabel,
      new: newLabel,
      rows: table.rows,
      improved: table.improved,
      regressed: table.regressed,
      problems: this.problems(table, [oldLabel, newLabel], revisions),
    };
  }

  pickRevision(side: 'old' | 'new'): Promise<string | undefined> {
    return pickRevisionOrRun(this.engine, side === 'old' ? 'Compare from (old side)' : 'Compare to (new side)');
  }

  async copyMarkdown(oldRev: string, newRev: string, rowIds: string[]): Promise<void> {
    const { table, oldLabel, newLabel } = await this.table(oldRev, newRev);
    const wanted = new Set(rowIds);
    // The same rows the panel shows, verdicts included: nothing is compared again for the text.
    const rows = table.rows.filter((r) => (wanted.size ? wanted.has(rowId(r)) : r.changed));
    await vscode.env.clipboard.writeText(rowsToMarkdown(rows, oldLabel.label, newLabel.label));
  }

  async table(
    oldRev: string,
    newRev: string,
  ): Promise<{ table: DiffTable; oldLabel: RevisionLabel; newLabel: RevisionLabel; revisions: [Revision, Revision] }> {
    const ws = this.engine.ws;
    if (!this.engine.repo || !ws) throw new Error(`${this.engine.folder.name}: the index is not open`);
    // A side may be an MLflow/W&B run (mlflow:<id>): it resolves to the run, compared by its canonical id.
    const [oldSide, newSide] = await Promise.all([ws.resolve(oldRev), ws.resolve(newRev)]);
    // Settings hold direction globs; the compare expands them against its own keys, in one pass.
    const directions = { globs: readSettings(this.engine.folder.uri).metricDirections };
    const table = comparisonTable(ws, oldSide, newSide, directions);
    return { table, oldLabel: this.label(oldSide), newLabel: this.label(newSide), revisions: [oldSide, newSide] };
  }

  private label(revision: Revision): RevisionLabel {
    if (revision.kind === 'run') {
      // The commit the run was made from stands in the sha slot, so the header says where it came from.
      const run = revision.run;
      const kind = run.source === 'mlflow' ? 'MLflow' : 'W&B';
      return {
        label: runLabel(run),
        sha: run.git.commit ?? '',
        subject: `${kind} run ${run.id}${run.experiment ? ` in ${run.experiment}` : ''} (${run.status})`,
      };
    }
    return {
      label: revision.text.replace(/^refs\/(heads|tags)\//, ''),
      sha: revision.id,
      subject: commitInfo(this.engine.ws!, revision.id)?.subject,
    };
  }

  /** Problems phrased for people: file, side and revision, line and column when known. */
  private problems(table: DiffTable, labels: [RevisionLabel, RevisionLabel], revisions: [Revision, Revision]): string[] {
    const out: string[] = [];
    revisions.forEach((revision, i) => {
      if (!this.engine.ws!.isIndexed(revision))
        out.push(`${labels[i].label} (${labels[i].sha.slice(0, 8)}) is not indexed yet: run "Lineage: Refresh Index".`);
    });
    for (const p of table.problems) {
      const label = p.side === 'old' ? labels[0] : labels[1];
      const where = p.line !== undefined ? `, line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ''}` : '';
      out.push(`${p.path} at ${label.label} (${p.side} side${where}): ${p.message}`);
    }
    return out;
  }
}
