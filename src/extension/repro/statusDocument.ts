// "Show Stage Status": a read-only document with `dvc status`-like text for a folder's
// pipelines (or one stage), live — it is rewritten whenever the statuses change.
import * as vscode from 'vscode';
import type { Engines } from '../engines';
import type { FolderEngine } from '../folderEngine';
import { stageProblems } from './problemPlaces';
import type { ReproModel } from './reproModel';
import { statusDocument } from './stageText';

export const STATUS_SCHEME = 'lineage-status';

interface Query {
  folder: string;
  address?: string;
}

export function statusUri(engine: FolderEngine, address?: string): vscode.Uri {
  const query: Query = { folder: engine.folder.uri.toString(), address };
  const name = address ? `${address.replace(/[\\/:]/g, '_')} status` : 'Pipeline Status';
  return vscode.Uri.from({ scheme: STATUS_SCHEME, path: `/${engine.folder.name}/${name}.txt`, query: JSON.stringify(query) });
}

export class StatusDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly engines: Engines,
    private readonly model: ReproModel,
  ) {
    this.subscription = model.onDidChange(() => {
      for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === STATUS_SCHEME) this.changed.fire(doc.uri);
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    let query: Query;
    try {
      query = JSON.parse(uri.query) as Query;
    } catch {
      return `Not an ML Lineage status document: ${uri.toString()}\n`;
    }
    await this.engines.whenOpen();
    const engine = this.engines.byFolder.get(query.folder);
    if (!engine) return `The folder ${query.folder} is not open in this window.\n`;
    const p = await this.model.pipelines(engine);
    if (p.error) return `Pipeline status failed: ${p.error}\n`;
    const stages = query.address ? p.stages.filter((s) => s.address === query.address) : p.stages;
    if (query.address && stages.length === 0) return `No stage '${query.address}' in ${engine.folder.name} (renamed or removed?).\n`;
    const title = `${query.address ? `Stage '${query.address}'` : 'Pipelines'} of ${engine.folder.name}, as \`dvc status\` decides it (${new Date().toLocaleString()})`;
    // One stage's page lists the problems that stop it: its own and its file's.
    const problems = query.address ? stageProblems(stages[0], p.problems, p.stages) : p.problems;
    return statusDocument(title, stages, problems, (s) => this.model.live(engine, s, p));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
