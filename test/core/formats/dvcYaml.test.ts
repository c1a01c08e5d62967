import { strict as assert } from 'node:assert';
import { contextFilesOf, normalizePath, parseDvcYaml, projectPathOf } from '../../../src/core/formats/dvcYaml';
import type { PipelineDef, RawDvcYaml } from '../../../src/core/formats/dvcYaml';
import { renderPipeline } from '../../../src/core/formats/dvcYamlRender';

function raw(text: string): RawDvcYaml {
  const r = parseDvcYaml(text);
  if (!r.ok) throw new Error(`unexpected failure: ${r.message}`);
  return r.value;
}

function render(text: string): PipelineDef {
  return renderPipeline(raw(text), new Map());
}

describe('dvcYaml: parseDvcYaml', () => {
  it('fails on malformed YAML with a 1-based position', () => {
    const r = parseDvcYaml('stages:\n  train:\n    cmd: [a, b\n');
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.kind, 'error');
    assert.ok(r.line !== undefined && r.line >= 3, `line ${r.line}`);
    assert.ok(!r.message.includes('\n'));
  });

  it('fails on duplicate keys, like ruamel', () => {
    const r = parseDvcYaml('stages:\n  a:\n    cmd: x\n  a:\n    cmd: y\n');
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.line, 4);
  });

  it('fails when the top level is not a mapping', () => {
    const r = parseDvcYaml('- a\n- b\n');
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.match(r.message, /mapping/);
      assert.equal(r.line, 1);
    }
  });

  it('reads an empty file as an empty pipeline', () => {
    const def = render('');
    assert.deepEqual(def.stages, []);
    assert.deepEqual(def.errors, []);
  });

  it('applies anchors and merge keys', () => {
    const def = render(
      ['stages:', '  one: &base', '    cmd: echo hi', '    deps: [a]', '  two:', '    <<: *base', '    outs: [o]'].join('\n'),
    );
    assert.deepEqual(def.errors, []);
    const two = def.stages[1];
    assert.equal(two.cmd, 'echo hi');
    assert.deepEqual(
      two.deps.map((d) => d.path),
      ['a'],
    );
    assert.deepEqual(
      two.outs.map((o) => o.path),
      ['o'],
    );
  });
});

describe('dvcYaml: paths', () => {
  it('posix-normalizes and keeps leading ../', () => {
    assert.equal(normalizePath('a/./b'), 'a/b');
    assert.equal(normalizePath('a/../b'), 'b');
    assert.equal(normalizePath('./a//b/'), 'a/b');
    assert.equal(normalizePath('../x/../../y'), '../../y');
    assert.equal(normalizePath('a/..'), '.');
    assert.equal(projectPathOf('sub', '../data/x.csv'), 'data/x.csv');
    assert.equal(projectPathOf('.', '../shared/p.yaml'), '../shared/p.yaml');
    assert.equal(projectPathOf('sub', 's3://bucket/k'), 's3://bucket/k');
  });
});

describe('dvcYaml: contextFilesOf', () => {
  it('lists params.yaml first, then vars files without :keys, deduplicated, stage vars under wdir', () => {
    const r = raw(
      [
        'vars:',
        '  - config/a.yaml:lr,epochs',
        '  - {inline: 1}',
        '  - config/a.yaml:other',
        '  - params.yaml',
        'stages:',
        '  s1:',
        '    wdir: sub',
        '    vars: [local.yaml, ../config/b.json]',
        '    cmd: x',
        '  s2:',
        '    foreach: [1, 2]',
        '    do:',
        '      vars: [c.yaml:k]',
        '      cmd: y',
        '  s3:',
        '    wdir: ${dir}',
        '    vars: [d.yaml]',
        '    cmd: z',
      ].join('\n'),
    );
    assert.deepEqual(contextFilesOf(r), ['params.yaml', 'config/a.yaml', 'sub/local.yaml', 'config/b.json', 'c.yaml', 'd.yaml']);
  });

  it('always names params.yaml', () => {
    assert.deepEqual(contextFilesOf(raw('stages: {}')), ['params.yaml']);
  });
});

