// Follows an MLflow or W&B run while it runs, without re-indexing: each poll reads only what
// the training appended (an MLflow file-store run's metric files through LiveSeriesTracker, a
// W&B run's .wandb log through WandbLogReader from where the last poll stopped) and says which
// series gained points and whether the run has ended (meta.yaml's status, the log's exit
// record). Runs in an MLflow database or on a server have no files to tail: not followed.
import { readdirSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { ExternalRun, MetricPoint, RunProblem } from '../runs/types';
import { RUNNING_WINDOW_MS } from '../wandb/wandbExternalRun';
import { WandbLogError, WandbLogReader } from '../wandb/wandbLogReader';
import { WandbRunState } from '../wandb/wandbRunState';
import { LiveSeriesTracker, type SeriesDelta } from './liveSeriesTracker';
import { mlflowRunStatus } from './liveSignal';
import { SeriesBook } from './seriesBook';

export type RunTarget = Pick<ExternalRun, 'source' | 'id' | 'location' | 'experimentId'>;

export interface RunPoll {
  deltas: SeriesDelta[];
  /** What could not be read in this poll (each damage is reported once). */
  problems: RunProblem[];
  /** The run has ended (or its files are gone): later polls find nothing new. */
  finished: boolean;
}

export interface RunFollower {
  /** Repo-relative folder the run writes into (to watch). */
  readonly dir: string;
  /** Reads what is new; polls never overlap (a second call waits for the first). */
  poll(): Promise<RunPoll>;
  /** Every series read so far, by key, in step order. */
  series(): Map<string, MetricPoint[]>;
}

export interface FollowOptions {
  /** "Now" in ms, for the W&B rule that a silent log without an exit record belongs to a dead run. */
  now?: () => number;
}

/** MLflow's RunStatus numbers in a file-store meta.yaml: FINISHED, FAILED, KILLED. */
const ENDED = new Set([3, 4, 5]);
const ID = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const MAX_VALUE_PROBLEMS = 20;

/** A follower for the run, or why it cannot be followed (a sentence). */
export function followRun(root: string, run: RunTarget, options: FollowOptions = {}): RunFollower | string {
  const location = run.location.replace(/\\/g, '/').replace(/\/+$/, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location))
    return `${location}: runs on a tracking server are not followed live; refresh the index to see new points.`;
  if (!inside(root, location)) return `${location}: outside the workspace.`;
  if (run.source === 'wandb') {
    const log = wandbLog(root, location);
    return log ? new WandbFollower(root, location, log, options.now ?? Date.now) : `${location}: no .wandb log to follow.`;
  }
  if (!isDirectory(join(root, location)))
    return `${location}: runs in an MLflow database are not followed live; refresh the index to see new points.`;
  const dir = mlflowRunDir(root, location, run);
  return dir ? new MlflowFollower(root, dir) : `${location}: no folder for MLflow run ${run.id}.`;
}

/** Runs poll() bodies one after the other, so two callers never read the same bytes twice. */
abstract class SerialFollower implements RunFollower {
  private queue: Promise<unknown> = Promise.resolve();
  protected readonly book = new SeriesBook();
  abstract readonly dir: string;

  poll(): Promise<RunPoll> {
    const next = this.queue.then(() => this.read());
    this.queue = next.catch(() => undefined);
    return next;
  }

  series(): Map<string, MetricPoint[]> {
    return this.book.series();
  }

  protected abstract read(): Promise<RunPoll>;
}

class MlflowFollower extends SerialFollower {
  private readonly tracker: LiveSeriesTracker;

  constructor(
    private readonly root: string,
    readonly dir: string,
  ) {
    super();
    this.tracker = LiveSeriesTracker.mlflowRun(root, dir);
  }

  protected async read(): Promise<RunPoll> {
    // Status first: MLflow writes the last metrics before it ends the run, so a poll that sees
    // the end also reads them.
    const status = mlflowRunStatus(this.root, this.dir);
    const gone = status === undefined && !isDirectory(join(this.root, this.dir));
    const poll = this.tracker.poll();
    const deltas: SeriesDelta[] = [];
    for (const d of poll.deltas) {
      const delta = d.gone
        ? this.book.remove(d.key)
        : d.reset
          ? this.book.replace(d.key, d.file, d.points)
          : this.book.add(d.key, d.file, d.points);
      if (delta) deltas.push(delta);
    }
    return { deltas, problems: poll.problems, finished: gone || (status !== undefined && ENDED.has(status)) };
  }
}

