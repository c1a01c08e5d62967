// Checks the generated repositories with real git commands, the way the indexer will see them.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { DemoRepoInfo, generateDemoRepo } from '../../../src/demo/demoRepo';
import { SyntheticRepoInfo, generateSyntheticRepo } from '../../../src/demo/syntheticRepo';

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

function gitBytes(cwd: string, args: string[]): Buffer {
  return execFileSync('git', args, { cwd, maxBuffer: 64 * 1024 * 1024 });
}

/** Reads many `rev:path` blobs through one `git cat-file --batch` instead of a process each. */
function catFiles(cwd: string, specs: string[]): Buffer[] {
  const out = execFileSync('git', ['cat-file', '--batch'], { cwd, input: specs.join('\n') + '\n', maxBuffer: 256 * 1024 * 1024 });
  const blobs: Buffer[] = [];
  let pos = 0;
  for (let i = 0; i < specs.length; i++) {
    const eol = out.indexOf(10, pos);
    const header = out.subarray(pos, eol).toString('utf8');
    const size = Number(header.split(' ')[2]);
    assert.ok(Number.isFinite(size), `cat-file: ${header}`);
    blobs.push(out.subarray(eol + 1, eol + 1 + size));
    pos = eol + 1 + size + 1;
  }
  return blobs;
}

const md5 = (b: Buffer | string): string => createHash('md5').update(b).digest('hex');
const lines = (s: string): string[] => s.split('\n').filter((l) => l.length > 0);

interface LockEntry {
  path: string;
  hash?: string;
  md5: string;
  size: number;
  nfiles?: number;
}
interface Lock {
  schema: string;
  stages: Record<string, { cmd: string; deps?: LockEntry[]; outs?: LockEntry[]; params?: Record<string, Record<string, unknown>> }>;
}

function cachePath(dir: string, hash: string): string {
  return path.join(dir, '.dvc', 'cache', 'files', 'md5', hash.slice(0, 2), hash.slice(2));
}

