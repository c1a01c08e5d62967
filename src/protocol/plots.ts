// Messages between the Plots webview and its host. Imported by both builds: types only.

export interface PlotRevision {
  /** As given (workspace, HEAD, a branch, an experiment ref). */
  rev: string;
  /** Display name. */
  label: string;
  /** Full sha or "workspace". */
  sha: string;
  subject?: string;
}

/** How the webview draws a plot, from its DVC template. */
export type PlotKind = 'line' | 'scatter' | 'bar' | 'confusion' | 'image';

export type Cell = string | number | boolean | null;

export interface PlotSeriesView {
  /** Revision label; series of one revision share a color. */
  revision: string;
  file: string;
  field: string;
  xField: string;
  points: { x: Cell; y: Cell }[];
}

export interface ConfusionView {
  revision: string;
  file: string;
  xLabels: string[];
  yLabels: string[];
  /** counts[y][x]. */
  counts: number[][];
  total: number;
}

export interface ImageView {
  revision: string;
  path: string;
  /** A data: URI; absent when the image could not be read (see problem). */
  src?: string;
  problem?: string;
}

export interface PlotView {
  /** Stable across loads: project and DVC id. */
  id: string;
  /** DVC's id (a path or a definition name). */
  name: string;
  title: string;
  template: string;
  kind: PlotKind;
  /** Template `smooth`: the webview offers a smoothing slider. */
  smooth: boolean;
  /** Template `confusion_normalized`. */
  normalized: boolean;
  xLabel: string;
  yLabel: string;
  series: PlotSeriesView[];
  matrices: ConfusionView[];
  images: ImageView[];
  problems: string[];
}

export interface PlotsState {
  revisions: PlotRevision[];
  plots: PlotView[];
  problems: string[];
}

/** Host -> webview. */
export type HostMessage =
  | { type: 'init'; state: PlotsState }
  | { type: 'delta'; upserts: PlotView[]; removed: string[]; order: string[]; revisions: PlotRevision[]; problems: string[] }
  | { type: 'loading'; revisions: string[] }
  | { type: 'error'; revisions: string[]; message: string }
  | { type: 'exported'; file: string };

/** Webview -> host. */
export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'pickRevisions' }
  | { type: 'export'; format: 'png' | 'csv'; name: string; data: string }
  | { type: 'rendered'; plots: RenderedPlot[]; ms: number };

export interface RenderedPlot {
  id: string;
  kind: PlotKind;
  /** Points per dataset label (line/scatter/bar), cells per matrix (confusion), images shown. */
  points: Record<string, number>;
}

/** What the webview keeps with setState, read back by the serializer after a reload. */
export interface PlotsPersisted {
  version: 1;
  revisions?: string[];
  smoothing?: number;
}
