import * as vscode from 'vscode';
import { rmSync } from 'node:fs';
import { openRepo } from '../core/git/repo';
import { Store, StoreError } from '../core/store/store';
import { indexRepository } from '../core/indexer/indexer';
import { defaultStoreFile } from '../core/store/location';
import { COMMANDS } from './commands';

/**
 * Composition root. Everything is created here and handed down; nothing runs in an untrusted
 * workspace (package.json also declares untrustedWorkspaces: false, so VS Code does not even
 * activate us there).
 */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('ML Lineage', { log: true });
  context.subscriptions.push(log);
  if (!vscode.workspace.isTrusted) {
    log.warn('Workspace is not trusted: ML Lineage stays inactive.');
    return;
  }
  const refresh = async (rebuild: boolean) => {
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `ML Lineage: indexing ${folder.name}`, cancellable: false }, async (progress) => {
        const repo = await openRepo(folder.uri.fsPath);
        const configured = vscode.workspace.getConfiguration('lineage', folder.uri).get<string>('storePath');
        const file = configured || defaultStoreFile(repo);
        if (rebuild) for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
        let store: Store;
        try {
          store = Store.open(file, { extensionRoot: context.extensionPath, log: (m) => log.info(m) });
        } catch (error) {
          if (error instanceof StoreError) {
            const choice = await vscode.window.showErrorMessage(error.message, 'Rebuild Index');
            if (choice === 'Rebuild Index') await vscode.commands.executeCommand(COMMANDS.rebuildIndex);
            return;
          }
          throw error;
        }
        try {
          const report = await indexRepository(repo, store, {
            log: (m) => log.debug(m),
            onProgress: (p) => progress.report({ message: p.total ? `${p.phase} ${p.done}/${p.total}` : p.phase }),
          });
          log.info(`${folder.name}: ${report.commitsIndexed} commits indexed (${report.commitsWalked} walked), ${report.blobsParsed} files parsed in ${report.timings.totalMs} ms`);
          for (const l of report.limitations) log.warn(l);
        } finally {
          store.close();
        }
      });
    }
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.refreshIndex, () => refresh(false)),
    vscode.commands.registerCommand(COMMANDS.rebuildIndex, () => refresh(true)),
  );
  void refresh(false).catch((error: Error) => log.error(`Indexing failed: ${error.message}`));
}

export function deactivate(): void {}