describe('demo repository generator', function () {
  this.timeout(120000);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lineage-demo-'));
  const dir = path.join(tmp, 'demo');
  let info: DemoRepoInfo;

  before(async () => {
    info = await generateDemoRepo(dir, { seed: 1 });
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('has a few hundred commits, branches and merges', () => {
    const mainCount = Number(git(dir, ['rev-list', '--count', 'main']).trim());
    assert.equal(mainCount, info.mainCommitCount);
    assert.ok(mainCount >= 200, `main has ${mainCount} commits`);
    assert.equal(Number(git(dir, ['rev-list', '--count', '--all']).trim()), info.commitCount);
    assert.ok(info.commitCount > 280);
    const heads = lines(git(dir, ['for-each-ref', '--format=%(refname:short)', 'refs/heads'])).sort();
    assert.deepEqual(heads, [...info.branches].sort());
    assert.equal(heads.length, 9);
    assert.ok(heads.includes('feature/größe'));
    const merges = lines(git(dir, ['rev-list', '--merges', 'main']));
    assert.equal(merges.length, info.mergedBranches.length);
    assert.ok(merges.length >= 2);
    for (const b of info.mergedBranches) {
      assert.equal(git(dir, ['merge-base', '--is-ancestor', b, 'main']), '');
    }
    assert.equal(git(dir, ['rev-parse', 'main']).trim(), info.mainHead);
    // The oldest commit is dated on the fixed epoch.
    const first = lines(git(dir, ['log', '--reverse', '--format=%aI', 'main']))[0];
    assert.match(first, /^2025-01-06T/);
  });

  it('has release tags (one lightweight) and GTO tags', () => {
    const tags = new Map(
      lines(git(dir, ['for-each-ref', '--format=%(refname:short) %(objecttype)', 'refs/tags'])).map(
        (l) => l.split(' ') as [string, string],
      ),
    );
    assert.equal(tags.size, info.tags.length);
    for (const t of ['v0.1.0', 'v1.0.0', 'v1.2.0', 'classifier@v1.0.0', 'classifier#prod#1']) assert.equal(tags.get(t), 'tag', t);
    assert.deepEqual(info.lightweightTags, ['v0.2.0']);
    assert.equal(tags.get('v0.2.0'), 'commit');
    const subject = (t: string): string => git(dir, ['for-each-ref', '--format=%(contents:subject)', `refs/tags/${t}`]).trim();
    assert.equal(subject('classifier@v1.0.0'), 'Registering artifact classifier version v1.0.0');
    assert.equal(subject('classifier#prod#1'), 'Assigning stage prod to artifact classifier version v1.0.0');
    assert.equal(git(dir, ['rev-parse', 'classifier#prod#1^{commit}']), git(dir, ['rev-parse', 'v1.0.0^{commit}']));
    const artifacts = parse(git(dir, ['show', 'main:artifacts.yaml']));
    assert.equal(artifacts.classifier.type, 'model');
    assert.equal(artifacts.classifier.path, 'models/model.pkl');
  });

  it('has experiment refs whose parent is the baseline', () => {
    const refs = lines(git(dir, ['for-each-ref', '--format=%(refname)', 'refs/exps']));
    assert.equal(refs.length, 15);
    assert.deepEqual(refs.sort(), info.expRefs.map((e) => e.ref).sort());
    assert.equal(new Set(info.expRefs.map((e) => e.baseline)).size, 3);
    for (const e of info.expRefs) {
      assert.equal(e.ref, `refs/exps/${e.baseline.slice(0, 2)}/${e.baseline.slice(2)}/${e.name}`);
      assert.match(e.name, /^(exp-[0-9a-f]{5}|[a-z]+-[a-z]+)$/);
      assert.equal(git(dir, ['rev-parse', e.ref]).trim(), e.sha);
      assert.equal(git(dir, ['rev-parse', `${e.sha}^@`]).trim(), e.baseline);
      assert.match(git(dir, ['log', '-1', '--format=%s', e.sha]).trim(), /^dvc: commit experiment [0-9a-f]{64}$/);
      const changed = lines(git(dir, ['diff', '--name-only', e.baseline, e.sha]));
      assert.ok(changed.includes('params.yaml') && changed.includes('dvc.lock'), `${e.name} changes ${changed}`);
    }
  });

  it('keeps file contents plausible across history', () => {
    const root = git(dir, ['rev-list', '--max-parents=0', 'main']).trim();
    assert.deepEqual(lines(git(dir, ['ls-tree', '--name-only', root])).sort(), ['.gitignore', 'README.md', 'requirements.txt']);
    const early = parse(git(dir, ['show', 'v0.1.0:dvc.yaml']));
    assert.deepEqual(Object.keys(early.stages), ['prepare', 'train', 'evaluate']);
    const late = parse(git(dir, ['show', 'main:dvc.yaml']));
    assert.deepEqual(Object.keys(late.stages.train.foreach), ['small', 'large']);
    assert.ok(late.metrics.includes('eval/metrics.json'));
    const params = parse(git(dir, ['show', 'main:params.yaml']));
    assert.deepEqual(params.prepare, { split: 0.2, seed: 42 });
    assert.equal(typeof params.train.model.layers, 'number');
    const acc = (rev: string): number => JSON.parse(git(dir, ['show', `${rev}:eval/metrics.json`])).accuracy;
    assert.ok(acc('main') > acc('v0.1.0') + 0.1, 'accuracy trends up');
    // Every stage of the lock matches the dvc.yaml it sits next to.
    const lock = parse(git(dir, ['show', 'main:dvc.lock'])) as Lock;
    assert.equal(lock.schema, '2.0');
    assert.deepEqual(Object.keys(lock.stages), ['prepare', 'featurize', 'train@small', 'train@large', 'evaluate']);
    assert.equal(lock.stages['train@large'].cmd, 'python src/train.py --family large --hidden 256 data/features models/large.pkl');
    for (const stage of Object.values(lock.stages)) {
      for (const e of [...(stage.deps ?? []), ...(stage.outs ?? [])]) {
        if (e.md5.endsWith('.dir')) continue; // directories are checked in the cache test
        const tracked = git(dir, ['ls-tree', '--name-only', 'main', '--', e.path]).trim() !== '';
        const bytes = tracked ? gitBytes(dir, ['show', `main:${e.path}`]) : readFileSync(cachePath(dir, e.md5));
        assert.equal(md5(bytes), e.md5, e.path);
        assert.equal(bytes.length, e.size, e.path);
      }
    }
    // DVCLive: a "nan" string at one commit, both TSV header styles, and longer runs later.
    assert.ok(lines(git(dir, ['log', '--all', '--format=%H', '-G"nan"', '--', 'dvclive/metrics.json'])).length >= 1);
    const liveRevs = lines(git(dir, ['log', '--reverse', '--format=%H', 'main', '--', 'dvclive/plots/metrics/train/loss.tsv']));
    const firstTsv = git(dir, ['show', `${liveRevs[0]}:dvclive/plots/metrics/train/loss.tsv`]);
    const lastTsv = git(dir, ['show', 'main:dvclive/plots/metrics/train/loss.tsv']);
    assert.equal(lines(firstTsv)[0], 'step\tloss');
    assert.equal(lines(lastTsv)[0], 'timestamp\tstep\tloss');
    assert.ok(lines(lastTsv).length > lines(firstTsv).length);
    assert.ok(git(dir, ['show', 'main:eval/plots/roc.csv']).startsWith('fpr,tpr,threshold\n'));
    assert.ok(git(dir, ['show', 'main:eval/plots/confusion.csv']).startsWith('actual,predicted\n'));
  });

  it('keeps cached metrics out of Git but in the DVC cache for every revision', () => {
    assert.equal(git(dir, ['log', '--all', '--format=%H', '--', 'eval/cached_metrics.json']).trim(), '');
    const revs = lines(git(dir, ['log', '--all', '--format=%H', '--', 'dvc.lock']));
    assert.ok(revs.length > 250);
    let checked = 0;
    const locks = catFiles(
      dir,
      revs.map((r) => `${r}:dvc.lock`),
    );
    for (const [i, rev] of revs.entries()) {
      const lock = parse(locks[i].toString('utf8')) as Lock;
      for (const stage of Object.values(lock.stages)) {
        for (const out of stage.outs ?? []) {
          if (out.md5.endsWith('.dir')) {
            const listing = JSON.parse(readFileSync(cachePath(dir, out.md5), 'utf8')) as { md5: string; relpath: string }[];
            assert.equal(listing.length, out.nfiles);
            assert.equal(md5(readFileSync(cachePath(dir, out.md5))), out.md5.slice(0, -4));
            for (const f of listing) assert.ok(existsSync(cachePath(dir, f.md5)), `${rev} ${out.path}/${f.relpath}`);
          } else if (out.path === 'eval/cached_metrics.json' || out.path.endsWith('.pkl')) {
            assert.equal(out.hash, 'md5');
            const bytes = readFileSync(cachePath(dir, out.md5));
            assert.equal(md5(bytes), out.md5, `${rev} ${out.path}`);
            assert.equal(bytes.length, out.size);
            if (out.path === 'eval/cached_metrics.json') {
              assert.equal(typeof JSON.parse(bytes.toString('utf8')).test.accuracy, 'number');
              checked++;
            }
          }
        }
      }
    }
    assert.ok(checked > 200, `checked ${checked} cached metrics versions`);
  });

  it('leaves a clean workspace matching main, with cached outs checked out', () => {
    assert.equal(git(dir, ['status', '--porcelain']), '');
    const lock = parse(readFileSync(path.join(dir, 'dvc.lock'), 'utf8')) as Lock;
    const out = lock.stages.evaluate.outs?.find((o) => o.path === 'eval/cached_metrics.json') as LockEntry;
    assert.equal(md5(readFileSync(path.join(dir, 'eval', 'cached_metrics.json'))), out.md5);
    assert.ok(existsSync(path.join(dir, 'models', 'model.pkl')));
    assert.ok(existsSync(path.join(dir, 'data', 'prepared', 'train.csv')));
  });

  it('is deterministic for a seed', async () => {
    const again = await generateDemoRepo(path.join(tmp, 'again'), { seed: 1 });
    assert.equal(again.mainHead, info.mainHead);
    assert.deepEqual(again.expRefs, info.expRefs);
    await assert.rejects(generateDemoRepo(path.join(tmp, 'again')), /non-empty/);
  });
});

describe('synthetic repository generator', function () {
  this.timeout(120000);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'lineage-synth-'));
  const dir = path.join(tmp, 'synth');
  let info: SyntheticRepoInfo;

  before(async () => {
    info = await generateSyntheticRepo(dir, { commits: 300, branches: 6, expRefs: 10, seed: 3 });
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('has the requested commits, branches and experiment refs', () => {
    assert.equal(Number(git(dir, ['rev-list', '--count', 'main']).trim()), 300);
    assert.equal(Number(git(dir, ['rev-list', '--count', '--all']).trim()), info.commitCount);
    assert.equal(info.commitCount, 300 + info.branchCommits + 10);
    assert.equal(lines(git(dir, ['for-each-ref', '--format=%(refname)', 'refs/heads'])).length, 7);
    const exps = lines(git(dir, ['for-each-ref', '--format=%(refname)', 'refs/exps']));
    assert.equal(exps.length, 10);
    for (const e of info.expRefs) {
      assert.equal(git(dir, ['rev-parse', `${e.ref}^`]).trim(), e.baseline);
      assert.ok(e.ref.startsWith(`refs/exps/${e.baseline.slice(0, 2)}/${e.baseline.slice(2)}/exp-`));
    }
    const all = lines(git(dir, ['for-each-ref', '--format=%(refname)'])).sort();
    assert.deepEqual(all, [...info.refs].sort());
  });

  it('has realistic trees, changing params and a clean workspace', () => {
    const files = lines(git(dir, ['ls-tree', '-r', '--name-only', 'main']));
    assert.equal(files.length, info.trackedFiles);
    assert.ok(files.length >= 300);
    const paramRevs = lines(git(dir, ['rev-list', 'main', '--', 'params.yaml'])).length;
    assert.ok(paramRevs > 200, `params.yaml changed in ${paramRevs} commits`);
    assert.equal(git(dir, ['status', '--porcelain']), '');
    assert.equal(git(dir, ['rev-parse', 'HEAD']).trim(), info.mainHead);
    const lock = parse(readFileSync(path.join(dir, 'dvc.lock'), 'utf8')) as Lock;
    assert.equal(lock.stages.train.outs?.[0].md5, md5(readFileSync(path.join(dir, 'metrics.json'))));
  });
});
