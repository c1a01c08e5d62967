import * as vscode from 'vscode';
import { COMMANDS } from './commands';
import { loadDemoGenerator } from './demoGenerator';
import { requireTrust } from './trust';

export const WALKTHROUGH_ID = 'ml-lineage.ml-lineage#lineage.gettingStarted';

/** Welcome-view actions: write the demo repository into a folder the user picks, and open the walkthrough. */
export function registerWelcomeCommands(extensionUri: vscode.Uri, log: vscode.LogOutputChannel): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.openDemoRepository, async () => {
      if (!requireTrust('Creating the demo repository')) return;
      const picked = await vscode.window.showOpenDialog({
        canSelectFolders: true,
        canSelectFiles: false,
        canSelectMany: false,
        openLabel: 'Create demo here',
        title: 'Folder for the ML Lineage demo repository (a new sub-folder is created)',
      });
      if (!picked?.[0]) return;
      const target = vscode.Uri.joinPath(picked[0], 'ml-lineage-demo');
      try {
        await vscode.workspace.fs.stat(target);
        void vscode.window.showErrorMessage(`ML Lineage: ${target.fsPath} already exists; pick another folder.`);
        return;
      } catch {
        /* absent: good */
      }
      try {
        const writeDemo = loadDemoGenerator(extensionUri.fsPath);
        const info = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: 'ML Lineage: writing the demo repository…' },
          () => writeDemo(target.fsPath),
        );
        log.info(
          `Demo repository written to ${info.dir}: ${info.commitCount} commits, ${info.branches.length} branches, ${info.expRefs.length} experiments`,
        );
        await vscode.commands.executeCommand('vscode.openFolder', target, {
          forceNewWindow: !vscode.workspace.workspaceFolders?.length ? false : true,
        });
      } catch (error) {
        void vscode.window.showErrorMessage(`ML Lineage: could not write the demo repository: ${(error as Error).message}`);
      }
    }),
    // contributes.walkthroughs in package.json: `<publisher>.<name>#<walkthrough id>`.
    vscode.commands.registerCommand(COMMANDS.openWalkthrough, () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false),
    ),
  ];
}
