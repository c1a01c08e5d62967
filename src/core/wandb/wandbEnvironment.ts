// EnvironmentRecord (what wandb-metadata.json holds when a run is online) and the small
// messages shared with RunRecord. Keys are the proto json_names, so a run read from its log
// and one read from files/wandb-metadata.json describe their environment the same way;
// uint64 values are decimal strings, as protojson (and so wandb-metadata.json) writes them.

import type { ProtoReader, ProtoWriter } from './protoWire';

export interface WandbGit {
  remoteUrl: string;
  commit: string;
}

/** google.protobuf.Timestamp → ms since the epoch. */
export function decodeTimestamp(r: ProtoReader): number {
  let seconds = 0;
  let nanos = 0;
  while (r.next()) {
    if (r.field === 1) seconds = r.varint();
    else if (r.field === 2) nanos = r.int32();
    else r.skip();
  }
  return seconds * 1000 + Math.floor(nanos / 1e6);
}

export function decodeGit(r: ProtoReader): WandbGit {
  const g: WandbGit = { remoteUrl: '', commit: '' };
  while (r.next()) {
    if (r.field === 1) g.remoteUrl = r.string();
    else if (r.field === 2) g.commit = r.string();
    else r.skip();
  }
  return g;
}

type Kind = 'string' | 'uint' | 'uint64';
type Shape = Record<number, [name: string, kind: Kind]>;

const GPU_NVIDIA: Shape = {
  1: ['name', 'string'],
  2: ['memoryTotal', 'uint64'],
  3: ['cudaCores', 'uint'],
  4: ['architecture', 'string'],
  5: ['uuid', 'string'],
};
const DISK: Shape = { 1: ['total', 'uint64'], 2: ['used', 'uint64'] };
const MEMORY: Shape = { 1: ['total', 'uint64'] };
const CPU: Shape = { 1: ['count', 'uint'], 2: ['countLogical', 'uint'], 3: ['model', 'string'] };

const SCALARS: Shape = {
  1: ['os', 'string'],
  2: ['python', 'string'],
  4: ['docker', 'string'],
  6: ['program', 'string'],
  7: ['codePath', 'string'],
  8: ['codePathLocal', 'string'],
  10: ['email', 'string'],
  11: ['root', 'string'],
  12: ['host', 'string'],
  13: ['username', 'string'],
  14: ['executable', 'string'],
  15: ['colab', 'string'],
  16: ['cpu_count', 'uint'],
  17: ['cpu_count_logical', 'uint'],
  18: ['gpu', 'string'],
  19: ['gpu_count', 'uint'],
  25: ['cudaVersion', 'string'],
};

function scalar(r: ProtoReader, kind: Kind): string | number {
  if (kind === 'string') return r.string();
  const v = r.varint();
  return kind === 'uint64' ? String(v) : v;
}

function flat(r: ProtoReader, shape: Shape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  while (r.next()) {
    const f = shape[r.field];
    if (f) out[f[0]] = scalar(r, f[1]);
    else r.skip();
  }
  return out;
}

/** A proto map<string, Message> entry: key=1, value=2. */
function mapEntry(r: ProtoReader, shape: Shape): [string, Record<string, unknown>] {
  let key = '';
  let value: Record<string, unknown> = {};
  while (r.next()) {
    if (r.field === 1) key = r.string();
    else if (r.field === 2) value = flat(r.message(), shape);
    else r.skip();
  }
  return [key, value];
}

/** Several environment records (one per writer, plus the system probe) merge into one object. */
export function decodeEnvironment(r: ProtoReader): Record<string, unknown> {
  const env: Record<string, unknown> = {};
  while (r.next()) {
    const f = SCALARS[r.field];
    if (f) {
      env[f[0]] = scalar(r, f[1]);
      continue;
    }
    switch (r.field) {
      case 3:
        env.startedAt = new Date(decodeTimestamp(r.message())).toISOString();
        break;
      case 5:
        ((env.args ??= []) as string[]).push(r.string());
        break;
      case 9: {
        const g = decodeGit(r.message());
        env.git = { remote: g.remoteUrl, commit: g.commit };
        break;
      }
      case 20: {
        const [k, v] = mapEntry(r.message(), DISK);
        ((env.disk ??= {}) as Record<string, unknown>)[k] = v;
        break;
      }
      case 21:
        env.memory = flat(r.message(), MEMORY);
        break;
      case 22:
        env.cpu = flat(r.message(), CPU);
        break;
      case 24:
        ((env.gpu_nvidia ??= []) as unknown[]).push(flat(r.message(), GPU_NVIDIA));
        break;
      default:
        r.skip();
    }
  }
  return env;
}

const BY_NAME = new Map(Object.entries(SCALARS).map(([field, [name, kind]]) => [name, [Number(field), kind] as const]));

/** The inverse of decodeEnvironment for its scalar fields, args, startedAt and git (enough for tests and the demo). */
export function encodeEnvironment(w: ProtoWriter, env: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(env)) {
    const scalarField = BY_NAME.get(name);
    if (scalarField) {
      const [field, kind] = scalarField;
      if (kind === 'string') w.string(field, String(value));
      else w.varint(field, Number(value));
    } else if (name === 'args' && Array.isArray(value)) {
      for (const arg of value) w.string(5, String(arg));
    } else if (name === 'startedAt' && typeof value === 'string') {
      const ms = Date.parse(value);
      w.message(3, (t) => {
        t.varint(1, Math.floor(ms / 1000));
        if (ms % 1000) t.varint(2, (ms % 1000) * 1e6);
      });
    } else if (name === 'git' && value && typeof value === 'object') {
      const g = value as { remote?: string; commit?: string };
      w.message(9, (m) => {
        if (g.remote) m.string(1, g.remote);
        if (g.commit) m.string(2, g.commit);
      });
    }
  }
}
