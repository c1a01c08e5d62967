import { strict as assert } from 'node:assert';
import { rmSync, appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitFixture } from '../../helpers/gitFixture';
import { stageStatuses, toDvcStatusJson } from '../../../src/core/repro/status';
import { reproduce } from '../../../src/core/repro/runner';
import { createReproIO } from '../../../src/core/repro/reproIO';
import { selectVars, pythonOf } from '../../../src/core/repro/envRecord';

// The same project was run through DVC 3.67.1 (`dvc status --json` / `dvc repro`); the
// expected strings below are DVC's output, key order included.
const DVC_YAML = `stages:
  prep:
    cmd: tr a-z A-Z < in.txt > mid.txt
    deps: [in.txt]
    outs: [mid.txt]
  train:
    cmd: >-
      cp mid.txt model.bin && echo '{"acc": 0.5}' > metrics.json
    deps: [mid.txt]
    params: [lr, nested.a]
    outs: [model.bin]
    metrics: [{metrics.json: {cache: false}}]
  fro:
    cmd: echo hi > fro.txt
    deps: [in.txt]
    outs: [fro.txt]
    frozen: true
  alw:
    cmd: echo x
    always_changed: true
`;

describe('stage status (agreement with dvc status)', function () {
  this.timeout(20000);

  it('matches dvc status --json before a lock exists, after repro and after edits', async () => {
    const repo = GitFixture.create().write({
      '.dvc/config': '',
      'dvc.yaml': DVC_YAML,
      'in.txt': 'hello\r\nworld\n',
      'params.yaml': 'lr: 1.0\nnested:\n  a: 1e-5\n  b: [1,2]\nother: x\n',
    });
    const io = createReproIO(repo.dir);
    const status = async () => JSON.stringify(toDvcStatusJson((await stageStatuses(repo.dir, io)).stages));
    assert.equal(
      await status(),
      '{"prep":[{"changed deps":{"in.txt":"modified"}},{"changed outs":{"mid.txt":"deleted"}}],"train":[{"changed deps":{"mid.txt":"deleted","params.yaml":"new"}},{"changed outs":{"model.bin":"deleted","metrics.json":"deleted"}}],"fro":[{"changed outs":{"fro.txt":"deleted"}}],"alw":["always changed"]}',
    );
    const result = await reproduce(repo.dir, io, { targets: ['prep', 'train'] }, () => undefined);
    assert.deepEqual(result.ran, ['prep', 'train']);
    assert.equal(await status(), '{"fro":[{"changed outs":{"fro.txt":"deleted"}}],"alw":["always changed"]}');
    appendFileSync(join(repo.dir, 'in.txt'), 'more\n');
    writeFileSync(join(repo.dir, 'params.yaml'), 'lr: 1\nnested:\n  b: [1,2]\nother: y\n');
    rmSync(join(repo.dir, 'model.bin'));
    // lr 1.0 -> 1 is equal in Python; nested.a is gone.
    assert.equal(
      await status(),
      '{"prep":[{"changed deps":{"in.txt":"modified"}}],"train":[{"changed deps":{"params.yaml":{"nested.a":"deleted"}}},{"changed outs":{"model.bin":"deleted"}}],"fro":[{"changed outs":{"fro.txt":"deleted"}}],"alw":["always changed"]}',
    );
    rmSync(join(repo.dir, '.dvc', 'cache'), { recursive: true, force: true });
    assert.equal(
      await status(),
      '{"prep":[{"changed deps":{"in.txt":"modified"}},{"changed outs":{"mid.txt":"not in cache"}}],"train":[{"changed deps":{"params.yaml":{"nested.a":"deleted"}}},{"changed outs":{"model.bin":"not in cache"}}],"fro":[{"changed outs":{"fro.txt":"deleted"}}],"alw":["always changed"]}',
    );
  });

  it('reports a changed command and whole-file params', async () => {
    const repo = GitFixture.create().write({
      '.dvc/config': '',
      'dvc.yaml': 'stages:\n  a:\n    cmd: echo 1 > a.txt\n    params:\n    - cfg.yaml:\n    outs: [a.txt]\n',
      'cfg.yaml': 'x: 1\ny: 2\n',
    });
    const io = createReproIO(repo.dir);
    await reproduce(repo.dir, io, { targets: [] }, () => undefined);
    writeFileSync(join(repo.dir, 'dvc.yaml'), 'stages:\n  a:\n    cmd: echo 2 > a.txt\n    params:\n    - cfg.yaml:\n    outs: [a.txt]\n');
    writeFileSync(join(repo.dir, 'cfg.yaml'), 'z: 3\nx: 1\n');
    assert.equal(
      JSON.stringify(toDvcStatusJson((await stageStatuses(repo.dir, io)).stages)),
      '{"a":[{"changed deps":{"cfg.yaml":{"z":"new","y":"deleted"}}},"changed command"]}',
    );
  });
});

