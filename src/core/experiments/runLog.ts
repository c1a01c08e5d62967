// What is kept of an experiment run that did not become an experiment: DVC records nothing for
// a workspace run whose stage fails, so its params and output would be lost. Each run writes
// `<git dir>/lineage/exp-runs/<id>.json` (status, stage, exit code, the -S arguments) when it
// starts and appends the stages' output to `<id>.log` as it comes; a run that ends as an
// experiment removes both. A record still 'running' whose process is gone was killed.

import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomicWrite';
import { processAlive } from '../util/processAlive';
import { redactText } from '../util/redact';

export type RunStatus = 'running' | 'failed' | 'cancelled' | 'interrupted';

export interface ExpRunRecord {
  id: string;
  name: string;
  baseline: string;
  status: RunStatus;
  pid: number;
  host: string;
  startedAt: string;
  endedAt?: string;
  /** The -S arguments as given. */
  setParams: string[];
  targets: string[];
  temp: boolean;
  /** The stage that failed, its exit code (null: killed by a signal) and why. */
  stage?: string;
  exitCode?: number | null;
  message?: string;
  /** Absolute path of the output log. */
  log: string;
}

export function runLogDir(gitDir: string): string {
  return join(gitDir, 'lineage', 'exp-runs');
}

export interface RunLog {
  readonly record: ExpRunRecord;
  append(text: string): void;
  finish(status: Exclude<RunStatus, 'running'>, details: { stage?: string; exitCode?: number | null; message?: string }): void;
  /** The run became an experiment: nothing to keep. */
  discard(): void;
}

export function startRunLog(gitDir: string, fields: Pick<ExpRunRecord, 'name' | 'baseline' | 'setParams' | 'targets' | 'temp'>): RunLog {
  const dir = runLogDir(gitDir);
  mkdirSync(dir, { recursive: true });
  const started = new Date();
  const id = `${started.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}-${fields.baseline.slice(0, 7)}-${fields.name}-${process.pid}`;
  const file = join(dir, `${id}.json`);
  // Credentials in URLs and known token formats never reach the record or the log.
  const record: ExpRunRecord = {
    id,
    ...fields,
    setParams: fields.setParams.map(redactText),
    status: 'running',
    pid: process.pid,
    host: hostname(),
    startedAt: started.toISOString(),
    log: join(dir, `${id}.log`),
  };
  const save = () => writeFileAtomic(file, JSON.stringify(record, null, 2) + '\n');
  save();
  appendFileSync(record.log, '');
  return {
    record,
    append: (text) => {
      try {
        appendFileSync(record.log, redactText(text));
      } catch {
        /* a full disk must not stop the run */
      }
    },
    finish: (status, details) => {
      Object.assign(record, details, { status, endedAt: new Date().toISOString() });
      if (record.message) record.message = redactText(record.message);
      save();
    },
    discard: () => {
      rmSync(file, { force: true });
      rmSync(record.log, { force: true });
    },
  };
}

/** Every kept run, newest first; a 'running' one whose process is gone reads as 'interrupted'. */
export function listRunRecords(gitDir: string): ExpRunRecord[] {
  const dir = runLogDir(gitDir);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  const out: ExpRunRecord[] = [];
  for (const name of names) {
    try {
      const r = JSON.parse(readFileSync(join(dir, name), 'utf8')) as ExpRunRecord;
      if (r.status === 'running' && r.host === hostname() && !processAlive(r.pid)) r.status = 'interrupted';
      out.push(r);
    } catch {
      /* a record being replaced right now */
    }
  }
  return out.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
}
