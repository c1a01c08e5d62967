import * as vscode from 'vscode';
import { GitError } from '../../core/workspace/errors';
import { refRows } from '../../core/workspace/experiments';
import { checkout as runCheckout, checkoutTarget, type CheckoutTarget } from '../../core/workspace/gitActions';
import { WORKSPACE } from '../../core/workspace/revision';
import { COMMANDS } from '../commands';
import type { Engines } from '../engines';
import type { RunsTreeProvider } from './runsTreeProvider';
import { isRevisionNode, type RunNode } from './runNodes';
import { pickEngine, pickRevision } from '../revisionPicker';
import { requireTrust } from '../trust';

export interface RunCommandDeps {
  engines: Engines;
  runsTree: RunsTreeProvider;
  log: vscode.LogOutputChannel;
  refresh(): Promise<void>;
}

export function registerRunCommands(deps: RunCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.refreshIndex, () => (requireTrust('Indexing') ? deps.refresh() : undefined)),
    vscode.commands.registerCommand(COMMANDS.rebuildIndex, async () => {
      if (!requireTrust('Rebuilding the index')) return;
      await deps.engines.indexAll('rebuild');
    }),
    vscode.commands.registerCommand(COMMANDS.showMoreCommits, (node?: RunNode) => {
      if (node?.kind === 'more') deps.runsTree.showMore(node);
    }),
    vscode.commands.registerCommand(COMMANDS.copySha, async (arg?: unknown) => {
      if (!isRevisionNode(arg)) return;
      const sha = arg.sha === WORKSPACE ? arg.engine.repo?.head : arg.sha;
      if (sha) await vscode.env.clipboard.writeText(sha);
    }),
    vscode.commands.registerCommand(COMMANDS.checkout, (arg?: unknown) => checkout(deps, arg)),
    vscode.commands.registerCommand(COMMANDS.setBaselineBranch, async () => {
      const engine = await pickEngine(deps.engines);
      if (!engine?.ws) return;
      const branches = refRows(engine.ws, 'branch').map((b) => ({ label: b.short, description: b.sha.slice(0, 8) }));
      const pick = await vscode.window.showQuickPick(branches, { placeHolder: 'Baseline branch for deltas and "Compare with Baseline"' });
      if (!pick) return;
      const target =
        (vscode.workspace.workspaceFolders?.length ?? 0) > 1
          ? vscode.ConfigurationTarget.WorkspaceFolder
          : vscode.ConfigurationTarget.Workspace;
      await vscode.workspace.getConfiguration('lineage', engine.folder.uri).update('baselineBranch', pick.label, target);
      deps.runsTree.refresh();
    }),
  ];
}

/**
 * Checks out a branch (by name) or detaches at a commit, tag or experiment, after a modal
 * confirmation. Names are validated and passed after --end-of-options in an argument array.
 */
async function checkout(deps: RunCommandDeps, arg: unknown): Promise<void> {
  if (!requireTrust('Checkout')) return;
  const engine = isRevisionNode(arg) ? arg.engine : await pickEngine(deps.engines);
  const rev = isRevisionNode(arg) ? arg.rev : engine && (await pickRevision(engine, 'Check out'));
  const ws = engine?.ws;
  if (!engine?.repo || !ws || !rev || rev === WORKSPACE) return;
  let target: CheckoutTarget;
  let what: string;
  try {
    target = await checkoutTarget(ws, rev);
    what =
      target.kind === 'branch'
        ? `branch "${target.branch}"`
        : `${isRevisionNode(arg) ? arg.label : rev} (${target.sha.slice(0, 8)}, detached HEAD)`;
  } catch (error) {
    void vscode.window.showErrorMessage(`ML Lineage: cannot check out ${JSON.stringify(rev)}: ${(error as Error).message}`);
    return;
  }
  const ok = await vscode.window.showWarningMessage(
    `Check out ${what} in ${engine.folder.name}?`,
    { modal: true, detail: 'Git refuses if uncommitted changes would be overwritten; nothing is stashed or discarded.' },
    'Check Out',
  );
  if (ok !== 'Check Out') return;
  try {
    const args = await runCheckout(ws, target);
    deps.log.info(`${engine.folder.name}: git ${args.join(' ')}`);
    engine.schedule(0);
  } catch (error) {
    const detail = error instanceof GitError ? error.stderr.trim() : (error as Error).message;
    void vscode.window.showErrorMessage(`ML Lineage: git checkout failed: ${detail.split('\n').slice(0, 3).join(' ')}`);
  }
}