class WandbFollower extends SerialFollower {
  private reader: WandbLogReader;
  private state = new WandbRunState();
  /** Points of each key already handed on (WandbRunState keeps them in arrival order). */
  private readonly taken = new Map<string, number>();
  private valueProblems = 0;
  private identity: string | undefined;
  private readonly file: string;

  constructor(
    private readonly root: string,
    readonly dir: string,
    log: string,
    private readonly now: () => number,
  ) {
    super();
    this.file = `${dir}/${log}`;
    this.reader = new WandbLogReader(join(root, this.file));
  }

  protected async read(): Promise<RunPoll> {
    const path = join(this.root, this.file);
    let info;
    try {
      info = await stat(path);
    } catch {
      return { deltas: this.book.clear(), problems: [{ file: this.file, message: 'The run log is gone.' }], finished: true };
    }
    const identity = `${info.dev}:${info.ino}`;
    const restart = (this.identity !== undefined && identity !== this.identity) || info.size < this.reader.offset;
    this.identity = identity;
    if (restart) {
      // Another log in its place: read it from the start.
      this.reader = new WandbLogReader(path);
      this.state = new WandbRunState();
      this.taken.clear();
      this.valueProblems = 0;
    }
    const problems: RunProblem[] = [];
    try {
      const result = await this.reader.read((record) => this.state.apply(record));
      for (const p of result.problems) problems.push({ file: this.file, message: p.message });
    } catch (error) {
      const message = error instanceof WandbLogError ? error.message.slice(path.length + 2) : (error as Error).message;
      return { deltas: [], problems: [{ file: this.file, message }], finished: true };
    }
    for (const p of this.state.valueProblems.slice(this.valueProblems, MAX_VALUE_PROBLEMS))
      problems.push({ file: this.file, message: `record ${p.num}, key "${p.key}": unreadable value (${p.message}); skipped` });
    this.valueProblems = this.state.valueProblems.length;
    const deltas: SeriesDelta[] = [];
    for (const [key, points] of this.state.series) {
      const from = this.taken.get(key) ?? 0;
      this.taken.set(key, points.length);
      const delta = restart
        ? this.book.replace(key, this.file, points)
        : points.length > from
          ? this.book.add(key, this.file, points.slice(from))
          : undefined;
      if (delta) deltas.push(delta);
    }
    if (restart) for (const key of this.book.series().keys()) if (!this.state.series.has(key)) deltas.push(this.book.remove(key)!);
    const silent = this.now() - info.mtimeMs > RUNNING_WINDOW_MS;
    return { deltas, problems, finished: this.state.exit !== null || silent };
  }
}

/** `<store>/<experiment>/<run>`, the experiment folder found by listing when it is not named by its id. */
function mlflowRunDir(root: string, store: string, run: RunTarget): string | undefined {
  if (!ID.test(run.id)) return undefined;
  const experiments = run.experimentId && ID.test(run.experimentId) ? [run.experimentId] : [];
  try {
    experiments.push(
      ...readdirSync(join(root, store), { withFileTypes: true })
        .filter((e) => e.isDirectory() && ID.test(e.name))
        .map((e) => e.name),
    );
  } catch {
    return undefined;
  }
  const exp = experiments.find((e) => isDirectory(join(root, store, e, run.id)));
  return exp === undefined ? undefined : `${store}/${exp}/${run.id}`;
}

/** The run folder's log: `run-<id>.wandb` as wandb names it, else the first .wandb there. */
function wandbLog(root: string, folder: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(join(root, folder), { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.wandb'))
      .map((e) => e.name)
      .sort();
  } catch {
    return undefined;
  }
  const id = /-([^-/]+)$/.exec(folder)?.[1];
  return names.find((n) => n === `run-${id}.wandb`) ?? names[0];
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function inside(root: string, rel: string): boolean {
  const back = relative(resolve(root), resolve(root, rel));
  return rel !== '' && !back.startsWith('..') && !isAbsolute(back);
}
