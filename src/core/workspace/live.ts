// Files a running training is writing, read as they grow: DVCLive step series in the
// workspace, an MLflow/W&B run's metric files, and whether a run looks live. These read the
// folder directly (the index lags behind a training), so they take the folder's root.

export { LiveSeriesTracker, type SeriesDelta, type TrackerPoll } from '../live/liveSeriesTracker';
export { liveSignal, type LiveSignal, type LiveQuery } from '../live/liveSignal';
export { followRun, type RunFollower, type RunPoll, type RunTarget } from '../live/runFollower';
/** A DVCLive training running in the workspace right now (its pid and step), if any. */
export { liveRunIn, type LiveRun } from '../query/liveRun';
