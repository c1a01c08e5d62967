import { strict as assert } from 'node:assert';
import { parseDvcYaml } from '../../../src/core/formats/dvcYaml';
import type { PipelineDef, StageDef } from '../../../src/core/formats/dvcYaml';
import { renderPipeline } from '../../../src/core/formats/dvcYamlRender';
import type { RenderOptions } from '../../../src/core/formats/dvcYamlRender';
import { cmdFlags, dvcToStr, pyFloatRepr, pyStr, shellQuote } from '../../../src/core/python/pyStr';
import { failure } from '../../../src/core/data/types';
import type { DataMap, ParseFailure } from '../../../src/core/data/types';
import { PyFloat, PyTimestamp } from '../../../src/core/python/pyFloat';

type Files = Record<string, DataMap | ParseFailure | undefined>;

function render(lines: string[], files: Files = {}, options?: RenderOptions): PipelineDef {
  const r = parseDvcYaml(lines.join('\n'));
  if (!r.ok) throw new Error(`unexpected failure: ${r.message}`);
  return renderPipeline(r.value, new Map(Object.entries(files)), options);
}

function stage(def: PipelineDef, name: string): StageDef {
  const s = def.stages.find((x) => x.name === name);
  assert.ok(s, `no stage ${name}; errors: ${JSON.stringify(def.errors)}`);
  return s;
}

describe('pyStr', () => {
  it('formats floats like Python repr', () => {
    assert.equal(pyFloatRepr(1e-5), '1e-05');
    assert.equal(pyFloatRepr(0.0001), '0.0001');
    assert.equal(pyFloatRepr(0.1), '0.1');
    assert.equal(pyFloatRepr(1.5e-7), '1.5e-07');
    assert.equal(pyFloatRepr(123.456), '123.456');
    assert.equal(pyFloatRepr(1e15), '1000000000000000.0');
    assert.equal(pyFloatRepr(1e16), '1e+16');
    assert.equal(pyFloatRepr(-2.5e100), '-2.5e+100');
    assert.equal(pyFloatRepr(100), '100.0');
    assert.equal(pyFloatRepr(Infinity), 'inf');
    assert.equal(pyFloatRepr(NaN), 'nan');
    assert.equal(pyFloatRepr(1 / 3), '0.3333333333333333');
  });

  it('formats other values like Python str and DVC to_str', () => {
    assert.equal(pyStr(null), 'None');
    assert.equal(pyStr(true), 'True');
    assert.equal(pyStr(3), '3');
    assert.equal(pyStr(['a', 1, null, "it's"]), `['a', 1, None, "it's"]`);
    assert.equal(pyStr({ a: { b: false } }), `{'a': {'b': False}}`);
    assert.equal(dvcToStr(true), 'true');
    assert.equal(dvcToStr(false), 'false');
    assert.equal(dvcToStr(0.001), '0.001');
    assert.equal(shellQuote(''), "''");
    assert.equal(shellQuote('a/b.c-d=e'), 'a/b.c-d=e');
    assert.equal(shellQuote("it's here"), `'it'"'"'s here'`);
  });

  it('expands mappings into flags: dotted keys, store_true booleans, nargs lists', () => {
    const obj = {
      lr: 0.001,
      opt: { name: 'adam', betas: [0.9, 0.99] },
      verbose: true,
      quiet: false,
      tag: 'a b',
      none: null,
      flags: [true, 'x y'],
      empty: {},
    };
    assert.equal(cmdFlags(obj), `--lr 0.001 --opt.name adam --opt.betas 0.9 0.99 --verbose --tag 'a b' --none None --flags True 'x y'`);
    assert.equal(cmdFlags({ q: false, l: [1, 2] }, { bool: 'boolean_optional', list: 'append' }), '--no-q --l 1 --l 2');
    assert.throws(() => cmdFlags({ l: [[1]] }), /nested iterable in 'l'/);
  });
});

