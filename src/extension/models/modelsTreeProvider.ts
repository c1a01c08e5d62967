import * as vscode from 'vscode';
import type { Engines } from '../engines';
import { listRefRows } from '../../core/query/revisions';
import { engineStateNode } from '../stateNodes';
import { SafeTooltip, oneLine } from '../tooltips';

// GTO writes model versions as tags `<name>@v<semver>` (and stage assignments as `<name>#<stage>#N`).
const GTO_VERSION = /^(.+)@v(\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?)$/;

export type ModelNode =
  | { kind: 'model'; name: string; versions: { version: string; tag: string; sha: string; message: string | null }[] }
  | { kind: 'version'; name: string; version: string; tag: string; sha: string; message: string | null }
  | { kind: 'message'; text: string; icon: string };

/** Models view: GTO version tags grouped by model, newest version first. The registry issue fills in stages and artifacts. */
export class ModelsTreeProvider implements vscode.TreeDataProvider<ModelNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ModelNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly engines: Engines) {
    this.subscription = engines.onDidChange(() => this.changed.fire(undefined));
  }

  getTreeItem(node: ModelNode): vscode.TreeItem {
    if (node.kind === 'message') {
      const item = new vscode.TreeItem(node.text);
      item.iconPath = new vscode.ThemeIcon(node.icon);
      return item;
    }
    if (node.kind === 'model') {
      const item = new vscode.TreeItem(oneLine(node.name, 80), vscode.TreeItemCollapsibleState.Collapsed);
      item.description = `v${oneLine(node.versions[0].version, 40)} (${node.versions.length} version${node.versions.length === 1 ? '' : 's'})`;
      item.iconPath = new vscode.ThemeIcon('package');
      return item;
    }
    const item = new vscode.TreeItem(`v${oneLine(node.version, 40)}`);
    item.description = node.sha.slice(0, 8);
    item.iconPath = new vscode.ThemeIcon('tag');
    const t = new SafeTooltip().field('Model', node.name).field('Tag', node.tag).field('Commit', node.sha);
    if (node.message) t.text(node.message);
    item.tooltip = t.md;
    item.contextValue = 'lineage.modelVersion';
    return item;
  }

  getChildren(node?: ModelNode): ModelNode[] {
    if (node?.kind === 'model') return node.versions.map((v) => ({ kind: 'version', name: node.name, ...v }));
    if (node) return [];
    const models = new Map<string, Extract<ModelNode, { kind: 'model' }>>();
    for (const engine of this.engines.list()) {
      if (engineStateNode(engine) || !engine.store) continue;
      for (const tag of listRefRows(engine.store, 'tag')) {
        const m = GTO_VERSION.exec(tag.short);
        if (!m) continue;
        const model = models.get(m[1]) ?? { kind: 'model', name: m[1], versions: [] };
        model.versions.push({ version: m[2], tag: tag.short, sha: tag.sha, message: tag.message });
        models.set(m[1], model);
      }
    }
    for (const m of models.values()) m.versions.sort((a, b) => compareSemver(b.version, a.version));
    if (models.size === 0) return [{ kind: 'message', icon: 'info', text: 'No model versions (GTO tags like model@v1.0.0) yet.' }];
    return [...models.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function compareSemver(a: string, b: string): number {
  const pa = a.split(/[-+]/)[0].split('.').map(Number);
  const pb = b.split(/[-+]/)[0].split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return a.localeCompare(b);
}
