// Folds the records of one .wandb log into the state of its run: run info, config, summary,
// metric series, environment and exit. Records can be applied as they arrive, so a live view
// tailing a log (WandbLogReader from an offset) keeps one of these and applies what is new.

import type { DataValue } from '../data/types';
import type { MetricPoint } from '../runs/types';
import type { WandbEnvironment, WandbItem, WandbRecord, WandbRunInfo } from './wandbRecords';

/** A value_json that did not parse: which record and key, and why. */
export interface WandbValueProblem {
  num: number;
  key: string;
  message: string;
}

const MAX_VALUE_PROBLEMS = 20;

function isObject(v: DataValue): v is { [key: string]: DataValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Internal keys (`_step`, `_runtime`, `_timestamp`, `_wandb.*`) are wandb's bookkeeping, not metrics. */
export function isInternalKey(key: string): boolean {
  return key.charCodeAt(0) === 95; // '_'
}

/** Numeric leaves of a history or summary value, nested maps joined with '.'; media (`_type`) and non-numbers are not metrics. */
export function numericLeaves(key: string, value: DataValue, out: (key: string, value: number) => void): void {
  if (typeof value === 'number') out(key, value);
  else if (isObject(value) && !('_type' in value)) for (const k of Object.keys(value)) numericLeaves(`${key}.${k}`, value[k], out);
}

export class WandbRunState {
  run: WandbRunInfo | null = null;
  /** Config by top-level key (or '.'-joined nested key), values as logged. */
  readonly config = new Map<string, DataValue>();
  /** Summary by '.'-joined key, as the last summary records left it. */
  readonly summary = new Map<string, DataValue>();
  readonly series = new Map<string, MetricPoint[]>();
  environment: WandbEnvironment | null = null;
  exit: { exitCode: number; runtime: number } | null = null;
  producer: string | null = null;
  /** Latest `_timestamp` seen (ms), the best "last activity" a log records. */
  lastTimestamp: number | null = null;
  historyRows = 0;
  readonly valueProblems: WandbValueProblem[] = [];
  private unsorted = new Set<string>();

  apply(record: WandbRecord): void {
    switch (record.type) {
      case 'history':
        this.history(record.num, record.items, record.step);
        break;
      case 'summary':
        for (const key of record.remove) this.removeKey(this.summary, key);
        for (const it of record.update) {
          const v = this.value(record.num, it);
          if (v === undefined) continue;
          this.summary.set(it.key, v);
          if (it.key === '_timestamp' && typeof v === 'number') this.seen(v);
        }
        break;
      case 'config':
        for (const key of record.remove) this.removeKey(this.config, key);
        this.configItems(record.num, record.update);
        break;
      case 'run':
        this.run = record.run;
        this.configItems(record.num, record.run.config);
        break;
      case 'environment':
        this.environment = { ...this.environment, ...record.environment };
        break;
      case 'exit':
        this.exit = { exitCode: record.exitCode, runtime: record.runtime };
        break;
      case 'header':
        this.producer = record.producer;
        break;
    }
  }

  /** Series points in step order (then timestamp); sorting happens only for keys logged out of order. */
  sortedSeries(): Map<string, MetricPoint[]> {
    for (const key of this.unsorted) {
      this.series.get(key)!.sort((a, b) => a.step - b.step || (a.timestamp ?? 0) - (b.timestamp ?? 0));
    }
    this.unsorted.clear();
    return this.series;
  }

  /** Notes a `_timestamp` (seconds) as activity; returns it in ms. */
  private seen(seconds: number): number {
    const ms = Math.round(seconds * 1000);
    if (Number.isFinite(ms) && (this.lastTimestamp === null || ms > this.lastTimestamp)) this.lastTimestamp = ms;
    return ms;
  }

  private value(num: number, it: WandbItem): DataValue | undefined {
    if (!it.invalid) return it.value;
    if (this.valueProblems.length < MAX_VALUE_PROBLEMS) this.valueProblems.push({ num, key: it.key, message: it.invalid.message });
    return undefined;
  }

  private configItems(num: number, items: WandbItem[]): void {
    for (const it of items) {
      const v = this.value(num, it);
      if (v !== undefined) this.config.set(it.key, v);
    }
  }

  private removeKey(map: Map<string, DataValue>, key: string): void {
    map.delete(key);
    const prefix = `${key}.`;
    for (const k of map.keys()) if (k.startsWith(prefix)) map.delete(k);
  }

  private history(num: number, items: WandbItem[], recordStep: number | null): void {
    let step = recordStep ?? this.historyRows;
    let timestamp: number | null = null;
    for (const it of items) {
      if (it.key === '_step' && typeof it.value === 'number') step = it.value;
      else if (it.key === '_timestamp' && typeof it.value === 'number' && Number.isFinite(it.value)) timestamp = this.seen(it.value);
    }
    this.historyRows++;
    for (const it of items) {
      if (it.invalid) {
        this.value(num, it);
        continue;
      }
      if (isInternalKey(it.key)) continue;
      const v = it.value;
      if (typeof v === 'number') this.point(it.key, step, v, timestamp);
      else if (typeof v === 'object' && v !== null) numericLeaves(it.key, v, (k, x) => this.point(k, step, x, timestamp));
    }
  }

  private point(key: string, step: number, value: number, timestamp: number | null): void {
    let points = this.series.get(key);
    if (!points) this.series.set(key, (points = []));
    const prev = points.length > 0 ? points[points.length - 1] : undefined;
    if (prev && (prev.step > step || (prev.step === step && (prev.timestamp ?? 0) > (timestamp ?? 0)))) this.unsorted.add(key);
    points.push({ step, value, timestamp });
  }
}
