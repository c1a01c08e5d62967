// Which params files and keys DVC reports (dvc/repo/params/show.py, DVC 3.20 and later), one
// case per branch of its rule, each on a repository made here with a history of changes:
// - every stage's params deps, with the keys listed (a file listed whole: every key);
// - each dvc.yaml's top-level `params:` files, whole;
// - the root params.yaml, whole, whenever it exists, with or without any dvc.yaml;
// - keys a stage reads through `${}` (from params.yaml beside its dvc.yaml or `vars` files),
//   only for files that are none of the above (_collect_vars);
// - nothing from a nested DVC repository (a sub-folder with its own .dvc).
// Each case compares `dvc params diff --json` (with and without --all, two commits and HEAD
// against the workspace) and DVC's params show (its Python API) with lineage's.

import { interopTool } from './tools';
import { compareDiffs, compareShow, comparedCount, makeDvcRepo, type RepoSpec } from './dvcScenario';

const PAIRS = [['HEAD~1', 'HEAD'], []];
const REVS = ['HEAD~1', 'HEAD', ''];

function check(name: string, spec: RepoSpec): void {
  const dir = makeDvcRepo(name, spec);
  compareDiffs(dir, 'params', PAIRS);
  compareShow(dir, 'params', REVS);
}

describe('interop: which params DVC reports', function () {
  this.timeout(600000);
  before(() => interopTool('dvc'));
  after(() => console.log(`      (${comparedCount()} outputs compared with DVC's in this run)`));

  it('the root params.yaml is read whole: keys no stage tracks, keys only interpolated, lists, floats', () => {
    const dvcYaml = 'stages:\n  train:\n    cmd: python train.py --seed ${seed} --lr ${train.lr}\n    params:\n    - train.lr\n';
    check('root-whole', {
      commits: [
        { files: { 'dvc.yaml': dvcYaml, 'params.yaml': 'train:\n  lr: 0.1\n  epochs: 10\nseed: 1\nunused: a\nratio: 1.0\n' } },
        { files: { 'params.yaml': 'train:\n  lr: 0.2\n  epochs: 10\nseed: 2\nunused: b\nratio: 1.0\nextra: [1, 2.0]\n' } },
      ],
      workspace: { 'params.yaml': 'seed: 3\ntrain:\n  epochs: 12\n  lr: 0.2\nratio: 2.0\n' },
    });
  });

  it('without any dvc.yaml the root params.yaml is still read whole; other files are not', () => {
    check('no-pipeline', {
      commits: [
        { files: { 'params.yaml': 'b: 1\na: {y: 2, x: 1}\n', 'other.yaml': 'q: 1\n' } },
        { files: { 'params.yaml': 'b: 2\na: {y: 2, x: 3}\nc: true\n', 'other.yaml': 'q: 2\n' } },
      ],
      workspace: { 'params.yaml': 'b: 2.5\n' },
    });
  });

  it('a stage params file missing at a revision is an error entry; the root file counts once it exists', () => {
    check('root-missing', {
      commits: [
        { files: { 'dvc.yaml': 'stages:\n  s:\n    cmd: echo\n    params:\n    - lr\n' } },
        { files: { 'params.yaml': 'lr: 0.1\nseed: 7\n' } },
      ],
      workspace: { 'params.yaml': 'lr: 0.3\n' },
    });
  });

  it("a sub-project's params.yaml: only the keys its stages track, not keys only interpolated; its top-level params whole", () => {
    const sub = 'params:\n- conf.yaml\nstages:\n  fit:\n    cmd: python fit.py ${y} ${nested.deep}\n    params:\n    - x\n    - nested.a\n';
    check('sub-tracked', {
      commits: [
        {
          files: {
            'params.yaml': 'root: 1\n',
            'sub/dvc.yaml': sub,
            'sub/params.yaml': 'x: 1\ny: 2\nnested: {a: 1, deep: 2}\n',
            'sub/conf.yaml': 'k: 1\nj: 2\n',
          },
        },
        { files: { 'sub/params.yaml': 'x: 2\ny: 3\nnested: {a: 1, deep: 3}\nz: 9\n', 'sub/conf.yaml': 'k: 2\nj: 2\n' } },
      ],
      workspace: { 'sub/params.yaml': 'x: 2\ny: 4\nnested: {a: 5, deep: 3}\n' },
    });
  });

  it("a sub-project's params.yaml no stage tracks: the keys read through ${}, foreach and matrix items by index", () => {
    const sub = [
      'stages:',
      '  fe:',
      '    foreach: ${models}',
      '    do:',
      '      cmd: python train.py ${item.lr} ${item.name}',
      '  fd:',
      '    foreach: ${families}',
      '    do:',
      '      cmd: python fit.py ${key} ${item.h}',
      '  mx:',
      '    matrix:',
      '      g: ${grid}',
      '      k: [a, b]',
      '    cmd: python grid.py ${item.g} ${item.k}',
      '  plain:',
      '    cmd: python plain.py ${lst[-1]} ${d.e.f} ${d.e}',
      '',
    ].join('\n');
    check('sub-interpolated', {
      commits: [
        {
          files: {
            'sub/dvc.yaml': sub,
            'sub/params.yaml':
              'models: [{lr: 1, name: a}, {lr: 2, name: b}]\nfamilies: {x: {h: 1}, y: {h: 2}}\ngrid: [1, 2]\nlst: [10, 20, 30]\nd: {e: {f: 1.0}}\nunused: 0\n',
          },
        },
        {
          files: {
            'sub/params.yaml':
              'models: [{lr: 1, name: a}, {lr: 3, name: b}]\nfamilies: {x: {h: 1}, y: {h: 5}}\ngrid: [1, 2]\nlst: [10, 20, 31]\nd: {e: {f: 1.5}}\nunused: 1\n',
          },
        },
      ],
      workspace: {
        'sub/params.yaml':
          'models: [{lr: 1, name: c}, {lr: 3, name: b}]\nfamilies: {x: {h: 1}, y: {h: 5}}\ngrid: [1, 2]\nlst: [10, 20, 31]\nd: {e: {f: 2.0}}\n',
      },
    });
  });

  it('vars files: top-level, file:keys and stage-level (relative to wdir); inline vars and mappings are not listed', () => {
    const yaml = [
      'vars:',
      '  - inline: 9',
      '  - shared.yaml',
      '  - picked.yaml:sel',
      'stages:',
      '  a:',
      '    cmd: python a.py ${inline} ${v1} ${v2.deep} ${sel.x} ${v2}',
      '  b:',
      '    wdir: w',
      '    vars:',
      '      - stage.yaml',
      '    cmd: python b.py ${sv} ${sd.a}',
      '',
    ].join('\n');
    check('vars-files', {
      commits: [
        {
          files: {
            'dvc.yaml': yaml,
            'shared.yaml': 'v1: 10\nv2: {deep: 20, other: 30}\nvunused: 40\n',
            'picked.yaml': 'sel: {x: 1, y: 2}\nnot: 3\n',
            'w/stage.yaml': 'sv: 7\nsd: {a: 1}\n',
          },
        },
        { files: { 'shared.yaml': 'v1: 11\nv2: {deep: 20, other: 31}\nvunused: 41\n', 'w/stage.yaml': 'sv: 8\nsd: {a: 1}\n' } },
      ],
      workspace: { 'picked.yaml': 'sel: {x: 2.0, y: 2}\nnot: 4\n' },
    });
  });

  it('a vars file that is also a params file shows its params keys only', () => {
    const yaml = 'vars:\n  - cfg.yaml\nstages:\n  s:\n    cmd: python s.py ${b} ${c}\n    params:\n    - cfg.yaml:\n      - a\n';
    check('vars-and-params', {
      commits: [{ files: { 'dvc.yaml': yaml, 'cfg.yaml': 'a: 1\nb: 2\nc: 3\n' } }, { files: { 'cfg.yaml': 'a: 2\nb: 3\nc: 3\n' } }],
      workspace: { 'cfg.yaml': 'a: 2\nb: 4\nc: 5\n' },
    });
  });

  it('whole-file params ({file: }), keys of custom files, and files of several stages merged', () => {
    const yaml =
      'stages:\n  one:\n    cmd: echo 1\n    params:\n    - whole.yaml:\n    - keys.json:\n      - b\n  two:\n    cmd: echo 2\n    params:\n    - keys.json:\n      - a.x\n    - whole.yaml:\n      - only\n';
    check('whole-files', {
      commits: [
        {
          files: { 'dvc.yaml': yaml, 'whole.yaml': 'z: 1\nonly: 2\ny: [a, b]\n', 'keys.json': '{"b": 1.0, "a": {"x": 1, "y": 2}, "c": 3}' },
        },
        { files: { 'whole.yaml': 'z: 1\nonly: 3\n', 'keys.json': '{"b": 1.0, "a": {"x": 2, "y": 3}, "c": 4}' } },
      ],
      workspace: { 'keys.json': '{"b": 2, "a": {"x": 2, "y": 3}, "c": 4}' },
    });
  });

  it('a nested DVC repository (its own .dvc) is not part of the parent repository', () => {
    check('subrepo', {
      subrepos: ['nested'],
      commits: [
        {
          files: {
            'params.yaml': 'a: 1\n',
            'nested/params.yaml': 'x: 1\ny: 2\n',
            'nested/dvc.yaml': 'stages:\n  s:\n    cmd: echo ${y}\n    params:\n    - x\n',
            'other/params.yaml': 'q: 1\nr: 2\n',
            'other/dvc.yaml': 'stages:\n  s:\n    cmd: echo ${r}\n    params:\n    - q\n',
          },
        },
        { files: { 'params.yaml': 'a: 2\n', 'nested/params.yaml': 'x: 2\ny: 3\n', 'other/params.yaml': 'q: 2\nr: 3\n' } },
      ],
      workspace: { 'nested/params.yaml': 'x: 3\ny: 3\n' },
    });
  });
});
