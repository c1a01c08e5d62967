import { lstatSync, readdirSync, type Dirent } from 'node:fs';
import { join, sep } from 'node:path';
import { notExcluded } from '../util/glob';
import type { RunSource } from './runStore';

// Folders that hold installed packages or tool state, never a project's runs (a virtualenv's
// site-packages has a `wandb/` package folder); the run folders are not walked into either.
const SKIP = new Set([
  '.git',
  'node_modules',
  '.dvc',
  '.venv',
  'venv',
  'env',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.tox',
  'site-packages',
  'dist-packages',
  '.ipynb_checkpoints',
]);
/** Sources sit at the top or in a project folder a few levels down; deeper walks cost more than they find. */
const MAX_DEPTH = 4;
const MAX_DIRS = 5000;
const WANDB_RUN = /^(offline-)?run-\d{8}_\d{6}-[a-z0-9]+$|^latest-run$/;

export interface DiscoverOptions {
  /** Path globs left out (settings: lineage.excludePaths). */
  excludePaths?: string[];
}

/**
 * MLflow and W&B sources under the workspace root: `mlruns/` folders, `mlflow.db` files,
 * `wandb/` and `.wandb/` folders holding run folders. Symbolic links are never followed, so
 * nothing outside the root is read.
 */
export function discoverRunSources(root: string, options: DiscoverOptions = {}): RunSource[] {
  return sortByLocation(findRunSources(root, options));
}

/**
 * Sources ordered by location as a person reads them (localeCompare). Its first call loads
 * the collation data (about 10 ms), so a caller that may have nothing to order sorts late.
 */
export function sortByLocation<T extends { location: string }>(items: T[]): T[] {
  return items.length < 2 ? items : items.sort((a, b) => a.location.localeCompare(b.location));
}

/** discoverRunSources in the order found (see sortByLocation). */
export function findRunSources(root: string, options: DiscoverOptions = {}): RunSource[] {
  const included = notExcluded(options.excludePaths);
  const found: RunSource[] = [];
  let visited = 0;
  const walk = (rel: string, depth: number) => {
    if (visited++ >= MAX_DIRS) return;
    const entries = list(join(root, rel));
    for (const entry of entries) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink() || !included(path)) continue;
      if (entry.isFile() && entry.name === 'mlflow.db') found.push({ kind: 'mlflow', format: 'mlflow-sqlite', location: path });
      if (!entry.isDirectory()) continue;
      if (entry.name === 'mlruns') found.push({ kind: 'mlflow', format: 'mlflow-files', location: path });
      else if ((entry.name === 'wandb' || entry.name === '.wandb') && list(join(root, path)).some((e) => WANDB_RUN.test(e.name)))
        found.push({ kind: 'wandb', format: 'wandb-dir', location: path });
      else if (!SKIP.has(entry.name) && depth < MAX_DEPTH) walk(path, depth + 1);
    }
  };
  walk('', 0);
  return found;
}

function list(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/**
 * A cheap change signal: for a folder, its file count, newest mtime and total size (one
 * lstat per file, no reads); for a database, size and mtime of the file and its -wal (a
 * WAL-mode writer changes only the -wal until a checkpoint). Undefined when it is gone.
 */
export function fingerprintSource(root: string, source: RunSource): string | undefined {
  const full = join(root, ...source.location.split('/'));
  if (source.format === 'mlflow-sqlite') {
    const parts: string[] = [];
    for (const suffix of ['', '-wal']) {
      const st = statOf(full + suffix);
      if (!st && suffix === '') return undefined;
      parts.push(st ? `${st.size}:${st.mtimeMs}` : '-');
    }
    return `db:${parts.join('|')}`;
  }
  const top = statOf(full);
  if (!top?.isDirectory()) return undefined;
  let files = 0;
  let size = 0;
  let newest = top.mtimeMs;
  // Runs hold hundreds of small files and this runs on every refresh: names are appended to
  // the already normalised folder path instead of going through path.join.
  const walk = (dir: string) => {
    for (const entry of list(dir)) {
      const path = dir + sep + entry.name;
      if (entry.isDirectory()) {
        // A rename inside a folder changes only the folder's mtime.
        newest = Math.max(newest, statOf(path)?.mtimeMs ?? 0);
        walk(path);
        continue;
      }
      // A symlink (W&B's latest-run) counts by its own stat, not its target's.
      const st = statOf(path);
      if (!st) continue;
      files++;
      size += st.size;
      newest = Math.max(newest, st.mtimeMs);
    }
  };
  walk(full);
  return `dir:${files}:${size}:${newest}`;
}

function statOf(path: string) {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
