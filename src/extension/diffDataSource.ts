import * as vscode from 'vscode';
import { resolveRevision, getRevision, isIndexed } from '../core/query/revisions';
import { buildDiffTable, type DiffTable } from '../core/query/diffTable';
import { rowsToMarkdown } from '../core/diff/markdown';
import type { DiffState, RevisionLabel } from '../protocol/metricDiff';
import { rowId } from '../protocol/metricDiff';
import type { DiffDataSource } from './metricDiff/metricDiffPanel';
import type { FolderEngine } from './folderEngine';
import { readSettings } from './settings';
import { isRunRevision, resolveRunRevision, runLabel, runRevision } from '../core/runs/runRevision';
import { comparisonReader } from '../core/runs/runDiff';
import { pickRevisionOrRun } from './runPicker';

/** The Metric Diff panel's view of one folder's engine. */
export class EngineDiffSource implements DiffDataSource {
  constructor(private readonly engine: FolderEngine, readonly onDidChangeIndex: vscode.Event<void>) {}

  async load(oldRev: string, newRev: string): Promise<DiffState> {
    const { table, oldLabel, newLabel } = await this.table(oldRev, newRev);
    return { old: oldLabel, new: newLabel, rows: table.rows, improved: table.improved, regressed: table.regressed, problems: this.problems(table, oldLabel, newLabel) };
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

  async table(oldRev: string, newRev: string): Promise<{ table: DiffTable; oldLabel: RevisionLabel; newLabel: RevisionLabel }> {
    const store = this.engine.store;
    if (!this.engine.repo || !store) throw new Error(`${this.engine.folder.name}: the index is not open`);
    const repo = this.engine.repo;
    // A side may be an MLflow/W&B run (mlflow:<id>): it resolves to its canonical run revision.
    const resolve = async (rev: string) => (isRunRevision(rev) ? runRevision(resolveRunRevision(store, rev)) : resolveRevision(store, repo, rev));
    const [oldSha, newSha] = await Promise.all([resolve(oldRev), resolve(newRev)]);
    // Settings hold direction globs; the compare expands them against its own keys, in one pass.
    const directions = { globs: readSettings(this.engine.folder.uri).metricDirections };
    const table = buildDiffTable(store, oldSha, newSha, directions, comparisonReader(store, oldSha, newSha));
    return { table, oldLabel: this.label(oldRev, oldSha), newLabel: this.label(newRev, newSha) };
  }

  private label(text: string, sha: string): RevisionLabel {
    if (isRunRevision(sha)) {
      // The commit the run was made from stands in the sha slot, so the header says where it came from.
      const run = resolveRunRevision(this.engine.store!, sha);
      const kind = run.source === 'mlflow' ? 'MLflow' : 'W&B';
      return { label: runLabel(run), sha: run.git.commit ?? '', subject: `${kind} run ${run.id}${run.experiment ? ` in ${run.experiment}` : ''} (${run.status})` };
    }
    const rev = getRevision(this.engine.store!, sha);
    return { label: text.replace(/^refs\/(heads|tags)\//, ''), sha, subject: rev?.subject };
  }

  /** Problems phrased for people: file, side and revision, line and column when known. */
  private problems(table: DiffTable, oldLabel: RevisionLabel, newLabel: RevisionLabel): string[] {
    const out: string[] = [];
    for (const [label] of [[oldLabel], [newLabel]]) {
      if (label.sha !== 'workspace' && !isRunRevision(label.label) && !isIndexed(this.engine.store!, label.sha)) out.push(`${label.label} (${label.sha.slice(0, 8)}) is not indexed yet: run "Lineage: Refresh Index".`);
    }
    for (const p of table.problems) {
      const label = p.side === 'old' ? oldLabel : newLabel;
      const where = p.line !== undefined ? `, line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ''}` : '';
      out.push(`${p.path} at ${label.label} (${p.side} side${where}): ${p.message}`);
    }
    return out;
  }
}
