import * as vscode from 'vscode';
import type { FolderEngine } from '../folderEngine';
import type { RefRow } from '../../core/workspace/experiments';
import type { ExperimentRun, RunState, RunSummary, StageRow } from '../../core/workspace/runTree';
import type { RunGroup } from '../../core/workspace/runs';
import { WORKSPACE } from '../../core/workspace/revision';
import type { ExternalRun } from '../../core/runs/types';

/** Something a context-menu command can compare, show, copy or check out. */
export interface RevisionNode {
  engine: FolderEngine;
  /** What Workspace.resolve understands: a branch/tag/experiment name, a sha or the workspace. */
  rev: string;
  /** Display name (short sha for commits). */
  label: string;
  sha: string;
}

export type RunNode =
  | { kind: 'workspace'; engine: FolderEngine; run?: RunSummary; key?: string; rev: typeof WORKSPACE; label: string; sha: typeof WORKSPACE }
  | ({ kind: 'ref'; ref: RefRow; run?: RunSummary; key?: string; current: boolean; against?: string } & RevisionNode)
  | { kind: 'tags'; engine: FolderEngine; count: number }
  | ({ kind: 'commit'; run: RunSummary; key?: string; tip: string; expandable: boolean } & RevisionNode)
  | { kind: 'more'; engine: FolderEngine; tip: string; shown: number }
  | ({ kind: 'exp'; run: ExperimentRun; key?: string } & RevisionNode)
  | { kind: 'stage'; engine: FolderEngine; stage: StageRow; sha: string }
  | { kind: 'message'; engine?: FolderEngine; text: string; detail?: string; icon: string; command?: vscode.Command }
  /** An MLflow experiment or W&B project. */
  | { kind: 'runGroup'; engine: FolderEngine; group: RunGroup }
  /** Runs whose commit is unknown or not in this repository. */
  | { kind: 'unlinkedRuns'; engine: FolderEngine; count: number }
  /** An MLflow/W&B run; `under` tells its places apart (a run shows under its experiment and its commit). */
  | { kind: 'extRun'; engine: FolderEngine; ext: ExternalRun; under: string };

export function isRevisionNode(node: unknown): node is RevisionNode & RunNode {
  const n = node as { kind?: string; rev?: unknown; engine?: unknown } | undefined;
  return Boolean(n && typeof n.rev === 'string' && n.engine && ['workspace', 'ref', 'commit', 'exp'].includes(n.kind ?? ''));
}

/** Icons carry the run's state; colors come from the theme so they work in every theme. */
export function stateIcon(base: string, state: RunState | undefined): vscode.ThemeIcon {
  if (state === 'failed') return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
  if (state === 'changed') return new vscode.ThemeIcon(base, new vscode.ThemeColor('gitDecoration.modifiedResourceForeground'));
  return new vscode.ThemeIcon(base);
}

export function shortSha(sha: string): string {
  return sha === WORKSPACE ? WORKSPACE : sha.slice(0, 8);
}
