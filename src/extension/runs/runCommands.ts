import * as vscode from 'vscode';
import { runGit, GitError } from '../../core/git/exec';
import { listRefRows, resolveRevision, validateRevisionText } from '../../core/query/revisions';
import { COMMANDS } from '../commands';
import type { Engines } from '../engines';
import type { RunsTreeProvider } from './runsTreeProvider';
import { isRevisionNode, type RunNode } from './runNodes';
import { pickEngine, pickRevision } from '../revisionPicker';
import { requireTrust } from '../trust';

export interface RunCommandDeps { engines: Engines; runsTree: RunsTreeProvider; log: vscode.LogOutputChannel; refresh(): Promise<void> }

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
      const sha = arg.sha === 'workspace' ? arg.engine.repo?.head : arg.sha;
      if (sha) await vscode.env.clipboard.writeText(sha);
    }),
    vscode.commands.registerCommand(COMMANDS.checkout, (arg?: unknown) => checkout(deps, arg)),
    vscode.commands.registerCommand(COMMANDS.setBaselineBranch, async () => {
      const engine = await pickEngine(deps.engines);
      if (!engine?.store) return;
      const branches = listRefRows(engine.store, 'branch').map((b) => ({ label: b.short, description: b.sha.slice(0, 8) }));
      const pick = await vscode.window.showQuickPick(branches, { placeHolder: 'Baseline branch for deltas and "Compare with Baseline"' });
      if (!pick) return;
      const target = (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Workspace;
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
  if (!engine?.repo || !engine.store || !rev || rev === 'workspace') return;
  const branch = listRefRows(engine.store, 'branch').find((b) => b.name === rev || b.short === rev);
  let args: string[];
  let what: string;
  try {
    if (branch) {
      validateRevisionText(branch.short);
      await runGit(engine.repo.root, ['check-ref-format', '--branch', branch.short]);
      args = ['checkout', '--end-of-options', branch.short];
      what = `branch "${branch.short}"`;
    } else {
      const sha = await resolveRevision(engine.store, engine.repo, rev);
      args = ['checkout', '--detach', '--end-of-options', sha];
      what = `${isRevisionNode(arg) ? arg.label : rev} (${sha.slice(0, 8)}, detached HEAD)`;
    }
  } catch (error) {
    void vscode.window.showErrorMessage(`ML Lineage: cannot check out ${JSON.stringify(rev)}: ${(error as Error).message}`);
    return;
  }
  const ok = await vscode.window.showWarningMessage(`Check out ${what} in ${engine.folder.name}?`, { modal: true, detail: 'Git refuses if uncommitted changes would be overwritten; nothing is stashed or discarded.' }, 'Check Out');
  if (ok !== 'Check Out') return;
  try {
    await runGit(engine.repo.root, args);
    deps.log.info(`${engine.folder.name}: git ${args.join(' ')}`);
    engine.schedule(0);
  } catch (error) {
    const detail = error instanceof GitError ? error.stderr.trim() : (error as Error).message;
    void vscode.window.showErrorMessage(`ML Lineage: git checkout failed: ${detail.split('\n').slice(0, 3).join(' ')}`);
  }
}
