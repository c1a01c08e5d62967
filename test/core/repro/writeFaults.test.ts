// Faults while repro writes: a full disk during a cache copy or a file replacement, temporaries
// left by killed runs, stale and contested repro locks. Disk-full cases run on a small real
// tmpfs; where mounting is refused the test says so and is skipped.

import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { GitFixture } from '../../helpers/gitFixture';
import { mountSmallDisk, type SmallDisk } from '../../helpers/smallDisk';
import { CLI } from '../../helpers/runCli';
import { reproduce } from '../../../src/core/repro/runner';
import { createReproIO } from '../../../src/core/repro/reproIO';
import { acquireReproLock, lockFileOf, ReproBusyError } from '../../../src/core/repro/reproMutex';
import { writeFileAtomic } from '../../../src/core/util/atomicWrite';
import type { ReproEvent } from '../../../src/core/repro/types';

function initRepo(dir: string, files: Record<string, string>): GitFixture {
  const repo = new GitFixture(dir);
  repo.git('init', '-q', '-b', 'main');
  repo.git('config', 'user.name', 'Test User');
  repo.git('config', 'user.email', 'test@example.com');
  repo.commit('pipeline', { '.dvc/config': '', ...files });
  return repo;
}

/** Every file below `dir`, recursively, as paths relative to it. */
function filesBelow(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name).slice(dir.length + 1));
}

/** Each cache object's content must hash to its name: a truncated object would not. */
function assertCacheHonest(root: string): string[] {
  const cache = join(root, '.dvc', 'cache', 'files', 'md5');
  const objects = filesBelow(cache);
  for (const rel of objects) {
    assert.doesNotMatch(rel, /\.tmp$/, `a temporary file is left in the cache: ${rel}`);
    const md5 = createHash('md5')
      .update(readFileSync(join(cache, rel)))
      .digest('hex');
    assert.equal(md5, rel.replace('/', ''), `${rel} holds bytes whose md5 is ${md5}`);
  }
  return objects;
}

async function repro(root: string) {
  const events: ReproEvent[] = [];
  const result = await reproduce(root, createReproIO(root), { targets: [] }, (e) => events.push(e));
  return { result, events };
}