describe('dvcYamlRender: context and interpolation', () => {
  const params: DataMap = { lr: 0.00001, train: { epochs: 10, layers: [64, 32], flag: true, name: 'resnet' }, ratio: 0.1 };

  it('loads params.yaml automatically and renders ${} with Python str semantics', () => {
    const def = render(
      [
        'stages:',
        '  train:',
        '    cmd: python train.py --lr ${lr} --epochs ${train.epochs} --first ${train.layers[0]} --flag ${train.flag} --r ${ ratio }',
        '    outs: ["models/${train.name}.pt"]',
        '    frozen: ${train.flag}',
        '    meta: ${train.epochs}',
      ],
      { 'params.yaml': params },
    );
    assert.deepEqual(def.errors, []);
    const s = stage(def, 'train');
    assert.equal(s.cmd, 'python train.py --lr 1e-05 --epochs 10 --first 64 --flag true --r 0.1');
    assert.equal(s.outs[0].path, 'models/resnet.pt');
    // a string that is exactly one ${x} keeps x's type
    assert.equal(s.frozen, true);
    assert.equal(s.meta, 10);
  });

  it('keeps \\${ as a literal ${', () => {
    const def = render(['stages:', '  s:', '    cmd: echo \\${HOME} ${lr}', '  t:', '    cmd: echo \\${HOME}'], { 'params.yaml': params });
    assert.equal(stage(def, 's').cmd, 'echo ${HOME} 1e-05');
    assert.equal(stage(def, 't').cmd, 'echo ${HOME}');
  });

  it('expands a mapping in cmd into flags, and rejects containers elsewhere', () => {
    const def = render(
      [
        'stages:',
        '  ok:',
        '    cmd: python train.py ${train}',
        '  list-in-cmd:',
        '    cmd: python train.py ${train.layers}',
        '  dict-in-out:',
        '    cmd: x',
        '    outs:',
        '      - out/${train}',
        '  fine:',
        '    cmd: echo ok',
      ],
      { 'params.yaml': params },
    );
    assert.equal(stage(def, 'ok').cmd, 'python train.py --epochs 10 --layers 64 32 --flag --name resnet');
    assert.deepEqual(
      def.stages.map((s) => s.name),
      ['ok', 'fine'],
    );
    const by = new Map(def.errors.map((e) => [e.stage, e]));
    assert.match(by.get('list-in-cmd')!.message, /'stages\.list-in-cmd\.cmd'.*Cannot interpolate data of type 'list'/);
    assert.equal(by.get('list-in-cmd')!.line, 5);
    assert.match(by.get('dict-in-out')!.message, /'stages\.dict-in-out\.outs'.*Cannot interpolate data of type 'dict'/);
    assert.equal(by.get('dict-in-out')!.line, 9);
  });

  it('honours the parsing options for flags', () => {
    const def = render(
      ['stages:', '  s:', '    cmd: run ${opts}'],
      { 'params.yaml': { opts: { a: false, b: [1, 2] } } },
      { bool: 'boolean_optional', list: 'append' },
    );
    assert.equal(stage(def, 's').cmd, 'run --no-a --b 1 --b 2');
  });

  it('reports an undefined variable with stage, key and line, keeping other stages', () => {
    const def = render(
      [
        'stages:',
        '  before:',
        '    cmd: echo ${lr}',
        '  broken:',
        '    cmd: python train.py',
        '    deps:',
        '      - data/${missing.key}',
        '  after:',
        '    cmd: echo after',
      ],
      { 'params.yaml': params },
    );
    assert.deepEqual(
      def.stages.map((s) => s.name),
      ['before', 'after'],
    );
    assert.equal(def.errors.length, 1);
    const [err] = def.errors;
    assert.equal(err.stage, 'broken');
    assert.equal(err.message, `failed to parse 'stages.broken.deps': Could not find 'missing.key'`);
    assert.equal(err.line, 7);
    assert.equal(err.column, 9);
  });

  it('reports a malformed ${} expression', () => {
    const def = render(['stages:', '  s:', '    cmd: echo ${a..b}', '  t:', '    cmd: echo ${}'], { 'params.yaml': params });
    assert.deepEqual(def.stages, []);
    assert.match(def.errors[0].message, /stage|stages\.s\.cmd/);
    assert.equal(def.errors[0].line, 3);
    assert.match(def.errors[1].message, /'stages\.t\.cmd'.*invalid interpolation/);
  });

  it('reads vars: files, file:keys and inline mappings; nested mappings merge', () => {
    const def = render(
      [
        'vars:',
        '  - conf/model.yaml',
        '  - conf/data.json:data,seed',
        '  - {train: {batch: 32}, tag: v1}',
        '  - params.yaml',
        'stages:',
        '  s:',
        '    cmd: run ${model.depth} ${data.dir} ${seed} ${train.batch} ${train.epochs} ${tag}',
      ],
      {
        'params.yaml': params,
        'conf/model.yaml': { model: { depth: 50 } },
        'conf/data.json': { data: { dir: 'd' }, seed: 7, ignored: 1 },
      },
    );
    assert.deepEqual(def.errors, []);
    assert.equal(stage(def, 's').cmd, 'run 50 d 7 32 10 v1');
  });

  it('reports redefinitions across sources and missing vars files', () => {
    const def = render(
      [
        'vars:',
        '  - {lr: 0.5}',
        '  - missing.yaml',
        '  - broken.yaml',
        '  - other.yaml:nokey',
        '  - params.yaml:lr',
        'stages:',
        '  s:',
        '    cmd: echo ${lr}',
      ],
      { 'params.yaml': params, 'broken.yaml': failure('bad yaml', 1, 1), 'other.yaml': { a: 1 } },
    );
    assert.equal(stage(def, 's').cmd, 'echo 1e-05');
    const msgs = def.errors.map((e) => e.message);
    assert.deepEqual(
      def.errors.map((e) => e.line),
      [2, 3, 4, 5, 6],
    );
    assert.match(msgs[0], /cannot redefine 'lr' from 'vars\[0\]' as it already exists in 'params.yaml'/);
    assert.match(msgs[1], /'missing.yaml' does not exist/);
    assert.match(msgs[2], /unable to read 'broken.yaml': bad yaml/);
    assert.match(msgs[3], /could not find 'nokey' in 'other.yaml'/);
    assert.match(msgs[4], /cannot partially load 'params.yaml:lr' as it's already loaded/);
    assert.ok(def.errors.every((e) => e.stage === undefined));
  });

  it('rejects interpolation inside vars', () => {
    const def = render(['vars:', '  - ${x}.yaml', 'stages: {}']);
    assert.match(def.errors[0].message, /interpolating is not allowed/);
  });

  it('loads stage vars relative to the wdir and fails only that stage on a clash', () => {
    const def = render(
      [
        'stages:',
        '  local:',
        '    wdir: sub/${train.name}',
        '    vars:',
        '      - local.yaml',
        '      - {extra: 1}',
        '    cmd: run ${only_here} ${extra}',
        '    outs: ["${only_here}.out"]',
        '  clash:',
        '    vars:',
        '      - {lr: 1}',
        '    cmd: run',
        '  other:',
        '    cmd: run ${lr}',
      ],
      { 'params.yaml': params, 'sub/resnet/local.yaml': { only_here: 'x' } },
    );
    const s = stage(def, 'local');
    assert.equal(s.wdir, 'sub/resnet');
    assert.equal(s.cmd, 'run x 1');
    assert.equal(s.outs[0].projectPath, 'sub/resnet/x.out');
    assert.deepEqual(
      def.stages.map((x) => x.name),
      ['local', 'other'],
    );
    assert.equal(def.errors.length, 1);
    assert.equal(def.errors[0].stage, 'clash');
    assert.match(def.errors[0].message, /stage 'clash'.*cannot redefine 'lr' from 'clash\.vars\[0\]'/);
    assert.equal(def.errors[0].line, 11);
  });

  it('interpolates mapping keys and top-level sections', () => {
    const def = render(
      [
        'params: ["${pfile}"]',
        'metrics: ["eval/${train.name}.json"]',
        'artifacts:',
        '  ${train.name}-model:',
        '    path: models/${train.name}.pt',
        'stages:',
        '  s:',
        '    cmd: run',
        '    params:',
        '      - ${pfile}: [a]',
        '    outs:',
        '      - ${train.name}.pt:',
        '          cache: ${train.flag}',
      ],
      { 'params.yaml': { ...params, pfile: 'conf.yaml' } },
    );
    assert.deepEqual(def.errors, []);
    assert.deepEqual(def.params, ['conf.yaml']);
    assert.deepEqual(def.metrics, ['eval/resnet.json']);
    assert.equal(def.artifacts[0].name, 'resnet-model');
    assert.equal(def.artifacts[0].path, 'models/resnet.pt');
    const s = stage(def, 's');
    assert.deepEqual(s.params, [{ file: 'conf.yaml', projectPath: 'conf.yaml', keys: ['a'] }]);
    assert.equal(s.outs[0].path, 'resnet.pt');
    assert.equal(s.outs[0].cache, true);
  });
});

describe('dvcYamlRender: foreach and matrix', () => {
  it('names stages by value for a list of scalars', () => {
    const def = render([
      'stages:',
      '  build:',
      '    foreach: [us, eu, 0.5, true]',
      '    do:',
      '      cmd: build ${item}',
      '      outs: ["out/${item}"]',
    ]);
    assert.deepEqual(
      def.stages.map((s) => s.name),
      ['build@us', 'build@eu', 'build@0.5', 'build@true'],
    );
    assert.equal(stage(def, 'build@eu').cmd, 'build eu');
    assert.equal(stage(def, 'build@true').outs[0].path, 'out/true');
    assert.ok(def.stages.every((s) => s.line === 2 && s.group === 'build'));
  });

  it('names stages by index for a list of mappings, from a variable', () => {
    const def = render(
      ['stages:', '  train:', '    foreach: ${models}', '    do:', '      cmd: train --name ${item.name} --lr ${item.lr}'],
      {
        'params.yaml': {
          models: [
            { name: 'a', lr: 0.1 },
            { name: 'b', lr: 0.01 },
          ],
        },
      },
    );
    assert.deepEqual(
      def.stages.map((s) => [s.name, s.cmd]),
      [
        ['train@0', 'train --name a --lr 0.1'],
        ['train@1', 'train --name b --lr 0.01'],
      ],
    );
  });

  it('names stages by key for a mapping, with ${key} and ${item}', () => {
    const def = render([
      'stages:',
      '  build:',
      '    foreach:',
      '      us: {size: 1}',
      '      eu: {size: 2}',
      '    do:',
      '      cmd: build ${key} ${item.size}',
      '      wdir: regions/${key}',
    ]);
    assert.deepEqual(
      def.stages.map((s) => [s.name, s.cmd, s.wdir]),
      [
        ['build@us', 'build us 1', 'regions/us'],
        ['build@eu', 'build eu 2', 'regions/eu'],
      ],
    );
  });

  it('reports foreach over a scalar with stage and line, keeping other stages', () => {
    const def = render(['stages:', '  ok:', '    cmd: run', '  loop:', '    foreach: ${lr}', '    do:', '      cmd: run ${item}'], {
      'params.yaml': { lr: 0.1 },
    });
    assert.deepEqual(
      def.stages.map((s) => s.name),
      ['ok'],
    );
    assert.equal(def.errors.length, 1);
    assert.equal(def.errors[0].stage, 'loop');
    assert.equal(def.errors[0].message, `failed to resolve 'stages.loop.foreach': expected list/dictionary, got float`);
    assert.equal(def.errors[0].line, 5);
  });

  it('drops only the generated stage that fails', () => {
    const def = render(['stages:', '  g:', '    foreach: [{a: 1}, {b: 2}]', '    do:', '      cmd: run ${item.a}']);
    assert.deepEqual(
      def.stages.map((s) => s.name),
      ['g@0'],
    );
    assert.equal(def.errors[0].stage, 'g@1');
    assert.match(def.errors[0].message, /'stages\.g@1\.cmd': Could not find 'item\.a'/);
    assert.equal(def.errors[0].line, 5);
  });

  it('does not let stage vars redefine item', () => {
    const def = render(['stages:', '  g:', '    foreach: [1]', '    do:', '      vars: [{item: 2}]', '      cmd: run ${item}']);
    assert.deepEqual(def.stages, []);
    assert.match(def.errors[0].message, /reserved key 'item'/);
  });

  it('expands a matrix as a cartesian product, last axis fastest', () => {
    const def = render([
      'stages:',
      '  train:',
      '    matrix:',
      '      lr: [0.1, 0.00001]',
      '      act: [relu, tanh]',
      '    cmd: train --lr ${item.lr} --act ${item.act} --tag ${key}',
      '    outs: ["models/${key}.pt"]',
    ]);
    assert.deepEqual(
      def.stages.map((s) => s.name),
      ['train@0.1-relu', 'train@0.1-tanh', 'train@1e-05-relu', 'train@1e-05-tanh'],
    );
    const s = stage(def, 'train@1e-05-tanh');
    assert.equal(s.cmd, 'train --lr 1e-05 --act tanh --tag 1e-05-tanh');
    assert.equal(s.outs[0].path, 'models/1e-05-tanh.pt');
  });

  it('names composite matrix values <axis><index> and reads axes from variables', () => {
    const def = render(
      ['stages:', '  fit:', '    matrix:', '      model: ${models}', '      seed: [1]', '    cmd: fit ${item.model.name} ${item.seed}'],
      { 'params.yaml': { models: [{ name: 'a' }, { name: 'b' }] } },
    );
    assert.deepEqual(
      def.stages.map((s) => [s.name, s.cmd]),
      [
        ['fit@model0-1', 'fit a 1'],
        ['fit@model1-1', 'fit b 1'],
      ],
    );
  });

  it('reports a bad matrix, keeping other stages', () => {
    const def = render([
      'stages:',
      '  m1:',
      '    matrix:',
      '      lr: 0.1',
      '    cmd: x',
      '  m2:',
      '    matrix: [1, 2]',
      '    cmd: x',
      '  ok:',
      '    cmd: x',
    ]);
    assert.deepEqual(
      def.stages.map((s) => s.name),
      ['ok'],
    );
    const by = new Map(def.errors.map((e) => [e.stage, e]));
    assert.match(by.get('m1')!.message, /stage 'm1': matrix axis 'lr' must be a list, got float/);
    assert.equal(by.get('m1')!.line, 4);
    assert.match(by.get('m2')!.message, /stage 'm2': 'matrix' must be a mapping/);
    assert.equal(by.get('m2')!.line, 7);
  });
});

describe('renderPipeline with Python-typed values (src/core/repro/paramValues templateData)', () => {
  // Expected strings are what DVC 3.67.1 wrote into dvc.lock for the same params.yaml:
  // lr: 1.0, small: 1e-5, flag: true, train: {batch: 32, opt: {name: adam, beta: 0.9}},
  // huge: 1e16, weird: 1_000, ratio: 0.30000000000000004 (test/core/repro/fixtures/lock-e2e).
  const params = {
    lr: new PyFloat(1),
    small: new PyFloat(1e-5),
    flag: true,
    train: { batch: 32, opt: { name: 'adam', beta: new PyFloat(0.9) } },
    huge: new PyFloat(1e16),
    weird: 1000,
    ratio: new PyFloat(0.30000000000000004),
    big: 12345678901234567890n,
  };

  it('renders floats as Python does: 1.0, 1e-05, 1e+16', () => {
    const def = render(
      ['stages:', '  prep:', '    cmd: echo ${lr} ${small} ${flag} ${train} ${huge} ${weird} ${ratio} ${big} > out1.txt'],
      { 'params.yaml': params as unknown as DataMap },
    );
    assert.equal(
      stage(def, 'prep').cmd,
      'echo 1.0 1e-05 true --batch 32 --opt.name adam --opt.beta 0.9 1e+16 1000 0.30000000000000004 12345678901234567890 > out1.txt',
    );
  });

  it('names foreach members from float items as DVC does (x@1.0, x@1e-05)', () => {
    const def = render(['stages:', '  gen:', '    foreach: ${rates}', '    do:', '      cmd: echo ${item}'], {
      'params.yaml': { rates: [new PyFloat(1), new PyFloat(2.5), new PyFloat(1e-5)] } as unknown as DataMap,
    });
    assert.deepEqual(
      def.stages.map((s) => [s.name, s.cmd]),
      [
        ['gen@1.0', 'echo 1.0'],
        ['gen@2.5', 'echo 2.5'],
        ['gen@1e-05', 'echo 1e-05'],
      ],
    );
  });

  it('refuses a date in params.yaml as DVC does (Unsupported value of type)', () => {
    const def = render(['stages:', '  a:', '    cmd: echo ${x}'], {
      'params.yaml': { x: 1, when: new PyTimestamp('2020-01-01', 'date') } as unknown as DataMap,
    });
    assert.match(def.errors[0].message, /Unsupported value of type 'date' in 'params.yaml:when'/);
  });

  it('still renders plain JS numbers as before (integral = int)', () => {
    assert.equal(stage(render(['stages:', '  a:', '    cmd: echo ${lr}'], { 'params.yaml': { lr: 1 } }), 'a').cmd, 'echo 1');
  });
});
