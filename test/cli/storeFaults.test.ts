// The index under concurrency and faults, with real processes: two indexers and a reader at
// once, an indexer that must wait, a full disk (small tmpfs), a damaged page.

import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, runCli } from '../helpers/runCli';
import { mountSmallDisk, type SmallDisk } from '../helpers/smallDisk';
import { tryOwnerLock } from '../../src/core/util/ownerLock';
import { reportError } from '../../src/cli/main';

let demo: string;

function cli(args: string[], store: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '--repo', demo, '--store', store, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('the index under concurrency and faults', function () {
  this.timeout(120000);

  before(() => {
    demo = join(mkdtempSync(join(tmpdir(), 'lineage-faults-')), 'demo');
    const r = runCli(['demo-repo', demo]);
    assert.equal(r.status, 0, r.stderr);
  });

  it('two indexers and a reader at once: all exit 0, and the result equals a lone index', async () => {
    const lone = join(mkdtempSync(join(tmpdir(), 'lineage-idx-')), 'index.sqlite');
    assert.equal((await cli(['index', '--quiet'], lone)).code, 0);
    const expected = (await cli(['--no-index', 'log', '--json'], lone)).out;
    for (let round = 0; round < 3; round++) {
      const store = join(mkdtempSync(join(tmpdir(), 'lineage-idx-')), 'index.sqlite');
      const runs = await Promise.all([
        cli(['index', '--quiet'], store),
        cli(['index', '--quiet'], store),
        new Promise((r) => setTimeout(r, 150)).then(() => cli(['show', 'HEAD'], store)),
      ]);
      for (const r of runs) assert.equal(r.code, 0, r.err);
      assert.equal((await cli(['--no-index', 'log', '--json'], store)).out, expected);
    }
  });

  it('an indexer waits for the one holding the index, says so after a second, then finishes', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'lineage-idx-')), 'index.sqlite');
    const held = tryOwnerLock(`${store}.indexing.lock`);
    assert.ok('lock' in held);
    const waiting = cli(['index', '--quiet'], store);
    await new Promise((r) => setTimeout(r, 2500));
    held.lock.release();
    const r = await waiting;
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, `lineage: waiting for another indexer (pid ${process.pid})\n`);
  });

  describe('on a full disk', () => {
    let disk: SmallDisk | undefined;
    afterEach(() => {
      disk?.unmount();
      disk = undefined;
    });

    it('indexing says the disk is full, naming the index; once space is freed the next run completes', async function () {
      const d = mountSmallDisk(160);
      if ('refused' in d) {
        process.stdout.write(`      (skipped: ${d.refused})\n`);
        this.skip();
      }
      disk = d as SmallDisk;
      const store = join(disk.dir, 'lineage', 'index.sqlite');
      mkdirSync(join(disk.dir, 'lineage'));
      const full = await cli(['index', '--quiet'], store);
      assert.equal(full.code, 2, full.err);
      assert.match(
        full.err,
        new RegExp(`^lineage: The disk holding the index ${store.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is full .*\\n$`),
      );
      assert.doesNotMatch(full.err, /cannot rollback|internal error/);
      spawnSync('mount', ['-o', 'remount,size=64m', disk.dir]);
      const again = await cli(['index', '--quiet'], store);
      assert.equal(again.code, 0, again.err);
      assert.equal((await cli(['show', 'HEAD'], store)).code, 0);
    });
  });

  it('a damaged page: index and show exit 2 with the rebuild hint and never write to the file; --rebuild recovers', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'lineage-idx-')), 'index.sqlite');
    assert.equal((await cli(['index', '--quiet'], store)).code, 0);
    assert.ok(!existsSync(`${store}-wal`) || statSync(`${store}-wal`).size === 0, 'checkpointed on close');
    const size = statSync(store).size;
    const fd = openSync(store, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, Math.floor(size / 4096 / 2) * 4096);
    closeSync(fd);
    const damaged = sha(store);
    for (const args of [['index'], ['show', 'HEAD'], ['metrics', 'diff', 'HEAD~1']]) {
      const r = await cli(args, store);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.out}${r.err}`);
      assert.match(r.err, /^lineage: The index .* is damaged .*lineage index --rebuild/);
      assert.equal(sha(store), damaged, `${args.join(' ')} wrote nothing to the damaged file`);
    }
    const rebuilt = await cli(['index', '--rebuild', '--quiet'], store);
    assert.equal(rebuilt.code, 0, rebuilt.err);
    assert.equal((await cli(['show', 'HEAD'], store)).code, 0);
  });

  it('an internal error is one line and exit 2, with the stack only under --debug', () => {
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    (process.stderr as { write: unknown }).write = (s: string) => {
      written.push(s);
      return true;
    };
    try {
      assert.equal(reportError(new TypeError('x is undefined\n  at somewhere')), 2);
    } finally {
      (process.stderr as { write: unknown }).write = write;
    }
    assert.deepEqual(written, ['lineage: internal error: x is undefined at somewhere (rerun with --debug for the stack)\n']);
  });
});
