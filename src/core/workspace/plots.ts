// What the Plots panel shows: a revision's dvc.yaml plots with their tables as the index holds
// them, images read from Git or disk, and the series and matrices a chart draws from them.

import { plotsAt, readPlotImage, type ImageRead, type PlotDefinition, type PlotFile, type RevisionPlots } from '../query/plots';
import type { Workspace } from './workspace';
import { storeOf } from './internal';
import type { Revision } from './revision';

export type { ImageRead, PlotDefinition, PlotFile, RevisionPlots };
/** From a plot definition and its tables to what a chart draws (DVC's flat datapoints, confusion matrices). */
export { confusionMatrix, flattenPlot, sortLabels, type ConfusionMatrix, type FlatPlot } from '../query/plotSeries';

/** The plots of a revision: definitions (directories expanded) and files. */
export function plotsOf(ws: Workspace, revision: Revision | string): RevisionPlots {
  return plotsAt(storeOf(ws), typeof revision === 'string' ? revision : revision.id);
}

/** An image plot's bytes (from Git at its object id, or from disk for the workspace), or why not. */
export function plotImage(ws: Workspace, file: PlotFile): Promise<ImageRead> {
  return readPlotImage(ws.repo, file);
}
