import type * as vscode from 'vscode';
import { COMMANDS } from './commands';
import type { FolderEngine } from './folderEngine';

/** A message row every tree (Runs, Pipelines, Models) can show as its own message node. */
export interface EngineStateNode {
  kind: 'message';
  engine: FolderEngine;
  text: string;
  detail?: string;
  icon: string;
  command?: vscode.Command;
}

/** What a tree shows for a folder whose engine cannot be browsed: a clear state, not a toast. */
export function engineStateNode(engine: FolderEngine): EngineStateNode | undefined {
  const s = engine.state;
  const prefix = engine.folder.name;
  switch (s.kind) {
    case 'ready':
      return engine.ws ? undefined : { kind: 'message', engine, icon: 'loading~spin', text: `${prefix}: opening the index…` };
    case 'opening':
      return { kind: 'message', engine, icon: 'loading~spin', text: `${prefix}: opening the index…` };
    case 'untrusted-empty':
      return {
        kind: 'message',
        engine,
        icon: 'shield',
        text: `${prefix}: Restricted Mode, no index yet`,
        detail:
          'Indexing runs Git in this folder, so it waits until you trust the workspace. An index made earlier (or by `lineage index`) is shown read-only.',
        command: { command: 'workbench.trust.manage', title: 'Manage Workspace Trust' },
      };
    case 'store-error':
      return {
        kind: 'message',
        engine,
        icon: 'error',
        text: `${prefix}: the index cannot be opened — click to rebuild`,
        detail: s.error.message,
        command: { command: COMMANDS.rebuildIndex, title: 'Rebuild Index' },
      };
    case 'failed':
      return { kind: 'message', engine, icon: 'error', text: `${prefix}: ${s.message}`, detail: s.message };
  }
}
