import type { Store } from '../store/store';
import type { MlflowLimits } from '../mlflow/mlflowLimits';
import type { RunReadResult } from '../runs/types';
import { findRunSources, fingerprintSource, sortByLocation } from '../runs/runSources';
import {
  listSources,
  recordSourceFailure,
  removeSources,
  replaceSource,
  sourcesWithRunningRuns,
  type RunSource,
  type RunSourceFormat,
} from '../runs/runStore';
import { normalizeServerUrl } from '../runs/serverUrl';

/** One reader per source format; tests swap one for a reader that fails on purpose. */
export interface RunReaders {
  local(format: Exclude<RunSourceFormat, 'mlflow-server'>, root: string, location: string): Promise<RunReadResult>;
  server(url: string, token: string | undefined, limits?: MlflowLimits): Promise<RunReadResult>;
}

// The readers load on first use: a sync that finds every source unchanged never needs them.
export const DEFAULT_READERS: RunReaders = {
  local: async (format, root, location) => {
    switch (format) {
      case 'mlflow-files':
        return (await import('../mlflow/mlflowFileStore')).readMlflowFileStore(root, location);
      case 'mlflow-sqlite':
        return (await import('../mlflow/mlflowSqlite')).readMlflowSqlite(root, location);
      case 'wandb-dir':
        return (await import('../wandb/wandbRuns')).readWandbDir(root, location);
    }
  },
  server: async (url, token, limits) => (await import('../mlflow/mlflowRest')).readMlflowServer(url, { ...limits, token }),
};

/** A tracking server to read; `limits` raise (or lower) the reader's page, size and time limits. */
export interface ServerSpec {
  url: string;
  token?: string;
  limits?: MlflowLimits;
}

export interface RunSyncOptions {
  excludePaths?: string[];
  /** MLflow tracking servers to read besides the workspace's files. Servers not listed keep their last rows. */
  servers?: ServerSpec[];
  /** A server is re-read at most this often; 0 (the default) reads it on every sync. */
  serverMinIntervalMs?: number;
  readers?: RunReaders;
  log?: (message: string) => void;
  signal?: AbortSignal;
}

export interface RunSyncReport {
  sources: number;
  read: number;
  unchanged: number;
  removed: number;
  failed: number;
  runs: number;
  /** Configuration that could not be used (a malformed server URL), phrased for the user. */
  errors: string[];
  ms: number;
}

/**
 * Brings the index's external runs up to date: discovers the workspace's sources, re-reads
 * only those whose fingerprint changed, drops the ones that are gone. A reader that throws
 * costs only its own source, recorded as a problem; every other source still syncs.
 */
export async function syncRuns(root: string, store: Store, options: RunSyncOptions = {}): Promise<RunSyncReport> {
  const started = Date.now();
  const readers = options.readers ?? DEFAULT_READERS;
  const report: RunSyncReport = { sources: 0, read: 0, unchanged: 0, removed: 0, failed: 0, runs: 0, errors: [], ms: 0 };
  const stored = new Map(listSources(store).map((s) => [s.location, s]));
  const local = findRunSources(root, { excludePaths: options.excludePaths });
  const gone = [...stored.values()].filter((s) => s.format !== 'mlflow-server' && !local.some((l) => l.location === s.location));
  removeSources(
    store,
    gone.map((s) => s.id),
  );
  report.removed = gone.length;

  type Work = { source: RunSource; fingerprint: string | null; read: () => Promise<RunReadResult> };
  const localWork: Work[] = [];
  // A W&B run is "running" only while its writer lives (wandbLiveness.ts): a killed one leaves
  // its folder untouched, so a folder with a running run is re-read even when unchanged.
  const running = sourcesWithRunningRuns(store);
  for (const source of local) {
    const fingerprint = fingerprintSource(root, source);
    if (fingerprint === undefined) continue;
    report.sources++;
    const previous = stored.get(source.location);
    const recheck = source.format === 'wandb-dir' && previous !== undefined && running.has(previous.id);
    if (previous && previous.fingerprint === fingerprint && previous.format === source.format && !recheck) {
      report.unchanged++;
      continue;
    }
    localWork.push({
      source,
      fingerprint,
      read: () => readers.local(source.format as Exclude<RunSourceFormat, 'mlflow-server'>, root, source.location),
    });
  }
  // Local sources are read in location order, then the servers in the order given.
  const work: Work[] = sortByLocation(localWork.map((w) => ({ ...w, location: w.source.location })));
  for (const spec of options.servers ?? []) {
    let location: string;
    try {
      location = normalizeServerUrl(spec.url);
    } catch (error) {
      report.errors.push((error as Error).message);
      continue;
    }
    report.sources++;
    const previous = stored.get(location);
    const interval = options.serverMinIntervalMs ?? 0;
    // Failed reads wait too: a server that is down must not stall every refresh with its timeouts.
    if (previous?.syncedAt && Date.now() - previous.syncedAt < interval) {
      report.unchanged++;
      continue;
    }
    // A server has no cheap fingerprint: it is re-read when due and stamped with the read time.
    work.push({
      source: { kind: 'mlflow', format: 'mlflow-server', location },
      fingerprint: `server:${Date.now()}`,
      read: () => readers.server(location, spec.token, spec.limits),
    });
  }

  for (const item of work) {
    if (options.signal?.aborted) break;
    const t = Date.now();
    try {
      const result = await item.read();
      replaceSource(store, item.source, item.fingerprint, result.runs, result.problems, Date.now() - t);
      report.read++;
      report.runs += result.runs.length;
      options.log?.(
        `runs: read ${result.runs.length} run(s) from ${item.source.location} in ${Date.now() - t} ms${result.problems.length ? `, ${result.problems.length} problem(s)` : ''}`,
      );
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      recordSourceFailure(store, item.source, message);
      report.failed++;
      options.log?.(`runs: could not read ${item.source.location}: ${message}`);
    }
  }
  report.ms = Date.now() - started;
  return report;
}
