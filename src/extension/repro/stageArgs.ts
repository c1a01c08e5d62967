// What repro commands accept as their argument: a Pipelines view node, or this plain
// { folder, address } object (CodeLens, the DAG webview, other extensions, keybindings).
import type { Engines } from '../engines';
import type { FolderEngine } from '../folderEngine';

export interface StageArg {
  /** Workspace folder URI, as a string. */
  folder: string;
  /** Stage address; absent: the whole pipeline of the folder. */
  address?: string;
}

export function stageArg(engine: FolderEngine, address?: string): StageArg {
  return address === undefined ? { folder: engine.folder.uri.toString() } : { folder: engine.folder.uri.toString(), address };
}

/** A folder and maybe a stage, from any of the accepted argument shapes; undefined when none. */
export function fromArg(engines: Engines, arg: unknown): { engine: FolderEngine; address?: string } | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as Record<string, unknown>;
  // Pipelines view nodes carry their engine.
  if ((a.kind === 'stage' || a.kind === 'project') && typeof a.engine === 'object' && a.engine !== null) {
    const engine = a.engine as FolderEngine;
    const stage = a.stage as { address?: unknown } | undefined;
    return { engine, address: a.kind === 'stage' && typeof stage?.address === 'string' ? stage.address : undefined };
  }
  if (typeof a.folder !== 'string') return undefined;
  const engine = engines.byFolder.get(a.folder);
  if (!engine) return undefined;
  return { engine, address: typeof a.address === 'string' ? a.address : undefined };
}
