// DVC's --json judged the way a Python consumer reads it: json.loads with the order of keys
// kept (object_pairs_hook), ints and floats told apart (1.0 is not 1), NaN allowed. `dvc
// metrics diff`/`params diff` walk Python sets, so their key order changes from run to run:
// those are compared with keys sorted; `show` output keeps its order and is compared as is.

import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { toolEnv } from './helpers';
import { interopTool } from './tools';

const COMPARE = String.raw`
import json, sys
job = json.load(sys.stdin)
class Obj(list):
    pass
def canon(v, ordered):
    if isinstance(v, Obj):
        items = [[k, canon(x, ordered)] for k, x in v]
        if not ordered:
            items.sort(key=lambda kv: kv[0])
        return ['dict', items]
    if isinstance(v, list):
        return ['list', [canon(x, ordered) for x in v]]
    if isinstance(v, bool):
        return ['bool', v]
    if isinstance(v, int):
        return ['int', str(v)]
    if isinstance(v, float):
        return ['float', repr(v)]
    return [type(v).__name__, v]
def first_diff(a, b, path):
    if a == b:
        return None
    if a[0] != b[0] or a[0] not in ('dict', 'list'):
        return '%s: theirs %s %r, ours %s %r' % (path, a[0], a[1], b[0], b[1])
    if a[0] == 'list':
        if len(a[1]) != len(b[1]):
            return '%s: theirs has %d items, ours %d' % (path, len(a[1]), len(b[1]))
        for i, (x, y) in enumerate(zip(a[1], b[1])):
            d = first_diff(x, y, '%s[%d]' % (path, i))
            if d:
                return d
    keys_a, keys_b = [k for k, _ in a[1]], [k for k, _ in b[1]]
    if keys_a != keys_b:
        return '%s: theirs keys %r, ours keys %r' % (path, keys_a, keys_b)
    for (k, x), (_, y) in zip(a[1], b[1]):
        d = first_diff(x, y, '%s.%s' % (path, json.dumps(k)))
        if d:
            return d
    return '%s differs' % path
try:
    a = canon(json.loads(job['theirs'], object_pairs_hook=Obj), job['ordered'])
    b = canon(json.loads(job['ours'], object_pairs_hook=Obj), job['ordered'])
    print(json.dumps(first_diff(a, b, '$')))
except ValueError as e:
    print(json.dumps('not JSON Python reads: %s' % e))
`;

/** The first difference between DVC's JSON text and ours, read by Python; undefined when the same. */
export function pyJsonDifference(theirs: string, ours: string, ordered: boolean, cwd: string): string | undefined {
  const r = spawnSync(interopTool('python'), ['-c', COMPARE], {
    cwd,
    env: toolEnv(),
    input: JSON.stringify({ theirs, ours, ordered }),
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as string | null) ?? undefined;
}

/** Fails with both texts when Python reads them differently (types, values, and order when `ordered`). */
export function assertSamePyJson(what: string, theirs: string, ours: string, ordered: boolean, cwd: string): void {
  const diff = pyJsonDifference(theirs, ours, ordered, cwd);
  if (diff) assert.fail(`${what}: ${diff}\n  theirs: ${theirs.trim()}\n  ours:   ${ours.trim()}`);
}
