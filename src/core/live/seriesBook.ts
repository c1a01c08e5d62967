// The step series of a followed run, kept in step order (then time), and what each batch of
// new points does to them: points that come after the last ones are appended; a point that goes
// before them (a resumed run, a step logged late) makes the whole series resent, sorted, since
// a line chart cannot take a point in the middle by appending.
import type { MetricPoint } from '../runs/types';
import type { SeriesDelta } from './liveSeriesTracker';

interface Entry {
  file: string;
  points: MetricPoint[];
}

export function comparePoints(a: MetricPoint, b: MetricPoint): number {
  return a.step - b.step || (a.timestamp ?? 0) - (b.timestamp ?? 0);
}

function inOrder(points: MetricPoint[], after?: MetricPoint): boolean {
  let prev = after;
  for (const p of points) {
    if (prev && comparePoints(prev, p) > 0) return false;
    prev = p;
  }
  return true;
}

export class SeriesBook {
  private readonly entries = new Map<string, Entry>();

  /** New points of `key` (in the order they were logged); undefined when there are none. */
  add(key: string, file: string, points: MetricPoint[]): SeriesDelta | undefined {
    const entry = this.entries.get(key);
    if (!entry) return this.replace(key, file, points, false);
    if (points.length === 0) return undefined;
    const last = entry.points[entry.points.length - 1];
    entry.file = file;
    if (inOrder(points, last)) {
      entry.points.push(...points);
      return { key, file, points: [...points], reset: false };
    }
    // Array.prototype.sort is stable: points of one step keep the order they were logged in.
    entry.points = [...entry.points, ...points].sort(comparePoints);
    return { key, file, points: [...entry.points], reset: true };
  }

  /** The whole series as it is now (a file read anew). */
  replace(key: string, file: string, points: MetricPoint[], reset = true): SeriesDelta | undefined {
    const sorted = inOrder(points) ? [...points] : [...points].sort(comparePoints);
    this.entries.set(key, { file, points: sorted });
    if (!reset && sorted.length === 0) return undefined;
    return { key, file, points: [...sorted], reset };
  }

  remove(key: string): SeriesDelta | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    return { key, file: entry.file, points: [], reset: true, gone: true };
  }

  clear(): SeriesDelta[] {
    return [...this.entries.keys()].map((key) => this.remove(key)!);
  }

  /** Every series as read so far, by key in key order. */
  series(): Map<string, MetricPoint[]> {
    return new Map([...this.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, e]) => [key, [...e.points]]));
  }
}
