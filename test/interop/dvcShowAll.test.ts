// `lineage show -a/-T/-A` beside `dvc metrics show --json -a/-T/-A` (and DVC's params show,
// which only its Python API offers): the same revisions under the same keys, in the same
// order, with the same values; the workspace kept or hidden as DVC decides; metrics byte for
// byte where the workspace is clean.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertSameValues, flatten, lineageJson, lineageOk, runTool, scratchDir, sharedDemoRepo, toolOk } from './helpers';
import { interopTool } from './tools';

type ShowJson = Record<string, { data?: Record<string, { data?: unknown; error?: unknown }>; error?: unknown }>;

const FLAGS: string[][] = [['-a'], ['-T'], ['-a', '-T'], ['-A']];

/** repo.params.show(...) as JSON, errors as {type, msg} (DVC's encode_exception). */
function dvcParamsShow(dir: string, flags: string[]): ShowJson {
  const kw = `all_branches=${flags.includes('-a') ? 'True' : 'False'}, all_tags=${flags.includes('-T') ? 'True' : 'False'}, all_commits=${flags.includes('-A') ? 'True' : 'False'}`;
  const script = `import json\nfrom dvc.repo import Repo\nfrom dvc.utils.serialize import encode_exception\nprint(json.dumps(Repo('.').params.show(${kw}), default=encode_exception))`;
  const r = runTool('python', ['-c', script], dir);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as ShowJson;
}

/**
 * Values per revision and file (flattened when `flat`: ours prints params flat), an error
 * reduced to "error": which files fail must agree, DVC's message wording is its own.
 */
const byFile = (show: ShowJson, flat: boolean) =>
  Object.fromEntries(
    Object.entries(show).map(([rev, r]) => [
      rev,
      r.error !== undefined
        ? 'error'
        : Object.fromEntries(
            Object.entries(r.data ?? {}).map(([f, d]) => [f, d.error !== undefined ? 'error' : flat ? flatten(d.data) : d.data]),
          ),
    ]),
  );

function compare(dir: string, flags: string[], what: string, options: { bytes?: boolean } = {}): void {
  const theirText = toolOk('dvc', ['metrics', 'show', '--json', ...flags], dir);
  const ourText = lineageOk(['show', '--json', ...flags], dir).stdout;
  const [theirs, ours] = [JSON.parse(theirText) as ShowJson, JSON.parse(ourText) as ShowJson];
  assert.deepEqual(
    Object.keys(ours),
    Object.keys(theirs),
    `${what}: dvc metrics show ${flags.join(' ')} and lineage show list different revision keys`,
  );
  assertSameValues(
    `${what}: dvc metrics show --json ${flags.join(' ')} vs lineage show --json`,
    byFile(theirs, false),
    byFile(ours, false),
  );
  if (options.bytes)
    assert.equal(
      ourText,
      theirText,
      `${what}: lineage show --json ${flags.join(' ')} prints what dvc metrics show --json prints, byte for byte`,
    );
  const params = dvcParamsShow(dir, flags);
  const oursParams = lineageJson<ShowJson>(['show', '--params', '--json', ...flags], dir);
  assert.deepEqual(
    Object.keys(oursParams),
    Object.keys(params),
    `${what}: DVC's params show ${flags.join(' ')} and lineage show --params list different revision keys`,
  );
  assertSameValues(
    `${what}: DVC params show ${flags.join(' ')} vs lineage show --params --json`,
    byFile(params, true),
    byFile(oursParams, true),
  );
}

function git(dir: string, ...args: string[]): void {
  execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
}

/** main tagged v2 (so with -T its key is "main,v2"), v1 shared by a branch and two tags, an unreadable metric on `broken`. */
function makeRepo(): string {
  const dir = join(scratchDir('show-all'), 'repo');
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Show User');
  git(dir, 'config', 'user.email', 'show@example.com');
  toolOk('dvc', ['init', '-q'], dir);
  writeFileSync(join(dir, 'dvc.yaml'), 'metrics:\n  - m.json\nparams:\n  - p.yaml\n');
  const commit = (metrics: string, params: string, message: string) => {
    writeFileSync(join(dir, 'm.json'), metrics);
    writeFileSync(join(dir, 'p.yaml'), params);
    // A params.yaml that does not parse fails the whole revision in DVC (it is the pipeline's vars file).
    writeFileSync(join(dir, 'params.yaml'), `seed: ${message.length}\n`);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', message);
  };
  commit('{"acc": 0.5, "n": 1}\n', 'lr: 0.1\n', 'one');
  git(dir, 'tag', 'v1');
  git(dir, 'tag', '-a', '-m', 'release', 'r1');
  git(dir, 'branch', 'other');
  git(dir, 'checkout', '-q', '-b', 'broken');
  commit('{"acc": 0.6,\n', 'lr: [0.2\n', 'broken files');
  git(dir, 'checkout', '-q', 'main');
  commit('{"acc": 0.7, "n": 2, "deep": {"x": 3}}\n', 'lr: 0.3\nnested: {a: 1}\n', 'two');
  git(dir, 'tag', 'v2');
  return dir;
}

describe('interop: lineage show -a/-T/-A and dvc metrics show', function () {
  this.timeout(600000);
  before(() => interopTool('dvc'));

  it('a repository made here: shared commits, a tagged checked-out branch, unreadable files, an edited workspace', () => {
    const dir = makeRepo();
    for (const flags of FLAGS) compare(dir, flags, 'clean workspace', { bytes: true });
    // The checked-out branch alone names its commit with -a: the workspace is hidden; with -T it is "main,v2" and stays.
    assert.equal('workspace' in lineageJson<ShowJson>(['show', '--json', '-a'], dir), false);
    assert.equal('workspace' in lineageJson<ShowJson>(['show', '--json', '-a', '-T'], dir), true);
    writeFileSync(join(dir, 'm.json'), '{"acc": 0.9}\n');
    for (const flags of FLAGS) compare(dir, flags, 'edited workspace');
    git(dir, 'checkout', '-q', '--', 'm.json');
    git(dir, 'checkout', '-q', '--detach', 'other');
    compare(dir, ['-a'], 'detached HEAD');
    const text = lineageOk(['show', '-a', '-T'], dir).stdout;
    for (const key of ['workspace', 'broken', 'main,v2', 'other,r1,v1'])
      assert.match(text, new RegExp(`^${key}\\s`, 'm'), `lineage show -a -T text lists ${key}`);
  });

  it('the demo repository: every branch, every tag, every commit', async () => {
    const { dir } = await sharedDemoRepo();
    for (const flags of FLAGS) compare(dir, flags, 'demo', { bytes: true });
  });
});
