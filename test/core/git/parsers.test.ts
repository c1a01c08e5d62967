import { strict as assert } from 'node:assert';
import { parseRawLog } from '../../../src/core/git/history';
import { parseForEachRef, parseExpRef } from '../../../src/core/git/refs';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const BLOB1 = '1'.repeat(40);
const BLOB2 = '2'.repeat(40);
const ZERO = '0'.repeat(40);

describe('parseRawLog (literal git log --raw -z output)', () => {
  it('reads commit fields and the changes against the first parent, filtering paths early', () => {
    const out =
      `\x01${A}\0\0Ann\0ann@x\x00100\x00101\0first line\0body line\n\0\0\n` +
      `:000000 100644 ${ZERO} ${BLOB1} A\0params.yaml\0:000000 100644 ${ZERO} ${BLOB2} A\0src/a.bin\0` +
      `\x01${B}\0${A}\0Bob\0bob@x\x00200\x00201\0second\0\0\0\n` +
      `:100644 100644 ${BLOB1} ${BLOB2} M\0params.yaml\0:100644 000000 ${BLOB2} ${ZERO} D\0metrics.json\0:120000 120000 ${BLOB1} ${BLOB2} M\0link.json\0`;
    const commits = parseRawLog(out, (p) => !p.endsWith('.bin'));
    assert.equal(commits.length, 2);
    assert.deepEqual(commits[0], {
      sha: A,
      parents: [],
      authorName: 'Ann',
      authorEmail: 'ann@x',
      authorTime: 100,
      commitTime: 101,
      subject: 'first line',
      body: 'body line',
      changes: [{ path: 'params.yaml', oid: BLOB1, mode: '100644' }],
    });
    assert.deepEqual(commits[1].parents, [A]);
    assert.deepEqual(commits[1].changes, [
      { path: 'params.yaml', oid: BLOB2, mode: '100644' },
      { path: 'metrics.json' },
      { path: 'link.json', oid: BLOB2, mode: '120000' },
    ]);
  });

  it('reads a commit without changes (merge with no first-parent diff)', () => {
    const out = `\x01${B}\0${A} ${A}\0M\0m@x\x001\x002\0Merge\0\0\0`;
    const [c] = parseRawLog(out, () => true);
    assert.deepEqual(c.parents, [A, A]);
    assert.deepEqual(c.changes, []);
  });
});

describe('parseForEachRef (literal for-each-ref output)', () => {
  const line = (...f: string[]) => f.join('\0');
  it('peels annotated tags, keeps tagger time and subject, reads experiments and skips DVC internals', () => {
    const out =
      [
        line('refs/heads/main', 'commit', A, '', '', '', '1700000000', 'tip subject'),
        line('refs/tags/v1', 'tag', B, A, 'commit', '1700000100', '1700000100', 'Release v1'),
        line('refs/tags/light', 'commit', A, '', '', '', '1700000000', 'x'),
        line('refs/tags/tree-tag', 'tag', B, BLOB1, 'tree', '1', '1', 'points at a tree'),
        line(`refs/exps/${A.slice(0, 2)}/${A.slice(2)}/exp-12345`, 'commit', B, '', '', '', '1700000200', 'dvc: commit experiment'),
        line('refs/exps/exec/EXEC_HEAD', 'commit', B, '', '', '', '1', ''),
        line('refs/exps/celery/x/y/z', 'commit', B, '', '', '', '1', ''),
      ].join('\n') + '\n';
    const refs = parseForEachRef(out);
    assert.deepEqual(
      refs.map((r) => [r.kind, r.short, r.sha, r.annotated, r.time]),
      [
        ['branch', 'main', A, false, 1700000000],
        ['tag', 'v1', A, true, 1700000100],
        ['tag', 'light', A, false, 1700000000],
        ['exp', 'exp-12345', B, false, 1700000200],
      ],
    );
    assert.equal(refs[1].message, 'Release v1');
    assert.equal(refs[3].baseline, A);
  });

  it('parses experiment ref names', () => {
    assert.deepEqual(parseExpRef(`refs/exps/${A.slice(0, 2)}/${A.slice(2)}/tidy-sash`), { baseline: A, expName: 'tidy-sash' });
    assert.equal(parseExpRef('refs/exps/stash'), undefined);
    assert.equal(parseExpRef('refs/exps/ab/notasha/x'), undefined);
  });
});
