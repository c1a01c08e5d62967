// End-to-end tests of the `lineage` CLI: the bundled dist/cli.js run as a child process over
// the deterministic demo repository (generated once), with golden files in test/cli/golden/.
// UPDATE_GOLDEN=1 rewrites the golden files instead of comparing.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateDemoRepo, type DemoRepoInfo } from '../../src/demo/demoRepo';
import {
  REPO_ROOT,
  describeRun,
  expectGolden,
  expectGoldenJson,
  expectOk,
  expectUsageError,
  normalise,
  runCli,
  runCliAsync,
  type CliOptions,
  type CliResult,
} from '../helpers/runCli';

const SEED = 20250106;
/** An experiment of the demo repository (seed above) whose baseline is main's head. */
const EXP = 'lumpy-kiln';

type DiffJson = Record<string, Record<string, { old?: unknown; new?: unknown; diff?: number }>>;

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim();
}

describe('lineage CLI (dist/cli.js)', function () {
  this.timeout(120000);

  let tmp: string;
  let demo: string;
  let info: DemoRepoInfo;
  let expRef: string;

  before(async function () {
    tmp = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'lineage-cli-')));
    demo = path.join(tmp, 'demo');
    info = await generateDemoRepo(demo, { seed: SEED });
    const exp = info.expRefs.find((e) => e.name === EXP);
    assert.ok(exp, `the demo repository has no experiment ${EXP}: ${info.expRefs.map((e) => e.name).join(', ')}`);
    expRef = exp.ref;
  });

  after(function () {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** Runs the CLI on the demo repository with the given store file (inside the temp dir). */
  const on =
    (store: string) =>
    (args: string[], options: CliOptions = {}): CliResult =>
      runCli(args, { repo: demo, store: path.join(tmp, store), ...options });

  /**
   * A fully indexed store of the demo repository under a suite's own name: a copy of the store
   * the index suite built (indexing the demo repository takes seconds), or a fresh index.
   */
  const indexedStore = (name: string): void => {
    const base = path.join(tmp, 'index.sqlite');
    if (existsSync(base)) {
      for (const suffix of ['', '-wal', '-shm']) if (existsSync(base + suffix)) copyFileSync(base + suffix, path.join(tmp, name + suffix));
    }
    expectOk(on(name)(['index', '--quiet']));
  };

  describe('demo repository', function () {
    it('is the one the golden files were made from (same seed, same shas)', function () {
      expectGoldenJson(
        'demo-repo.json',
        JSON.stringify({
          mainHead: info.mainHead,
          commitCount: info.commitCount,
          mainCommitCount: info.mainCommitCount,
          branches: info.branches,
          tags: info.tags,
          expRefs: info.expRefs,
        }),
      );
      assert.equal(info.commitCount, Number(git(demo, ['rev-list', '--all', '--count'])));
      assert.equal(git(demo, ['status', '--porcelain']), '', 'the generated workspace is clean');
    });
  });

  describe('--help', function () {
    const COMMANDS: [string, string[]][] = [
      ['index', ['index']],
      ['show', ['show']],
      ['metrics-diff', ['metrics', 'diff']],
      ['params-diff', ['params', 'diff']],
      ['log', ['log']],
      ['exps', ['exps']],
      ['demo-repo', ['demo-repo']],
    ];

    const runs = new Map<string, CliResult>();
    const key = (args: string[]) => JSON.stringify(args);
    const result = (args: string[]): CliResult => runs.get(key(args))!;

    // Help needs no repository and no index: all of these run at once.
    before(async function () {
      const all = [
        ['--help'],
        ['-h'],
        ['help'],
        [],
        ['--version'],
        ...COMMANDS.flatMap(([, cmd]) => [
          [...cmd, '--help'],
          [...cmd, '-h'],
        ]),
      ];
      const results = await Promise.all(all.map((args) => runCliAsync(args)));
      all.forEach((args, i) => runs.set(key(args), results[i]));
    });

    it('lineage --help (also -h and help) prints the command list', function () {
      const out = expectOk(result(['--help']));
      expectGolden('help/top.txt', out);
      assert.equal(expectOk(result(['-h'])), out);
      assert.equal(expectOk(result(['help'])), out);
      for (const [, cmd] of COMMANDS) assert.ok(out.includes(`  ${cmd.join(' ')}`), `--help lists ${cmd.join(' ')}`);
    });

    for (const [slug, cmd] of COMMANDS) {
      it(`lineage ${cmd.join(' ')} --help (and -h)`, function () {
        const out = expectOk(result([...cmd, '--help']));
        expectGolden(`help/${slug}.txt`, out);
        assert.ok(out.startsWith(`Usage: lineage ${cmd.join(' ')}`), out);
        assert.equal(expectOk(result([...cmd, '-h'])), out);
      });
    }

    it('--help needs no repository: it works with --repo pointing to a missing folder', function () {
      const out = expectOk(runCli(['show', '--help'], { repo: path.join(tmp, 'no-such-folder') }));
      assert.ok(out.startsWith('Usage: lineage show'));
    });

    it('no command prints the usage and exits 2', function () {
      const r = result([]);
      assert.equal(r.status, 2, describeRun(r));
      assert.equal(r.stdout, result(['--help']).stdout);
    });

    it('--version prints the package version', function () {
      const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
      assert.equal(expectOk(result(['--version'])), `${pkg.version}\n`);
    });
  });

  describe('index', function () {
    const run = on('index.sqlite');
    let commitCount: number;

    before(function () {
      commitCount = Number(git(demo, ['rev-list', '--all', '--count']));
    });

    it('first run indexes every commit reachable from any ref, refs/exps included', function () {
      const withoutExps = Number(git(demo, ['rev-list', '--branches', '--tags', '--count']));
      assert.ok(commitCount > withoutExps, 'experiment commits are only reachable from refs/exps');
      const out = expectOk(run(['index']));
      const m = /^Indexed (\d+) new commits \((\d+) walked\), (\d+) files parsed, in \d+\.\d\d s\.\n/.exec(out);
      assert.ok(m, out);
      assert.equal(Number(m[1]), commitCount);
      assert.equal(Number(m[2]), commitCount);
      const refCount = info.branches.length + info.tags.length + info.expRefs.length;
      assert.ok(out.includes(`Refs: +${refCount} added, 0 moved, 0 removed.`), out);
      assert.ok(out.includes(`Index: ${path.join(tmp, 'index.sqlite')} (`), out);
      assert.ok(Number(m[3]) > 0, out);
      // How many blobs get parsed is the indexer's business (content-addressed caching): not golden.
      expectGolden('index-first.txt', normalise(out, [tmp]).replace(/, \d+ files parsed,/, ', <N> files parsed,'));
    });

    it('second run indexes 0 new commits; --json prints the report', function () {
      const report = JSON.parse(expectOk(run(['index', '--json']))) as Record<string, unknown>;
      assert.deepEqual(Object.keys(report).sort(), [
        'blobsParsed',
        'cancelled',
        'commitsIndexed',
        'commitsWalked',
        'driver',
        'limitations',
        'problems',
        'refs',
        'store',
        'timings',
        'workspaceFiles',
      ]);
      assert.equal(report.commitsIndexed, 0);
      assert.equal(report.commitsWalked, 0);
      assert.deepEqual(report.refs, { added: 0, moved: 0, removed: 0 });
      assert.equal(report.cancelled, false);
      assert.deepEqual(report.limitations, []);
      assert.deepEqual(report.problems, []);
      assert.equal(report.store, path.join(tmp, 'index.sqlite'));
      assert.ok(['better-sqlite3', 'node:sqlite'].includes(report.driver as string), String(report.driver));
      assert.equal(typeof report.workspaceFiles, 'number');
      assert.ok((report.workspaceFiles as number) > 0);
      const timings = report.timings as Record<string, unknown>;
      assert.ok(Object.keys(timings).includes('totalMs'));
      for (const [k, v] of Object.entries(timings)) assert.ok(typeof v === 'number' && v >= 0, `${k}: ${String(v)}`);
    });

    it('a run with nothing new says so in text; --quiet prints nothing', function () {
      const out = expectOk(run(['index']));
      assert.match(out, /^Indexed 0 new commits \(0 walked\)/);
      assert.ok(out.includes('Refs: +0 added, 0 moved, 0 removed.'), out);
      assert.equal(expectOk(run(['index', '--quiet'])), '');
    });
  });

  describe('queries', function () {
    const run = on('query.sqlite');

    before(function () {
      indexedStore('query.sqlite');
    });

    describe('show', function () {
      it('text at main and a tag', function () {
        const out = expectOk(run(['show', 'main', 'v1.0.0']));
        expectGolden('show-main-v1.0.0.txt', out);
        assert.match(out, /^Revision\s+Path\s+Metric\s+Value\n/);
      });

      it('--json at main and at a tag (the shape of dvc metrics show --json)', function () {
        const atMain = expectGoldenJson('show-main.json', expectOk(run(['show', 'main', '--json']))) as Record<
          string,
          { data: Record<string, { data: Record<string, unknown> }> }
        >;
        const atTag = expectGoldenJson('show-v1.0.0.json', expectOk(run(['show', 'v1.0.0', '--json']))) as typeof atMain;
        assert.deepEqual(Object.keys(atMain), ['main']);
        assert.deepEqual(Object.keys(atTag), ['v1.0.0']);
        assert.equal(typeof atMain.main.data['eval/metrics.json'].data.accuracy, 'number');
        assert.notDeepEqual(atMain.main.data, atTag['v1.0.0'].data);
      });

      it('--params at a tag', function () {
        const out = expectOk(run(['show', '--params', 'v1.0.0']));
        expectGolden('show-params-v1.0.0.txt', out);
        assert.match(out, /^Revision\s+Path\s+Param\s+Value\n/);
      });

      it('defaults to the workspace, which after the demo\'s "dvc pull" equals main', function () {
        const both = JSON.parse(expectOk(run(['show', 'workspace', 'main', '--json']))) as Record<string, { data: unknown }>;
        // DVC names the workspace "" in `metrics show --json` when no revision is asked for,
        // and "workspace" when it is one of the revisions (dvc/repo/brancher.py).
        assert.deepEqual(Object.keys(both), ['workspace', 'main']);
        assert.deepEqual(both.workspace.data, both.main.data);
        const dflt = JSON.parse(expectOk(run(['show', '--json']))) as Record<string, { data: unknown }>;
        assert.deepEqual(Object.keys(dflt), ['']);
        assert.deepEqual(dflt[''].data, both.main.data);
      });

      it('a full sha, a short sha and HEAD~1 resolve to the same commits as git', function () {
        const parent = git(demo, ['rev-parse', 'HEAD~1']);
        const out = JSON.parse(expectOk(run(['show', parent, parent.slice(0, 7), 'HEAD~1', '--json']))) as Record<
          string,
          { data: unknown }
        >;
        assert.deepEqual(out[parent.slice(0, 7)].data, out[parent].data);
        assert.deepEqual(out['HEAD~1'].data, out[parent].data);
      });
    });

    describe('an experiment addressed by its short name', function () {
      it('show <name> equals show <refs/exps/...>', function () {
        const byName = JSON.parse(expectOk(run(['show', EXP, '--json']))) as Record<string, { data: unknown }>;
        const byRef = JSON.parse(expectOk(run(['show', expRef, '--json']))) as Record<string, { data: unknown }>;
        assert.deepEqual(byName[EXP].data, byRef[expRef].data);
        const bySha = JSON.parse(expectOk(run(['show', git(demo, ['rev-parse', expRef]), '--json']))) as Record<string, { data: unknown }>;
        assert.deepEqual(Object.values(bySha)[0].data, byRef[expRef].data);
      });

      it('metrics diff main <name> equals metrics diff main <refs/exps/...> (text and JSON)', function () {
        assert.equal(expectOk(run(['metrics', 'diff', 'main', EXP])), expectOk(run(['metrics', 'diff', 'main', expRef])));
        assert.deepEqual(
          JSON.parse(expectOk(run(['metrics', 'diff', 'main', EXP, '--json']))),
          JSON.parse(expectOk(run(['metrics', 'diff', 'main', expRef, '--json']))),
        );
      });

      it('params diff main <name> shows what the experiment changed', function () {
        const diff = JSON.parse(expectOk(run(['params', 'diff', 'main', EXP, '--json']))) as DiffJson;
        assert.ok(diff['params.yaml'] && Object.keys(diff['params.yaml']).length > 0, JSON.stringify(diff));
      });
    });

    describe('metrics diff main <experiment ref>', function () {
      it('text', function () {
        const out = expectOk(run(['metrics', 'diff', 'main', expRef]));
        expectGolden('metrics-diff-main-exp.txt', out);
        // The column is labelled with the experiment name, not the whole ref.
        assert.match(out.split('\n')[0], new RegExp(`^Path\\s+Metric\\s+main\\s+${EXP}\\s+Change$`));
      });

      it('--json: {file: {key: {old, new, diff}}}, diff = new - old', function () {
        const stdout = expectOk(run(['metrics', 'diff', 'main', expRef, '--json']));
        assert.equal(stdout.trimEnd().split('\n').length, 1, 'one line of JSON, like dvc');
        const diff = expectGoldenJson('metrics-diff-main-exp.json', stdout) as DiffJson;
        assert.ok(Object.keys(diff).length > 0);
        for (const [file, keys] of Object.entries(diff)) {
          for (const [key, d] of Object.entries(keys)) {
            assert.deepEqual(Object.keys(d).sort(), ['diff', 'new', 'old'], `${file} ${key}`);
            assert.ok(Math.abs((d.new as number) - (d.old as number) - (d.diff as number)) < 1e-9, `${file} ${key}: ${JSON.stringify(d)}`);
            assert.notEqual(d.diff, 0, 'unchanged keys only with --all');
          }
        }
      });

      it('--md', function () {
        const out = expectOk(run(['metrics', 'diff', 'main', expRef, '--md']));
        expectGolden('metrics-diff-main-exp.md', out);
        assert.match(out, new RegExp(`^\\| Path \\| Metric \\| main \\| ${EXP} \\| Change \\|\\n\\| --- \\|`));
      });
    });

    describe('params diff v1.0.0 main', function () {
      it('--json', function () {
        const diff = expectGoldenJson(
          'params-diff-v1.0.0-main.json',
          expectOk(run(['params', 'diff', 'v1.0.0', 'main', '--json'])),
        ) as DiffJson;
        for (const keys of Object.values(diff)) for (const d of Object.values(keys)) assert.notDeepEqual(d.old, d.new);
      });

      it('--md', function () {
        const out = expectOk(run(['params', 'diff', 'v1.0.0', 'main', '--md']));
        expectGolden('params-diff-v1.0.0-main.md', out);
        assert.match(out, /^\| Path \| Param \| v1\.0\.0 \| main \| Change \|\n/);
      });

      it('--all (text and JSON) adds the unchanged params', function () {
        expectGolden('params-diff-v1.0.0-main-all.txt', expectOk(run(['params', 'diff', 'v1.0.0', 'main', '--all'])));
        const all = expectGoldenJson(
          'params-diff-v1.0.0-main-all.json',
          expectOk(run(['params', 'diff', 'v1.0.0', 'main', '--all', '--json'])),
        ) as DiffJson;
        const changed = JSON.parse(expectOk(run(['params', 'diff', 'v1.0.0', 'main', '--json']))) as DiffJson;
        let unchanged = 0;
        for (const [file, keys] of Object.entries(all)) {
          for (const [key, d] of Object.entries(keys)) {
            if (changed[file]?.[key]) assert.deepEqual(d, changed[file][key]);
            else {
              unchanged++;
              assert.deepEqual(d.old, d.new, `${file} ${key}`);
            }
          }
        }
        for (const [file, keys] of Object.entries(changed))
          for (const key of Object.keys(keys)) assert.ok(all[file]?.[key], `${file} ${key} in --all`);
        assert.ok(unchanged > 0, 'some params are the same at v1.0.0 and main');
      });
    });

    describe('metrics diff with the defaults (HEAD vs workspace)', function () {
      it('is empty on a clean workspace', function () {
        assert.equal(expectOk(run(['metrics', 'diff'])), 'No metrics changed between HEAD and workspace.\n');
        assert.deepEqual(JSON.parse(expectOk(run(['metrics', 'diff', '--json']))), {});
      });

      it('shows a value edited in eval/metrics.json, with the diff', function () {
        const file = path.join(demo, 'eval', 'metrics.json');
        const original = readFileSync(file, 'utf8');
        try {
          const metrics = JSON.parse(original) as Record<string, number>;
          const old = metrics.accuracy;
          assert.equal(typeof old, 'number');
          const edited = Math.round((old > 0.5 ? old - 0.1234 : old + 0.1234) * 10000) / 10000;
          writeFileSync(file, JSON.stringify({ ...metrics, accuracy: edited }, null, 2));

          const diff = JSON.parse(expectOk(run(['metrics', 'diff', '--json']))) as DiffJson;
          assert.deepEqual(Object.keys(diff), ['eval/metrics.json']);
          assert.deepEqual(Object.keys(diff['eval/metrics.json']), ['accuracy']);
          const d = diff['eval/metrics.json'].accuracy;
          assert.equal(d.old, old);
          assert.equal(d.new, edited);
          assert.ok(Math.abs((d.diff as number) - (edited - old)) < 1e-9, JSON.stringify(d));

          const text = expectOk(run(['metrics', 'diff']));
          const lines = text.trimEnd().split('\n');
          assert.match(lines[0], /^Path\s+Metric\s+HEAD\s+workspace\s+Change$/);
          assert.equal(lines.length, 2, text);
          assert.deepEqual(lines[1].split(/\s+/).slice(0, 4), ['eval/metrics.json', 'accuracy', String(old), String(edited)]);
          // The same as naming both sides.
          assert.deepEqual(JSON.parse(expectOk(run(['metrics', 'diff', 'HEAD', 'workspace', '--json']))), diff);
        } finally {
          writeFileSync(file, original);
        }
        assert.equal(expectOk(run(['metrics', 'diff'])), 'No metrics changed between HEAD and workspace.\n');
      });
    });

    describe('log', function () {
      it('--metric accuracy -n 5', function () {
        const out = expectOk(run(['log', '--metric', 'accuracy', '-n', '5']));
        expectGolden('log-accuracy-n5.txt', out);
        const lines = out.trimEnd().split('\n');
        assert.match(lines[0], /^Commit\s+Date\s+accuracy\s+Message$/);
        assert.equal(lines.length, 6);
        assert.ok(lines[1].startsWith(info.mainHead.slice(0, 7)));
      });

      it('--json: newest first along the first-parent chain, values as show has them', function () {
        const points = JSON.parse(expectOk(run(['log', '--metric', 'accuracy', '-n', '5', '--json']))) as {
          sha: string;
          subject: string;
          commitTime: number;
          values: { path: string; value: unknown }[];
        }[];
        assert.equal(points.length, 5);
        const chain = git(demo, ['rev-list', '--first-parent', '-n', '5', 'HEAD']).split('\n');
        assert.deepEqual(
          points.map((p) => p.sha),
          chain,
        );
        for (const p of points) {
          assert.deepEqual(Object.keys(p).sort(), ['commitTime', 'sha', 'subject', 'values']);
          assert.equal(p.subject, git(demo, ['log', '-1', '--format=%s', p.sha]));
          assert.equal(p.commitTime, Number(git(demo, ['log', '-1', '--format=%ct', p.sha])));
        }
        const atHead = JSON.parse(expectOk(run(['show', 'HEAD', '--json']))) as Record<
          string,
          { data: Record<string, { data: Record<string, unknown> }> }
        >;
        assert.deepEqual(points[0].values, [{ path: 'eval/metrics.json', value: atHead.HEAD.data['eval/metrics.json'].data.accuracy }]);
      });

      it('--branch starts at another revision', function () {
        const points = JSON.parse(expectOk(run(['log', '--metric', 'accuracy', '--branch', 'v1.0.0', '-n', '1', '--json']))) as {
          sha: string;
        }[];
        assert.deepEqual(
          points.map((p) => p.sha),
          [git(demo, ['rev-parse', 'v1.0.0^{commit}'])],
        );
      });
    });

    describe('exps', function () {
      it('text: every experiment under its baseline', function () {
        const out = expectOk(run(['exps']));
        expectGolden('exps.txt', out);
        for (const e of info.expRefs) assert.match(out, new RegExp(`^  ${e.name}\\s+${e.sha.slice(0, 7)}\\b`, 'm'));
      });

      // The rows of `dvc exp show --json`: the workspace, then each baseline with its experiments.
      type ExpRow = {
        rev: string;
        name: string | null;
        data: {
          timestamp: string | null;
          params: Record<string, { data?: Record<string, unknown> }>;
          metrics: Record<string, { data?: Record<string, unknown> }>;
        } | null;
        error: unknown;
        experiments: { name: string; revs: ExpRow[] }[] | null;
      };
      const experimentsOf = (rows: ExpRow[]) =>
        rows.slice(1).flatMap((b) =>
          (b.experiments ?? []).map((e) => ({
            name: e.name,
            ref: `refs/exps/${b.rev.slice(0, 2)}/${b.rev.slice(2)}/${e.name}`,
            sha: e.revs[0].rev,
            baseline: b.rev,
            row: e.revs[0],
          })),
        );

      it('--json lists the refs/exps of the repository under their baselines, with params and metrics', function () {
        const rows = JSON.parse(expectOk(run(['exps', '--json']))) as ExpRow[];
        assert.equal(rows[0].rev, 'workspace');
        const exps = experimentsOf(rows);
        const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
        assert.deepEqual(
          exps.map((e) => ({ name: e.name, ref: e.ref, sha: e.sha, baseline: e.baseline })).sort(byName),
          info.expRefs.map((e) => ({ name: e.name, ref: e.ref, sha: e.sha, baseline: e.baseline })).sort(byName),
        );
        for (const e of exps) {
          assert.equal(typeof e.row.data?.metrics['eval/metrics.json']?.data?.accuracy, 'number', e.name);
          assert.equal(typeof e.row.data?.params['params.yaml']?.data?.train, 'object', e.name);
        }
        for (const b of rows.slice(1))
          assert.equal(typeof b.data?.metrics['eval/metrics.json']?.data?.accuracy, 'number', `baseline ${b.name}`);
      });

      it("--baseline <sha> (full or short) keeps that baseline's experiments", function () {
        const baseline = info.mainHead;
        const out = expectOk(run(['exps', '--baseline', baseline]));
        expectGolden('exps-baseline.txt', out);
        assert.equal(expectOk(run(['exps', '--baseline', baseline.slice(0, 7)])), out);
        // Timestamps are local times, as DVC prints them: the golden file is in UTC.
        const rows = expectGoldenJson(
          'exps-baseline.json',
          expectOk(run(['exps', '--baseline', baseline, '--json'], { env: { TZ: 'UTC' } })),
        ) as ExpRow[];
        assert.deepEqual(
          rows.map((r) => r.rev),
          ['workspace', baseline],
        );
        const exps = experimentsOf(rows);
        assert.deepEqual(
          exps.map((e) => e.name).sort(),
          info.expRefs
            .filter((e) => e.baseline === baseline)
            .map((e) => e.name)
            .sort(),
        );
        assert.ok(exps.some((e) => e.name === EXP));
      });

      it('--baseline of a commit without experiments', function () {
        assert.equal(expectOk(run(['exps', '--baseline', 'v0.1.0'])), 'No experiments on v0.1.0.\n');
        const rows = JSON.parse(expectOk(run(['exps', '--baseline', 'v0.1.0', '--json']))) as ExpRow[];
        assert.deepEqual(
          rows.map((r) => [r.name, r.experiments]),
          [
            [null, null],
            ['v0.1.0', null],
          ],
        );
      });
    });

    describe('exit codes', function () {
      const LOWER_IS_BETTER = new Set(['loss']);
      type Verdict = 'better' | 'worse' | 'same' | 'n/a';
      const verdict = (key: string, d: { diff?: number } | undefined): Verdict => {
        if (!d || typeof d.diff !== 'number') return 'n/a';
        if (d.diff === 0) return 'same';
        return d.diff > 0 === !LOWER_IS_BETTER.has(key) ? 'better' : 'worse';
      };
      const diffOf = (a: string, b: string): DiffJson => JSON.parse(expectOk(run(['metrics', 'diff', a, b, '--json']))) as DiffJson;
      /** [A, B, key, verdict] for the keys of eval/metrics.json over a few revision pairs, read from --json. */
      let cases: [string, string, string, Verdict][];

      before(function () {
        cases = [];
        for (const [a, b] of [
          ['v0.1.0', 'main'],
          ['main', EXP],
          ['main', 'v0.1.0'],
        ]) {
          const diff = diffOf(a, b)['eval/metrics.json'] ?? {};
          for (const key of ['loss', 'accuracy']) cases.push([a, b, key, verdict(key, diff[key])]);
        }
      });

      it('metrics diff v0.1.0 main --fail-if-worse loss: 1 if loss got worse, else 0 (as the JSON says)', function () {
        const [, , , v] = cases.find(([a, b, k]) => a === 'v0.1.0' && b === 'main' && k === 'loss')!;
        const r = run(['metrics', 'diff', 'v0.1.0', 'main', '--fail-if-worse', 'loss']);
        assert.equal(r.status, v === 'worse' ? 1 : 0, `loss is ${v}\n${describeRun(r)}`);
      });

      it('1 for a key that got worse; the table still prints and stderr names the key', function () {
        const worse = cases.find((c) => c[3] === 'worse');
        assert.ok(worse, `no key got worse in ${JSON.stringify(cases)}`);
        const [a, b, key] = worse;
        const r = run(['metrics', 'diff', a, b, '--fail-if-worse', key]);
        assert.equal(r.status, 1, describeRun(r));
        assert.match(r.stdout, /^Path\s+Metric/);
        assert.match(r.stderr, new RegExp(`^lineage: ${key} got worse: [^\\n]+\\n$`), describeRun(r));
        // With another key that improved, still 1.
        const better = cases.find((c) => c[0] === a && c[1] === b && c[3] === 'better');
        if (better) assert.equal(run(['metrics', 'diff', a, b, '--fail-if-worse', better[2], '--fail-if-worse', key]).status, 1);
      });

      it('0 for a key that improved', function () {
        const better = cases.find((c) => c[3] === 'better');
        assert.ok(better, `no key improved in ${JSON.stringify(cases)}`);
        const [a, b, key] = better;
        expectOk(run(['metrics', 'diff', a, b, '--fail-if-worse', key]));
      });

      it('--lower-is-better / --higher-is-better turn the verdict around', function () {
        const better = cases.find((c) => c[3] === 'better')!;
        const [a, b, key] = better;
        const flip = LOWER_IS_BETTER.has(key) ? '--higher-is-better' : '--lower-is-better';
        const r = run(['metrics', 'diff', a, b, '--fail-if-worse', key, flip, key]);
        assert.equal(r.status, 1, describeRun(r));
      });

      it('2 for an unknown command', function () {
        assert.match(expectUsageError(run(['frobnicate'])), /frobnicate/);
      });

      it('2 for an unknown option', function () {
        assert.match(expectUsageError(run(['show', '--bogus'])), /--bogus/);
        assert.match(expectUsageError(run(['--bogus'])), /--bogus/);
      });

      it('2 for an unknown revision: one line naming it', function () {
        const line = expectUsageError(run(['metrics', 'diff', 'nope', 'main']));
        assert.match(line, /"nope"/);
        assert.match(expectUsageError(run(['show', 'nope'])), /"nope"/);
        assert.match(expectUsageError(run(['exps', '--baseline', 'nope'])), /"nope"/);
      });

      it('2 for a revision starting with "-", which never reaches git', function () {
        const trace = path.join(tmp, 'git-trace.txt');
        const attempts = [
          ['metrics', 'diff', '--', '--upload-pack=x', 'main'],
          ['params', 'diff', 'main', '--', '--upload-pack=x'],
          ['show', '--', '--upload-pack=x'],
          ['log', '--metric', 'accuracy', '--branch=--upload-pack=x'],
          ['exps', '--baseline=--upload-pack=x'],
        ];
        for (const args of attempts) {
          rmSync(trace, { force: true });
          const line = expectUsageError(run(args, { env: { GIT_TRACE: trace } }));
          assert.ok(line.includes('--upload-pack=x'), line);
          assert.ok(existsSync(trace), 'GIT_TRACE recorded the git commands the CLI ran');
          const traced = readFileSync(trace, 'utf8');
          assert.ok(traced.includes('trace: '), traced);
          assert.ok(!traced.includes('upload-pack'), `git saw the argument:\n${traced}`);
        }
      });

      it('2 for log without --metric, or a bad -n', function () {
        assert.match(expectUsageError(run(['log'])), /--metric/);
        assert.match(expectUsageError(run(['log', '--metric', 'accuracy', '-n', '0'])), /-n 0/);
      });

      it('2 for other bad usage: three revisions, --json with --md, a missing --repo value', function () {
        assert.match(expectUsageError(run(['params', 'diff', 'a', 'b', 'c'])), /at most two/);
        assert.match(expectUsageError(run(['metrics', 'diff', '--json', '--md'])), /--json/);
        assert.match(expectUsageError(runCli(['--repo'])), /--repo/);
        assert.match(expectUsageError(run(['metrics', 'diffs'])), /metrics diff/);
      });

      it('2 for --repo pointing to a missing folder', function () {
        const missing = path.join(tmp, 'no-such-folder');
        const line = expectUsageError(runCli(['show'], { repo: missing, store: path.join(tmp, 'missing.sqlite') }));
        assert.ok(line.includes(missing), line);
      });

      it('an ambiguous option value is reported on one line (exps --baseline --upload-pack=x)', function () {
        assert.match(expectUsageError(run(['exps', '--baseline', '--upload-pack=x'])), /--baseline/);
      });

      it('a revision with a newline is refused on one line', function () {
        expectUsageError(run(['show', 'HEAD~1\nx']));
      });

      it('2 for --repo pointing to a file', function () {
        const file = path.join(demo, 'params.yaml');
        assert.ok(expectUsageError(runCli(['show'], { repo: file, store: path.join(tmp, 'file.sqlite') })).includes(file));
      });

      it('2 for --store pointing to a folder', function () {
        const folder = path.join(tmp, 'store-folder');
        mkdirSync(folder, { recursive: true });
        assert.ok(expectUsageError(runCli(['show'], { repo: demo, store: folder })).includes(folder));
      });
    });
  });

  describe('a folder that is not a Git repository (workspace-only)', function () {
    let dir: string;
    let env: NodeJS.ProcessEnv;
    const run = (args: string[]): CliResult => runCli(args, { repo: dir, store: path.join(tmp, 'plain.sqlite'), env });

    before(function () {
      dir = path.join(tmp, 'plain', 'project');
      mkdirSync(dir, { recursive: true });
      // Git must not find a repository above the folder, wherever the temp dir is.
      env = { GIT_CEILING_DIRECTORIES: path.dirname(dir) };
      writeFileSync(
        path.join(dir, 'dvc.yaml'),
        'stages:\n  train:\n    cmd: python train.py\n    params:\n    - lr\n    metrics:\n    - metrics.json:\n        cache: false\n',
      );
      writeFileSync(path.join(dir, 'params.yaml'), 'lr: 0.01\nepochs: 3\n');
      writeFileSync(path.join(dir, 'metrics.json'), '{"acc": 0.5, "loss": 1.25}\n');
    });

    it('show works on the workspace files', function () {
      const out = expectOk(run(['show']));
      expectGolden('plain-show.txt', out);
      assert.deepEqual(JSON.parse(expectOk(run(['show', '--json']))), {
        '': { data: { 'metrics.json': { data: { acc: 0.5, loss: 1.25 } } } },
      });
      assert.match(expectOk(run(['show', '--params'])), /params\.yaml\s+lr\s+0\.01/);
    });

    it('index succeeds and says there is no history', function () {
      const out = expectOk(run(['index']));
      assert.match(out, /^Indexed 0 new commits/);
      assert.match(out, /not inside a Git repository/);
    });

    it('a corrupt store is refused (exit 2) and left alone until index --rebuild', function () {
      const store = path.join(tmp, 'plain-corrupt.sqlite');
      writeFileSync(store, 'not a database\n');
      const opts = { repo: dir, store, env };
      assert.match(expectUsageError(runCli(['show'], opts)), /lineage index --rebuild/);
      assert.equal(readFileSync(store, 'utf8'), 'not a database\n');
      const rebuilt = runCli(['index', '--rebuild'], opts);
      assert.equal(rebuilt.status, 0);
      assert.match(rebuilt.stdout, /^Indexed 0 new commits/);
      // What cannot be read is kept, never deleted: it may hold run environments.
      const kept = /it is kept at (\S+)\.\n$/.exec(rebuilt.stderr);
      assert.ok(kept, rebuilt.stderr);
      assert.equal(readFileSync(kept[1], 'utf8'), 'not a database\n');
      assert.match(expectOk(runCli(['show'], opts)), /metrics\.json\s+acc\s+0\.5/);
    });

    it('metrics diff HEAD fails with exit 2 and a clear message', function () {
      const line = expectUsageError(run(['metrics', 'diff', 'HEAD']));
      assert.match(line, /"HEAD"/);
      assert.match(line, /not a Git repository/);
      assert.equal(expectUsageError(run(['metrics', 'diff'])), line, 'the default A is HEAD');
    });
  });

  describe('an empty Git repository (no commits)', function () {
    let dir: string;

    before(function () {
      dir = path.join(tmp, 'empty');
      mkdirSync(dir);
      git(dir, ['init', '-q']);
    });

    it('index succeeds and says it has no commits', function () {
      const out = expectOk(runCli(['index'], { repo: dir, store: path.join(tmp, 'empty.sqlite') }));
      assert.match(out, /^Indexed 0 new commits \(0 walked\)/);
      assert.match(out, /no commits/i);
    });

    it('without --store the index lives in <git dir>/lineage/index.sqlite', function () {
      const report = JSON.parse(expectOk(runCli(['index', '--json'], { repo: dir }))) as {
        store: string;
        commitsIndexed: number;
        limitations: string[];
      };
      const expected = path.join(dir, '.git', 'lineage', 'index.sqlite');
      assert.equal(report.store, expected);
      assert.ok(existsSync(expected));
      assert.equal(report.commitsIndexed, 0);
      assert.ok(
        report.limitations.some((l) => /no commits/i.test(l)),
        JSON.stringify(report.limitations),
      );
    });

    it('show prints that there are no metrics; metrics diff names the missing HEAD', function () {
      const store = path.join(tmp, 'empty.sqlite');
      assert.equal(expectOk(runCli(['show'], { repo: dir, store })), 'No metrics found at workspace.\n');
      assert.match(expectUsageError(runCli(['metrics', 'diff'], { repo: dir, store })), /"HEAD"/);
    });
  });
});
