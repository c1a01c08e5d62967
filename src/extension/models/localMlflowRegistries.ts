import * as vscode from 'vscode';
import { readLocalMlflowRegistries, type LocalMlflowRegistry } from '../../core/workspace/registry';
import { commitInfo } from '../../core/workspace/experiments';
import type { FolderEngine } from '../folderEngine';
import { readSettings } from '../settings';
import { SafeTooltip, oneLine } from '../tooltips';
import {
  hasKnownCommit,
  mlflowContextValue,
  mlflowModelDescription,
  mlflowModelNodes,
  mlflowStoreDescription,
  mlflowStoreLabel,
  mlflowStoreNodes,
  mlflowVersionDescription,
  mlflowVersionNodes,
} from './mlflowLocalNodes';
import type { LocalMlflowNode, ModelContext, ModelNode } from './modelNodeTypes';

/**
 * The workspace's local MLflow registries per folder, shown read-only next to the Git
 * registry; read once per refresh, like the registry itself.
 */
export class LocalMlflowRegistries {
  private readonly loads = new Map<FolderEngine, Promise<LocalMlflowRegistry[]>>();

  constructor(private readonly log?: vscode.LogOutputChannel) {}

  clear(): void {
    this.loads.clear();
  }

  async nodes(ctx: ModelContext): Promise<ModelNode[]> {
    let load = this.loads.get(ctx.engine);
    if (!load) {
      load = this.read(ctx.engine, ctx.root);
      this.loads.set(ctx.engine, load);
    }
    return mlflowStoreNodes(ctx, await load);
  }

  private async read(engine: FolderEngine, root: string): Promise<LocalMlflowRegistry[]> {
    try {
      const registries = await readLocalMlflowRegistries(root, { excludePaths: readSettings(engine.folder.uri).excludePaths });
      for (const r of registries)
        for (const p of r.problems)
          this.log?.warn(`MLflow registry (${engine.folder.name}): ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
      return registries;
    } catch (error) {
      this.log?.warn(`MLflow registry (${engine.folder.name}): ${(error as Error).message}`);
      return [];
    }
  }
}

export function localMlflowChildren(node: LocalMlflowNode): ModelNode[] {
  switch (node.kind) {
    case 'mlflowStore':
      return mlflowModelNodes(node);
    case 'mlflowModel':
      return mlflowVersionNodes(node, node.ctx.engine.folder.uri.toString());
    case 'mlflowVersion': {
      if (!hasKnownCommit(node.version)) return [];
      const { engine } = node.ctx;
      const sha = node.version.commit;
      const subject = engine.ws ? (commitInfo(engine.ws, sha)?.subject ?? null) : null;
      return [{ kind: 'commit', ctx: node.ctx, engine, rev: sha, label: sha.slice(0, 8), sha, subject }];
    }
  }
}

export function localMlflowTreeItem(node: LocalMlflowNode, multiFolder: boolean): vscode.TreeItem {
  const collapsed = vscode.TreeItemCollapsibleState.Collapsed;
  const none = vscode.TreeItemCollapsibleState.None;
  let item: vscode.TreeItem;
  switch (node.kind) {
    case 'mlflowStore': {
      const r = node.registry;
      item = new vscode.TreeItem(oneLine(mlflowStoreLabel(r), 100), r.state.artifacts.length ? collapsed : none);
      item.description = oneLine(mlflowStoreDescription(r, multiFolder ? node.ctx.engine.folder.name : null), 80);
      item.iconPath = new vscode.ThemeIcon('database');
      const t = new SafeTooltip()
        .field('MLflow registry', r.location)
        .text(
          'Read-only here: change it with MLflow, or set "lineage.registry.backend" to "mlflow" to manage a tracking server\'s registry.',
        );
      for (const p of r.problems.slice(0, 8)) t.text(`${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
      item.tooltip = t.md;
      break;
    }
    case 'mlflowModel': {
      const a = node.artifact;
      item = new vscode.TreeItem(oneLine(a.name, 80), a.versions.length ? collapsed : none);
      item.description = oneLine(mlflowModelDescription(a), 80);
      item.iconPath = new vscode.ThemeIcon(a.deprecated ? 'archive' : 'package');
      const t = new SafeTooltip().field('Model', a.name).field('MLflow registry', node.registry.location);
      for (const [stage, versions] of Object.entries(a.stages)) t.field(stage, versions.join(', '));
      item.tooltip = t.md;
      break;
    }
    case 'mlflowVersion': {
      const v = node.version;
      item = new vscode.TreeItem(oneLine(`version ${v.version}`, 60), hasKnownCommit(v) ? collapsed : none);
      item.description = oneLine(mlflowVersionDescription(v), 80);
      item.iconPath = new vscode.ThemeIcon(v.stages.length ? 'verified' : 'tag');
      const t = new SafeTooltip()
        .field('Model', node.artifact.name)
        .field('Version', v.version)
        .field('Commit', hasKnownCommit(v) ? v.commit : 'unknown');
      if (v.stages.length) t.field('Stages and aliases', v.stages.join(', '));
      if (v.runId) t.field('Run', v.runId);
      if (v.source) t.field('Source', v.source);
      if (v.author) t.field('By', v.author);
      if (v.createdAt > 0) t.field('Created', new Date(v.createdAt * 1000).toLocaleString());
      item.tooltip = t.md;
      break;
    }
  }
  item.contextValue = mlflowContextValue(node);
  return item;
}
