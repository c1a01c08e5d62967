// The protobuf `Record`s of a .wandb log, decoded for the fields we read. Field numbers are
// those of wandb/proto/wandb_internal.proto (wandb 0.31, checked against the generated
// descriptors in wandb/proto/v6/wandb_internal_pb2.py); anything else is skipped.

import type { DataValue } from '../data/types';
import { ProtoReader } from './protoWire';
import { decodeItem } from './wandbItemDecode';
import { decodeEnvironment, decodeGit, decodeTimestamp, type WandbGit } from './wandbEnvironment';

export type { WandbGit };

/** One config/summary/history entry: `key` is the key field, or the nested_key path joined with '.'. */
export interface WandbItem {
  key: string;
  /** The value_json parsed (wandb writes NaN and ±Infinity bare, as Python's json does). */
  value: DataValue;
  /** Set when value_json did not parse: its text and why (value is then null). */
  invalid?: { json: string; message: string };
}

export interface WandbRunInfo {
  runId: string;
  entity: string;
  project: string;
  displayName: string;
  group: string;
  jobType: string;
  notes: string;
  sweepId: string;
  host: string;
  tags: string[];
  /** ms since the epoch, or null when unset. */
  startTime: number | null;
  git: WandbGit | null;
  config: WandbItem[];
}

/** The EnvironmentRecord, keyed as wandb writes files/wandb-metadata.json. */
export type WandbEnvironment = Record<string, unknown>;

export type WandbRecordBody =
  | { type: 'history'; items: WandbItem[]; step: number | null }
  | { type: 'summary'; update: WandbItem[]; remove: string[] }
  | { type: 'config'; update: WandbItem[]; remove: string[] }
  | { type: 'run'; run: WandbRunInfo }
  | { type: 'exit'; exitCode: number; runtime: number }
  | { type: 'environment'; environment: WandbEnvironment }
  | { type: 'header'; producer: string; minConsumer: string }
  | { type: 'final' }
  | { type: 'footer' }
  /** A record kind we do not read (output, stats, telemetry, files…), by its Record field number. */
  | { type: 'other'; field: number };

export type WandbRecord = WandbRecordBody & { num: number };

/** SummaryRecord and ConfigRecord: `update=1 remove=2`. */
function updates(r: ProtoReader): { update: WandbItem[]; remove: string[] } {
  const update: WandbItem[] = [];
  const remove: string[] = [];
  while (r.next()) {
    if (r.field === 1) update.push(decodeItem(r));
    else if (r.field === 2) remove.push(decodeItem(r).key);
    else r.skip();
  }
  return { update, remove };
}

function history(r: ProtoReader): WandbRecordBody {
  const items: WandbItem[] = [];
  let step: number | null = null;
  while (r.next()) {
    if (r.field === 1) items.push(decodeItem(r));
    else if (r.field === 2) {
      const s = r.message();
      step = 0;
      while (s.next())
        if (s.field === 1) step = s.varint();
        else s.skip();
    } else r.skip();
  }
  return { type: 'history', items, step };
}

function run(r: ProtoReader): WandbRunInfo {
  const info: WandbRunInfo = {
    runId: '',
    entity: '',
    project: '',
    displayName: '',
    group: '',
    jobType: '',
    notes: '',
    sweepId: '',
    host: '',
    tags: [],
    startTime: null,
    git: null,
    config: [],
  };
  while (r.next()) {
    switch (r.field) {
      case 1:
        info.runId = r.string();
        break;
      case 2:
        info.entity = r.string();
        break;
      case 3:
        info.project = r.string();
        break;
      case 4:
        info.config.push(...updates(r.message()).update);
        break;
      case 6:
        info.group = r.string();
        break;
      case 7:
        info.jobType = r.string();
        break;
      case 8:
        info.displayName = r.string();
        break;
      case 9:
        info.notes = r.string();
        break;
      case 10:
        info.tags.push(r.string());
        break;
      case 12:
        info.sweepId = r.string();
        break;
      case 13:
        info.host = r.string();
        break;
      case 17:
        info.startTime = decodeTimestamp(r.message());
        break;
      case 21:
        info.git = decodeGit(r.message());
        break;
      default:
        r.skip();
    }
  }
  return info;
}

function exit(r: ProtoReader): WandbRecordBody {
  let exitCode = 0;
  let runtime = 0;
  while (r.next()) {
    if (r.field === 1) exitCode = r.int32();
    else if (r.field === 2) runtime = r.int32();
    else r.skip();
  }
  return { type: 'exit', exitCode, runtime };
}

function header(r: ProtoReader): WandbRecordBody {
  let producer = '';
  let minConsumer = '';
  while (r.next()) {
    if (r.field !== 1) {
      r.skip();
      continue;
    }
    const v = r.message();
    while (v.next()) {
      if (v.field === 1) producer = v.string();
      else if (v.field === 2) minConsumer = v.string();
      else v.skip();
    }
  }
  return { type: 'header', producer, minConsumer };
}

/** Decodes one Record payload; throws ProtoError on malformed bytes. */
export function decodeRecord(buf: Buffer, start = 0, end = buf.length): WandbRecord {
  const r = new ProtoReader(buf, start, end);
  let num = 0;
  let body: WandbRecordBody | undefined;
  while (r.next()) {
    switch (r.field) {
      case 1:
        num = r.varint();
        break;
      case 2:
        body = history(r.message());
        break;
      case 3:
        body = { type: 'summary', ...updates(r.message()) };
        break;
      case 5:
        body = { type: 'config', ...updates(r.message()) };
        break;
      case 17:
        body = { type: 'run', run: run(r.message()) };
        break;
      case 18:
        body = exit(r.message());
        break;
      case 20:
        r.skip();
        body = { type: 'final' };
        break;
      case 21:
        body = header(r.message());
        break;
      case 22:
        r.skip();
        body = { type: 'footer' };
        break;
      case 26:
        body = { type: 'environment', environment: decodeEnvironment(r.message()) };
        break;
      // control (16), uuid (19), _info (200) ride along with any record.
      case 16:
      case 19:
      case 200:
        r.skip();
        break;
      default:
        body ??= { type: 'other', field: r.field };
        r.skip();
    }
  }
  return { num, ...(body ?? { type: 'other', field: 0 }) };
}