describe('dvcYaml: stages without templating', () => {
  const text = [
    'stages:',
    '  prepare:',
    '    cmd: python prepare.py',
    '    deps:',
    '      - data/raw.csv',
    '      - src/./prepare.py',
    '    outs:',
    '      - data/prepared',
    '  train:',
    '    wdir: models',
    '    cmd:',
    '      - python ../train.py',
    '      - echo done',
    '    deps: [../data/prepared]',
    '    params:',
    '      - lr',
    '      - train.epochs',
    '      - ../conf.yaml: [a, b]',
    '      - extra.yaml:',
    '      - extra.yaml: [ignored]',
    '    outs:',
    '      - model.pkl:',
    '          cache: false',
    '          persist: true',
    '          desc: the model',
    '          type: model',
    '          labels: [cv]',
    '          meta: {owner: me}',
    '          remote: store',
    '          push: false',
    '    metrics:',
    '      - metrics.json:',
    '          cache: false',
    '    plots:',
    '      - plots/loss.csv:',
    '          x: step',
    '          y: [loss, val_loss]',
    '          template: linear',
    '          header: true',
    '          cache: false',
    '      - plots/roc.json',
    '    frozen: true',
    '    always_changed: true',
    '    desc: trains',
    '    meta: [1, 2]',
  ].join('\n');

  it('reads deps, outs, metrics, plots and flags with wdir applied', () => {
    const def = render(text);
    assert.deepEqual(def.errors, []);
    const [prepare, train] = def.stages;
    assert.equal(prepare.name, 'prepare');
    assert.equal(prepare.cmd, 'python prepare.py');
    assert.equal(prepare.wdir, '.');
    assert.equal(prepare.line, 2);
    assert.deepEqual(prepare.deps, [
      { path: 'data/raw.csv', projectPath: 'data/raw.csv' },
      { path: 'src/./prepare.py', projectPath: 'src/prepare.py' },
    ]);
    assert.deepEqual(prepare.outs, [
      { kind: 'out', path: 'data/prepared', projectPath: 'data/prepared', cache: true, persist: false, push: true },
    ]);
    assert.equal(prepare.frozen, false);
    assert.equal(prepare.alwaysChanged, false);

    assert.equal(train.line, 9);
    assert.equal(train.wdir, 'models');
    assert.deepEqual(train.cmd, ['python ../train.py', 'echo done']);
    assert.deepEqual(train.deps, [{ path: '../data/prepared', projectPath: 'data/prepared' }]);
    assert.deepEqual(train.outs[0], {
      kind: 'out',
      path: 'model.pkl',
      projectPath: 'models/model.pkl',
      cache: false,
      persist: true,
      push: false,
      remote: 'store',
      desc: 'the model',
      type: 'model',
      labels: ['cv'],
      meta: { owner: 'me' },
    });
    assert.deepEqual(train.outs[1], {
      kind: 'metric',
      path: 'metrics.json',
      projectPath: 'models/metrics.json',
      cache: false,
      persist: false,
      push: true,
    });
    assert.deepEqual(train.outs[2], {
      kind: 'plot',
      path: 'plots/loss.csv',
      projectPath: 'models/plots/loss.csv',
      cache: false,
      persist: false,
      push: true,
      plot: { template: 'linear', x: 'step', y: ['loss', 'val_loss'], header: true },
    });
    assert.deepEqual(train.outs[3], {
      kind: 'plot',
      path: 'plots/roc.json',
      projectPath: 'models/plots/roc.json',
      cache: true,
      persist: false,
      push: true,
      plot: {},
    });
    assert.equal(train.frozen, true);
    assert.equal(train.alwaysChanged, true);
    assert.equal(train.desc, 'trains');
    assert.deepEqual(train.meta, [1, 2]);
  });

  it('reads params: bare keys in params.yaml of the wdir, key lists, and whole files that win', () => {
    const train = render(text).stages[1];
    assert.deepEqual(train.params, [
      { file: 'params.yaml', projectPath: 'models/params.yaml', keys: ['lr', 'train.epochs'] },
      { file: '../conf.yaml', projectPath: 'conf.yaml', keys: ['a', 'b'] },
      { file: 'extra.yaml', projectPath: 'models/extra.yaml', keys: null },
    ]);
  });

  it('lets {params.yaml: null} override bare keys', () => {
    const def = render('stages:\n  s:\n    cmd: x\n    params:\n      - lr\n      - params.yaml:\n');
    assert.deepEqual(def.stages[0].params, [{ file: 'params.yaml', projectPath: 'params.yaml', keys: null }]);
  });

  it('merges repeated entries for one out path', () => {
    const def = render('stages:\n  s:\n    cmd: x\n    outs:\n      - o\n      - o:\n          cache: false\n');
    assert.equal(def.stages[0].outs.length, 1);
    assert.equal(def.stages[0].outs[0].cache, false);
  });
});

