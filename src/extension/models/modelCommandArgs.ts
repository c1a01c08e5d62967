// What other commands, scripts and tests pass to the Models commands instead of a tree node:
// the model, and the version, stage or revision, by name, so that no quick pick or dialog
// opens. The shape is checked here; the registry validates the names again before any git call.
import type { Engines } from '../engines';
import type { FolderEngine } from '../folderEngine';

export interface ModelCommandArgs {
  /** A workspace folder URI (`folder.uri.toString()`); optional while one folder is open. */
  folder?: string;
  artifact: string;
  version?: string;
  stage?: string;
  /** Register: the commit-ish (Git registry, HEAD by default) or the run id / model source URI (MLflow). */
  rev?: string;
  /** Write despite a guard, such as a deprecated model (the interactive path asks instead). */
  force?: boolean;
}

const TEXT_FIELDS = ['folder', 'version', 'stage', 'rev'] as const;

export function isModelCommandArgs(arg: unknown): arg is ModelCommandArgs {
  if (!arg || typeof arg !== 'object' || 'kind' in arg) return false;
  const a = arg as Record<string, unknown>;
  return (
    typeof a.artifact === 'string' &&
    TEXT_FIELDS.every((k) => a[k] === undefined || typeof a[k] === 'string') &&
    (a.force === undefined || typeof a.force === 'boolean')
  );
}

/** The folder the arguments name, or the only one open; an error says what is missing. */
export function engineOfArgs(engines: Engines, args: ModelCommandArgs): FolderEngine {
  const all = engines.list();
  const engine = args.folder !== undefined ? engines.byFolder.get(args.folder) : all.length === 1 ? all[0] : undefined;
  if (!engine)
    throw new Error(
      args.folder !== undefined
        ? `no workspace folder ${JSON.stringify(args.folder)} is open`
        : 'several workspace folders are open: name one with "folder"',
    );
  if (!engine.repo?.gitDir) throw new Error(`${engine.folder.name} is not a Git repository`);
  return engine;
}

export function requiredArg(args: ModelCommandArgs, key: 'version' | 'stage', command: string): string {
  const value = args[key];
  if (!value) throw new Error(`${command}: pass "${key}" along with "artifact"`);
  return value;
}
