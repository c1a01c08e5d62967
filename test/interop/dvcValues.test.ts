// The real DVC and our CLI read the same demo repository: `metrics diff`, `params diff`,
// `metrics show` and `exp show` values must agree across branches, tags and experiment refs.

import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoRepoInfo } from '../../src/demo/demoRepo';
import { interopTool } from './tools';
import { assertSameValues, copyRepo, flatten, lineageJson, sharedDemoRepo, toolJson } from './helpers';

type DiffJson = Record<string, Record<string, { old?: unknown; new?: unknown; diff?: unknown }>>;
type ShowJson = Record<string, { data?: Record<string, { data?: unknown; error?: unknown }>; error?: unknown }>;

describe('interop: DVC and lineage read the same values', function () {
  this.timeout(300000);
  let info: DemoRepoInfo;
  let repo: string;

  before(async () => {
    interopTool('dvc');
    info = await sharedDemoRepo();
    repo = info.dir;
  });

  /** Pairs of revisions spelled as a user would: branches, tags, exp names, exp refs, shas. */
  function pairs(): [string, string][] {
    const [first, second] = info.expRefs;
    const last = info.expRefs[info.expRefs.length - 1];
    return [
      ['main', 'feature/bigger-model'],
      ['feature/tfidf-ngrams', 'fix/data-leak'],
      ['v1.0.0', 'v1.2.0'],
      ['v0.1.0', 'main'],
      ['main', first.name],
      [second.ref, last.name],
      ['v0.1.0', last.ref],
      [first.baseline, first.sha],
      ['feature/größe', 'classifier@v1.1.0'],
    ];
  }

  for (const kind of ['metrics', 'params'] as const) {
    for (const all of [false, true]) {
      const flag = all ? ' --all' : '';
      it(`${kind} diff${flag} --json between branches, tags and experiments`, () => {
        for (const [a, b] of pairs()) {
          const theirs = toolJson<DiffJson>('dvc', [kind, 'diff', '--json', ...(all ? ['--all'] : []), a, b], repo);
          const ours = lineageJson<DiffJson>([`${kind}`, 'diff', a, b, '--json', ...(all ? ['--all'] : [])], repo);
          assertSameValues(`dvc ${kind} diff${flag} ${a} ${b} vs lineage`, theirs, ours);
        }
      });
    }
  }

  it('metrics diff and params diff of HEAD against an edited workspace', () => {
    const copy = copyRepo(repo, 'workspace');
    writeFileSync(join(copy, 'eval', 'metrics.json'), JSON.stringify({ accuracy: 0.5, f1: 'n/a', extra: { nested: 3 } }) + '\n');
    // train.model is tracked as a whole section: its new list and nested keys are params too.
    writeFileSync(
      join(copy, 'params.yaml'),
      "prepare:\n  split: 0.25\n  seed: 42\nfeaturize:\n  max_features: 1000\ntrain:\n  lr: 1e-3\n  epochs: 36\n  model:\n    layers: [64, 32]\n    names: ['a', \"b'c\"]\n    dropout: 0.5\n",
    );
    for (const kind of ['metrics', 'params'] as const) {
      for (const all of [[], ['--all']]) {
        const theirs = toolJson<DiffJson>('dvc', [kind, 'diff', '--json', ...all], copy);
        const ours = lineageJson<DiffJson>([kind, 'diff', '--json', ...all], copy);
        assertSameValues(`dvc ${kind} diff ${all.join(' ')} (HEAD vs workspace) vs lineage`, theirs, ours);
      }
    }
  });

  // DVC's params diff and exp show read the root params.yaml whole (dvc/repo/params/show.py
  // adds it as a wholly tracked default file), keys no stage tracks included.
  it('params diff shows the keys of the root params.yaml that no stage tracks', () => {
    const copy = copyRepo(repo, 'untracked');
    writeFileSync(
      join(copy, 'params.yaml'),
      'prepare:\n  split: 0.2\n  seed: 42\nfeaturize:\n  max_features: 1000\n  ngrams: 2\ntrain:\n  lr: 0.001\n  epochs: 36\n  batch_size: 16\n  model:\n    layers: 5\n    dropout: 0.05\n  tags: [a, b]\nunused: 1\n',
    );
    assertSameValues(
      'dvc params diff (HEAD vs workspace) vs lineage',
      toolJson<DiffJson>('dvc', ['params', 'diff', '--json'], copy),
      lineageJson<DiffJson>(['params', 'diff', '--json'], copy),
    );
  });

  it('metrics show --json: the workspace, every branch and every tag', () => {
    assertSameValues(
      'dvc metrics show --json (workspace) vs lineage show --json',
      toolJson<ShowJson>('dvc', ['metrics', 'show', '--json'], repo),
      lineageJson<ShowJson>(['show', '--json'], repo),
    );
    const theirs = toolJson<ShowJson>('dvc', ['metrics', 'show', '--json', '--all-branches', '--all-tags'], repo);
    const keys = Object.keys(theirs);
    assert.ok(keys.length >= info.branches.length, `dvc metrics show -a -T listed ${keys.length} revisions: ${keys.join(', ')}`);
    // DVC joins the names of refs on one commit with commas; each name must give the same values.
    for (const key of keys) {
      for (const name of key.split(',')) {
        const ours = lineageJson<ShowJson>(['show', '--json', name], repo);
        assertSameValues(`dvc metrics show -a -T [${key}] vs lineage show --json ${name}`, theirs[key], ours[name]);
      }
    }
  });

  it('exp show --json: every experiment and baseline row, by commit', () => {
    const theirs = expShowByRev(toolJson<ExpShowRow[]>('dvc', ['exp', 'show', '--json', '--all-branches', '--all-tags'], repo));
    // lineage exps --json has DVC's rows too: the workspace, then baselines with their experiments.
    type OurRow = {
      rev: string;
      data: { metrics: Record<string, { data?: unknown }> } | null;
      experiments: { name: string; revs: OurRow[] }[] | null;
    };
    const ours = lineageJson<OurRow[]>(['exps', '--json'], repo)
      .slice(1)
      .flatMap((b) =>
        (b.experiments ?? []).map((e) => ({
          name: e.name,
          sha: e.revs[0].rev,
          baseline: b.rev,
          metrics: Object.fromEntries(Object.entries(e.revs[0].data?.metrics ?? {}).map(([f, d]) => [f, flatten(d.data)])),
        })),
      );
    const theirExps = Object.values(theirs).filter((r) => r.baseline !== undefined);
    assert.deepEqual(
      theirExps.map((r) => `${r.baseline}/${r.name}@${r.rev}`).sort(),
      ours.map((e) => `${e.baseline}/${e.name}@${e.sha}`).sort(),
      'dvc exp show -a -T and lineage exps --json list different experiments (baseline/name@commit)',
    );
    const oursMetrics = new Map(ours.map((e) => [e.sha, e.metrics]));
    const revs = Object.keys(theirs);
    const shown = lineageJson<ShowJson>(['show', '--json', ...revs], repo);
    const params = lineageJson<ShowJson>(['show', '--params', '--json', ...revs], repo);
    for (const rev of revs) {
      // The workspace named on the command line is keyed "workspace" (older builds: "").
      const key = rev === 'workspace' && !(rev in shown) ? '' : rev;
      const oursRow = {
        metrics: Object.fromEntries(Object.entries(shown[key]?.data ?? {}).map(([file, d]) => [file, flatten(d.data)])),
        params: Object.fromEntries(Object.entries(params[key]?.data ?? {}).map(([file, d]) => [file, flatten(d.data)])),
      };
      assertSameValues(
        `dvc exp show row ${rev} (${theirs[rev].name ?? 'unnamed'}) vs lineage show/--params`,
        { metrics: theirs[rev].metrics, params: theirs[rev].params },
        oursRow,
      );
      if (theirs[rev].baseline !== undefined)
        assertSameValues(`dvc exp show ${theirs[rev].name} metrics vs lineage exps --json`, theirs[rev].metrics, oursMetrics.get(rev));
    }
  });
});