describe('dvcYaml: top-level sections', () => {
  it('reads params, metrics, plots and artifacts relative to the dvc.yaml folder', () => {
    const def = render(
      [
        'params: [conf/./p.yaml]',
        'metrics: [eval/metrics.json, ../up.json]',
        'plots:',
        '  - eval/roc.csv',
        '  - eval/pr.json:',
        '      x: recall',
        '      y: precision',
        '      title: PR',
        '  - Accuracy:',
        '      x: step',
        '      y:',
        '        a/train.tsv: acc',
        '        a/test.tsv: [acc, loss]',
        '      template: simple',
        '  - empty.csv:',
        'artifacts:',
        '  cv-classification:',
        '    path: models/./resnet.pt',
        '    type: model',
        '    desc: CV model',
        '    labels: [resnet50]',
        '    meta: {framework: pytorch}',
        '  remote-one:',
        '    path: s3://bucket/m.pt',
        'datasets:',
        '  - {name: d, type: dvc, url: x}',
        'stages: {}',
      ].join('\n'),
    );
    assert.deepEqual(def.errors, []);
    assert.deepEqual(def.params, ['conf/p.yaml']);
    assert.deepEqual(def.metrics, ['eval/metrics.json', '../up.json']);
    assert.deepEqual(def.plots, [
      { id: 'eval/roc.csv', projectPath: 'eval/roc.csv' },
      { id: 'eval/pr.json', projectPath: 'eval/pr.json', x: 'recall', y: 'precision', title: 'PR' },
      {
        id: 'Accuracy',
        x: 'step',
        y: { 'a/train.tsv': 'acc', 'a/test.tsv': ['acc', 'loss'] },
        template: 'simple',
        files: ['a/train.tsv', 'a/test.tsv'],
      },
      { id: 'empty.csv', projectPath: 'empty.csv' },
    ]);
    assert.deepEqual(def.artifacts, [
      {
        name: 'cv-classification',
        path: 'models/./resnet.pt',
        projectPath: 'models/resnet.pt',
        type: 'model',
        desc: 'CV model',
        labels: ['resnet50'],
        meta: { framework: 'pytorch' },
      },
      { name: 'remote-one', path: 's3://bucket/m.pt', projectPath: 's3://bucket/m.pt' },
    ]);
  });

  it('reports an unknown top-level key, an artifact without path and a bad plot, keeping the rest', () => {
    const def = render(
      [
        'stages:',
        '  ok:',
        '    cmd: x',
        'stagez: {}',
        'artifacts:',
        '  bad:',
        '    type: model',
        '  good:',
        '    path: m.pt',
        'plots:',
        '  - p.csv:',
        '      colour: red',
      ].join('\n'),
    );
    assert.deepEqual(
      def.stages.map((s) => s.name),
      ['ok'],
    );
    assert.deepEqual(
      def.artifacts.map((a) => a.name),
      ['good'],
    );
    assert.equal(def.plots.length, 0);
    const msgs = def.errors.map((e) => `${e.line}: ${e.message}`);
    assert.equal(def.errors.length, 3, msgs.join('\n'));
    assert.ok(
      def.errors.some((e) => /unknown top-level key 'stagez'/.test(e.message) && e.line === 4 && e.column === 1),
      msgs.join('\n'),
    );
    assert.ok(
      def.errors.some((e) => /artifact 'bad'.*'path' is required/.test(e.message) && e.line === 6),
      msgs.join('\n'),
    );
    assert.ok(
      def.errors.some((e) => /unknown key 'colour'/.test(e.message) && e.line === 12),
      msgs.join('\n'),
    );
  });
});

