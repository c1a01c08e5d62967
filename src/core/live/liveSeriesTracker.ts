// The step series of a run being written, kept up to date by tail reading: each poll lists the
// series files (new ones appear as a training logs new metrics), reads only what was appended
// and says what changed per series. Two layouts: a DVCLive folder (`plots/metrics/**.tsv`,
// keyed as the indexer keys them) and an MLflow file-store run (`metrics/<key>`).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { stepSeriesName } from '../formats/stepSeries';
import type { MetricPoint, RunProblem } from '../runs/types';
import { mlflowMetricPoint, tsvColumns, tsvPoint, type TsvColumns } from './seriesLines';
import { readNewLines, TAIL_START, type TailCursor } from './tailReader';

/** What one series gained since the last poll. */
export interface SeriesDelta {
  key: string;
  /** Repo-relative path of the series file ('/' separators). */
  file: string;
  /** New points, or with `reset` the whole series as it is now. */
  points: MetricPoint[];
  /** Replace what was there (the file was rewritten, or is gone). */
  reset: boolean;
  /** The file was deleted: the series is no more. */
  gone?: boolean;
}

export interface TrackerPoll {
  deltas: SeriesDelta[];
  /** Lines refused in this poll (each is reported once). */
  problems: RunProblem[];
  /** Newest modification time of a series file seen so far (ms), for "is it still writing". */
  lastWriteMs: number | undefined;
}

interface SeriesFile {
  file: string;
  key: string;
}

interface Layout {
  /** Series files present now, repo-relative. */
  list(): SeriesFile[];
  /** The header sets up the file (DVCLive); MLflow files have none. */
  header?(line: string, key: string): TsvColumns | string;
  point(line: string, columns: TsvColumns | undefined): MetricPoint | string;
}

interface Tracked extends SeriesFile {
  cursor: TailCursor;
  columns?: TsvColumns | string;
  points: MetricPoint[];
}

export class LiveSeriesTracker {
  private readonly files = new Map<string, Tracked>();
  private lastWrite: number | undefined;

  /** DVCLive's folder `liveDir` (repo-relative, e.g. 'dvclive'); keys like 'train/acc'. */
  static dvcLive(root: string, liveDir: string): LiveSeriesTracker {
    const dir = liveDir.replace(/\\/g, '/').replace(/\/+$/, '');
    const base = dir === '' || dir === '.' ? 'plots/metrics' : `${dir}/plots/metrics`;
    return new LiveSeriesTracker(root, {
      list: () =>
        listFiles(root, base)
          .filter((f) => /\.tsv$/i.test(f))
          .flatMap((file) => {
            const key = stepSeriesName(dir, file);
            return key === undefined ? [] : [{ file, key }];
          }),
      header: tsvColumns,
      point: (line, columns) => tsvPoint(line, columns!),
    });
  }

  /** An MLflow file-store run folder (`mlruns/<experiment>/<run>`); keys are metric keys ('val/loss'). */
  static mlflowRun(root: string, runDir: string): LiveSeriesTracker {
    const base = `${runDir.replace(/\\/g, '/').replace(/\/+$/, '')}/metrics`;
    return new LiveSeriesTracker(root, {
      list: () => listFiles(root, base).map((file) => ({ file, key: file.slice(base.length + 1) })),
      point: (line) => mlflowMetricPoint(line),
    });
  }

  private constructor(
    private readonly root: string,
    private readonly layout: Layout,
  ) {}

  /** Reads what was appended (or rewritten) since the last poll. */
  poll(): TrackerPoll {
    const deltas: SeriesDelta[] = [];
    const problems: RunProblem[] = [];
    const present = new Map(this.layout.list().map((f) => [f.file, f]));
    for (const [file, tracked] of this.files) {
      if (present.has(file)) continue;
      this.files.delete(file);
      deltas.push({ key: tracked.key, file, points: [], reset: true, gone: true });
    }
    for (const found of [...present.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) {
      const delta = this.read(found, problems);
      if (delta) deltas.push(delta);
    }
    return { deltas, problems, lastWriteMs: this.lastWrite };
  }

  /** Every series as read so far, by key (points in file order). */
  series(): Map<string, { file: string; points: MetricPoint[] }> {
    return new Map(
      [...this.files.values()].sort((a, b) => (a.file < b.file ? -1 : 1)).map((t) => [t.key, { file: t.file, points: [...t.points] }]),
    );
  }

  private read(found: SeriesFile, problems: RunProblem[]): SeriesDelta | undefined {
    let tracked = this.files.get(found.file);
    const isNew = !tracked;
    if (!tracked) this.files.set(found.file, (tracked = { ...found, cursor: TAIL_START, points: [] }));
    let reset = false;
    const added: MetricPoint[] = [];
    for (let more = true; more;) {
      const read = readNewLines(join(this.root, found.file), tracked.cursor);
      more = read.more;
      if (read.missing) {
        // Gone between listing and reading: the next poll reports it.
        this.files.delete(found.file);
        return isNew ? undefined : { key: found.key, file: found.file, points: [], reset: true, gone: true };
      }
      if (read.mtimeMs !== undefined && (this.lastWrite === undefined || read.mtimeMs > this.lastWrite)) this.lastWrite = read.mtimeMs;
      if (read.reset) {
        reset = true;
        tracked.columns = undefined;
        tracked.points = [];
        added.length = 0;
      }
      tracked.cursor = read.cursor;
      read.lines.forEach((line, i) => {
        const point = this.parse(tracked!, line, read.firstLine + i, problems);
        if (point) added.push(point);
      });
    }
    tracked.points.push(...added);
    if (!reset && added.length === 0) return undefined;
    return { key: found.key, file: found.file, points: reset ? [...tracked.points] : added, reset };
  }

  private parse(tracked: Tracked, line: string, lineNo: number, problems: RunProblem[]): MetricPoint | undefined {
    if (line.trim() === '') return undefined;
    const { header } = this.layout;
    if (header && tracked.columns === undefined) {
      tracked.columns = header(line, tracked.key);
      if (typeof tracked.columns === 'string') problems.push({ file: tracked.file, line: lineNo, message: tracked.columns });
      return undefined;
    }
    if (typeof tracked.columns === 'string') return undefined;
    const point = this.layout.point(line, tracked.columns);
    if (typeof point !== 'string') return point;
    problems.push({ file: tracked.file, line: lineNo, message: `${point} The line was skipped.` });
    return undefined;
  }
}

/** Files under `dir` (repo-relative), recursively; symbolic links are not followed. */
function listFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string, depth: number) => {
    let entries;
    try {
      entries = readdirSync(join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isFile()) out.push(`${rel}/${e.name}`);
      else if (e.isDirectory() && depth < 16) walk(`${rel}/${e.name}`, depth + 1);
    }
  };
  walk(dir, 0);
  return out;
}