/** A pid that surely belongs to no running process: one that just exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('repro writes that cannot lie', function () {
  this.timeout(60000);
  let disk: SmallDisk | undefined;
  afterEach(() => {
    disk?.unmount();
    disk = undefined;
  });

  function smallDisk(ctx: Mocha.Context, kib: number): SmallDisk {
    const d = mountSmallDisk(kib);
    if ('refused' in d) {
      process.stdout.write(`      (skipped: ${d.refused})\n`);
      ctx.skip();
    }
    return d as SmallDisk;
  }

  it('disk full during a cache copy: no object under the md5, no temporary, no dvc.lock; after space is freed the run completes', async function () {
    disk = smallDisk(this, 3072);
    const root = join(disk.dir, 'repo');
    mkdirSync(root);
    initRepo(root, { 'dvc.yaml': 'stages:\n  train:\n    cmd: head -c $SIZE /dev/urandom > model.bin\n    outs: [model.bin]\n' });
    // The model takes 60% of what is free: the cache copy needs as much again and cannot fit.
    process.env.SIZE = String(Math.floor(disk.free() * 0.6));
    try {
      const first = await repro(root);
      assert.equal(first.result.ok, false, 'the stage fails');
      assert.match(first.result.failed!.message, /ENOSPC|no space/i);
      assert.deepEqual(assertCacheHonest(root), [], 'nothing is stored under the md5');
      assert.equal(existsSync(join(root, 'dvc.lock')), false, 'no dvc.lock records the md5');

      spawnSync('mount', ['-o', 'remount,size=8m', disk.dir]);
      const second = await repro(root);
      assert.equal(second.result.ok, true, JSON.stringify(second.result));
      const objects = assertCacheHonest(root);
      assert.equal(objects.length, 1);
      assert.match(readFileSync(join(root, 'dvc.lock'), 'utf8'), new RegExp(`md5: ${objects[0].replace('/', '')}`));
    } finally {
      delete process.env.SIZE;
    }
  });

  it('disk full while a file is replaced: the old content stays and no temporary is left', function () {
    disk = smallDisk(this, 256);
    const file = join(disk.dir, 'dvc.lock');
    writeFileSync(file, 'old\n');
    const filler = Buffer.alloc(Math.max(0, disk.free() - 8192));
    writeFileSync(join(disk.dir, 'filler'), filler);
    assert.throws(() => writeFileAtomic(file, 'x'.repeat(64 * 1024)), /ENOSPC|no space/i);
    assert.equal(readFileSync(file, 'utf8'), 'old\n');
    assert.deepEqual(readdirSync(disk.dir).sort(), ['dvc.lock', 'filler']);
  });

  it('sweeps temporaries that killed runs left in the cache and .dvc/tmp, and keeps those of live processes', async () => {
    const repo = GitFixture.create();
    repo.commit('pipeline', {
      '.dvc/config': '',
      'dvc.yaml': 'stages:\n  train:\n    cmd: echo model > model.bin\n    outs: [model.bin]\n',
    });
    const dead = deadPid();
    const stale = [
      `.dvc/cache/files/md5/ab/.lineage-${dead}-AAAA.tmp`,
      `.dvc/cache/ab/.lineage-${dead}-BBBB.tmp`,
      `.dvc/tmp/.lineage-${dead}-CCCC.tmp`,
    ];
    const live = `.dvc/cache/files/md5/ab/.lineage-${process.pid}-DDDD.tmp`;
    const foreign = '.dvc/cache/files/md5/ab/cdef.tmp'; // not ours: DVC's own name
    repo.write(Object.fromEntries([...stale, live, foreign].map((p) => [p, 'partial'])));
    const { result } = await repro(repo.dir);
    assert.equal(result.ok, true);
    for (const p of stale) assert.equal(existsSync(join(repo.dir, p)), false, `${p} is swept`);
    assert.ok(existsSync(join(repo.dir, live)), 'a live writer keeps its temporary');
    assert.ok(existsSync(join(repo.dir, foreign)), 'names we did not make are left alone');
  });

  describe('the repro lock', () => {
    const slow = { '.dvc/config': '', 'dvc.yaml': 'stages:\n  slow:\n    cmd: sleep 1 && echo ok > out.txt\n    outs: [out.txt]\n' };

    for (const [what, content] of [
      ['empty', ''],
      ['unreadable', '{"pid": '],
      ['owned by a process that is gone', () => JSON.stringify({ pid: deadPid(), host: hostname(), started: '2026-01-01T00:00:00Z' })],
    ] as const) {
      it(`an ${what} lock is taken over with a warning`, async () => {
        const repo = GitFixture.create();
        repo.commit('pipeline', { '.dvc/config': '', 'dvc.yaml': 'stages:\n  a:\n    cmd: echo a > a.txt\n    outs: [a.txt]\n' });
        const lock = lockFileOf(repo.dir);
        mkdirSync(join(lock, '..'), { recursive: true });
        writeFileSync(lock, typeof content === 'function' ? content() : content);
        const { result, events } = await repro(repo.dir);
        assert.equal(result.ok, true);
        const warning = events.find((e) => e.type === 'warning');
        assert.ok(
          warning && warning.type === 'warning' && /Took over the lock .*lineage-repro.lock/.test(warning.message),
          JSON.stringify(events),
        );
        assert.equal(existsSync(lock), false, 'released afterwards');
      });
    }

    it('a lock held by a live process refuses, naming its pid; the lock file is whole from its first byte', () => {
      const repo = GitFixture.create();
      repo.commit('pipeline', slow);
      const held = acquireReproLock(repo.dir);
      try {
        const owner = JSON.parse(readFileSync(lockFileOf(repo.dir), 'utf8')) as { pid: number; host: string; started: string };
        assert.equal(owner.pid, process.pid);
        assert.equal(owner.host, hostname());
        assert.ok(!Number.isNaN(Date.parse(owner.started)));
        assert.throws(
          () => acquireReproLock(repo.dir),
          (e: Error) => e instanceof ReproBusyError && new RegExp(`pid ${process.pid}`).test(e.message),
        );
      } finally {
        held.release();
      }
    });

    it('two lineage processes at once: one runs, the other exits 2 and touches nothing', async () => {
      const repo = GitFixture.create();
      repo.commit('pipeline', slow);
      const run = () =>
        new Promise<{ code: number | null; err: string }>((resolve) => {
          const child = spawn(process.execPath, [CLI, '--repo', repo.dir, '--store', join(repo.dir, '.git', 'idx.sqlite'), 'repro'], {
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          let err = '';
          child.stderr.on('data', (d) => {
            err += String(d);
          });
          child.on('close', (code) => resolve({ code, err }));
        });
      const results = await Promise.all([run(), run()]);
      const codes = results.map((r) => r.code).sort();
      assert.deepEqual(codes, [0, 2], JSON.stringify(results));
      assert.match(results.find((r) => r.code === 2)!.err, /Another repro is running in this repository \(pid \d+/);
      assert.equal(readFileSync(join(repo.dir, 'out.txt'), 'utf8'), 'ok\n');
      assert.equal(existsSync(lockFileOf(repo.dir)), false);
    });
  });
});
