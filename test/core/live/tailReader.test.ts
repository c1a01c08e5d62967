import { strict as assert } from 'node:assert';
import { appendFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNewLines, TAIL_START, type TailCursor } from '../../../src/core/live/tailReader';

describe('readNewLines (tail reading of a file being written)', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lineage-tail-'));
    file = join(dir, 'acc.tsv');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('returns complete lines only; a partial last line waits for its newline', () => {
    writeFileSync(file, 'step\tacc\n0\t0.5\n1\t0.');
    const first = readNewLines(file);
    assert.deepEqual(first.lines, ['step\tacc', '0\t0.5']);
    assert.equal(first.firstLine, 1);
    assert.equal(first.reset, false);
    assert.equal(first.cursor.offset, Buffer.byteLength('step\tacc\n0\t0.5\n'));
    const waiting = readNewLines(file, first.cursor);
    assert.deepEqual(waiting.lines, []);
    assert.equal(waiting.cursor.offset, first.cursor.offset);
    appendFileSync(file, '75\n2\t0.8');
    const second = readNewLines(file, waiting.cursor);
    assert.deepEqual(second.lines, ['1\t0.75']);
    assert.equal(second.firstLine, 3);
    assert.equal(second.reset, false);
  });

  it('handles CRLF, a CR waiting for its LF, and CRCRLF from text-mode writers on Windows', () => {
    writeFileSync(file, 'step\tloss\r\n0\t2.5\r');
    const first = readNewLines(file);
    assert.deepEqual(first.lines, ['step\tloss']);
    appendFileSync(file, '\n1\t1.25\r\r\n');
    assert.deepEqual(readNewLines(file, first.cursor).lines, ['0\t2.5', '1\t1.25']);
  });

  it('keeps a UTF-8 character split across two writes whole, and drops a BOM at the start', () => {
    const bytes = Buffer.from('\uFEFFstep\tvalue\nété\n', 'utf8');
    const cut = bytes.indexOf(Buffer.from('é', 'utf8')) + 1;
    writeFileSync(file, bytes.subarray(0, cut));
    const first = readNewLines(file);
    assert.deepEqual(first.lines, ['step\tvalue']);
    appendFileSync(file, bytes.subarray(cut));
    assert.deepEqual(readNewLines(file, first.cursor).lines, ['été']);
  });

  it('restarts from 0 and says so when the file shrank (DVCLive resuming rewrites its TSVs)', () => {
    writeFileSync(file, 'step\tacc\n0\t0.1\n1\t0.2\n2\t0.3\n');
    const first = readNewLines(file);
    truncateSync(file, 0);
    writeFileSync(file, 'step\tacc\n0\t0.1\n');
    const again = readNewLines(file, first.cursor);
    assert.equal(again.reset, true);
    assert.deepEqual(again.lines, ['step\tacc', '0\t0.1']);
    assert.equal(again.firstLine, 1);
    assert.equal(readNewLines(file, again.cursor).reset, false, 'after the restart, appends are appends again');
  });

  it('restarts when the file was rewritten in place to the same or a larger size (metrics.json every step)', () => {
    writeFileSync(file, '{"step": 1, "acc": 0.5}\n');
    const first = readNewLines(file);
    writeFileSync(file, '{"step": 2, "acc": 0.6}\n{"more": true}\n');
    const again = readNewLines(file, first.cursor);
    assert.equal(again.reset, true);
    assert.deepEqual(again.lines, ['{"step": 2, "acc": 0.6}', '{"more": true}']);
  });

  it('restarts when the file was replaced by a rename (another inode), even with the same bytes before the offset', () => {
    writeFileSync(file, 'step\tacc\n0\t0.1\n');
    const first = readNewLines(file);
    const temp = join(dir, 'acc.tsv.tmp');
    writeFileSync(temp, 'step\tacc\n0\t0.1\n1\t0.2\n');
    renameSync(temp, file);
    const again = readNewLines(file, first.cursor);
    assert.equal(again.reset, true);
    assert.deepEqual(again.lines, ['step\tacc', '0\t0.1', '1\t0.2']);
  });

  it('reports a missing file, and a reset once a file that was read is gone', () => {
    const none = readNewLines(join(dir, 'nope.tsv'));
    assert.equal(none.missing, true);
    assert.equal(none.reset, false);
    writeFileSync(file, 'a\n');
    const read = readNewLines(file);
    rmSync(file);
    const gone = readNewLines(file, read.cursor);
    assert.deepEqual([gone.missing, gone.reset, gone.cursor], [true, true, TAIL_START]);
  });

  it('takes a plain byte offset, and reads a long file in several bounded reads', () => {
    writeFileSync(file, 'aaaa\nbbbb\ncccc\n');
    assert.deepEqual(readNewLines(file, 5).lines, ['bbbb', 'cccc']);
    assert.equal(readNewLines(file, 100).reset, true, 'an offset past the end: the file shrank');
    let cursor: TailCursor = TAIL_START;
    const seen: string[] = [];
    let reads = 0;
    for (let more = true; more; reads++) {
      const r = readNewLines(file, cursor, 7);
      seen.push(...r.lines);
      cursor = r.cursor;
      more = r.more;
    }
    assert.deepEqual(seen, ['aaaa', 'bbbb', 'cccc']);
    assert.equal(reads, 3);
  });
});
