// Messages between the Pipeline DAG webview and its host. Imported by both builds, so types
// only. The host lays the graph out (src/extension/repro/dagLayout.ts); the webview draws it.
// Every label and title is file-derived text: the webview sets it with textContent only.

/** 'error': the stage, or its dvc.yaml/dvc.lock, has a problem (cannot be evaluated, or refused). */
export type DagNodeState = 'up-to-date' | 'changed' | 'never-run' | 'frozen' | 'running' | 'failed' | 'broken' | 'error';

export interface DagNodeView {
  /** 'stage:<address>' or 'file:<path>'. */
  id: string;
  kind: 'stage' | 'file';
  /** Text on the node, already shortened to fit `width`. */
  label: string;
  /** Second line of a stage node: its state in words. */
  detail?: string;
  /** Hover text (full names, command, why changed). */
  title: string;
  state?: DagNodeState;
  /** Stage address (stage nodes): what `reveal` and `reproduce` send back. */
  address?: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DagEdgeView {
  from: string;
  to: string;
  /** Polyline from the source's bottom to the target's top; drawn as a smooth curve. */
  points: { x: number; y: number }[];
}

export interface DagGraph {
  /** The workspace folder's name. */
  folder: string;
  width: number;
  height: number;
  nodes: DagNodeView[];
  edges: DagEdgeView[];
  /** "6 stages: 4 up to date, 2 changed". */
  summary: string;
  /** Problems of the pipelines, one line each (`file:line:column: message`); a click sends `openProblem` with the index. */
  problems: string[];
  /** Reproducing needs a trusted workspace: the webview hides its run buttons without it. */
  canRun: boolean;
}

/** A stage's state changed but the graph did not: no re-layout. */
export interface DagStateUpdate {
  id: string;
  state: DagNodeState;
  detail: string;
  title: string;
}

/** Host -> webview. */
export type HostMessage =
  /** The whole graph; after every `ready` and whenever stages, files or edges change. */
  | { type: 'graph'; graph: DagGraph }
  /** Only states (a run started or ended, a dep was saved). */
  | { type: 'states'; updates: DagStateUpdate[]; summary: string; problems: string[] }
  | { type: 'error'; message: string };

/** Webview -> host. */
export type WebviewMessage =
  | { type: 'ready' }
  /** Open the stage's dvc.yaml at its line. */
  | { type: 'reveal'; address: string }
  | { type: 'reproduce'; address: string }
  /** Open the file of `problems[index]` at its line and column. */
  | { type: 'openProblem'; index: number };

/** What the webview keeps across hide/show (vscode.setState). */
export interface PersistedState {
  version: 1;
  zoom: number;
}
