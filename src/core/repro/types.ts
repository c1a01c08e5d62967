// Shared types of the repro engine (stage status, hashing, reproduction). Kept in one small
// file so the hashing, status, runner and editor parts agree on one contract.

/** 'md5' = DVC 3 (`hash: md5` in dvc.lock); 'md5-dos2unix' = DVC 2 (no `hash` field). */
export type HashKind = 'md5' | 'md5-dos2unix';

/** What DVC records for a dep or out: a file, or a directory when md5 ends with '.dir'. */
export interface PathHash {
  md5: string;
  /** Bytes; for a directory the sum of its files. */
  size: number;
  /** Directories only. */
  nfiles?: number;
  /** Files only, and only when the file is executable. */
  isexec?: boolean;
}

/** A dep or out as dvc.lock records it after hashing. */
export interface LockedPath {
  path: string;
  hash: PathHash;
  kind: HashKind;
}
export interface LockEntryInput {
  cmd: string | string[];
  deps: LockedPath[];
  params: Record<string, Record<string, unknown>>;
  outs: LockedPath[];
}

/** One file of a directory listing, as DVC stores it in the `.dir` object. */
export interface DirEntry {
  relpath: string;
  md5: string;
  size: number;
  isexec: boolean;
}

/** A stage across all dvc.yaml files of a repository. */
export interface StageRef {
  /** dvc.yaml folder relative to the repository root, '' for the root. */
  project: string;
  /** Stage name as in dvc.lock (generated names included: 'train@0'). */
  name: string;
}

/** DVC's addressing: 'train' for the root dvc.yaml, 'sub/dvc.yaml:train' elsewhere. */
export function stageAddress(ref: StageRef): string {
  return ref.project === '' ? ref.name : `${ref.project}/dvc.yaml:${ref.name}`;
}

export type EntryChange = 'modified' | 'deleted' | 'new' | 'not in cache';
export type ParamChange = 'modified' | 'deleted' | 'new';

/** Why one stage is out of date, in the shape of one `dvc status --json` entry. */
export interface StageChanges {
  /** path -> change for files; params file path -> {key -> change}. */
  deps: Record<string, EntryChange | Record<string, ParamChange>>;
  outs: Record<string, EntryChange>;
  changedCommand: boolean;
  alwaysChanged: boolean;
  /** No entry in dvc.lock yet. */
  neverRun: boolean;
}

export interface StageStatus extends StageRef {
  address: string;
  /** Repository-relative file that defines the stage: its dvc.yaml, or the `.dvc` data file. */
  file: string;
  upToDate: boolean;
  frozen: boolean;
  changes: StageChanges;
  /** Rendered cmd as it would run. */
  cmd: string | string[];
  wdir: string;
  /** 1-based line of the stage in its dvc.yaml, for CodeLens and diagnostics. */
  line?: number;
  /** Project-relative paths (with wdir applied). */
  deps: string[];
  outs: string[];
}

/**
 * A problem that stops status or repro for a project or a stage, with where it is. 'refused'
 * = the pipeline is readable but breaks the ownership rule (see ownership.ts); 'invalid' =
 * it cannot be evaluated at all (parse, schema, templating, dvc.lock, params); 'unknown-target'
 * = a stage named on the command line does not exist.
 */
export interface ReproProblem {
  file: string;
  line?: number;
  column?: number;
  stage?: string;
  message: string;
  kind?: 'refused' | 'invalid' | 'unknown-target';
}

/** One line for a person: `dvc.yaml:3:5: stage 'train': message`. */
export function formatProblem(p: ReproProblem): string {
  const where = `${p.file}${p.line ? `:${p.line}${p.column ? `:${p.column}` : ''}` : ''}`;
  const stage = p.stage && !p.message.includes(`'${p.stage}'`) ? `stage '${p.stage}': ` : '';
  return `${where}: ${stage}${p.message}`;
}

export interface ReproOptions {
  /** Stage addresses or names; empty = every stage of every dvc.yaml. */
  targets: string[];
  force?: boolean;
  /** Only the targets, not what they depend on (DVC's --single-item). */
  singleItem?: boolean;
  /** The targets and every stage that depends on them (DVC's --downstream). */
  downstream?: boolean;
  /** Say what would run, run nothing. */
  dry?: boolean;
  signal?: AbortSignal;
}

/** Events of one repro run, in order; the CLI prints them, the editor's Task writes them to its terminal. */
export type ReproEvent =
  | { type: 'plan'; stages: string[] }
  | { type: 'skip'; stage: string; reason: string }
  /** A stage about to run, and why (from its status, or 'forced'). */
  | { type: 'stage'; stage: string; reasons: string[] }
  | { type: 'start'; stage: string; cmd: string; cwd: string }
  | { type: 'output'; stage: string; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'done'; stage: string; exitCode: number; ms: number }
  | { type: 'locked'; stage: string; lockFile: string }
  | { type: 'failed'; stage: string; exitCode: number | null; message: string }
  | { type: 'cancelled'; stage: string }
  /** Something the user should know that did not stop the run (a stale lock taken over). */
  | { type: 'warning'; message: string };

export interface ReproResult {
  ok: boolean;
  ran: string[];
  skipped: string[];
  failed?: { stage: string; exitCode: number | null; message: string };
  cancelled?: boolean;
}
