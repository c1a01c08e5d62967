import * as vscode from 'vscode';
import { toModelVersionRef } from '../../core/registry/resolve';
import type { ModelArtifact, RegistryState } from '../../core/registry/types';
import { SafeTooltip, oneLine } from '../tooltips';
import { localMlflowTreeItem } from './localMlflowRegistries';
import type { ModelContext, ModelNode } from './modelNodeTypes';

const SHA = /^[0-9a-f]{40}$/;
export const versionLabel = (v: string): string => (SHA.test(v) ? `${v.slice(0, 8)} (unregistered commit)` : v);

export function modelNodes(ctx: ModelContext, state: RegistryState): ModelNode[] {
  return state.artifacts.map((artifact) => ({ kind: 'model', ctx, artifact }));
}

export function versionNodes(ctx: ModelContext, artifact: ModelArtifact): ModelNode[] {
  return artifact.versions.map((version) => ({
    kind: 'version',
    ctx,
    artifact,
    version,
    ref: toModelVersionRef(artifact, version),
    folder: ctx.engine.folder.uri.toString(),
  }));
}

function modelItem(node: Extract<ModelNode, { kind: 'model' }>, multiFolder: boolean): vscode.TreeItem {
  const a = node.artifact;
  const item = new vscode.TreeItem(
    oneLine(a.name, 80),
    a.versions.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  const latest = a.versions.find((v) => v.registered && v.active);
  const parts = [
    a.deprecated ? 'deprecated' : latest ? latest.version : 'no versions',
    a.decl?.type ?? '',
    multiFolder ? node.ctx.engine.folder.name : '',
  ];
  item.description = oneLine(parts.filter(Boolean).join(' · '), 80);
  item.iconPath = new vscode.ThemeIcon(a.deprecated ? 'archive' : 'package');
  const t = new SafeTooltip().field('Model', a.name);
  if (a.decl) {
    if (a.decl.type) t.field('Type', a.decl.type);
    if (a.decl.path) t.field('Path', a.decl.path);
    if (a.decl.labels.length) t.field('Labels', a.decl.labels.join(', '));
    t.field('Declared in', a.decl.file);
    if (a.decl.description) t.text(a.decl.description);
  }
  for (const [stage, versions] of Object.entries(a.stages)) t.field(stage, versions.map(versionLabel).join(', '));
  if (a.deprecated) t.text('Deprecated: new stage assignments ask first.');
  item.tooltip = t.md;
  item.contextValue = `lineage.model${a.deprecated ? ' deprecated' : ''} registry-${node.ctx.backend}`;
  return item;
}

function versionItem(node: Extract<ModelNode, { kind: 'version' }>): vscode.TreeItem {
  const v = node.version;
  const item = new vscode.TreeItem(
    oneLine(versionLabel(v.version), 60),
    v.commit ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
  );
  const badges = [...v.stages, ...(v.active ? [] : ['deregistered'])];
  item.description = oneLine([badges.join(' · '), v.commit.slice(0, 8)].filter(Boolean).join('  '), 80);
  item.iconPath = new vscode.ThemeIcon(!v.active ? 'circle-slash' : v.stages.length ? 'verified' : 'tag');
  const t = new SafeTooltip().field('Model', node.artifact.name).field('Version', v.version).field('Commit', v.commit);
  if (v.stages.length) t.field('Stages', v.stages.join(', '));
  if (v.author) t.field('By', v.author);
  if (v.createdAt > 0) t.field('Created', new Date(v.createdAt * 1000).toLocaleString());
  if (node.ref.previousVersion) t.field('Previous', node.ref.previousVersion.version);
  for (const e of v.events.slice(-6)) t.text(`${e.kind} ${e.stage ?? ''} (${e.tag})`);
  item.tooltip = t.md;
  const flags = [
    node.ref.previousVersion ? 'hasPrevious' : '',
    node.artifact.deprecated ? 'deprecated' : '',
    v.stages.length ? 'staged' : '',
    `registry-${node.ctx.backend}`,
  ];
  item.contextValue = ['lineage.modelVersion', ...flags.filter(Boolean)].join(' ');
  return item;
}

export function modelTreeItem(node: ModelNode, multiFolder: boolean): vscode.TreeItem {
  switch (node.kind) {
    case 'model':
      return modelItem(node, multiFolder);
    case 'version':
      return versionItem(node);
    case 'commit': {
      const item = new vscode.TreeItem(node.label);
      item.description = node.subject ? oneLine(node.subject, 80) : undefined;
      item.iconPath = new vscode.ThemeIcon('git-commit');
      item.tooltip = new SafeTooltip().field('Commit', node.sha).md;
      item.contextValue = 'lineage.modelCommit';
      return item;
    }
    case 'message': {
      const item = new vscode.TreeItem(node.text);
      item.iconPath = new vscode.ThemeIcon(node.icon);
      if (node.detail) item.tooltip = node.detail;
      return item;
    }
    default:
      return localMlflowTreeItem(node, multiFolder);
  }
}
