import * as vscode from 'vscode';
import { groupLabel, runDescription, runTooltipFields, statusIcon } from '../../core/workspace/runTree';
import { readSettings } from '../settings';
import { SafeTooltip, oneLine } from '../tooltips';
import type { RunNode } from './runNodes';

const C = vscode.TreeItemCollapsibleState;

export function runGroupItem(node: Extract<RunNode, { kind: 'runGroup' }>): vscode.TreeItem {
  const g = node.group;
  const item = new vscode.TreeItem(oneLine(groupLabel(g), 100), C.Collapsed);
  item.description = `${g.runs} run${g.runs === 1 ? '' : 's'}`;
  item.iconPath = new vscode.ThemeIcon(g.source === 'mlflow' ? 'beaker' : 'graph-line');
  item.contextValue = 'lineage.runGroup';
  item.tooltip = new SafeTooltip()
    .text(groupLabel(g))
    .field('Runs', String(g.runs))
    .field('Latest start', g.latest !== null ? new Date(g.latest).toLocaleString() : '—').md;
  item.id = `runGroup:${node.engine.folder.uri.toString()}:${g.source}:${g.experiment ?? ''}`;
  return item;
}

export function unlinkedRunsItem(node: Extract<RunNode, { kind: 'unlinkedRuns' }>): vscode.TreeItem {
  const item = new vscode.TreeItem('Unlinked runs', C.Collapsed);
  item.description = String(node.count);
  item.iconPath = new vscode.ThemeIcon('debug-disconnect');
  item.tooltip = new SafeTooltip().text('MLflow and W&B runs that recorded no Git commit, or one this repository does not have.').md;
  item.id = `unlinkedRuns:${node.engine.folder.uri.toString()}`;
  return item;
}

export function externalRunItem(node: Extract<RunNode, { kind: 'extRun' }>): vscode.TreeItem {
  const run = node.ext;
  const item = new vscode.TreeItem(oneLine(run.name || run.id, 80), C.None);
  const withCommit = !node.under.startsWith('commit:');
  item.description = oneLine(runDescription(run, readSettings(node.engine.folder.uri).headlineMetric || undefined, { withCommit }), 120);
  const icon = statusIcon(run.status);
  item.iconPath = new vscode.ThemeIcon(icon.icon, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
  item.contextValue = 'lineage.extRun';
  const { title, fields } = runTooltipFields(run);
  const tooltip = new SafeTooltip().text(title);
  for (const [label, value] of fields) tooltip.field(label, value);
  item.tooltip = tooltip.md;
  item.id = `extRun:${node.engine.folder.uri.toString()}:${node.under}:${run.source}:${run.location}:${run.id}`;
  return item;
}
