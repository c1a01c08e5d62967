import { execFileSync } from 'node:child_process';
import { GitFixture } from '../../helpers/gitFixture';

/** Base tagger time for registry tests: 2025-02-01 (after the fixture's commit times). */
export const T0 = 1738368000;

/** A real annotated tag with a chosen tagger time, as `git tag -a` writes it. */
export function annotatedTag(repo: GitFixture, name: string, target: string, time: number, message = name): void {
  execFileSync('git', ['tag', '-a', '-m', message, name, target], {
    cwd: repo.dir,
    env: { ...process.env, GIT_COMMITTER_DATE: `${time} +0000`, GIT_COMMITTER_NAME: 'Tagger', GIT_COMMITTER_EMAIL: 'tagger@example.com' },
  });
}

/** A repository with three commits (returned oldest first) and artifacts.yaml declaring `clf`. */
export function registryRepo(): { repo: GitFixture; commits: string[] } {
  const repo = GitFixture.create();
  const commits = [
    repo.commit('first', { 'artifacts.yaml': 'clf:\n  type: model\n  path: models/clf.pkl\n  labels: [nlp]\n  description: classifier\n' }),
    repo.commit('second', { 'a.txt': '2' }),
    repo.commit('third', { 'a.txt': '3' }),
  ];
  return { repo, commits };
}
