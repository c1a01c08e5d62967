// `lineage exps show` and `lineage exps mark` as a user runs them (dist/cli.js): DVC's table in
// its three forms, stars and notes in the text and Markdown tables only, --filter and
// --starred, and bad usage as exit 2 with one line saying what is wrong. The interop tier
// compares the tables with `dvc exp show` itself.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { GitFixture } from '../helpers/gitFixture';
import { runCli, describeRun, type CliResult } from '../helpers/runCli';

const PIPELINE = 'stages:\n  train:\n    cmd: python train.py\n    deps: [train.py]\n    params: [train.lr]\nmetrics:\n  - metrics.json\n';

describe('lineage exps show / exps mark (dist/cli.js)', function () {
  this.timeout(120000);
  let fx: GitFixture;
  let store: string;
  let base: string;
  const run = (args: string[]): CliResult => runCli(args, { repo: fx.dir, store, env: { TZ: 'UTC' } });
  const ok = (args: string[]): string => {
    const r = run(args);
    assert.equal(r.status, 0, describeRun(r));
    return r.stdout;
  };
  const usage = (args: string[]): string => {
    const r = run(args);
    assert.equal(r.status, 2, describeRun(r));
    assert.equal(r.stdout, '');
    return r.stderr;
  };

  before(() => {
    fx = GitFixture.create();
    store = `${fx.dir}.sqlite`;
    base = fx.commit('baseline', {
      'dvc.yaml': PIPELINE,
      'train.py': 'print(1)\n',
      'params.yaml': 'train:\n  lr: 0.1\n',
      'metrics.json': '{"acc": 0.5, "loss": 1.25}\n',
    });
    const exp = (name: string, metrics: string, time: number) => {
      fx.write({ 'metrics.json': metrics });
      fx.git('add', '-A');
      const date = `${time} +0000`;
      const sha = execFileSync('git', ['commit-tree', fx.git('write-tree'), '-p', base, '-m', name], {
        cwd: fx.dir,
        encoding: 'utf8',
        env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
      }).trim();
      fx.git('update-ref', `refs/exps/${base.slice(0, 2)}/${base.slice(2)}/${name}`, sha);
      fx.git('checkout', '-q', '--', '.');
    };
    exp('good', '{"acc": 0.9, "loss": 0.5}\n', 1735700000);
    exp('bad', '{"acc": 0.2, "loss": 3}\n', 1735690000);
  });

  after(() => {
    for (const s of ['', '-wal', '-shm']) rmSync(store + s, { force: true });
    fx.cleanup();
  });

  it("--csv, --md and the text table: DVC's columns and rows, newest experiment first", () => {
    const csv = ok(['exps', 'show', '--csv']);
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'Experiment,rev,typ,Created,parent,acc,loss,train.lr,train.py');
    const heads = lines.slice(1, 5).map((l) => l.split(',').slice(0, 3).join(','));
    assert.deepEqual(heads.slice(0, 2), [',workspace,baseline', ',main,baseline']);
    assert.match(heads[2], /^good,[0-9a-f]{7},branch_commit$/);
    assert.match(heads[3], /^bad,[0-9a-f]{7},branch_base$/);
    assert.match(
      lines[2],
      /^,main,baseline,2025-01-01T00:01:00,,0\.5,1\.25,0\.1,$/,
      'Created as ISO local time (TZ=UTC here); no dvc.lock: no dep hash',
    );
    assert.equal(lines[5], '');
    const md = ok(['exps', 'show', '--md']);
    assert.match(md, /^\| Experiment +\| Created +\| acc +\| loss +\| train\.lr +\| train\.py +\|\n/);
    assert.ok(md.endsWith('|\n\n'));
    const text = ok(['exps', 'show', '--sort-by', 'acc']);
    assert.match(text, /^├── \w{7} \[bad\] +\S+ \S+ \S+ +0\.2 +3 /m, 'sorted ascending: bad first');
    assert.match(text, /^└── \w{7} \[good\] /m);
    assert.doesNotMatch(text, /★|Note/, "no marks: the table is DVC's");
    const json = JSON.parse(ok(['exps', 'show', '--json'])) as { rev: string; experiments: { name: string }[] | null }[];
    assert.deepEqual(
      json.map((r) => r.rev),
      ['workspace', base],
    );
    assert.deepEqual(
      json[1].experiments!.map((e) => e.name),
      ['good', 'bad'],
    );
    assert.equal(ok(['exps', 'show', '--csv', '--only-changed']).split('\r\n')[0], 'Experiment,rev,typ,Created,acc,loss');
    assert.equal(
      ok(['exps', 'show', '--csv', '--drop', 'train', '--keep', 'train.py', '-n', '-1']).split('\r\n')[0],
      'Experiment,rev,typ,Created,parent,acc,loss,train.py',
    );
  });

  it('exps mark stars and annotates rows; the text and Markdown tables show them, --csv and --json do not', () => {
    const csvBefore = ok(['exps', 'show', '--csv']);
    const jsonBefore = ok(['exps', 'show', '--json']);
    assert.match(ok(['exps', 'mark', 'good', '--star', '--note', 'ship <it>']), /: ★ starred, note: ship <it>\n$/);
    assert.match(ok(['exps', 'mark', 'workspace', '--note', 'wip']), /^workspace: not starred, note: wip\n$/);
    assert.equal(ok(['exps', 'show', '--csv']), csvBefore);
    assert.equal(ok(['exps', 'show', '--json']), jsonBefore);
    const text = ok(['exps', 'show']);
    assert.match(text.split('\n')[0], /^★ +Experiment .* Note$/);
    assert.match(text, /^★ +├── \w{7} \[good\] .* ship <it>$/m);
    assert.match(text, /^ +workspace .* wip$/m);
    const md = ok(['exps', 'show', '--md']);
    assert.match(md, /^\| ★ +\| Experiment/);
    assert.match(md, /\| ★ +\| ├── \w{7} \[good\] .*\| ship <it> +\|/);
    // --starred and --filter keep matching rows, and the baseline of a matching experiment.
    assert.deepEqual(
      ok(['exps', 'show', '--csv', '--starred'])
        .split('\r\n')
        .slice(1, -1)
        .map((l) => l.split(',')[0] || l.split(',')[1]),
      ['main', 'good'],
    );
    assert.deepEqual(
      ok(['exps', 'show', '--csv', '--filter', 'loss >= 1.25'])
        .split('\r\n')
        .slice(1, -1)
        .map((l) => l.split(',')[0] || l.split(',')[1]),
      ['workspace', 'main', 'bad'],
    );
    const filtered = ok(['exps', 'show', '--filter', 'metrics:metrics.json:acc < 0.5']);
    assert.match(filtered, /└── \w{7} \[bad\]/, 'the last row shown under a baseline closes its tree');
    assert.match(ok(['exps', 'mark', 'good', '--unstar', '--note', '']), /: not starred\n$/);
    assert.match(ok(['exps', 'mark', 'workspace', '--note', '']), /^workspace: not starred\n$/);
    assert.doesNotMatch(ok(['exps', 'show']), /★/);
  });

  it('bad usage: exit 2, one line', () => {
    assert.match(usage(['exps', 'show', '--sort-by', 'nope']), /Unknown sort column 'nope'/);
    assert.match(usage(['exps', 'show', '--sort-order', 'up']), /--sort-order is asc or desc/);
    assert.match(usage(['exps', 'show', '--csv', '--md']), /pick one/);
    assert.match(usage(['exps', 'show', '-n', 'x']), /-n takes a whole number/);
    assert.match(usage(['exps', 'show', '--filter', 'nope > 1']), /--filter: no column "nope"/);
    assert.match(usage(['exps', 'show', '--drop', '(']), /bad column pattern/);
    assert.match(usage(['exps', 'show', 'main']), /--rev main/);
    assert.match(usage(['exps', 'show', '--rev', 'nope']), /"nope"/);
    assert.match(usage(['exps', 'mark', 'good']), /needs --star, --unstar or --note/);
    assert.match(usage(['exps', 'mark', 'good', '--star', '--unstar']), /pick one/);
    assert.match(usage(['exps', 'mark', 'nope', '--star']), /"nope"/);
  });
});
