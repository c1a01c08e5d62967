import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DiffRow, DiffState } from '../../src/protocol/metricDiff';
import { rowId } from '../../src/protocol/metricDiff';
import { computeDelta } from '../../src/extension/metricDiff/stateDelta';
import { parseWebviewMessage, revisionsFromSavedState } from '../../src/extension/metricDiff/messages';

const ROOT = join(__dirname, '..', '..', '..');

function row(key: string, old: DiffRow['old'], nu: DiffRow['new'], extra: Partial<DiffRow> = {}): DiffRow {
  return { kind: 'metric', file: 'metrics.json', key, old, new: nu, changed: old !== nu, verdict: 'n/a', ...extra };
}
function state(rows: DiffRow[], extra: Partial<DiffState> = {}): DiffState {
  return {
    old: { label: 'main', sha: 'a'.repeat(40) },
    new: { label: 'workspace', sha: 'workspace' },
    rows,
    improved: 0,
    regressed: 0,
    problems: [],
    ...extra,
  };
}

describe('metric diff host: deltas after re-indexing', () => {
  it('posts only rows that changed or appeared, and ids that disappeared', () => {
    const prev = state([
      row('a', 1, 2, { delta: 1 }),
      row('b', 1, 1, { delta: 0 }),
      row('c', 'x', 'y'),
      row('l', null, [1, 2], { kind: 'param' }),
    ]);
    const next = state(
      [row('a', 1, 3, { delta: 2 }), row('b', 1, 1, { delta: 0 }), row('d', null, 5), row('l', null, [1, 2], { kind: 'param' })],
      { improved: 1 },
    );
    const delta = computeDelta(prev, next);
    assert.ok(delta);
    assert.equal(delta.type, 'delta');
    assert.deepEqual(
      delta.upserts.map((r) => r.key),
      ['a', 'd'],
    );
    assert.deepEqual(delta.removed, [rowId(row('c', 0, 0))]);
    assert.equal(delta.improved, 1);
    assert.deepEqual(delta.new, next.new);
  });

  it('posts nothing when nothing changed (new objects, same content, NaN included)', () => {
    const make = () =>
      state([row('a', Number.NaN, 1, { delta: Number.NaN }), row('p', [1, { x: 2 }] as DiffRow['old'], 'q', { kind: 'param' })]);
    assert.equal(computeDelta(make(), make()), undefined);
  });

  it('posts a delta with no rows when only labels or problems changed', () => {
    const prev = state([row('a', 1, 1)]);
    const moved = computeDelta(prev, state([row('a', 1, 1)], { old: { label: 'main', sha: 'b'.repeat(40) } }));
    assert.ok(moved);
    assert.deepEqual([moved.upserts, moved.removed], [[], []]);
    const broken = computeDelta(prev, state([row('a', 1, 1)], { problems: ['metrics.json: line 1'] }));
    assert.deepEqual(broken?.problems, ['metrics.json: line 1']);
  });

  it('handles 20,000 rows', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => row(`k${i}`, i, i + 1, { delta: 1 }));
    const next = rows.map((r, i) => (i % 100 === 0 ? { ...r, new: -1, delta: -1 - i } : { ...r }));
    const delta = computeDelta(state(rows), state(next));
    assert.equal(delta?.upserts.length, 200);
    assert.equal(delta?.removed.length, 0);
  });
});

describe('metric diff host: messages from the webview are checked', () => {
  it('accepts the protocol', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'swap', extra: 1 }), { type: 'swap' });
    assert.deepEqual(parseWebviewMessage({ type: 'pickRevision', side: 'new' }), { type: 'pickRevision', side: 'new' });
    assert.deepEqual(parseWebviewMessage({ type: 'copyMarkdown', rowIds: ['a', 'b'] }), { type: 'copyMarkdown', rowIds: ['a', 'b'] });
  });

  it('drops anything else', () => {
    for (const bad of [
      null,
      'ready',
      42,
      {},
      { type: 'eval' },
      { type: 'pickRevision', side: 'left' },
      { type: 'copyMarkdown', rowIds: 'a' },
      { type: 'copyMarkdown', rowIds: [1] },
      { type: '__proto__' },
    ]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('restores revisions from the saved webview state, and nothing from junk', () => {
    assert.deepEqual(revisionsFromSavedState({ version: 1, revisions: { old: 'main', new: 'workspace' }, options: {}, scrollTop: 0 }), {
      old: 'main',
      new: 'workspace',
    });
    for (const bad of [
      undefined,
      null,
      {},
      { revisions: null },
      { revisions: { old: 'main' } },
      { revisions: { old: '', new: 'x' } },
      { revisions: { old: 'a\nb', new: 'x' } },
      { revisions: { old: 'x'.repeat(5000), new: 'x' } },
    ]) {
      assert.equal(revisionsFromSavedState(bad), undefined, JSON.stringify(bad));
    }
  });

  it('the pure host modules do not import vscode (so they run in plain Node)', () => {
    for (const f of ['html.ts', 'stateDelta.ts', 'messages.ts']) {
      assert.doesNotMatch(readFileSync(join(ROOT, 'src', 'extension', 'metricDiff', f), 'utf8'), /from ['"]vscode['"]/);
    }
    // The protocol stays type-only apart from rowId (it is bundled into the browser).
    const protocol = readFileSync(join(ROOT, 'src', 'protocol', 'metricDiff.ts'), 'utf8');
    assert.deepEqual(
      [...protocol.matchAll(/^export (?:async )?(function|const|let|class)\s+(\w+)/gm)].map((m) => m[2]),
      ['rowId'],
    );
    assert.doesNotMatch(protocol, /^import (?!type)/m);
  });
});
