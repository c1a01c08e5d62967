// Follows the workspace's DVCLive folders for an open Metric History panel: a file-system
// watcher wakes it (events coalesced for 100 ms), and a poll backs the watcher up (watchers can
// coalesce or drop events): every 500 ms while a run is live, every 2 s otherwise so a run
// that starts unseen is still found. Each wake tail-reads the series files and hands on only
// what changed; nothing is re-indexed.
import * as vscode from 'vscode';
import { LiveSeriesTracker, liveSignal, type LiveSignal, type SeriesDelta } from '../../core/workspace/live';
import type { RunProblem } from '../../core/runs/types';
import type { TrackedSeries } from './liveSteps';

export interface LiveUpdate {
  deltas: SeriesDelta[];
  problems: RunProblem[];
  signal: LiveSignal;
}

export const LIVE_DEBOUNCE_MS = 100;
export const LIVE_POLL_MS = 500;
export const IDLE_POLL_MS = 2000;
const MAX_PROBLEMS = 20;

export class LiveFeed implements vscode.Disposable {
  private readonly trackers = new Map<string, LiveSeriesTracker>();
  private watchers: vscode.Disposable[] = [];
  private debounce: NodeJS.Timeout | undefined;
  private poller: { timer: NodeJS.Timeout; ms: number } | undefined;
  private signal: LiveSignal = { live: false };
  private lastWrite: number | undefined;
  private readonly recentProblems: string[] = [];
  private disposed = false;

  constructor(
    private readonly folder: vscode.Uri,
    private readonly onUpdate: (update: LiveUpdate) => void,
  ) {}

  get dirs(): string[] {
    return [...this.trackers.keys()];
  }

  get live(): LiveSignal {
    return this.signal;
  }

  /** Problems met while reading (newest last, bounded), as the panel lists them. */
  get problems(): string[] {
    return [...this.recentProblems];
  }

  /** Follows these folders (repo-relative) from now on; a folder already followed keeps what it read. */
  follow(dirs: string[]): void {
    if (this.disposed) return;
    for (const dir of [...this.trackers.keys()]) if (!dirs.includes(dir)) this.trackers.delete(dir);
    for (const dir of dirs) if (!this.trackers.has(dir)) this.trackers.set(dir, LiveSeriesTracker.dvcLive(this.folder.fsPath, dir));
    if (this.watchers.length === 0 && this.trackers.size) this.watch();
    this.setPolling(this.signal.live);
  }

  /**
   * Reads every followed folder now and returns all series as they are; the deltas of this
   * read are not handed on (whoever asked shows the whole series).
   */
  readAll(): { dir: string; series: TrackedSeries[] }[] {
    this.pollTrackers();
    this.setPolling(this.signal.live);
    return [...this.trackers].map(([dir, t]) => ({
      dir,
      series: [...t.series()].map(([key, s]) => ({ key, file: s.file, points: s.points })),
    }));
  }

  /** Stops following (the panel no longer shows the workspace's series). */
  stop(): void {
    this.trackers.clear();
    for (const w of this.watchers.splice(0)) w.dispose();
    clearTimeout(this.debounce);
    this.debounce = undefined;
    this.signal = { live: false };
    this.stopPolling();
  }

  dispose(): void {
    this.stop();
    this.disposed = true;
  }

  private watch(): void {
    const wake = () => this.schedule();
    for (const glob of ['**/plots/metrics/**', '.dvc/tmp/exps/run/*']) {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(this.folder, glob));
      this.watchers.push(w, w.onDidCreate(wake), w.onDidChange(wake), w.onDidDelete(wake));
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.debounce || this.disposed || !this.trackers.size) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.tick();
    }, LIVE_DEBOUNCE_MS);
  }

  private tick(): void {
    if (this.disposed || !this.trackers.size) return;
    const update = this.pollTrackers();
    this.setPolling(update.signal.live);
    this.onUpdate(update);
  }

  private pollTrackers(): LiveUpdate {
    const deltas: SeriesDelta[] = [];
    const problems: RunProblem[] = [];
    for (const tracker of this.trackers.values()) {
      try {
        const poll = tracker.poll();
        deltas.push(...poll.deltas);
        problems.push(...poll.problems);
        if (poll.lastWriteMs !== undefined && (this.lastWrite === undefined || poll.lastWriteMs > this.lastWrite))
          this.lastWrite = poll.lastWriteMs;
      } catch (error) {
        // A folder that cannot be read (permissions, a race with a deletion) must not stop the others.
        problems.push({ file: this.folder.fsPath, message: (error as Error).message });
      }
    }
    for (const p of problems) this.recentProblems.push(`${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    this.recentProblems.splice(0, Math.max(0, this.recentProblems.length - MAX_PROBLEMS));
    this.signal = liveSignal({ root: this.folder.fsPath, lastWriteMs: this.lastWrite });
    return { deltas, problems, signal: this.signal };
  }

  private setPolling(live: boolean): void {
    const ms = live ? LIVE_POLL_MS : IDLE_POLL_MS;
    if (this.disposed || !this.trackers.size || this.poller?.ms === ms) return;
    this.stopPolling();
    this.poller = { timer: setInterval(() => this.tick(), ms), ms };
  }

  private stopPolling(): void {
    if (this.poller) clearInterval(this.poller.timer);
    this.poller = undefined;
  }
}
