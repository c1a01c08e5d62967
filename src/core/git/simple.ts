import { simpleGit, type SimpleGit } from 'simple-git';
import { SAFE_CONFIG } from './exec';

/** simple-git for porcelain (refs, status, tags). It refuses pager variables, so none are set. */
export function simpleGitAt(root: string): SimpleGit {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (
      v !== undefined &&
      !/^GIT_(PAGER|EDITOR|SSH|ASKPASS|PROXY|EXEC_PATH|CONFIG|DIR|WORK_TREE|INDEX_FILE|OBJECT_DIRECTORY|NAMESPACE)/.test(k) &&
      k !== 'PAGER' &&
      k !== 'EDITOR'
    )
      env[k] = v;
  // simple-git guards core.fsmonitor as unsafe to set at all; here it is only ever set to false.
  return simpleGit({ baseDir: root, config: SAFE_CONFIG.map(([k, v]) => `${k}=${v}`), unsafe: { allowUnsafeFsMonitor: true } }).env({
    ...env,
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
  });
}
