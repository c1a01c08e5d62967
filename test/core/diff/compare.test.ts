import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { diffValues, type FileValues } from '../../../src/core/diff/diff';
import { compareValues } from '../../../src/core/diff/diffRows';
import { diffToMarkdown, rowsToMarkdown } from '../../../src/core/diff/markdown';
import { buildDiffTable } from '../../../src/core/query/diffTable';
import type { ValuesAtRevision } from '../../../src/core/query/values';

const ROOT = join(__dirname, '..', '..', '..', '..');

const metrics: { old: FileValues; new: FileValues } = {
  old: { 'm.json': { loss: 0.5, acc: 0.8, score: 10, same: 1, name: 'a' }, 'eval/m.json': { 'val.score': 3 } },
  new: { 'm.json': { loss: 0.4, acc: 0.7, score: 12, same: 1.0, name: 'b', added: 2 }, 'eval/m.json': { 'val.score': 5 } },
};
const params: { old: FileValues; new: FileValues } = {
  old: { 'params.yaml': { lr: 0.01, seed: 1 } },
  new: { 'params.yaml': { lr: 0.02, seed: 1 } },
};
/** acc is lower-is-better by flag; every score by glob, except val.score, which its flag turns back. */
const directions = { exact: { acc: 'lower', 'val.score': 'higher' } as const, globs: { '**.score': 'lower', score: 'lower' } as const };

describe('compareValues: one pass from both sides to the table', () => {
  it('gives every key of both sides, by kind then file, with delta, relative, changed and the verdict by direction', () => {
    const table = compareValues({ metrics, params }, directions);
    const brief = table.rows.map((r) => [r.kind, r.file, r.key, r.changed, r.verdict]);
    assert.deepEqual(brief, [
      ['metric', 'eval/m.json', 'val.score', true, 'better'],
      ['metric', 'm.json', 'acc', true, 'better'],
      ['metric', 'm.json', 'added', true, 'n/a'],
      ['metric', 'm.json', 'loss', true, 'better'],
      ['metric', 'm.json', 'name', true, 'n/a'],
      ['metric', 'm.json', 'same', false, 'same'],
      ['metric', 'm.json', 'score', true, 'worse'],
      ['param', 'params.yaml', 'lr', true, 'n/a'],
      ['param', 'params.yaml', 'seed', false, 'n/a'],
    ]);
    assert.deepEqual([table.improved, table.regressed], [3, 1]);
    const valScore = table.rows[0];
    assert.deepEqual([valScore.old, valScore.new, valScore.delta, valScore.relative], [3, 5, 2, 2 / 3]);
    const added = table.rows[2];
    assert.deepEqual([added.old, added.new, 'delta' in added, 'relative' in added], [null, 2, false, false]);
  });

  it('without directions, names decide (loss lower, the rest higher); globs alone work as settings give them', () => {
    const byName = compareValues({ metrics, params });
    const verdict = (t: ReturnType<typeof compareValues>, key: string) => t.rows.find((r) => r.key === key)?.verdict;
    assert.deepEqual(
      ['acc', 'loss', 'score', 'val.score'].map((k) => verdict(byName, k)),
      ['worse', 'better', 'better', 'better'],
    );
    const byGlob = compareValues({ metrics, params }, { globs: { '**.score': 'lower', score: 'lower' } });
    assert.deepEqual(
      ['acc', 'loss', 'score', 'val.score'].map((k) => verdict(byGlob, k)),
      ['worse', 'better', 'worse', 'worse'],
    );
  });

  it('the Markdown of the rows is the table `diffToMarkdown` gives for the same comparison', () => {
    const table = compareValues({ metrics, params }, directions);
    const md = rowsToMarkdown(
      table.rows.filter((r) => r.changed),
      'main',
      'exp',
    );
    const exact = { acc: 'lower', 'val.score': 'higher', score: 'lower' } as const;
    assert.equal(
      md,
      diffToMarkdown(diffValues(metrics.old, metrics.new), 'main', 'exp', { kind: 'metrics', directions: exact }) +
        '\n' +
        diffToMarkdown(diffValues(params.old, params.new), 'main', 'exp', { kind: 'params' }),
    );
    assert.match(md, /\| eval\/m\.json \| val\.score \| 3 \| 5 \| ▲ \+2 ✅ \|/);
    assert.match(md, /\| m\.json \| score \| 10 \| 12 \| ▲ \+2 ❌ \|/);
    assert.match(md, /\| params\.yaml \| lr \| 0\.01 \| 0\.02 \| ▲ \+0\.01 \|/);
    assert.match(md, /^\| Path \| Param \| main \| exp \| Change \|$/m);
    // Only metric rows picked: only the metrics table.
    assert.doesNotMatch(
      rowsToMarkdown(
        table.rows.filter((r) => r.kind === 'metric'),
        'main',
        'exp',
      ),
      /Param/,
    );
    assert.equal(rowsToMarkdown([], 'main', 'exp'), 'No differences between main and exp.\n');
  });

  it('buildDiffTable reads each side of each kind once and compares once, problems tagged with their side', () => {
    const reads: string[] = [];
    const read = (sha: string, kind: 'metrics' | 'params'): ValuesAtRevision => {
      reads.push(`${sha}:${kind}`);
      const side = sha === 'a' ? 'old' : 'new';
      return {
        values: (kind === 'metrics' ? metrics : params)[side],
        problems: kind === 'params' && side === 'new' ? [{ path: 'p.yaml', status: 'error', message: 'bad' }] : [],
      };
    };
    const table = buildDiffTable(undefined as never, 'a', 'b', directions, read);
    assert.deepEqual(reads, ['a:metrics', 'b:metrics', 'a:params', 'b:params']);
    assert.deepEqual(table.problems, [{ path: 'p.yaml', status: 'error', message: 'bad', side: 'new' }]);
    const { problems: _, ...comparison } = table;
    assert.deepEqual(comparison, compareValues({ metrics, params }, directions));
  });

  it('diff/ only compares: it reads nothing (no index, git, files or processes)', () => {
    const dir = join(ROOT, 'src', 'core', 'diff');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const text = readFileSync(join(dir, f), 'utf8');
      for (const m of text.matchAll(/from ['"]([^'"]+)['"]/g)) {
        assert.match(m[1], /^(\.\/|\.\.\/(data|python|util)\/)/, `${f} imports ${m[1]}`);
      }
    }
  });
});
