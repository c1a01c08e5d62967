// Saving what a chart webview exports (a PNG from canvas.toDataURL, or CSV text): the user
// picks the file in a save dialog; tests replace the dialog with a SaveTarget.
import * as vscode from 'vscode';
import type { ExportMessage } from './messages';

/** Where to write an export; undefined means the user cancelled. */
export type SaveTarget = (fileName: string, format: 'png' | 'csv', folder: vscode.Uri | undefined) => Promise<vscode.Uri | undefined>;

export const saveDialogTarget: SaveTarget = (fileName, format, folder) =>
  Promise.resolve(
    vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
      filters: format === 'png' ? { 'PNG image': ['png'] } : { CSV: ['csv'] },
      saveLabel: format === 'png' ? 'Export PNG' : 'Export CSV',
    }),
  );

/** Decodes and writes an export; returns the file written (fsPath), or undefined when cancelled or failed. */
export async function saveExport(
  message: ExportMessage,
  folder: vscode.Uri | undefined,
  target: SaveTarget = saveDialogTarget,
): Promise<string | undefined> {
  const uri = await target(message.name, message.format, folder);
  if (!uri) return undefined;
  const bytes =
    message.format === 'png' ? Buffer.from(message.data.slice(message.data.indexOf(',') + 1), 'base64') : Buffer.from(message.data, 'utf8');
  try {
    await vscode.workspace.fs.writeFile(uri, bytes);
    void vscode.window.setStatusBarMessage(`ML Lineage: exported ${uri.fsPath}`, 4000);
    return uri.fsPath;
  } catch (error) {
    void vscode.window.showErrorMessage(`ML Lineage: could not write ${uri.fsPath}: ${(error as Error).message}`);
    return undefined;
  }
}