interface ExpShowData {
  rev: string;
  params?: Record<string, { data?: unknown; error?: unknown }>;
  metrics?: Record<string, { data?: unknown; error?: unknown }>;
}
interface ExpShowRow {
  rev: string;
  name: string | null;
  data?: ExpShowData;
  error?: unknown;
  experiments?: { name: string; revs: ExpShowRow[] }[] | null;
}
interface FlatRow {
  rev: string;
  name: string | null;
  baseline?: string;
  metrics: Record<string, unknown>;
  params: Record<string, unknown>;
}

/** `dvc exp show --json` rows (baselines with nested experiments) as rev → flat metrics and params per file. */
function expShowByRev(rows: ExpShowRow[]): Record<string, FlatRow> {
  const out: Record<string, FlatRow> = {};
  const files = (section: ExpShowData['metrics']) =>
    Object.fromEntries(
      Object.entries(section ?? {}).map(([file, d]) => [
        file,
        d.error !== undefined && d.data === undefined ? { error: d.error } : flatten(d.data),
      ]),
    );
  const add = (row: ExpShowRow, baseline?: string) => {
    if (row.error) throw new Error(`dvc exp show: row ${row.rev} (${row.name}) has an error: ${JSON.stringify(row.error)}`);
    out[row.rev] = { rev: row.rev, name: row.name, baseline, metrics: files(row.data?.metrics), params: files(row.data?.params) };
  };
  for (const row of rows) {
    add(row);
    for (const exp of row.experiments ?? []) for (const rev of exp.revs) add(rev, row.rev);
  }
  return out;
}
