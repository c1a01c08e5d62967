import * as vscode from 'vscode';
import { COMMANDS } from '../commands';
import { SafeTooltip, headline, oneLine, runTooltip } from '../tooltips';
import { shortSha, stateIcon, type RunNode } from './runNodes';
import { liveRunIn } from '../../core/workspace/live';
import { externalRunItem, runGroupItem, unlinkedRunsItem } from './externalRunItems';

const C = vscode.TreeItemCollapsibleState;

/** Labels and descriptions are plain strings (never rendered as markup); tooltips use SafeTooltip. */
export function runTreeItem(node: RunNode): vscode.TreeItem {
  switch (node.kind) {
    case 'workspace': {
      const item = new vscode.TreeItem(oneLine(node.label), C.Expanded);
      item.description = headline(node.key, node.run?.value, node.run?.delta);
      // A DVCLive training writing into this workspace right now.
      const live = liveRunIn(node.engine.folder.uri.fsPath);
      item.iconPath = live ? new vscode.ThemeIcon('sync~spin') : stateIcon('folder-active', node.run?.state);
      if (live)
        item.description = [`running${live.step !== undefined ? ` (step ${live.step})` : ''}`, item.description]
          .filter(Boolean)
          .join(' · ');
      item.contextValue = 'lineage.workspace';
      item.tooltip = node.run ? runTooltip(node.run, node.key, 'HEAD', 'Workspace (uncommitted files)') : undefined;
      item.id = `ws:${node.engine.folder.uri.toString()}`;
      return item;
    }
    case 'ref': {
      const item = new vscode.TreeItem(oneLine(node.label), node.current ? C.Expanded : C.Collapsed);
      item.description = [node.current ? '(current)' : '', headline(node.key, node.run?.value, node.run?.delta)].filter(Boolean).join(' ');
      item.iconPath =
        node.run?.state === 'failed' ? stateIcon('', 'failed') : new vscode.ThemeIcon(node.ref.kind === 'tag' ? 'tag' : 'git-branch');
      item.contextValue = node.ref.kind === 'tag' ? 'lineage.tag' : 'lineage.branch';
      item.tooltip = node.run
        ? runTooltip(node.run, node.key, node.against ?? 'baseline', `${node.ref.kind} ${node.ref.short}`)
        : undefined;
      item.id = `ref:${node.engine.folder.uri.toString()}:${node.ref.name}`;
      return item;
    }
    case 'tags': {
      const item = new vscode.TreeItem('Tags', C.Collapsed);
      item.description = String(node.count);
      item.iconPath = new vscode.ThemeIcon('tag');
      item.id = `tags:${node.engine.folder.uri.toString()}`;
      return item;
    }
    case 'commit': {
      const item = new vscode.TreeItem(oneLine(node.run.subject || shortSha(node.sha), 80), node.expandable ? C.Collapsed : C.None);
      item.description = [shortSha(node.sha), headline(node.key, node.run.value, node.run.delta)].filter(Boolean).join(' · ');
      item.iconPath = stateIcon('git-commit', node.run.state);
      item.contextValue = 'lineage.commit';
      item.tooltip = runTooltip(node.run, node.key, 'parent');
      item.id = `commit:${node.engine.folder.uri.toString()}:${node.tip}:${node.sha}`;
      return item;
    }
    case 'more': {
      const item = new vscode.TreeItem('Show more…', C.None);
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.command = { command: COMMANDS.showMoreCommits, title: 'Show more commits', arguments: [node] };
      item.id = `more:${node.engine.folder.uri.toString()}:${node.tip}:${node.shown}`;
      return item;
    }
    case 'exp': {
      const item = new vscode.TreeItem(oneLine(node.run.name, 80), node.run.hasPipeline ? C.Collapsed : C.None);
      item.description = [shortSha(node.sha), headline(node.key, node.run.value, node.run.delta)].filter(Boolean).join(' · ');
      item.iconPath = stateIcon('beaker', node.run.state);
      item.contextValue = 'lineage.exp';
      item.tooltip = runTooltip(node.run, node.key, 'baseline', `experiment ${node.run.name}`);
      item.id = `exp:${node.engine.folder.uri.toString()}:${node.run.ref}`;
      return item;
    }
    case 'stage': {
      const item = new vscode.TreeItem(oneLine(node.stage.name, 80), C.None);
      item.description = node.stage.project ? oneLine(node.stage.project, 40) : undefined;
      item.iconPath = new vscode.ThemeIcon('symbol-event');
      const t = new SafeTooltip().field('Stage', node.stage.name).field('Command', node.stage.cmd);
      if (node.stage.deps.length) t.field('Deps', node.stage.deps.join(', '));
      if (node.stage.outs.length) t.field('Outs', node.stage.outs.join(', '));
      item.tooltip = t.md;
      item.contextValue = 'lineage.stage';
      return item;
    }
    case 'runGroup':
      return runGroupItem(node);
    case 'unlinkedRuns':
      return unlinkedRunsItem(node);
    case 'extRun':
      return externalRunItem(node);
    case 'message': {
      const item = new vscode.TreeItem(oneLine(node.text, 200), C.None);
      item.iconPath = new vscode.ThemeIcon(node.icon);
      if (node.detail) item.tooltip = new SafeTooltip().text(node.detail).md;
      item.command = node.command;
      item.contextValue = 'lineage.message';
      return item;
    }
  }
}
