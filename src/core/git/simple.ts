import { simpleGit, type SimpleGit } from 'simple-git';

/** simple-git for porcelain (refs, status, tags). It refuses pager variables, so none are set. */
export function simpleGitAt(root: string): SimpleGit {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^GIT_(PAGER|EDITOR|SSH|ASKPASS|PROXY|EXEC_PATH|CONFIG)/.test(k) && k !== 'PAGER' && k !== 'EDITOR') env[k] = v;
  return simpleGit({ baseDir: root }).env({ ...env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' });
}
