// Repository text with terminal escape sequences (a metric named `ESC]0;…BEL` retitles the
// terminal, `ESC[2J` clears it) through every command that prints it: human output shows
// visible `\x1b` escapes, --json keeps the exact string, a stage's own output stays raw.

import { strict as assert } from 'node:assert';
import { GitFixture } from '../helpers/gitFixture';
import { describeRun, runCli, type CliResult } from '../helpers/runCli';
import { writeMlflowRun } from '../core/runs/mlflowFolders';
import { terminalText } from '../../src/cli/terminal';

const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
const TITLE = '\x1b]0;pwned\x07loss';
const CLEAR = 'acc\x1b[2J';
const C1 = 'c1\x9b31m';
const SUBJECT = 'train \x1b]0;owned\x07 \x1b[2J model \x9b1m';

/** Every key and string value in a JSON document. */
function words(value: unknown, out = new Set<string>()): Set<string> {
  if (typeof value === 'string') out.add(value);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      words(v, out);
    }
  return out;
}

function human(r: CliResult): string {
  assert.equal(r.status, 0, describeRun(r));
  assert.doesNotMatch(r.stdout + r.stderr, CONTROL, `a raw control character reached the terminal\n${describeRun(r)}`);
  return r.stdout;
}

describe('terminal-safe output (dist/cli.js)', function () {
  this.timeout(120000);
  let repo: GitFixture;
  let run: (args: string[]) => CliResult;

  before(() => {
    repo = GitFixture.create();
    const metrics = (a: number) => JSON.stringify({ [CLEAR]: a, [TITLE]: 1 - a, [C1]: a * 2 });
    repo.commit(SUBJECT, { 'dvc.yaml': 'metrics:\n- metrics.json\n', 'metrics.json': metrics(0.5) });
    const base = repo.git('rev-parse', 'HEAD');
    const exp = repo.commit('second \x1b[31mred\x1b[0m', { 'metrics.json': metrics(0.75) });
    repo.git('update-ref', `refs/exps/${base.slice(0, 2)}/${base.slice(2)}/exp-one`, exp);
    // Git refuses C0 in ref names but not C1: a registry tag that GTO's grammar ignores, named on stderr.
    repo.git('tag', '-a', 'model\u009b2J@v1.0.0', '-m', 'register', exp);
    writeMlflowRun(repo.dir, 'mlruns', {
      id: 'aa11bb22cc33dd44ee55ff6677889900',
      name: '"run \\e]0;t\\a"',
      tags: { 'mlflow.runName': 'run \x1b]0;t\x07', 'mlflow.source.git.commit': base },
      metrics: { [CLEAR]: [[1, '0.9', 0]] },
    });
    run = (args) => runCli(args, { repo: repo.dir, store: `${repo.dir}.sqlite` });
  });
  after(() => repo.cleanup());

  it('terminalText shows C0 (but tab and newline), DEL and C1 as \\xNN', () => {
    assert.equal(terminalText('a\x1b]0;t\x07b\tc\nd\x7f\x9b\r\x00é'), 'a\\x1b]0;t\\x07b\tc\nd\\x7f\\x9b\\x0d\\x00é');
    assert.equal(terminalText(terminalText('\x1b')), '\\x1b');
  });

  it('log, show, metrics diff, exps, runs and registry escape metric names and subjects', () => {
    const log = human(run(['log', '--metric', CLEAR]));
    assert.match(log, /acc\\x1b\[2J/);
    assert.ok(log.includes(terminalText(SUBJECT)), log);
    const show = human(run(['show', 'HEAD']));
    for (const key of [TITLE, CLEAR, C1]) assert.ok(show.includes(terminalText(key)), show);
    const diff = human(run(['metrics', 'diff', 'HEAD~1', 'HEAD']));
    assert.ok(diff.includes(`${terminalText(TITLE)}  0.5`), diff);
    const md = human(run(['metrics', 'diff', 'HEAD~1', 'HEAD', '--md']));
    assert.ok(md.includes('acc\\x1b'), md);
    const exps = human(run(['exps']));
    assert.ok(exps.includes(terminalText(TITLE)) && exps.includes(terminalText(C1)), exps);
    const runs = human(run(['runs']));
    assert.ok(runs.includes('run \\x1b]0;t\\x07'), runs);
    assert.ok(runs.includes(terminalText(CLEAR)), runs);
    const registry = run(['registry']);
    human(registry);
    assert.match(registry.stderr, /ignored tag "model\\x9b2J@v1\.0\.0"/);
  });

  it('--json keeps the exact strings, C1 included', () => {
    const show = JSON.parse(run(['show', 'HEAD', '--json']).stdout) as Record<
      string,
      { data: Record<string, { data: Record<string, number> }> }
    >;
    const values = Object.values(show)[0].data['metrics.json'].data;
    assert.deepEqual(Object.keys(values).sort(), [TITLE, CLEAR, C1].sort());
    const log = JSON.parse(run(['log', '--metric', CLEAR, '--json']).stdout) as { subject: string }[];
    assert.ok(
      log.some((p) => p.subject === SUBJECT),
      JSON.stringify(log),
    );
    assert.ok(words(JSON.parse(run(['exps', '--json']).stdout)).has(C1));
    const runs = JSON.parse(run(['runs', '--json']).stdout) as { name: string }[];
    assert.deepEqual(
      runs.map((r) => r.name),
      ['run \x1b]0;t\x07'],
    );
    const diff = JSON.parse(run(['metrics', 'diff', 'HEAD~1', 'HEAD', '--json']).stdout) as Record<string, Record<string, unknown>>;
    assert.ok(TITLE in diff['metrics.json']);
  });

  it("a stage's own output in lineage repro stays raw; lineage's lines around it are escaped", () => {
    const stage = GitFixture.create();
    try {
      stage.commit('pipeline', {
        '.dvc/config': '',
        'dvc.yaml': `stages:\n  paint:\n    cmd: printf '\\033[1mbold\\033[0m\\n' >&2; echo done > out.txt\n    outs:\n    - out.txt\n`,
      });
      const r = runCli(['repro'], { repo: stage.dir });
      assert.equal(r.status, 0, describeRun(r));
      assert.ok(r.stderr.includes('\x1b[1mbold\x1b[0m\n'), describeRun(r));
      assert.doesNotMatch(r.stdout, CONTROL, describeRun(r));
    } finally {
      stage.cleanup();
    }
  });
});
