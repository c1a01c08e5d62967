// `--json` as DVC prints it, read back by Python (json.loads keeping key order, ints and floats
// apart): unchanged floats diff to 0.0, files and keys keep DVC's order in `metrics show`,
// NaN and Infinity are bare, non-ASCII is escaped, a file that does not parse is DVC's
// {"error": {"type", "msg"}}, and the workspace is keyed "" or "workspace" as DVC keys it.

import { strict as assert } from 'node:assert';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { interopTool } from './tools';
import { lineageOk, sharedDemoRepo, toolOk } from './helpers';
import { commitAll, compareDiffs, compareShow, comparedCount, makeDvcRepo } from './dvcScenario';
import { assertSamePyJson } from './pyJson';

const METRICS_YAML = [
  'stages:',
  '  train:',
  '    cmd: python train.py',
  '    metrics:',
  '    - train.yaml:',
  '        cache: false',
  '    - eval.json:',
  '        cache: false',
  'metrics:',
  '- scores.toml',
  '- gone.json',
  '- folder',
  '',
].join('\n');

describe("interop: --json is DVC's, as Python reads it", function () {
  this.timeout(600000);
  before(() => interopTool('dvc'));
  after(() => console.log(`      (${comparedCount()} outputs compared with DVC's in this run)`));

  it("metrics show and metrics diff: DVC's file order, the file's key order, NaN, 1.0, an unparsable file, a missing one", () => {
    const dir = makeDvcRepo('json-metrics', {
      commits: [
        {
          files: {
            'dvc.yaml': METRICS_YAML,
            'train.yaml':
              'zeta: 1.0\nalpha: 2\n10: ten\n2: two\nflag: true\nlist: [1, 2]\nnone: null\nempty: {}\nnested: {b: 1.5, a: .nan}\n',
            'eval.json':
              '{"b": 1.0, "a": 2, "10": 3, "2": 4, "n": NaN, "inf": Infinity, "neg": -Infinity, "s": "caf\u00e9 \\"q\\"", "deep": {"z": 1e-07, "y": 1e16}}',
            'scores.toml': 'acc = 0.5\n[per]\nb = 1.0\na = 2\n',
            'folder/z.json': '{"q": 1}',
            'folder/a.json': '{"q": 2.0}',
          },
        },
        { files: { 'eval.json': '{"b": 1.0, "a": 3,', 'train.yaml': 'zeta: 1.0\nalpha: [2\n', 'scores.toml': 'acc = \n' } },
        {
          files: {
            'eval.json': '{"b": 1.0, "a": 3, "n": NaN, "new": 0.0}',
            'train.yaml': 'zeta: 2.0\nalpha: 2\n',
            'scores.toml': 'acc = 0.75\n',
          },
        },
      ],
      workspace: { 'eval.json': '{"a": 3, "b": 2.0, "n": 1}', 'folder/a.json': '{"q": 2}' },
    });
    compareShow(dir, 'metrics', ['HEAD~2', 'HEAD~1', 'HEAD', '', 'workspace']);
    compareDiffs(dir, 'metrics', [['HEAD~2', 'HEAD~1'], ['HEAD~1', 'HEAD'], ['HEAD~2', 'HEAD'], []]);
    // The command itself, workspace keyed "": the same text.
    const theirs = toolOk('dvc', ['metrics', 'show', '--json'], dir);
    const ours = lineageOk(['show', '--json'], dir).stdout;
    assertSamePyJson('dvc metrics show --json vs lineage show --json', theirs, ours, true, dir);
    assert.equal(ours, theirs);
  });

  it('params diff: unchanged floats give 0.0, bools and ints subtract, lists print as Python lists, non-ASCII escaped', () => {
    const dir = makeDvcRepo('json-params', {
      commits: [
        {
          files: {
            'params.yaml':
              'lr: 1.0\nwarm: 0.5\nepochs: 10\nflag: true\nname: "caf\u00e9"\nlayers: [64, 32.0]\nrecords: [{a: 1}]\nzeta: {y: 1.0, x: 2}\nbig: 12345678901234567890\n',
          },
        },
        {
          files: {
            'params.yaml':
              'lr: 1.0\nwarm: 0.5\nepochs: 12\nflag: 2\nname: "caf\u00e9!"\nlayers: [64, 32]\nrecords: [{a: 2}]\nzeta: {y: 3.0, x: 2.5}\nbig: 12345678901234567891\nnan: .nan\n',
          },
        },
      ],
      workspace: {
        'params.yaml': 'lr: 2\nwarm: 0.5\nepochs: 12.0\nflag: false\nlayers: []\nzeta: {y: 3.0, x: 2.5}\nbig: 1.0e+20\nnan: .nan\n',
      },
    });
    compareDiffs(dir, 'params', [['HEAD~1', 'HEAD'], []]);
    compareShow(dir, 'params', ['HEAD~1', 'HEAD', '', 'workspace']);
  });

  it('a cached metrics out whose object left the cache: DVC\'s "No storage files available" entry', () => {
    const dir = makeDvcRepo('json-cache', {
      commits: [
        {
          files: {
            'w.py': 'import sys\nopen("m.json", "w").write(\'{"a": %s}\' % sys.argv[1])\n',
            'dvc.yaml': 'stages:\n  s:\n    cmd: python w.py 1.0\n    metrics:\n    - m.json\n',
          },
        },
      ],
    });
    toolOk('dvc', ['repro', '-q'], dir);
    commitAll(dir, 'ran');
    rmSync(join(dir, '.dvc', 'cache'), { recursive: true, force: true });
    compareShow(dir, 'metrics', ['HEAD', '']);
    compareDiffs(dir, 'metrics', [['HEAD~1', 'HEAD'], []]);
  });

  it('the demo repository: show at branches, tags and experiments, and diffs between them', async () => {
    const info = await sharedDemoRepo();
    const [first, second] = info.expRefs;
    const revs = ['main', 'v0.1.0', 'v1.0.0', 'feature/tfidf-ngrams', first.ref, second.sha, ''];
    compareShow(info.dir, 'metrics', revs);
    compareShow(info.dir, 'params', revs);
    const pairs = [['main', 'feature/bigger-model'], ['v0.1.0', 'v1.2.0'], ['main', first.ref], [first.baseline, second.sha], []];
    compareDiffs(info.dir, 'metrics', pairs);
    compareDiffs(info.dir, 'params', pairs);
    assert.equal(lineageOk(['show', '--json'], info.dir).stdout, toolOk('dvc', ['metrics', 'show', '--json'], info.dir));
  });

  it("several dvc.yaml files: stages in DVC's walk order, then top-level files, then the root params.yaml", () => {
    const stage = (name: string, metric: string, param: string) =>
      `stages:\n  ${name}:\n    cmd: echo\n    params:\n    - ${param}\n    metrics:\n    - ${metric}:\n        cache: false\nmetrics:\n- top.json\nparams:\n- top.yaml\n`;
    const files: Record<string, string> = { 'params.yaml': 'root: 1\nk: 2\n' };
    for (const d of ['', 'b/', 'a-b/', 'a/', 'a/c/']) {
      files[`${d}dvc.yaml`] = stage('s', 'm.json', `${d ? 'p' : 'k'}`);
      files[`${d}m.json`] = `{"v": "${d}"}`;
      files[`${d}top.json`] = `{"t": 1}`;
      files[`${d}top.yaml`] = 'u: 1\n';
      if (d) files[`${d}params.yaml`] = 'p: 1\nq: 2\n';
    }
    const dir = makeDvcRepo('json-order', { commits: [{ files }, { files: { 'b/m.json': '{"v": 2}' } }] });
    // A commit's tree gives DVC one walk order; the workspace's folder listing is the file system's.
    compareShow(dir, 'metrics', ['HEAD~1', 'HEAD']);
    compareShow(dir, 'params', ['HEAD~1', 'HEAD']);
    compareDiffs(dir, 'metrics', [['HEAD~1', 'HEAD']]);
    compareDiffs(dir, 'params', [['HEAD~1', 'HEAD']]);
  });
});
