// The demo's pickle writer: literal bytes (checked once against Python's pickle.loads), and a
// round trip through the machine's Python when there is one.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { PyFloat, PyTuple, pickleDumps } from '../../../src/demo/pickle';

describe('demo pickle writer', () => {
  it('writes protocol 4 opcodes for plain data', () => {
    // pickle.loads gives {'a': [1, 2.0, -2, 300], 'b': ('x', None, True)}
    const bytes = pickleDumps({ a: [1, new PyFloat(2), -2, 300], b: new PyTuple(['x', null, true]) });
    assert.equal(bytes.toString('hex'), '80047d288c01615d284b014740000000000000004afeffffff4d2c01658c01628c01784e8887752e');
  });

  it('loads in Python with the same values', function () {
    const python = ['python3', 'python'].find((p) => spawnSync(p, ['-c', 'import sys; assert sys.version_info[0] == 3']).status === 0);
    if (!python) return this.skip();
    const value = {
      name: 'größe',
      n: 70000,
      neg: -40000,
      f: new PyFloat(2),
      x: 0.1,
      rows: [[new PyTuple([3, new PyFloat(0.5)])]],
      t4: new PyTuple([1, 2, 3, 4]),
      empty: [],
      none: null,
      no: false,
      long: 'a'.repeat(300),
    };
    const script = 'import json, pickle, sys; print(json.dumps(pickle.loads(sys.stdin.buffer.read())))';
    const r = spawnSync(python, ['-c', script], { input: pickleDumps(value), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      name: 'größe',
      n: 70000,
      neg: -40000,
      f: 2,
      x: 0.1,
      rows: [[[3, 0.5]]],
      t4: [1, 2, 3, 4],
      empty: [],
      none: null,
      no: false,
      long: 'a'.repeat(300),
    });
  });
});