describe('.dvc data files (agreement with dvc status / dvc repro)', function () {
  this.timeout(20000);

  it('reports a changed data file under its .dvc path and rewrites its hash on repro as DVC does', async () => {
    // Expected strings: DVC 3.67.1 on the same files (`dvc add data/d.csv`, edit, `dvc repro`).
    const repo = GitFixture.create().write({
      '.dvc/config': '',
      'data/d.csv': 'a\n',
      'data/d.csv.dvc': 'outs:\n- md5: 60b725f10c9c85c70d97880dfe8191b3\n  size: 2\n  hash: md5\n  path: d.csv\n',
      'dvc.yaml': 'stages:\n  use:\n    cmd: cat data/d.csv > used.txt\n    deps: [data/d.csv]\n    outs: [used.txt]\n',
    });
    const io = createReproIO(repo.dir);
    await reproduce(repo.dir, io, { targets: [] }, () => undefined);
    appendFileSync(join(repo.dir, 'data/d.csv'), 'b\n');
    assert.equal(
      JSON.stringify(toDvcStatusJson((await stageStatuses(repo.dir, io)).stages)),
      '{"use":[{"changed deps":{"data/d.csv":"modified"}}],"data/d.csv.dvc":[{"changed outs":{"data/d.csv":"modified"}}]}',
    );
    const result = await reproduce(repo.dir, io, { targets: [] }, () => undefined);
    assert.deepEqual(result.ran, ['data/d.csv.dvc', 'use']);
    assert.equal(
      readFileSync(join(repo.dir, 'data/d.csv.dvc'), 'utf8'),
      'outs:\n- md5: dd8c6a395b5dd36c56d23275028f526c\n  size: 4\n  hash: md5\n  path: d.csv\n',
    );
    assert.equal(readFileSync(join(repo.dir, '.dvc/cache/files/md5/dd/8c6a395b5dd36c56d23275028f526c'), 'utf8'), 'a\nb\n');
    assert.equal(JSON.stringify(toDvcStatusJson((await stageStatuses(repo.dir, io)).stages)), '{}');
  });
});

describe('environment record', () => {
  it('keeps variables that shape a run and never secrets', () => {
    const { vars, redacted } = selectVars({
      CUDA_VISIBLE_DEVICES: '0',
      PYTHONHASHSEED: '1',
      HOME: '/root',
      WANDB_API_KEY: 'k',
      MLFLOW_TRACKING_TOKEN: 't',
      HF_TOKEN: 'x',
      DVC_PASSWORD: 'p',
      AWS_SECRET_ACCESS_KEY: 's',
      OMP_NUM_THREADS: '4',
    });
    assert.deepEqual(vars, { CUDA_VISIBLE_DEVICES: '0', OMP_NUM_THREADS: '4', PYTHONHASHSEED: '1' });
    assert.deepEqual(redacted, ['DVC_PASSWORD', 'HF_TOKEN', 'MLFLOW_TRACKING_TOKEN', 'WANDB_API_KEY']);
  });

  it('finds the Python interpreter a command starts', () => {
    assert.equal(pythonOf('python src/train.py --lr 1'), 'python');
    assert.equal(pythonOf('cd x && python3.11 -m train'), 'python3.11');
    assert.equal(pythonOf('.venv/bin/python train.py'), '.venv/bin/python');
    assert.equal(pythonOf('echo python-is-not-run > x'), undefined);
    assert.equal(pythonOf('Rscript fit.R'), undefined);
  });
});
