// Small DVC repositories made by the tests (a history of commits, then workspace edits), and
// the comparisons of `dvc metrics|params diff --json` and DVC's show results with lineage's,
// read by Python (pyJson.ts): same values, same int/float types, same order where DVC has one.

import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeTool, lineageOk, runTool, scratchDir, toolOk } from './helpers';
import { assertSamePyJson } from './pyJson';

/** Files to write (null removes one), relative to the repository root. */
export type Files = Record<string, string | null>;

export interface RepoSpec {
  /** Commits in order; each may be tagged. */
  commits: { files: Files; tag?: string }[];
  /** Edits left uncommitted. */
  workspace?: Files;
  /** Folders made separate DVC repositories (`dvc init --subdir`) before the first commit. */
  subrepos?: string[];
}

let compared = 0;
/** How many outputs were compared with DVC's in this process (printed by the test files). */
export const comparedCount = (): number => compared;

function git(dir: string, ...args: string[]): void {
  execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
}

function write(dir: string, files: Files): void {
  for (const [path, content] of Object.entries(files)) {
    const full = join(dir, ...path.split('/'));
    if (content === null) {
      rmSync(full, { force: true });
      continue;
    }
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
}

/** Stages everything and commits. */
export function commitAll(dir: string, message: string): void {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
}

export function makeDvcRepo(name: string, spec: RepoSpec): string {
  const dir = join(scratchDir(name), 'repo');
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'config', 'user.name', 'Interop User');
  git(dir, 'config', 'user.email', 'interop@example.com');
  toolOk('dvc', ['init', '-q'], dir);
  for (const sub of spec.subrepos ?? []) {
    mkdirSync(join(dir, sub), { recursive: true });
    toolOk('dvc', ['init', '-q', '--subdir'], join(dir, sub));
  }
  for (const [i, c] of spec.commits.entries()) {
    write(dir, c.files);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '--allow-empty', '-m', `commit ${i + 1}`);
    if (c.tag) git(dir, 'tag', c.tag);
  }
  write(dir, spec.workspace ?? {});
  return dir;
}

/**
 * `dvc <kind> diff --json` with and without --all for each pair (undefined: the default,
 * HEAD against the workspace), against `lineage <kind> diff --json`, keys in any order.
 */
export function compareDiffs(dir: string, kind: 'metrics' | 'params', pairs: string[][]): void {
  for (const pair of pairs) {
    for (const all of [[], ['--all']]) {
      const r = runTool('dvc', [kind, 'diff', '--json', ...all, ...pair], dir);
      assert.equal(r.status, 0, describeTool(r));
      const ours = lineageOk([kind, 'diff', ...pair, '--json', ...all], dir).stdout;
      assertSamePyJson(`dvc ${kind} diff --json ${[...all, ...pair].join(' ')}`, r.stdout, ours, false, dir);
      compared++;
    }
  }
}

const API = String.raw`
import json, sys
from dvc.repo import Repo
from dvc.utils.serialize import encode_exception
kind, revs = sys.argv[1], sys.argv[2:]
out = {}
with Repo('.') as repo:
    show = repo.metrics.show if kind == 'metrics' else repo.params.show
    for rev in revs:
        res = show(revs=[rev], hide_workspace=False) if rev else show()
        out[rev] = json.dumps({rev: res[rev]}, default=encode_exception)
print(json.dumps(out))
`;

/**
 * DVC's metrics/params show through its Python API (`dvc params show` is no command in 3.x),
 * one revision at a time ('' = the workspace with no revision named, keyed "" as DVC keys
 * it), against `lineage show [--params] --json REV`: same text, key order included.
 */
export function compareShow(dir: string, kind: 'metrics' | 'params', revs: string[]): void {
  const r = runTool('python', ['-c', API, kind, ...revs], dir);
  assert.equal(r.status, 0, describeTool(r));
  const theirs = JSON.parse(r.stdout) as Record<string, string>;
  for (const rev of revs) {
    const ours = lineageOk(['show', ...(kind === 'params' ? ['--params'] : []), '--json', ...(rev ? [rev] : [])], dir).stdout;
    const what = `DVC's ${kind} show ${rev || '(workspace)'} vs lineage show${kind === 'params' ? ' --params' : ''} --json ${rev}`;
    assertSamePyJson(what, theirs[rev], ours, true, dir);
    // json.dumps is deterministic, so the text itself must agree too.
    assert.equal(ours.trimEnd(), theirs[rev], `${what}: same values, different text`);
    compared++;
  }
}
