// Logs written by our WandbLogWriter, read by wandb's own reader (`wandb leet inspect`, the Go
// core's transaction-log reader; wandb 0.31 no longer ships the Python DataStore): every
// record must come back with the same number, kind and values, across block boundaries,
// padding, an empty first chunk and records split over three blocks.

import { strict as assert } from 'node:assert';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  configRecord,
  exitRecord,
  historyRecord,
  runRecord,
  summaryRecord,
  wandbItems,
  WandbLogWriter,
  writeWandbLogFile,
} from '../../src/core/wandb/wandbLogWriter';
import type { WandbItem, WandbRecord, WandbRecordBody } from '../../src/core/wandb/wandbRecords';
import { encodeRecord } from '../../src/core/wandb/wandbRecordEncode';
import type { DataValue } from '../../src/core/data/types';
import { assertSameValues, scratchDir, toolJson, toolOk } from './helpers';
import { interopTool } from './tools';

const BLOCK = 32768;
const COMMIT = 'fedcba9876543210fedcba9876543210fedcba98';

/** wandb's JSON output writes non-finite numbers as strings. */
function jsonish(v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  if (Array.isArray(v)) return v.map(jsonish);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonish(x)]));
  return v;
}

function itemMap(items: WandbItem[]): Record<string, unknown> {
  return Object.fromEntries(items.map((it) => [it.key, jsonish(it.value)]));
}

/** The records, laid out so that the log hits every framing case (checked on our side below). */
function records(): WandbRecord[] {
  const out: WandbRecord[] = [];
  const sizes: number[] = [];
  // Track where each record would start, to steer one onto exactly 7 bytes before a block end.
  const probe = new WandbLogWriter(() => undefined);
  const add = (body: WandbRecordBody) => {
    const r = { ...body, num: out.length + 1 } as WandbRecord;
    out.push(r);
    sizes.push(probe.size);
    probe.writePayload(encodeRecord(r));
  };
  add({ type: 'header', producer: '0.31.0+lineage', minConsumer: '0.70.0' });
  add(
    runRecord({
      runId: 'writer01',
      project: 'lineage-writer',
      displayName: 'written by lineage',
      tags: ['interop', 'writer'],
      startTime: Date.UTC(2025, 0, 1, 0, 0, 0, 123),
      git: { remoteUrl: 'https://example.com/w.git', commit: COMMIT },
      config: wandbItems({ lr: 0.001, model: { layers: 4, act: 'gelu' }, dims: [64, 32], name: 'ünï' }),
    }),
  );
  add(configRecord({ extra: true }));
  for (let step = 0; step < 400; step++) {
    const row: Record<string, DataValue> = {
      'train/loss': step === 7 ? NaN : 1 / (step + 1),
      acc: step === 9 ? Infinity : step / 400,
      note: 'n'.repeat((step * 37) % 700),
    };
    add(historyRecord(step, row));
    if (step === 200) add(historyRecord(step, { big: 'b'.repeat(70_000) })); // first, middle(s), last chunks
    add(summaryRecord({ 'train/loss': row['train/loss'], acc: row.acc }));
    // Steer the next record so its chunk header starts exactly 7 bytes before the block end.
    const left = BLOCK - (probe.size % BLOCK);
    if (step === 300 && left > 60) {
      const target = left - 7 - 7;
      let filler = 0;
      while (encodeRecord({ num: out.length + 1, ...summaryRecord({ pad: 'p'.repeat(filler) }) }).length < target) filler++;
      add(summaryRecord({ pad: 'p'.repeat(filler) }));
    }
  }
  add(summaryRecord({ best: -Infinity }));
  add(exitRecord(3, 12));
  return out;
}

/** The chunk types in file order, 'pad' for a block end too short for a chunk header. */
function framing(log: Buffer): string[] {
  const out: string[] = [];
  let pos = 7;
  while (pos < log.length) {
    const left = BLOCK - (pos % BLOCK);
    if (left < 7) {
      out.push('pad');
      pos += left;
      continue;
    }
    const len = log.readUInt16LE(pos + 4);
    out.push(`${['', 'full', 'first', 'middle', 'last'][log[pos + 6]]}${len === 0 ? '(empty)' : ''}`);
    pos += 7 + len;
  }
  return out;
}

describe('interop: logs written by lineage read by wandb', function () {
  this.timeout(120000);

  it('wandb leet inspect reads back every record we wrote', () => {
    interopTool('wandb');
    const dir = join(scratchDir('wandb-writer'), 'wandb', 'offline-run-20250101_000000-writer01');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'run-writer01.wandb');
    const written = records();
    const size = writeWandbLogFile(file, written);
    const kinds = framing(readFileSync(file));
    assert.equal(size, statSync(file).size);
    for (const kind of ['pad', 'first(empty)', 'first', 'middle', 'last'])
      assert.ok(kinds.includes(kind), `the log has a ${kind} chunk: ${[...new Set(kinds)].join(', ')}`);

    const lines = toolOk('wandb', ['leet', 'inspect', '--json', file], dir)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any -- records of any shape, compared field by field
    assert.deepEqual(
      lines.map((l) => [l.num, l.type]),
      written.map((r) => [r.num, r.type]),
    );
    for (const [i, r] of written.entries()) {
      const theirs = lines[i][r.type];
      let ours: unknown;
      switch (r.type) {
        case 'header':
          ours = { version_info: { producer: r.producer, min_consumer: r.minConsumer } };
          break;
        case 'history':
          ours = { item: itemMap(r.items), step: { num: r.step } };
          break;
        case 'summary':
        case 'config':
          ours = { update: itemMap(r.update) };
          break;
        case 'exit':
          ours = { exit_code: r.exitCode, runtime: r.runtime };
          break;
        case 'run':
          ours = {
            run_id: r.run.runId,
            project: r.run.project,
            display_name: r.run.displayName,
            tags: r.run.tags,
            start_time: new Date(r.run.startTime!).toISOString(),
            git: { remote_url: r.run.git!.remoteUrl, commit: r.run.git!.commit },
            config: { update: itemMap(r.run.config) },
          };
          break;
      }
      assertSameValues(`record ${r.num} (${r.type})`, theirs, ours);
    }

    const summary = toolJson<Record<string, unknown>>('wandb', ['leet', 'inspect', '--summary', '--json', file], dir);
    assertSameValues(
      'wandb leet inspect --summary',
      {
        run_id: summary.run_id,
        state: summary.state,
        exit_code: summary.exit_code,
        step: summary.step,
        tags: summary.tags,
        config: summary.config,
        best: (summary.summary as Record<string, unknown>).best,
      },
      {
        run_id: 'writer01',
        state: 'failed',
        exit_code: 3,
        step: 399,
        tags: ['interop', 'writer'],
        config: { lr: 0.001, model: { layers: 4, act: 'gelu' }, dims: [64, 32], name: 'ünï', extra: true },
        best: '-Infinity',
      },
    );
  });
});
