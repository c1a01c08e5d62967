import * as vscode from 'vscode';
import type { Engines } from '../engines';
import type { FolderEngine } from '../folderEngine';
import { WorkspaceHasher, pipelineStatus, type EntryStatus, type ProjectStatus, type StageStatus } from '../../core/query/pipelineStatus';
import { engineStateNode } from '../stateNodes';
import { SafeTooltip, oneLine } from '../tooltips';

export type PipelineNode =
  | { kind: 'project'; engine: FolderEngine; project: ProjectStatus; multiFolder: boolean }
  | { kind: 'stage'; engine: FolderEngine; stage: StageStatus }
  | { kind: 'message'; text: string; icon: string; detail?: string; command?: vscode.Command };

const STATE_TEXT: Record<StageStatus['state'], string> = { 'up-to-date': 'up to date', changed: 'changed', 'never-run': 'not in dvc.lock', unknown: 'not checked' };
const STATE_ICON: Record<StageStatus['state'], vscode.ThemeIcon> = {
  'up-to-date': new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  changed: new vscode.ThemeIcon('diff-modified', new vscode.ThemeColor('gitDecoration.modifiedResourceForeground')),
  'never-run': new vscode.ThemeIcon('circle-outline'),
  unknown: new vscode.ThemeIcon('question'),
};

/**
 * Pipelines view: per dvc.yaml project, stages in DAG order, with dvc.lock md5s compared to
 * the workspace files. Hashing is async and cached by (size, mtime), so refreshes are cheap.
 */
export class PipelinesTreeProvider implements vscode.TreeDataProvider<PipelineNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PipelineNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly hashers = new Map<string, WorkspaceHasher>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly engines: Engines) {
    this.subscription = engines.onDidChange(() => this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: PipelineNode): vscode.TreeItem {
    if (node.kind === 'message') {
      const item = new vscode.TreeItem(oneLine(node.text, 200));
      item.iconPath = new vscode.ThemeIcon(node.icon);
      if (node.detail) item.tooltip = new SafeTooltip().text(node.detail).md;
      item.command = node.command;
      return item;
    }
    if (node.kind === 'project') {
      const file = node.project.project ? `${node.project.project}/dvc.yaml` : 'dvc.yaml';
      const item = new vscode.TreeItem(oneLine(node.multiFolder ? `${node.engine.folder.name}: ${file}` : file), vscode.TreeItemCollapsibleState.Expanded);
      const changed = node.project.stages.filter((s) => s.state === 'changed').length;
      item.description = `${node.project.stages.length} stages${changed ? `, ${changed} changed` : ''}${node.project.errors.length ? `, ${node.project.errors.length} errors` : ''}`;
      item.iconPath = new vscode.ThemeIcon(node.project.errors.length ? 'warning' : 'type-hierarchy');
      const t = new SafeTooltip().field('Pipeline', file);
      for (const e of node.project.errors) t.text(e);
      item.tooltip = t.md;
      item.resourceUri = vscode.Uri.joinPath(node.engine.folder.uri, file);
      item.command = { command: 'vscode.open', title: 'Open dvc.yaml', arguments: [item.resourceUri] };
      item.contextValue = 'lineage.pipeline';
      return item;
    }
    const s = node.stage;
    const item = new vscode.TreeItem(oneLine(s.name, 80));
    item.description = describe(s);
    item.iconPath = STATE_ICON[s.state];
    const t = new SafeTooltip().field('Stage', s.name).field('Command', s.cmd).field('State', STATE_TEXT[s.state]);
    for (const e of [...s.deps.map((d) => ['dep', d] as const), ...s.outs.map((o) => ['out', o] as const)]) t.field(`${e[0]} ${e[1].path}`, entryText(e[1]));
    item.tooltip = t.md;
    item.contextValue = 'lineage.pipelineStage';
    return item;
  }

  async getChildren(node?: PipelineNode): Promise<PipelineNode[]> {
    if (node?.kind === 'project') return node.project.stages.map((stage) => ({ kind: 'stage', engine: node.engine, stage }));
    if (node) return [];
    const engines = this.engines.list();
    const out: PipelineNode[] = [];
    for (const engine of engines) {
      const state = engineStateNode(engine);
      if (state) { out.push({ kind: 'message', text: state.text, icon: state.icon, detail: state.detail, command: state.command }); continue; }
      const key = engine.folder.uri.toString();
      const hasher = this.hashers.get(key) ?? new WorkspaceHasher();
      this.hashers.set(key, hasher);
      const projects = await pipelineStatus(engine.store!, engine.repo!.root, hasher);
      for (const project of projects) out.push({ kind: 'project', engine, project, multiFolder: engines.length > 1 });
    }
    if (out.length === 0 && engines.length > 0) out.push({ kind: 'message', icon: 'info', text: 'No dvc.yaml in the workspace (as of the last index).' });
    return out;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function entryText(e: EntryStatus): string {
  return e.state === 'same' ? 'matches dvc.lock' : e.state === 'changed' ? 'changed since dvc.lock' : e.state === 'missing' ? 'missing' : `not checked${e.reason ? ` (${e.reason})` : ''}`;
}

function describe(s: StageStatus): string {
  if (s.state !== 'changed') return STATE_TEXT[s.state];
  const deps = s.deps.filter((d) => d.state === 'changed' || d.state === 'missing').map((d) => d.path);
  const outs = s.outs.filter((d) => d.state === 'changed' || d.state === 'missing').map((d) => d.path);
  return oneLine(['changed:', deps.length ? `deps ${deps.join(', ')}` : '', outs.length ? `outs ${outs.join(', ')}` : ''].filter(Boolean).join(' '), 120);
}
