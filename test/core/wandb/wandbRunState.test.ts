import { strict as assert } from 'node:assert';
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataValue } from '../../../src/core/data/types';
import { WandbLogReader } from '../../../src/core/wandb/wandbLogReader';
import { encodeWandbLog, historyRecord, summaryRecord } from '../../../src/core/wandb/wandbLogWriter';
import type { WandbRecordBody } from '../../../src/core/wandb/wandbRecords';
import { WandbRunState } from '../../../src/core/wandb/wandbRunState';
import { tempDir } from './fixtures';

describe('WandbRunState', () => {
  it('flattens nested history values, skips media, strings and internal keys, and sorts steps logged out of order', () => {
    const s = new WandbRunState();
    const rows: [number, Record<string, DataValue>][] = [
      [
        0,
        {
          loss: 1,
          val: { acc: 0.5, f1: { macro: 0.1 } },
          img: { _type: 'image-file', path: 'a.png' },
          note: 'hi',
          ok: true,
          _runtime: 1,
          _timestamp: 100,
        },
      ],
      [20, { loss: 0.5, _timestamp: 102 }],
      [10, { loss: 0.7, _timestamp: 101 }],
    ];
    rows.forEach(([step, row], i) => s.apply({ num: i + 1, ...historyRecord(step, row) }));
    const series = s.sortedSeries();
    assert.deepEqual([...series.keys()], ['loss', 'val.acc', 'val.f1.macro']);
    assert.deepEqual(series.get('loss'), [
      { step: 0, value: 1, timestamp: 100000 },
      { step: 10, value: 0.7, timestamp: 101000 },
      { step: 20, value: 0.5, timestamp: 102000 },
    ]);
    assert.equal(s.lastTimestamp, 102000);
  });

  it('applies summary removals to a key and everything under it', () => {
    const s = new WandbRunState();
    s.apply({ num: 1, ...summaryRecord({ a: 1, 'a.b': 2, ab: 3 }) });
    s.apply({ num: 2, ...summaryRecord({}, ['a']) });
    assert.deepEqual([...s.summary.keys()], ['ab']);
  });

  it('reports an unreadable value and keeps the rest of the row', () => {
    const s = new WandbRunState();
    s.apply({
      num: 7,
      type: 'history',
      step: 3,
      items: [
        { key: 'x', value: null, invalid: { json: '{"a": ', message: 'Expecting value at column 7' } },
        { key: 'y', value: 2 },
      ],
    });
    assert.deepEqual(s.valueProblems, [{ num: 7, key: 'x', message: 'Expecting value at column 7' }]);
    assert.deepEqual([...s.sortedSeries().keys()], ['y']);
  });

  it('ends in the same state whether a log is read at once or tailed as it grows', async () => {
    const dir = tempDir();
    try {
      const records: WandbRecordBody[] = [];
      for (let step = 0; step < 300; step++)
        records.push(summaryRecord({ loss: 1 / (step + 1) }), historyRecord(step, { loss: 1 / (step + 1), pad: 'p'.repeat(step) }));
      const log = encodeWandbLog(records);
      const file = join(dir, 'run-x.wandb');
      const whole = new WandbRunState();
      writeFileSync(file, log);
      await new WandbLogReader(file).read((r) => whole.apply(r));

      const tailed = new WandbRunState();
      const reader = new WandbLogReader(file);
      writeFileSync(file, Buffer.alloc(0));
      // Appends in uneven pieces, cutting headers, chunks and records anywhere.
      for (let at = 0; at < log.length;) {
        const next = Math.min(log.length, at + 1 + ((at * 7919) % 9000));
        appendFileSync(file, log.subarray(at, next));
        const r = await reader.read((rec) => tailed.apply(rec));
        assert.deepEqual(r.problems, []);
        at = next;
      }
      assert.equal(reader.offset, log.length);
      assert.deepEqual(tailed.sortedSeries(), whole.sortedSeries());
      assert.deepEqual(tailed.summary, whole.summary);
      assert.equal(tailed.historyRows, 300);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
