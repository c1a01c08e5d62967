import * as vscode from 'vscode';

/** Executing commands say why they do nothing in Restricted Mode (menus already hide them). */
export function requireTrust(what: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(
      `ML Lineage: ${what} runs Git in this folder, which Restricted Mode does not allow. Trust the workspace to use it.`,
      'Manage Workspace Trust',
    )
    .then((c) => {
      if (c) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}
