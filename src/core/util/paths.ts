import { posix } from 'node:path';

/** Normalizes a repository-relative POSIX path; '' for the root. */
export function normalizeRepoPath(path: string): string {
  const normalized = posix.normalize(path.replace(/\\/g, '/'));
  if (normalized === '.' || normalized === './') return '';
  return normalized.replace(/^\.\//, '').replace(/\/$/, '');
}

export type Resolved = { ok: true; path: string } | { ok: false; reason: string };

/**
 * Joins a path written in a project file onto the project's folder, refusing anything that
 * would leave the repository: absolute paths, drive letters, and `..` past the root.
 */
export function resolveInRepo(projectDir: string, written: string): Resolved {
  if (written.startsWith('/') || /^[A-Za-z]:[\\/]/.test(written) || written.startsWith('\\\\')) {
    return { ok: false, reason: `absolute path "${written}" is outside the repository; refused` };
  }
  const joined = normalizeRepoPath(posix.join(projectDir || '.', written.replace(/\\/g, '/')));
  if (joined === '..' || joined.startsWith('../')) {
    return { ok: false, reason: `path "${written}" leads outside the repository; refused` };
  }
  return { ok: true, path: joined };
}

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function baseOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** True when `path` is `dir` itself or inside it. */
export function isUnder(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(dir + '/');
}

const CANDIDATE_EXT = /\.(ya?ml|json|toml|tsv|csv|py|lock|png|jpe?g|svg|gif)$/i;

/**
 * Paths whose blob ids the history walk keeps per commit. Everything a pipeline can name as
 * params, metrics, plots or vars has one of these endings; code and data folders do not need
 * tracking because nothing is parsed from them.
 */
export function isCandidatePath(path: string): boolean {
  return CANDIDATE_EXT.test(path) || path.endsWith('/.dvcignore') || path === '.dvcignore' || DVC_DIR_MARKER.test(path);
}

/** A `.dvc` folder's own files: a sub-folder holding one is a separate DVC repository. */
export const DVC_DIR_MARKER = /(?:^|\/)\.dvc\/(?:config|\.gitignore)$/;
