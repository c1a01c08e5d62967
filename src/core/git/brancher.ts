import { runGitText } from './exec';
import { FULL_SHA } from './objectId';
import { listRefs } from './refs';
import type { RepoInfo } from './repo';

export interface RevisionSets {
  allBranches?: boolean;
  allTags?: boolean;
  allCommits?: boolean;
}

export interface NamedRevision {
  name: string;
  sha: string;
}

export const anyRevisionSet = (o: RevisionSets): boolean => Boolean(o.allBranches || o.allTags || o.allCommits);

/** Python's sorted() on str: by code point (UTF-16 order differs past the BMP). */
const byCodePoint = (a: string, b: string): number => {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
};

/**
 * The commits `dvc metrics show -a/-T/-A` visits, named as DVC keys them (dvc/scm.py
 * iter_revs): the given revisions, then local branches, then tags, each list sorted by name;
 * -A instead takes every commit reachable from HEAD, branches, remote branches and tags,
 * newest first, each named by its sha (branch and tag names are then not used). Several
 * names reaching one commit become one entry, the names joined with commas in first-seen
 * order, as DVC prints "v1.0.0,classifier@v1.0.0".
 */
export async function brancherRevisions(repo: RepoInfo, given: readonly NamedRevision[], sets: RevisionSets): Promise<NamedRevision[]> {
  const named: NamedRevision[] = [...given];
  if (sets.allCommits) {
    named.push(...(await allCommits(repo)).map((sha) => ({ name: sha, sha })));
  } else if (sets.allBranches || sets.allTags) {
    const refs = await listRefs(repo.root);
    for (const kind of ['branch', 'tag'] as const) {
      if (kind === 'branch' ? !sets.allBranches : !sets.allTags) continue;
      const ofKind = refs.filter((r) => r.kind === kind).sort((a, b) => byCodePoint(a.short, b.short));
      named.push(...ofKind.map((r) => ({ name: r.short, sha: r.sha })));
    }
  }
  const grouped = new Map<string, string[]>();
  for (const { name, sha } of named) {
    const names = grouped.get(sha) ?? [];
    if (!names.includes(name)) names.push(name);
    grouped.set(sha, names);
  }
  return [...grouped].map(([sha, names]) => ({ name: names.join(','), sha }));
}

/**
 * Every commit reachable from HEAD, branches, remote branches and tags, newest first, in the
 * order DVC lists them: scmrepo's dulwich backend (list_all_commits) walks from all those tips
 * with a heap of (-commit time, commit), and dulwich compares commits by sha, so commits made
 * in the same second come out by ascending sha (git rev-list breaks such ties differently).
 */
async function allCommits(repo: RepoInfo): Promise<string[]> {
  if (!repo.gitDir || !repo.head) return [];
  // Tags that point at trees or blobs are passed over by rev-list, as DVC's walk skips them.
  const out = await runGitText(repo.root, ['rev-list', '--timestamp', '--parents', 'HEAD', '--branches', '--remotes', '--tags', '--']);
  const commits = new Map<string, { time: number; parents: string[] }>();
  for (const line of out.split('\n')) {
    const [time, sha, ...parents] = line.split(' ');
    if (sha && FULL_SHA.test(sha)) commits.set(sha, { time: Number(time), parents });
  }
  const tipsText = await runGitText(repo.root, [
    'for-each-ref',
    '--format=%(objectname) %(*objectname)',
    'refs/heads',
    'refs/remotes',
    'refs/tags',
  ]);
  const tips = [repo.head, ...tipsText.split('\n').map((l) => l.split(' ').filter(Boolean).pop() ?? '')].filter((t) => commits.has(t));
  return dulwichDateOrder(commits, tips);
}

/** dulwich's _CommitTimeQueue: pop the newest (then smallest sha), push its unseen parents. */
export function dulwichDateOrder(commits: Map<string, { time: number; parents: string[] }>, tips: string[]): string[] {
  const before = (a: string, b: string) => commits.get(b)!.time - commits.get(a)!.time || (a < b ? -1 : a > b ? 1 : 0);
  const queued = new Set<string>();
  const heap: string[] = [];
  const push = (sha: string) => {
    if (queued.has(sha) || !commits.has(sha)) return;
    queued.add(sha);
    heap.push(sha);
    for (let i = heap.length - 1; i > 0;) {
      const up = (i - 1) >> 1;
      if (before(heap[i], heap[up]) >= 0) break;
      [heap[i], heap[up]] = [heap[up], heap[i]];
      i = up;
    }
  };
  const pop = (): string => {
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length) {
      heap[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1,
          r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l], heap[m]) < 0) m = l;
        if (r < heap.length && before(heap[r], heap[m]) < 0) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  };
  tips.forEach(push);
  const order: string[] = [];
  while (heap.length) {
    const sha = pop();
    order.push(sha);
    commits.get(sha)!.parents.forEach(push);
  }
  return order;
}
