// The warm refresh (src/core/indexer/freshness.ts): when nothing an index run read has changed
// the run is skipped without starting git; any change of each kind it watches brings the full
// run back. Git processes are counted through a `git` on PATH that logs and runs the real one.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitFixture, PIPELINE, params, metrics } from '../../helpers/gitFixture';
import { CLI } from '../../helpers/runCli';
import { openRepo } from '../../../src/core/git/repo';
import { Store } from '../../../src/core/store/store';
import { indexRepository, type IndexOptions, type IndexReport } from '../../../src/core/indexer/indexer';
import { FRESH_KEY, RACY_MS } from '../../../src/core/indexer/freshness';
import { syncRuns } from '../../../src/core/workspace/runSync';
import { valuesAt } from '../../../src/core/query/values';
import { listRefRows } from '../../../src/core/query/revisions';
import { writeMlflowRun } from '../runs/mlflowFolders';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A folder with `git` that appends its arguments to `log` and runs the real git. */
function gitShim(): { dir: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lineage-git-shim-'));
  const log = join(dir, 'calls.log');
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  writeFileSync(join(dir, 'git'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(join(dir, 'git'), 0o755);
  return { dir, log };
}

interface Fixture {
  repo: GitFixture;
  store: Store;
}

describe('warm refresh: skipped when nothing changed, a full run after any change', function () {
  this.timeout(120000);
  if (process.platform === 'win32') return;
  let shim: { dir: string; log: string };
  const fixtures: Fixture[] = [];

  before(() => {
    shim = gitShim();
  });
  after(() => {
    for (const f of fixtures) {
      f.store.close();
      f.repo.cleanup();
    }
    rmSync(shim.dir, { recursive: true, force: true });
  });

  /** Runs fn with the logging git first on PATH; returns its result and the git calls made. */
  async function counted<T>(fn: () => Promise<T>): Promise<{ result: T; calls: string[] }> {
    rmSync(shim.log, { force: true });
    const path = process.env.PATH;
    process.env.PATH = `${shim.dir}:${path}`;
    try {
      const result = await fn();
      return { result, calls: existsSync(shim.log) ? readFileSync(shim.log, 'utf8').split('\n').filter(Boolean) : [] };
    } finally {
      process.env.PATH = path;
    }
  }

  const index = (f: Fixture, options: IndexOptions = {}) =>
    counted(async () => indexRepository(await openRepo(f.repo.dir), f.store, options));

  /** A small DVC project: a pipeline, params, one metrics file (eval/scores.yaml is absent), an ignored and an empty folder. */
  function project(): Fixture {
    const repo = GitFixture.create();
    repo.write({
      'dvc.yaml': PIPELINE,
      'train.py': 'print(1)\n',
      '.gitignore': 'ignored/\n',
      'ignored/sub/dvc.yaml': PIPELINE,
      'ignored/sub/params.yaml': params(0.7),
    });
    repo.commit('one', { 'params.yaml': params(0.1), 'metrics.json': metrics(0.5, 0.9) });
    repo.commit('two', { 'params.yaml': params(0.2), 'metrics.json': metrics(0.6, 0.8) });
    repo.git('branch', 'other');
    mkdirSync(join(repo.dir, 'empty'));
    const f = { repo, store: Store.open(':memory:') };
    fixtures.push(f);
    return f;
  }

  /** Index once, wait out the racy window, index again: that run leaves a record. */
  async function armed(list: Fixture[]): Promise<void> {
    for (const f of list) await index(f);
    await sleep(RACY_MS + 200);
    for (const f of list) {
      await index(f);
      assert.ok(f.store.getMeta(FRESH_KEY), 'a run on files older than the racy window leaves a record');
    }
  }

  const workspaceSubject = (f: Fixture) =>
    (f.store.sql("SELECT subject FROM revision WHERE sha = 'workspace'").get() as { subject: string }).subject;
  const workspacePipelines = (f: Fixture) =>
    (
      f.store
        .sql(
          "SELECT rp.project FROM revision_pipeline rp JOIN revision r ON r.id = rp.rev_id WHERE r.sha = 'workspace' ORDER BY rp.project",
        )
        .all() as { project: string }[]
    ).map((r) => r.project);
  const fileStatus = (f: Fixture, path: string) =>
    (
      f.store
        .sql("SELECT rf.status FROM revision_file rf JOIN revision r ON r.id = rf.rev_id WHERE r.sha = 'workspace' AND rf.path = ?")
        .get(path) as { status: string } | undefined
    )?.status;

  it('an unchanged repository: no git process, and the report a full run gives', async () => {
    const f = project();
    await armed([f]);
    const full = f.store.getMeta(FRESH_KEY)!;
    const fullSubject = workspaceSubject(f);
    const warm = await index(f);
    assert.deepEqual(warm.calls, [], 'no git process');
    const report: IndexReport = warm.result;
    assert.equal(report.commitsIndexed, 0);
    assert.equal(report.commitsWalked, 0);
    assert.deepEqual(report.refs, { added: 0, moved: 0, removed: 0 });
    assert.equal(report.workspaceFiles, (JSON.parse(full) as { workspaceFiles: number }).workspaceFiles);
    assert.ok(report.workspaceFiles > 0);
    assert.equal(workspaceSubject(f), fullSubject);
    // Asking for extra commits already indexed changes nothing either.
    const head = f.repo.git('rev-parse', 'HEAD');
    assert.deepEqual((await index(f, { extraTips: [head] })).calls, []);
  });

  it('sees every kind of change on the next refresh', async () => {
    const kinds: { name: string; change: (f: Fixture) => void; check: (f: Fixture) => void }[] = [
      {
        name: 'a tracked params file edited',
        change: (f) => f.repo.write({ 'params.yaml': params(0.3) }),
        check: (f) => assert.equal(valuesAt(f.store, 'workspace', 'params').values['params.yaml']['train.lr'], 0.3),
      },
      {
        name: 'the same bytes count and mtime, other content (only ctime tells)',
        change: (f) => {
          const file = join(f.repo.dir, 'params.yaml');
          const before = statSync(file);
          writeFileSync(file, params(0.4));
          assert.equal(statSync(file).size, before.size);
          utimesSync(file, before.atime, before.mtime);
        },
        check: (f) => assert.equal(valuesAt(f.store, 'workspace', 'params').values['params.yaml']['train.lr'], 0.4),
      },
      {
        name: 'a new commit',
        change: (f) => {
          f.repo.commit('three', { 'metrics.json': metrics(0.7, 0.7) });
        },
        check: (f) => assert.equal(f.store.getMeta('head'), f.repo.git('rev-parse', 'HEAD')),
      },
      {
        name: 'a new tag',
        change: (f) => {
          f.repo.git('tag', 'v9', 'HEAD~1');
        },
        check: (f) => assert.ok(listRefRows(f.store).some((r) => r.short === 'v9')),
      },
      {
        name: 'a moved branch',
        change: (f) => {
          f.repo.git('branch', '-f', 'other', 'HEAD~1');
        },
        check: (f) => assert.equal(listRefRows(f.store).find((r) => r.short === 'other')!.sha, f.repo.git('rev-parse', 'HEAD~1')),
      },
      {
        name: 'packed refs',
        change: (f) => {
          f.repo.git('tag', 'packed-tag');
          f.repo.git('pack-refs', '--all');
        },
        check: (f) => assert.ok(listRefRows(f.store).some((r) => r.short === 'packed-tag')),
      },
      {
        name: 'another branch checked out',
        change: (f) => {
          f.repo.git('checkout', '-q', 'other');
        },
        check: (f) => assert.equal(f.store.getMeta('branch'), 'other'),
      },
      {
        name: 'an untracked dvc.yaml in a new folder',
        change: (f) => f.repo.write({ 'sub/dvc.yaml': PIPELINE, 'sub/params.yaml': params(0.5) }),
        check: (f) => assert.deepEqual(workspacePipelines(f), ['', 'sub']),
      },
      {
        name: 'an untracked file in an empty folder (the uncommitted count)',
        change: (f) => f.repo.write({ 'empty/notes.txt': 'x\n' }),
        check: (f) => assert.match(workspaceSubject(f), /\(1 uncommitted change\)/),
      },
      {
        name: 'a metrics file appearing where it was absent',
        change: (f) => f.repo.write({ 'eval/scores.yaml': 'auc: 0.5\n' }),
        check: (f) => assert.equal(fileStatus(f, 'eval/scores.yaml'), 'ok'),
      },
      {
        name: 'a .gitignore edited to show an ignored pipeline',
        change: (f) => f.repo.write({ '.gitignore': '# nothing ignored\n' }),
        check: (f) => assert.deepEqual(workspacePipelines(f), ['', 'ignored/sub']),
      },
    ];
    const list = kinds.map(() => project());
    await armed(list);
    for (const f of list) assert.equal(workspaceSubject(f), 'Workspace (0 uncommitted changes)');
    for (const [i, kind] of kinds.entries()) {
      const f = list[i];
      assert.deepEqual((await index(f)).calls, [], `${kind.name}: unchanged first`);
      kind.change(f);
      const after = await index(f);
      assert.ok(after.calls.length > 0, `${kind.name}: a full run`);
      kind.check(f);
    }
  });

  it('changed excluded paths are a full run', async () => {
    const f = project();
    await armed([f]);
    const after = await index(f, { excludePaths: ['eval/**'] });
    assert.ok(after.calls.length > 0);
    assert.ok(after.result.limitations.some((l) => /excluded paths changed/.test(l)));
  });

  it('a file written within the racy window leaves no record: the next refresh is full again', async () => {
    const f = project();
    await armed([f]);
    f.repo.write({ 'params.yaml': params(0.9) });
    assert.ok((await index(f)).calls.length > 0);
    assert.equal(f.store.getMeta(FRESH_KEY), undefined, 'the written file is too recent to trust its stat');
    assert.ok((await index(f)).calls.length > 0, 'still a full run');
  });

  it('runs git as before when git tracing is asked for', async () => {
    const f = project();
    await armed([f]);
    process.env.GIT_TRACE = '0';
    try {
      assert.deepEqual((await index(f)).calls, [], 'GIT_TRACE=0 traces nothing');
    } finally {
      delete process.env.GIT_TRACE;
    }
    process.env.GIT_TRACE_PERFORMANCE = join(shim.dir, 'perf.log');
    try {
      assert.ok((await index(f)).calls.length > 0);
    } finally {
      delete process.env.GIT_TRACE_PERFORMANCE;
    }
  });

  it('a new MLflow run is read on the next refresh after a skipped index run', async () => {
    const f = project();
    f.repo.write({ '.gitignore': 'ignored/\nmlruns/\n' });
    writeMlflowRun(f.repo.dir, 'mlruns', { id: 'a'.repeat(32), name: 'first', metrics: { acc: [[1735689600000, '0.5', 0]] } });
    await armed([f]);
    assert.equal((await syncRuns(f.repo.dir, f.store)).read, 1);
    assert.equal((await syncRuns(f.repo.dir, f.store)).unchanged, 1);
    assert.deepEqual((await index(f)).calls, []);
    writeMlflowRun(f.repo.dir, 'mlruns', { id: 'b'.repeat(32), name: 'second', metrics: { acc: [[1735689600000, '0.6', 0]] } });
    assert.deepEqual((await index(f)).calls, [], 'an ignored folder holds nothing the index reads');
    const runs = await syncRuns(f.repo.dir, f.store);
    assert.equal(runs.read, 1);
    assert.equal(runs.runs, 2);
  });

  it('the CLI on an unchanged repository starts no git process and answers as a full run does', async () => {
    const f = project();
    const storeFile = join(mkdtempSync(join(tmpdir(), 'lineage-warm-store-')), 'index.sqlite');
    const cli = (...args: string[]) => {
      rmSync(shim.log, { force: true });
      const out = execFileSync(process.execPath, [CLI, '--repo', f.repo.dir, '--store', storeFile, ...args], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, PATH: `${shim.dir}:${process.env.PATH}` },
      });
      return { out, calls: existsSync(shim.log) ? readFileSync(shim.log, 'utf8').split('\n').filter(Boolean) : [] };
    };
    const cold = cli('show');
    assert.ok(cold.calls.length > 0);
    await sleep(RACY_MS + 200);
    const recorded = cli('show');
    assert.equal(recorded.out, cold.out);
    for (const args of [['show'], ['metrics', 'diff'], ['exps'], ['params', 'diff']]) {
      const warm = cli(...args);
      assert.equal(warm.out, cli('--no-index', ...args).out, `${args.join(' ')} answers as before`);
      if (args[0] === 'show') assert.deepEqual(warm.calls, [], 'show: no git process at all');
      else
        assert.ok(
          !warm.calls.some((c) => /^(ls-files|status|for-each-ref|check-ignore|rev-parse --show-toplevel|symbolic-ref)/.test(c)),
          `${args.join(' ')}: no refresh or repository git calls\n${warm.calls.join('\n')}`,
        );
    }
    f.repo.write({ 'metrics.json': metrics(0.99, 0.01) });
    const changed = cli('show');
    assert.ok(changed.calls.length > 0);
    assert.match(changed.out, /0\.99/);
    rmSync(join(storeFile, '..'), { recursive: true, force: true });
  });
});
