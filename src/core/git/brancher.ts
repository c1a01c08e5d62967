import { runGitText } from './exec';
import { FULL_SHA } from './objectId';
import { listRefs } from './refs';
import type { RepoInfo } from './repo';

export interface RevisionSets { allBranches?: boolean; allTags?: boolean; allCommits?: boolean }

export interface NamedRevision { name: string; sha: string }

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

/** Every commit reachable from HEAD, branches, remote branches and tags, newest first. */
async function allCommits(repo: RepoInfo): Promise<string[]> {
  if (!repo.gitDir || !repo.head) return [];
  // Tags that point at trees or blobs are passed over by rev-list, as DVC's walk skips them.
  const out = await runGitText(repo.root, ['rev-list', 'HEAD', '--branches', '--remotes', '--tags', '--']);
  return out.split('\n').filter((l) => FULL_SHA.test(l));
}
