// .gitignore entries for cached outs: the text rules against literal fixtures (each checked
// against scmrepo's Git._add_entry_to_gitignore / ignore_remove), then ignoreOut / unignoreOut
// and the repro runner in real temporary Git repositories.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitFixture } from '../../helpers/gitFixture';
import { gitignoreEntry, ignoreOut, ignoreOuts, unignoreOut, withEntry, withoutEntry } from '../../../src/core/repro/gitignore';
import { reproduce } from '../../../src/core/repro/runner';
import { createReproIO } from '../../../src/core/repro/reproIO';
import type { ReproEvent } from '../../../src/core/repro/types';

const read = (repo: GitFixture, f: string) => readFileSync(join(repo.dir, f), 'utf8');
const exists = (repo: GitFixture, f: string) => existsSync(join(repo.dir, f));
/** Exit 0 of git check-ignore: git itself ignores the path. */
const gitIgnores = (repo: GitFixture, f: string) => {
  try {
    execFileSync('git', ['check-ignore', '-q', '--no-index', '--', `./${f}`], { cwd: repo.dir });
    return true;
  } catch {
    return false;
  }
};

describe('gitignore entries for cached outs', function () {
  this.timeout(20000);
  const repos: GitFixture[] = [];
  /** A repository with `files` committed and `untracked` written after (outs are never tracked). */
  const fixture = (files: Record<string, string> = {}, untracked: Record<string, string> = {}) => {
    const r = GitFixture.create();
    r.commit('init', { 'README.md': 'x\n', ...files });
    r.write(untracked);
    repos.push(r);
    return r;
  };
  after(() => {
    for (const r of repos) r.cleanup();
  });

  describe('text rules', () => {
    it('entry is /name with \\ [ ] ! * # ? escaped and nothing else', () => {
      assert.equal(gitignoreEntry('model.pkl'), '/model.pkl');
      assert.equal(gitignoreEntry('we*ird[1]#!?.txt'), '/we\\*ird\\[1\\]\\#\\!\\?.txt');
      assert.equal(gitignoreEntry('back\\slash'), '/back\\\\slash');
      assert.equal(gitignoreEntry('sp ace '), '/sp ace ');
    });

    it('appends, with a newline first only when the file does not end with one', () => {
      const add = (before: string | undefined) =>
        withEntry(before === undefined ? undefined : Buffer.from(before, 'latin1'), '/m').toString('latin1');
      assert.equal(add(undefined), '/m\n');
      assert.equal(add(''), '/m\n');
      assert.equal(add('x'), 'x\n/m\n');
      assert.equal(add('x\n'), 'x\n/m\n');
      assert.equal(add('a\r\n'), 'a\r\n/m\n');
      assert.equal(add('a\r'), 'a\r/m\n');
      // no duplicate check: scmrepo's reads from the end of an 'a+' file and sees nothing
      assert.equal(add('/m\n'), '/m\n/m\n');
      // other bytes are kept as they are
      assert.equal(add('\xff\xfe'), '\xff\xfe\n/m\n');
    });

    it('removes by the unescaped name, stripped; an emptied file is undefined (deleted)', () => {
      assert.equal(withoutEntry('/x\n', 'x'), undefined);
      assert.equal(withoutEntry('/x', 'x'), undefined);
      assert.equal(withoutEntry('a\r\n/x\r\nb\r\n', 'x'), 'a\nb\n');
      assert.equal(withoutEntry('a\r/x\rb', 'x'), 'a\nb');
      assert.equal(withoutEntry('  /x  \n\x1c/x\x1c\n\ufeff/x\n/y', 'x'), '\ufeff/x\n/y');
      assert.equal(withoutEntry('/x\n\n', 'x'), '\n');
      assert.equal(withoutEntry('a\n/x', 'x'), 'a\n');
      assert.equal(withoutEntry('/we\\*x\n/we*x\n', 'we*x'), '/we\\*x\n');
      assert.equal(withoutEntry('/xy\nx\n/x/\n', 'x'), '/xy\nx\n/x/\n');
    });
  });

  describe('ignoreOut / unignoreOut', () => {
    it('creates the .gitignore beside the out', async () => {
      const repo = fixture({}, { 'model.pkl': 'm' });
      assert.equal(await ignoreOut(repo.dir, 'model.pkl'), join(repo.dir, '.gitignore'));
      assert.equal(read(repo, '.gitignore'), '/model.pkl\n');
      assert.ok(gitIgnores(repo, 'model.pkl'));
      // a second time git already ignores it: nothing written
      assert.equal(await ignoreOut(repo.dir, 'model.pkl'), undefined);
      assert.equal(read(repo, '.gitignore'), '/model.pkl\n');
    });

    it('adds a newline to an existing file that lacks one', async () => {
      const repo = fixture({ '.gitignore': '*.log' }, { 'model.pkl': 'm' });
      await ignoreOut(repo.dir, 'model.pkl');
      assert.equal(read(repo, '.gitignore'), '*.log\n/model.pkl\n');
    });

    it('writes nothing for a path git already ignores (pattern, parent folder, info/exclude), but does after a negation', async () => {
      const repo = fixture(
        { '.gitignore': '*.pkl\ndata/\n!keep.pkl\n' },
        { 'm.pkl': '1', 'data/sub/x': '2', 'keep.pkl': '3', 'e.txt': '4' },
      );
      writeFileSync(join(repo.dir, '.git', 'info', 'exclude'), 'e.txt\n');
      for (const p of ['m.pkl', 'data/sub/x', 'e.txt']) assert.equal(await ignoreOut(repo.dir, p), undefined, p);
      assert.equal(exists(repo, 'data/sub/.gitignore'), false);
      await ignoreOut(repo.dir, 'keep.pkl');
      assert.equal(read(repo, '.gitignore'), '*.pkl\ndata/\n!keep.pkl\n/keep.pkl\n');
    });

    it("puts a nested out in its own folder's .gitignore, a folder out as /name, special names escaped", async () => {
      const repo = fixture({}, { 'data/sub/x.bin': '1', 'data/feat/a': '2', 'we*ird[1]#!?.txt': '3', ':(glob)m': '4' });
      await ignoreOuts(repo.dir, ['data/sub/x.bin', 'data/feat', 'we*ird[1]#!?.txt', ':(glob)m']);
      assert.equal(read(repo, 'data/sub/.gitignore'), '/x.bin\n');
      assert.equal(read(repo, 'data/.gitignore'), '/feat\n');
      assert.equal(read(repo, '.gitignore'), '/we\\*ird\\[1\\]\\#\\!\\?.txt\n/:(glob)m\n');
      for (const p of ['data/sub/x.bin', 'data/feat', 'we*ird[1]#!?.txt', ':(glob)m']) assert.ok(gitIgnores(repo, p), p);
    });

    it('refuses an out Git tracks, as DVC does, and writes no entry for the stage', async () => {
      const repo = fixture({ 'data/t.txt': 't' }, { 'a.bin': 'a' });
      await assert.rejects(ignoreOuts(repo.dir, ['a.bin', 'data']), /output 'data' is already tracked by SCM/);
      assert.equal(exists(repo, '.gitignore'), false);
    });

    it('outside Git does nothing', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'lineage-nogit-'));
      try {
        writeFileSync(join(dir, 'm.pkl'), 'm');
        assert.equal(await ignoreOut(dir, 'm.pkl'), undefined);
        assert.equal(existsSync(join(dir, '.gitignore')), false);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('removes the entry, keeps other lines, deletes an emptied file', async () => {
      const repo = fixture({ 'd/.gitignore': '/a\r\n# keep\r\n/b', 'x/.gitignore': '/only\n' });
      await unignoreOut(repo.dir, 'd/a');
      assert.equal(read(repo, 'd/.gitignore'), '# keep\n/b');
      await unignoreOut(repo.dir, 'x/only');
      assert.equal(exists(repo, 'x/.gitignore'), false);
      assert.equal(await unignoreOut(repo.dir, 'nowhere/y'), undefined);
    });
  });

  describe('lineage repro', () => {
    const run = async (repo: GitFixture) => {
      const events: ReproEvent[] = [];
      const result = await reproduce(repo.dir, createReproIO(repo.dir), { targets: [] }, (e) => events.push(e));
      return { result, events };
    };

    it('ignores cached outs of a sub-project with wdir, not uncached ones', async () => {
      const repo = fixture({
        '.dvc/config': '',
        'proj/.dvc/config': '',
        'proj/models/.gitignore': '/old',
        'proj/dvc.yaml': `stages:
  a:
    wdir: src
    cmd: mkdir -p ../models && echo 1 > ../models/m.pkl && echo 2 > m2.pkl && echo 3 > ../top.bin && echo '{}' > ../metrics.json
    outs:
    - ../models/m.pkl
    - m2.pkl
    - ../top.bin
    metrics:
    - ../metrics.json:
        cache: false
`,
        'proj/src/keep': '',
      });
      const { result } = await run(repo);
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(read(repo, 'proj/models/.gitignore'), '/old\n/m.pkl\n');
      assert.equal(read(repo, 'proj/src/.gitignore'), '/m2.pkl\n');
      assert.equal(read(repo, 'proj/.gitignore'), '/top.bin\n');
      assert.equal(gitIgnores(repo, 'proj/metrics.json'), false);
    });

    it('keeps the entry when an out becomes cache: false (DVC removes it only in dvc remove / move)', async () => {
      const yaml = (cache: boolean) =>
        `stages:\n  t:\n    cmd: echo ${cache ? 1 : 2} > model.pkl\n    outs:\n    - model.pkl:\n        cache: ${cache}\n`;
      const repo = fixture({ '.dvc/config': '', 'dvc.yaml': yaml(true) });
      assert.ok((await run(repo)).result.ok);
      assert.equal(read(repo, '.gitignore'), '/model.pkl\n');
      repo.write({ 'dvc.yaml': yaml(false) });
      assert.ok((await run(repo)).result.ok);
      assert.equal(read(repo, '.gitignore'), '/model.pkl\n');
      // what `dvc remove` would then do
      await unignoreOut(repo.dir, 'model.pkl');
      assert.equal(exists(repo, '.gitignore'), false);
    });

    it('fails a stage whose cached out Git tracks, leaving dvc.lock unwritten', async () => {
      const repo = fixture({
        '.dvc/config': '',
        'model.pkl': 'old',
        'dvc.yaml': 'stages:\n  t:\n    cmd: echo 1 > model.pkl\n    outs:\n    - model.pkl\n',
      });
      const { result } = await run(repo);
      assert.equal(result.ok, false);
      assert.match(result.failed?.message ?? '', /output 'model.pkl' is already tracked by SCM/);
      assert.equal(exists(repo, 'dvc.lock'), false);
      assert.equal(exists(repo, '.gitignore'), false);
    });

    it('ignores the data of a changed .dvc file it commits', async () => {
      const repo = fixture({
        '.dvc/config': '',
        'data/.gitignore': '# data\n',
        'dvc.yaml': 'stages:\n  count:\n    cmd: wc -l < data/raw.csv > n.txt\n    deps:\n    - data/raw.csv\n    outs:\n    - n.txt\n',
      });
      repo.write({
        'data/raw.csv': 'a,b\n',
        'data/raw.csv.dvc': 'outs:\n- md5: d41d8cd98f00b204e9800998ecf8427e\n  size: 1\n  hash: md5\n  path: raw.csv\n',
      });
      const { result } = await run(repo);
      assert.ok(result.ok, JSON.stringify(result));
      assert.equal(read(repo, 'data/.gitignore'), '# data\n/raw.csv\n');
      assert.equal(read(repo, '.gitignore'), '/n.txt\n');
    });
  });
});
