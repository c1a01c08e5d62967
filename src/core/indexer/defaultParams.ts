// A constant readers of the index need without the planner (and the pipeline renderer and
// parsers it imports): a query importing it from here stays light to load.

/** The repository root's params.yaml: dvc/repo/params/show.py adds it as a wholly tracked file. */
export const DEFAULT_PARAMS_FILE = 'params.yaml';
