// Encodes the Records this reader decodes, field for field (the inverse of wandbRecords.ts),
// for the log writer. Items are written with nested_key, as the wandb Go core writes them.

import { ProtoWriter } from './protoWire';
import { encodeEnvironment } from './wandbEnvironment';
import { toPythonJson } from './wandbValues';
import type { WandbItem, WandbRecord, WandbRecordBody, WandbRunInfo } from './wandbRecords';

function items(w: ProtoWriter, field: number, list: WandbItem[]): void {
  for (const it of list) w.message(field, (m) => m.string(2, it.key).string(16, it.invalid ? it.invalid.json : toPythonJson(it.value)));
}

function removals(w: ProtoWriter, keys: string[]): void {
  for (const key of keys) w.message(2, (m) => m.string(2, key));
}

function timestamp(w: ProtoWriter, field: number, ms: number): void {
  w.message(field, (m) => {
    const seconds = Math.floor(ms / 1000);
    if (seconds !== 0) m.varint(1, seconds);
    const nanos = Math.round((ms - seconds * 1000) * 1e6);
    if (nanos !== 0) m.varint(2, nanos);
  });
}

function run(w: ProtoWriter, r: WandbRunInfo): void {
  const strings: [number, string][] = [
    [1, r.runId],
    [2, r.entity],
    [3, r.project],
    [6, r.group],
    [7, r.jobType],
    [8, r.displayName],
    [9, r.notes],
    [12, r.sweepId],
    [13, r.host],
  ];
  for (const [field, value] of strings) if (value !== '') w.string(field, value);
  if (r.config.length > 0) w.message(4, (c) => items(c, 1, r.config));
  for (const tag of r.tags) w.string(10, tag);
  if (r.startTime !== null) timestamp(w, 17, r.startTime);
  const git = r.git;
  if (git)
    w.message(21, (g) => {
      if (git.remoteUrl) g.string(1, git.remoteUrl);
      if (git.commit) g.string(2, git.commit);
    });
}

function body(w: ProtoWriter, b: WandbRecordBody): void {
  switch (b.type) {
    case 'history':
      w.message(2, (h) => {
        items(h, 1, b.items);
        if (b.step !== null)
          h.message(2, (s) => {
            if (b.step) s.varint(1, b.step);
          });
      });
      return;
    case 'summary':
    case 'config':
      w.message(b.type === 'summary' ? 3 : 5, (m) => {
        items(m, 1, b.update);
        removals(m, b.remove);
      });
      return;
    case 'run':
      w.message(17, (m) => run(m, b.run));
      return;
    case 'exit':
      w.message(18, (m) => {
        if (b.exitCode) m.varint(1, b.exitCode);
        if (b.runtime) m.varint(2, b.runtime);
      });
      return;
    case 'environment':
      w.message(26, (m) => encodeEnvironment(m, b.environment));
      return;
    case 'header':
      w.message(21, (m) =>
        m.message(1, (v) => {
          if (b.producer) v.string(1, b.producer);
          if (b.minConsumer) v.string(2, b.minConsumer);
        }),
      );
      return;
    case 'final':
      w.message(20, () => undefined);
      return;
    case 'footer':
      w.message(22, () => undefined);
      return;
    case 'other':
      throw new Error(`cannot encode a Record of field ${b.field}: the writer only knows the records the reader decodes`);
  }
}

export function encodeRecord(record: WandbRecord): Buffer {
  const w = new ProtoWriter();
  w.varint(1, record.num);
  body(w, record);
  return w.finish();
}