describe('dvcYaml: bad stages are dropped alone', () => {
  it('reports an unknown stage key with stage and line', () => {
    const def = render(
      ['stages:', '  first:', '    cmd: a', '  broken:', '    cmd: b', '    outz: [x]', '  last:', '    cmd: c'].join('\n'),
    );
    assert.deepEqual(
      def.stages.map((s) => s.name),
      ['first', 'last'],
    );
    assert.equal(def.errors.length, 1);
    const [err] = def.errors;
    assert.equal(err.stage, 'broken');
    assert.match(err.message, /stage 'broken'/);
    assert.match(err.message, /unknown key 'outz'/);
    assert.equal(err.line, 6);
    assert.equal(err.column, 5);
  });

  it('reports a missing cmd at the stage line', () => {
    const def = render(['stages:', '  first:', '    cmd: a', '  nocmd:', '    deps: [x]', '  last:', '    cmd: c'].join('\n'));
    assert.deepEqual(
      def.stages.map((s) => s.name),
      ['first', 'last'],
    );
    assert.equal(def.errors.length, 1);
    assert.equal(def.errors[0].stage, 'nocmd');
    assert.match(def.errors[0].message, /stage 'nocmd': 'cmd' is required/);
    assert.equal(def.errors[0].line, 4);
  });

  it('reports wrong types: cmd, frozen, deps entries, out flags, a stage that is not a mapping', () => {
    const def = render(
      [
        'stages:',
        '  a:',
        '    cmd: {x: 1}',
        '  b:',
        '    cmd: x',
        '    frozen: yes',
        '  c:',
        '    cmd: x',
        '    deps: [1]',
        '  d:',
        '    cmd: x',
        '    outs:',
        '      - o:',
        '          cach: false',
        '  e: just a string',
        '  f:',
        '    cmd: x',
        '    outs:',
        '      - o:',
      ].join('\n'),
    );
    assert.deepEqual(def.stages, []);
    const by = new Map(def.errors.map((e) => [e.stage, e]));
    assert.match(by.get('a')!.message, /'cmd' must be a string or a list of strings, got dict/);
    assert.equal(by.get('a')!.line, 3);
    // YAML 1.2: `yes` is a string, as with ruamel
    assert.match(by.get('b')!.message, /'frozen' must be a boolean, got str/);
    assert.equal(by.get('b')!.line, 6);
    assert.match(by.get('c')!.message, /'deps\[0\]' must be a string, got int/);
    assert.equal(by.get('c')!.line, 9);
    assert.match(by.get('d')!.message, /unknown flag 'cach'/);
    assert.equal(by.get('d')!.line, 14);
    assert.match(by.get('e')!.message, /expected a mapping, got str/);
    assert.equal(by.get('e')!.line, 15);
    assert.match(by.get('f')!.message, /expected a mapping of flags for 'o'/);
  });

  it('rejects keys beside foreach/do and do without foreach', () => {
    const def = render(
      [
        'stages:',
        '  a:',
        '    foreach: [1]',
        '    cmd: x',
        '    do: {cmd: y}',
        '  b:',
        '    do: {cmd: y}',
        '  c:',
        '    foreach: [1]',
        '    do:',
        '      deps: [x]',
      ].join('\n'),
    );
    assert.deepEqual(def.stages, []);
    const by = new Map(def.errors.map((e) => [e.stage, e]));
    assert.match(by.get('a')!.message, /unknown key 'cmd'/);
    assert.equal(by.get('a')!.line, 4);
    assert.match(by.get('b')!.message, /'do' needs 'foreach'/);
    assert.match(by.get('c')!.message, /stage 'c': 'cmd' is required/);
    assert.equal(by.get('c')!.line, 10);
  });
});
