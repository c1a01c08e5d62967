// Messages between the Lineage Card webview and its host. Imported by both builds, so types
// only. The host turns the engine's LineageCard into this display model (sections of plain
// tables); every text in it may come from a file and the webview sets it with textContent.

export type CardQuestion = 'code' | 'data' | 'hyperparameters' | 'metrics' | 'environment';

/** Where a cell's link goes; the host acts only on links it put on the current card. */
export type CardLink =
  /** A repository file as it was at the version's commit (read-only document). */
  | { kind: 'fileAtCommit'; path: string }
  /** A file or folder in the workspace (data files, the model). */
  | { kind: 'workspaceFile'; path: string }
  /** Select the version's commit in the Runs view. */
  | { kind: 'revealCommit' };

export type CellTone = 'better' | 'worse' | 'muted' | 'ok' | 'warn';

export interface CardCell {
  text: string;
  link?: CardLink;
  tone?: CellTone;
  /** Hover text. */
  title?: string;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
}

export interface CardTable {
  caption?: string;
  /** The caption names a file (params, metrics): opens it at the version's commit. */
  captionLink?: CardLink;
  columns: string[];
  rows: CardCell[][];
}

export interface CardSection {
  question: CardQuestion;
  title: string;
  answered: boolean;
  /** For an unanswered question: why, and what to do. */
  missing?: { reason: string; action: string };
  note?: string;
  tables: CardTable[];
}

export interface CardView {
  /** "classifier v1.1.0". */
  title: string;
  /** Short facts under the title: commit, path, type, stages. */
  facts: string[];
  answered: number;
  total: number;
  /** "4 of 5 answered — environment unknown: …". */
  completeness: string;
  sections: CardSection[];
  /** The MLflow model's flavors and signature, when an MLmodel file was found. */
  mlmodel: { title: string; tables: CardTable[] } | null;
  problems: string[];
}

/** Host -> webview. */
export type HostMessage =
  | { type: 'loading'; title: string }
  | { type: 'card'; card: CardView }
  | { type: 'error'; message: string }
  /** The Markdown is on the clipboard. */
  | { type: 'copied' };

/** Webview -> host. */
export type WebviewMessage = { type: 'ready' } | { type: 'copyMarkdown' } | { type: 'open'; link: CardLink };
