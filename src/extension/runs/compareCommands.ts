import * as vscode from 'vscode';
import { WORKSPACE, type Revision } from '../../core/workspace/revision';
import { valuesOf } from '../../core/workspace/values';
import { COMMANDS } from '../commands';
import { MetricDiffPanel } from '../metricDiff/metricDiffPanel';
import type { Engines } from '../engines';
import type { FolderEngine } from '../folderEngine';
import type { EngineDiffSource } from '../diffDataSource';
import { pickEngine, pickRevision } from '../revisionPicker';
import { isRevisionNode, type RevisionNode } from './runNodes';
import { baselineBranchName } from './runsTreeProvider';
import { lineageUri, metricsSummaryUri } from '../lineageDocuments';

export interface CompareDeps {
  engines: Engines;
  extensionUri: vscode.Uri;
  sourceFor(engine: FolderEngine): EngineDiffSource;
}

/** The node a context menu passed, else a folder and a revision the user picks. */
async function target(deps: CompareDeps, arg: unknown, title: string): Promise<RevisionNode | undefined> {
  if (isRevisionNode(arg)) return arg;
  const engine = await pickEngine(deps.engines);
  const rev = engine && (await pickRevision(engine, title));
  return engine && rev ? { engine, rev, label: rev, sha: rev } : undefined;
}

function baselineOf(engine: FolderEngine): string | undefined {
  const name = baselineBranchName(engine);
  if (!name)
    void vscode.window.showWarningMessage(
      'ML Lineage: no baseline branch (no main/master). Pick one with "Lineage: Set Baseline Branch…".',
    );
  return name;
}

async function guarded(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (error) {
    void vscode.window.showErrorMessage(`ML Lineage: ${(error as Error).message}`);
  }
}

export function registerCompareCommands(deps: CompareDeps): vscode.Disposable[] {
  const show = (engine: FolderEngine, oldRev: string, newRev: string) =>
    MetricDiffPanel.show(deps.extensionUri, deps.sourceFor(engine), oldRev, newRev);
  const twoRevisions = async (): Promise<[FolderEngine, string, string] | undefined> => {
    const engine = await pickEngine(deps.engines);
    const a = engine && (await pickRevision(engine, 'Compare revisions (1/2): old side'));
    const b = engine && a && (await pickRevision(engine, `Compare ${a} with (2/2): new side`));
    return engine && a && b ? [engine, a, b] : undefined;
  };
  return [
    vscode.commands.registerCommand(COMMANDS.compareRevisions, () =>
      guarded(async () => {
        const picked = await twoRevisions();
        if (picked) show(...picked);
      }),
    ),
    vscode.commands.registerCommand(COMMANDS.compareWith, (arg?: unknown) =>
      guarded(async () => {
        const node = await target(deps, arg, 'Compare (new side)');
        const other = node && (await pickRevision(node.engine, `Compare ${node.label} with…`));
        if (node && other) show(node.engine, other, node.rev);
      }),
    ),
    vscode.commands.registerCommand(COMMANDS.compareWithBaseline, (arg?: unknown) =>
      guarded(async () => {
        const node = isRevisionNode(arg)
          ? arg
          : await (async () => {
              const e = await pickEngine(deps.engines);
              return e ? { engine: e, rev: WORKSPACE, label: WORKSPACE, sha: WORKSPACE } : undefined;
            })();
        const base = node && baselineOf(node.engine);
        if (node && base) show(node.engine, base, node.rev);
      }),
    ),
    vscode.commands.registerCommand(COMMANDS.showMetricsAtRevision, (arg?: unknown) =>
      guarded(async () => {
        const node = await target(deps, arg, 'Show metrics at revision');
        if (!node) return;
        const revision = await resolveIn(node.engine, node.rev);
        await vscode.window.showTextDocument(
          await vscode.workspace.openTextDocument(metricsSummaryUri(node.engine, revision.id, node.label)),
          { preview: true },
        );
      }),
    ),
    vscode.commands.registerCommand(COMMANDS.copyDiffAsMarkdown, (arg?: unknown) =>
      guarded(async () => {
        let picked: [FolderEngine, string, string] | undefined;
        if (isRevisionNode(arg)) {
          const base = baselineOf(arg.engine);
          picked = base ? [arg.engine, base, arg.rev] : undefined;
        } else picked = await twoRevisions();
        if (!picked) return;
        await deps.sourceFor(picked[0]).copyMarkdown(picked[1], picked[2], []);
        void vscode.window.setStatusBarMessage(`ML Lineage: diff of ${picked[1]} → ${picked[2]} copied as Markdown`, 4000);
      }),
    ),
    vscode.commands.registerCommand(COMMANDS.openMetricsFileAtRevision, (arg?: unknown) =>
      guarded(async () => {
        const node = await target(deps, arg, 'Open a metrics file at revision');
        if (!node) return;
        const revision = await resolveIn(node.engine, node.rev);
        const file = await pickMetricsFile(node.engine, revision);
        if (file)
          await vscode.window.showTextDocument(
            await vscode.workspace.openTextDocument(lineageUri(node.engine, file, revision.id, node.label)),
            { preview: true },
          );
      }),
    ),
    vscode.commands.registerCommand(COMMANDS.diffMetricsFileWithBaseline, (arg?: unknown) =>
      guarded(async () => {
        const node = isRevisionNode(arg) ? arg : undefined;
        const engine = node?.engine ?? (await pickEngine(deps.engines));
        const base = engine && baselineOf(engine);
        if (!engine || !base) return;
        const rev = node?.rev ?? WORKSPACE;
        const [baseRevision, revision] = await Promise.all([resolveIn(engine, base), resolveIn(engine, rev)]);
        const file = await pickMetricsFile(engine, revision, baseRevision);
        if (!file) return;
        await vscode.commands.executeCommand(
          'vscode.diff',
          lineageUri(engine, file, baseRevision.id, base),
          lineageUri(engine, file, revision.id, node?.label ?? rev),
          `${file} (${base} ↔ ${node?.label ?? rev})`,
        );
      }),
    ),
  ];
}

/**
 * A name resolved in the folder's index. These documents show files of commits and the
 * workspace: a run (mlflow:<id>) is refused here, as a name that is no commit always was.
 */
async function resolveIn(engine: FolderEngine, text: string): Promise<Revision> {
  const ws = engine.ws;
  if (!ws) throw new Error(`${engine.folder.name}: the index is not open`);
  const revision = await ws.resolve(text);
  if (revision.kind === 'run') throw new Error(`"${text}" is an MLflow/W&B run, not a commit: compare it in the Metric Diff instead`);
  return revision;
}

/** The metrics files of a revision (and optionally a second one); the only one is taken without asking. */
async function pickMetricsFile(engine: FolderEngine, ...revisions: Revision[]): Promise<string | undefined> {
  const files = new Set<string>();
  for (const revision of revisions) {
    const v = valuesOf(engine.ws!, revision, 'metrics');
    for (const f of Object.keys(v.values)) files.add(f);
    for (const p of v.problems) files.add(p.path);
  }
  const list = [...files].sort();
  if (list.length === 0) {
    void vscode.window.showInformationMessage('ML Lineage: no metrics files at this revision.');
    return undefined;
  }
  if (list.length === 1) return list[0];
  return vscode.window.showQuickPick(list, { placeHolder: 'Metrics file' });
}
