import { strict as assert } from 'node:assert';
import { ProtoReader } from '../../../src/core/wandb/protoWire';
import { decodeRecord, type WandbRecord } from '../../../src/core/wandb/wandbRecords';
import { encodeRecord } from '../../../src/core/wandb/wandbRecordEncode';
import { configRecord, exitRecord, historyRecord, runRecord, summaryRecord } from '../../../src/core/wandb/wandbLogWriter';
import { parseValueJson, toPythonJson } from '../../../src/core/wandb/wandbValues';
import { REAL_HISTORY_CHUNK, hex } from './fixtures';

describe('wandb records', () => {
  it('encodes a history row in the layout wandb 0.31 uses (nested_key, value_json, empty step)', () => {
    const payload = hex(REAL_HISTORY_CHUNK).subarray(7);
    const decoded = decodeRecord(payload);
    const ours = encodeRecord(decoded);
    // Same bytes but for the spelling of one number: wandb's Go core writes 1.7957686519774163e+09, we (like Python) 1795768651.9774163.
    const spelled = (b: Buffer) =>
      b
        .toString('latin1')
        .replace(/\n.\x12\n_timestamp\x82\x01.[^\n]+/, '<timestamp>')
        .replace(/^\x08\x0b\x12./, '');
    assert.equal(spelled(ours), spelled(payload));
    assert.deepEqual(decodeRecord(ours), decoded);
  });

  it('parses item values from bytes exactly as JSON.parse would, with NaN and Infinity', () => {
    const texts = [
      '0',
      '-0',
      '1',
      '-17',
      '0.1',
      '0.30000000000000004',
      '1.7957686519774163e+09',
      '123456789012345678',
      '9007199254740993',
      '1e22',
      '1e23',
      '1E-7',
      '-2.5e-300',
      '4.9e-324',
      '1.7976931348623157e308',
      '0.000001',
      '12345.678900',
      '3.14159265358979323846',
    ];
    for (const text of texts) {
      const r = decodeRecord(
        encodeRecord({ num: 1, type: 'summary', update: [{ key: 'k', value: null, invalid: { json: text, message: '' } }], remove: [] }),
      );
      assert.ok(r.type === 'summary');
      assert.ok(Object.is(r.update[0].value, JSON.parse(text)), `${text}: ${r.update[0].value}`);
    }
    for (const [text, value] of [
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
      ['"s"', 's'],
      ['[1, NaN]', [1, NaN]],
      ['true', true],
      ['null', null],
    ] as const) {
      const r = decodeRecord(
        encodeRecord({ num: 1, type: 'summary', update: [{ key: 'k', value: null, invalid: { json: text, message: '' } }], remove: [] }),
      );
      assert.ok(r.type === 'summary');
      assert.deepEqual(r.update[0], { key: 'k', value }, text);
    }
    for (const text of ['01', '1.', '.5', '1e', '-', '{"a": ', 'nan']) {
      const r = decodeRecord(
        encodeRecord({ num: 1, type: 'summary', update: [{ key: 'k', value: null, invalid: { json: text, message: '' } }], remove: [] }),
      );
      assert.ok(r.type === 'summary');
      assert.equal(r.update[0].invalid?.json, text, `${text} is not JSON`);
    }
  });

  it('round-trips every record kind it writes', () => {
    const records: WandbRecord[] = [
      { num: 1, type: 'header', producer: '0.31.0', minConsumer: '0.70.0' },
      {
        num: 2,
        ...runRecord({
          runId: 'ab12cd34',
          entity: 'team',
          project: 'proj',
          displayName: 'näme',
          group: 'g',
          jobType: 'train',
          notes: 'n',
          sweepId: 's',
          host: 'h',
          tags: ['x', 'y'],
          startTime: 1735689600123,
          git: { remoteUrl: 'https://e.com/r.git', commit: 'a'.repeat(40) },
          config: [{ key: 'lr', value: 0.1 }],
        }),
      },
      { num: 3, ...configRecord({ model: { layers: 3 } }, ['old']) },
      { num: 4, ...historyRecord(300, { loss: NaN, acc: 0.5 }) },
      { num: 5, ...summaryRecord({ best: -Infinity }) },
      {
        num: 6,
        type: 'environment',
        environment: {
          os: 'Linux',
          python: 'CPython 3.11.7',
          args: ['--lr', '0.1'],
          startedAt: '2025-01-01T00:00:00.250Z',
          git: { remote: 'r', commit: 'c' },
          cpu_count: 8,
          gpu: 'A100',
          gpu_count: 2,
          cudaVersion: '12.4',
        },
      },
      { num: 7, ...exitRecord(-9, 42) },
      { num: 8, type: 'final' },
      { num: 2 ** 40, type: 'footer' },
    ];
    for (const r of records) assert.deepEqual(decodeRecord(encodeRecord(r)), r, r.type);
  });

  it('reads a key from either key or the nested_key path, and skips unknown fields', () => {
    // Record{num: 3, summary{update{nested_key: "a", nested_key: "b", value_json: "1"}}, 99: varint 5}
    const payload = hex('0803 1a0c 0a0a 1201 61 1201 62 820101 31 9806 05');
    assert.deepEqual(decodeRecord(payload), { num: 3, type: 'summary', update: [{ key: 'a.b', value: 1 }], remove: [] });
  });

  it('decodes a negative int32 from its 10-byte varint', () => {
    const r = new ProtoReader(hex('08 f7ffffffffffffffff01'));
    assert.ok(r.next());
    assert.equal(r.int32(), -9);
  });

  it('parses value_json with bare NaN/Infinity and writes it back the same way', () => {
    const cases: [string, unknown][] = [
      ['0', 0],
      ['-1.5e-07', -1.5e-7],
      ['1.7957686519774163e+09', 1795768651.9774163],
      ['NaN', NaN],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
      ['{"a": [1, NaN], "b": "s"}', { a: [1, NaN], b: 's' }],
      ['true', true],
      ['null', null],
      ['"1"', '1'],
    ];
    for (const [json, expected] of cases) assert.deepEqual(parseValueJson(json), { ok: true, value: expected }, json);
    assert.equal(toPythonJson({ a: [1, NaN, -Infinity], b: { c: 'x"' } }), '{"a": [1, NaN, -Infinity], "b": {"c": "x\\""}}');
    const bad = parseValueJson('{"a": ');
    assert.ok(!bad.ok);
  });
});
