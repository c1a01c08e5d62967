// Follows the MLflow/W&B runs a Metric History panel shows while the index says they run: a
// watcher on each run's folder wakes it (events coalesced for 100 ms) and a 500 ms poll backs
// the watcher up; each wake reads only what the training appended (core/live/runFollower) and
// hands on the new points. A run that ends is read one last time and no longer polled.
import * as vscode from 'vscode';
import { followRun, type RunFollower, type SeriesDelta } from '../../core/workspace/live';
import type { RunProblem } from '../../core/runs/types';
import type { HistoryState, RunShown } from '../../protocol/metricHistory';
import { LIVE_DEBOUNCE_MS, LIVE_POLL_MS } from './liveFeed';
import { withFollowedSeries } from './runSeriesSource';

export interface RunLiveUpdate {
  run: RunShown;
  deltas: SeriesDelta[];
  problems: RunProblem[];
}

const MAX_PROBLEMS = 20;

interface Followed {
  run: RunShown;
  follower: RunFollower;
  finished: boolean;
  watcher?: vscode.Disposable;
}

export class RunLiveFeed implements vscode.Disposable {
  private readonly followed = new Map<string, Followed>();
  private debounce: NodeJS.Timeout | undefined;
  private poller: NodeJS.Timeout | undefined;
  /** The poll under way, if any; loads wait for it and polls wait for loads (see withRuns). */
  private ticking: Promise<void> | undefined;
  private loads = 0;
  /** Read problems (each found once), kept so that later loads still list them; newest last, bounded. */
  private readonly recent: string[] = [];
  private disposed = false;

  constructor(
    private readonly folder: vscode.Uri,
    private readonly onUpdate: (updates: RunLiveUpdate[]) => void,
  ) {}

  /** Whether a followed run is still running. */
  get live(): boolean {
    return [...this.followed.values()].some((f) => !f.finished);
  }

  /** Labels of the runs being followed now. */
  get running(): string[] {
    return [...this.followed.values()].filter((f) => !f.finished).map((f) => f.run.label);
  }

  get dirs(): string[] {
    return [...this.followed.values()].filter((f) => !f.finished).map((f) => f.follower.dir);
  }

  /**
   * Follows the state's runs that the index says are running (others are let go), reads them
   * now and returns the state with their series as the files hold them.
   */
  async withRuns(state: HistoryState): Promise<HistoryState> {
    // The state a load returns must hold every point handed on before it and none after: a
    // poll under way finishes (and is applied to the old state) first, and none starts until
    // the load is done. Timers are macrotasks, so none fires between this returning and the
    // panel taking the state.
    this.loads++;
    try {
      await this.ticking;
      return await this.readRuns(state);
    } finally {
      this.loads--;
    }
  }

  private async readRuns(state: HistoryState): Promise<HistoryState> {
    const shown = (state.runs ?? []).filter((r) => r.status === 'running');
    for (const [rev, f] of this.followed) if (!shown.some((r) => r.rev === rev)) this.drop(rev, f);
    const problems: string[] = [];
    for (const run of shown) {
      if (this.disposed) break;
      let f = this.followed.get(run.rev);
      if (!f) {
        const follower = followRun(this.folder.fsPath, run);
        if (typeof follower === 'string') {
          problems.push(`${run.label}: ${follower}`);
          continue;
        }
        this.followed.set(run.rev, (f = { run, follower, finished: false }));
      }
      f.run = run;
      try {
        const poll = await f.follower.poll();
        f.finished ||= poll.finished;
        this.remember(poll.problems.map((p) => problemText(run, p)));
      } catch (error) {
        this.remember([`${run.label}: ${(error as Error).message}`]);
      }
    }
    problems.push(...this.recent);
    let next: HistoryState = { ...state, runs: state.runs?.map((r) => ({ ...r, live: this.followed.get(r.rev)?.finished === false })) };
    for (const [rev, f] of this.followed) next = withFollowedSeries(next, rev, f.follower.series());
    if (problems.length) next.problems = [...new Set([...next.problems, ...problems])];
    this.arm();
    return next;
  }

  private remember(problems: string[]): void {
    this.recent.push(...problems);
    this.recent.splice(0, Math.max(0, this.recent.length - MAX_PROBLEMS));
  }

  dispose(): void {
    this.disposed = true;
    for (const [rev, f] of this.followed) this.drop(rev, f);
    clearTimeout(this.debounce);
    this.arm();
  }

  private drop(rev: string, f: Followed): void {
    f.watcher?.dispose();
    this.followed.delete(rev);
  }

  /** Watchers for the running runs, and the poll while any runs. */
  private arm(): void {
    for (const f of this.followed.values()) {
      if (f.finished || this.disposed) {
        f.watcher?.dispose();
        f.watcher = undefined;
      } else if (!f.watcher) {
        const w = vscode.workspace.createFileSystemWatcher(
          new vscode.RelativePattern(vscode.Uri.joinPath(this.folder, f.follower.dir), '**'),
        );
        const wake = () => this.schedule();
        f.watcher = vscode.Disposable.from(w, w.onDidCreate(wake), w.onDidChange(wake), w.onDidDelete(wake));
      }
    }
    const live = this.live && !this.disposed;
    if (live && !this.poller) this.poller = setInterval(() => this.tick(), LIVE_POLL_MS);
    if (!live && this.poller) {
      clearInterval(this.poller);
      this.poller = undefined;
    }
  }

  private schedule(): void {
    if (this.debounce || this.disposed) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.tick();
    }, LIVE_DEBOUNCE_MS);
  }

  private tick(): void {
    if (this.ticking || this.loads || this.disposed) return;
    // The panel's handler does not throw; should it, the next poll still runs.
    this.ticking = this.pollAll()
      .catch(() => undefined)
      .finally(() => (this.ticking = undefined));
  }

  private async pollAll(): Promise<void> {
    const updates: RunLiveUpdate[] = [];
    for (const f of [...this.followed.values()].filter((x) => !x.finished)) {
      try {
        const poll = await f.follower.poll();
        f.finished ||= poll.finished;
        if (poll.deltas.length || poll.problems.length || poll.finished)
          updates.push({ run: { ...f.run, live: !f.finished }, deltas: poll.deltas, problems: poll.problems });
      } catch (error) {
        // One run that cannot be read must not stop the others.
        updates.push({ run: f.run, deltas: [], problems: [{ file: f.follower.dir, message: (error as Error).message }] });
      }
    }
    if (this.disposed) return;
    for (const u of updates) this.remember(u.problems.map((p) => problemText(u.run, p)));
    this.arm();
    if (updates.length) this.onUpdate(updates);
  }
}

export function problemText(run: RunShown, p: RunProblem): string {
  return `${run.label}: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`;
}
