// Whether the index still describes the repository, decided without starting git.
//
// A full refresh runs git four times (file listing, status, refs, cat-file) even when nothing
// changed, which dominates a warm command. Instead, every successful index run records what
// its result was computed from: the stat (device, inode, size, mtime, ctime, mode) of every
// file and folder whose change could alter it: HEAD, the loose refs and their folders,
// packed-refs, the Git index, the configuration and ignore files Git reads; every file
// `git ls-files` listed (git status compares exactly these); every folder a new file could
// appear in unseen (the listed files' folders and the folders Git does not ignore); and every
// path the workspace revision looked up or walked (params, metrics, plots, dvc.yaml/dvc.lock,
// dvclive folders, also where they were absent). When all of them are unchanged the index is
// current and the refresh is skipped; any difference means a full refresh, as before. Git
// writes refs and HEAD by renaming a new file into place, so each write is a new inode and a
// new folder mtime.
//
// Racy writes: a file changed within the same timestamp tick as the stat would look unchanged.
// So nothing whose mtime or ctime is within RACY_MS of the run's start (or later) is trusted:
// such a run records nothing and the next refresh is a full one. The same rule covers a change
// made while the run was reading. The record is removed at the start of every full run, so a
// run that dies half-way never leaves one behind.

import { lstatSync, readFileSync, readdirSync, statSync, writeFileSync, type BigIntStats, type Dirent } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { RepoInfo } from '../git/repo';
import { SCHEMA_VERSION } from '../store/schema';
import type { Store } from '../store/store';

/** The meta key holding the record (JSON). */
export const FRESH_KEY = 'fresh';
/** Bump when what a record holds, or how it is compared, changes. */
const FORMAT = 1;
/** Stat data this close to a run's start (or newer) may hide a write in the same tick. */
export const RACY_MS = 2000;
/** Past this many paths a record costs more to check than it saves: none is kept. */
const MAX_PATHS = 100_000;
/** Folders Git does not ignore but that hold no listed file, walked at most this many. */
const MAX_UNLISTED_DIRS = 10_000;

export interface FreshRecord {
  v: number;
  /** Schema, paths, excluded globs and the Git environment the run saw. */
  key: string;
  /** HEAD's commit as the store has it (meta `head`). */
  head: string;
  /** Workspace-relative paths whose stat is compared. */
  rel: string[];
  /** Absolute paths (Git's own files, configuration) whose stat is compared. */
  abs: string[];
  /** Digest of the stat of rel then abs. */
  sig: string;
  /** What the run reported, given back by a skipped one. */
  workspaceFiles: number;
}

/** Paths a workspace revision read: files looked up and folders walked. */
export class WatchedPaths {
  readonly paths = new Set<string>();
  add(path: string): void {
    this.paths.add(path);
  }
}

/** `.git` or a worktree's admin folder, and the folder shared by all worktrees (refs, config). */
export function adminDirs(gitDir: string): { gitDir: string; commonDir: string } {
  let commonDir = gitDir;
  try {
    const text = readFileSync(join(gitDir, 'commondir'), 'utf8').trim();
    if (text) commonDir = resolve(gitDir, text);
  } catch {
    // not a linked worktree
  }
  return { gitDir, commonDir };
}

/**
 * HEAD and the refs the indexer lists (refs/heads, refs/tags, refs/exps: files and folders),
 * as absolute paths to stat. Undefined for layouts this does not read (the reftable format):
 * such repositories always take the full refresh.
 */
function refPaths(gitDir: string): string[] | undefined {
  const { commonDir } = adminDirs(gitDir);
  if (exists(join(commonDir, 'reftable'))) return undefined;
  const paths = [join(gitDir, 'HEAD')];
  const walk = (dir: string) => {
    paths.push(dir);
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else paths.push(join(dir, e.name));
    }
  };
  for (const top of ['heads', 'tags', 'exps']) walk(join(commonDir, 'refs', top));
  return paths;
}

const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** HEAD's commit read from the files: '' when unborn, undefined when it cannot be told. */
function headFromFiles(gitDir: string): string | undefined {
  const { commonDir } = adminDirs(gitDir);
  let head: string;
  try {
    head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
  } catch {
    return undefined;
  }
  return resolveHead(head, commonDir);
}

function resolveHead(head: string, commonDir: string): string | undefined {
  if (SHA.test(head)) return head;
  if (!head.startsWith('ref: ')) return undefined;
  const name = head.slice(5).trim();
  const direct = readLoose(commonDir, name);
  if (direct !== undefined) return SHA.test(direct) ? direct : undefined;
  let packed: string;
  try {
    packed = readFileSync(join(commonDir, 'packed-refs'), 'utf8');
  } catch {
    return '';
  }
  for (const line of packed.split('\n')) {
    if (line.endsWith(` ${name}`)) {
      const sha = line.slice(0, line.indexOf(' '));
      return SHA.test(sha) ? sha : undefined;
    }
  }
  return '';
}

function readLoose(commonDir: string, name: string): string | undefined {
  try {
    return readFileSync(join(commonDir, name), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/**
 * Git's own files whose change can change the listing, the status or the refs: the index,
 * packed-refs, the shallow list, configuration (repository, worktree, global, system and the
 * files they include) and ignore/attribute files outside the work tree.
 */
export function gitAdminPaths(gitDir: string): string[] {
  const { commonDir } = adminDirs(gitDir);
  const home = process.env.HOME || homedir();
  const xdg = process.env.XDG_CONFIG_HOME || join(home, '.config');
  const configs = [join(commonDir, 'config'), join(gitDir, 'config.worktree')];
  if (process.env.GIT_CONFIG_GLOBAL) configs.push(process.env.GIT_CONFIG_GLOBAL);
  else configs.push(join(home, '.gitconfig'), join(xdg, 'git', 'config'));
  if (!process.env.GIT_CONFIG_NOSYSTEM) configs.push(process.env.GIT_CONFIG_SYSTEM || '/etc/gitconfig');
  const paths = new Set<string>([
    join(gitDir, 'index'),
    join(commonDir, 'packed-refs'),
    join(commonDir, 'shallow'),
    join(commonDir, 'info', 'exclude'),
    join(commonDir, 'info', 'sparse-checkout'),
    join(commonDir, 'info', 'attributes'),
    join(commonDir, 'info', 'grafts'),
    join(xdg, 'git', 'ignore'),
    join(xdg, 'git', 'attributes'),
  ]);
  // Included files and a configured excludesFile/attributesFile: a naive read of every
  // `path =`, `excludesfile =` and `attributesfile =` line is enough (an extra path costs one stat).
  const queue = [...configs];
  for (let i = 0; i < queue.length && i < 64; i++) {
    const file = queue[i];
    paths.add(file);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(/^\s*(path|excludesfile|attributesfile)\s*=\s*(.+?)\s*$/gim)) {
      let value = m[2].replace(/^"(.*)"$/, '$1');
      if (value.startsWith('~/')) value = join(home, value.slice(2));
      const full = isAbsolute(value) ? value : resolve(dirname(file), value);
      if (m[1].toLowerCase() === 'path') {
        if (!queue.includes(full)) queue.push(full);
      } else paths.add(full);
    }
  }
  return [...paths].sort();
}

/**
 * GIT_TRACE and its kin ask to see every git call: then the refresh runs git as a full one
 * does, rather than answering from the record without any.
 */
export function gitTraced(): boolean {
  return Object.keys(process.env).some((k) => k.startsWith('GIT_TRACE') && process.env[k] !== '' && process.env[k] !== '0');
}

/** The part of the environment that changes what git lists or reports. */
function environmentKey(): string {
  const picked: [string, string][] = [];
  // Tracing variables change what git prints to stderr, not what it lists.
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && ((k.startsWith('GIT_') && !k.startsWith('GIT_TRACE')) || k === 'HOME' || k === 'XDG_CONFIG_HOME'))
      picked.push([k, v]);
  return JSON.stringify(picked.sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

export function recordKey(repo: RepoInfo, excludeKey: string): string {
  return JSON.stringify([FORMAT, SCHEMA_VERSION, repo.root, repo.gitDir ?? null, excludeKey, environmentKey()]);
}

interface Signed {
  digest: string;
  racy: boolean;
}

/**
 * One digest over the stat of every path (lstat, and for a symbolic link also its target's
 * stat: the workspace reader follows links inside the root). `since`: report whether any
 * timestamp is at or after since - RACY_MS.
 */
function signPaths(root: string, rel: readonly string[], abs: readonly string[], since?: number): Signed {
  const hash = new Digest();
  let racy = false;
  const limit = since === undefined ? undefined : BigInt(since - RACY_MS) * 1_000_000n;
  const one = (full: string) => {
    const l = lstatSync(full, { bigint: true, throwIfNoEntry: false });
    if (!l) {
      hash.update('-\n');
      return;
    }
    let text = statText(l);
    if (limit !== undefined && (l.mtimeNs >= limit || l.ctimeNs >= limit)) racy = true;
    if (l.isSymbolicLink()) {
      let s: BigIntStats | undefined;
      try {
        s = statSync(full, { bigint: true, throwIfNoEntry: false });
      } catch {
        s = undefined;
      }
      text += s ? `>${statText(s)}` : '>-';
      if (s && limit !== undefined && (s.mtimeNs >= limit || s.ctimeNs >= limit)) racy = true;
    }
    hash.update(text + '\n');
  };
  for (const p of rel) one(join(root, ...p.split('/')));
  hash.update('\0');
  for (const p of abs) one(p);
  return { digest: hash.digest(), racy };
}

function statText(s: BigIntStats): string {
  return `${s.dev}.${s.ino}.${s.size}.${s.mtimeNs}.${s.ctimeNs}.${s.mode}`;
}

/**
 * A 128-bit digest of text (four independent 32-bit FNV-1a lanes). Not cryptographic, and
 * need not be: it tells apart stat data of local files. node:crypto is avoided on purpose:
 * its first use costs more than the whole check.
 */
class Digest {
  private readonly h = new Uint32Array([0x811c9dc5, 0x01000193, 0x9e3779b9, 0x7f4a7c15]);
  private length = 0;

  update(text: string): this {
    const h = this.h;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h[0] = Math.imul(h[0] ^ c, 0x01000193);
      h[1] = Math.imul(h[1] ^ c, 0x050c5d1f);
      h[2] = Math.imul(h[2] ^ c, 0x0100019d);
      h[3] = Math.imul(h[3] ^ c, 0x01000211);
    }
    this.length += text.length;
    return this;
  }

  digest(): string {
    return [...this.h, this.length >>> 0].map((n) => n.toString(16).padStart(8, '0')).join('');
  }
}

function exists(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
}

/**
 * The record of a full run: undefined when it cannot be trusted (a racy timestamp, HEAD moved
 * while the run read it, submodules, too many paths) or does not apply (no Git).
 *
 * `listed` is git ls-files' whole output (cached, others, standard excludes; a nested
 * repository ends in '/'); `checkIgnored` answers which folders Git ignores (git check-ignore).
 */
export async function buildRecord(args: {
  repo: RepoInfo;
  started: number;
  excludeKey: string;
  listed: readonly string[];
  watched: WatchedPaths;
  workspaceFiles: number;
  checkIgnored: (paths: string[]) => Promise<Set<string>>;
}): Promise<FreshRecord | undefined> {
  const { repo } = args;
  if (!repo.gitDir) return undefined;
  // HEAD was read when the repository was opened, before this run: it must still be HEAD.
  if (headFromFiles(repo.gitDir) !== (repo.head ?? '')) return undefined;
  const refs = refPaths(repo.gitDir);
  if (!refs) return undefined;
  const folders = await unignoredFolders(repo.root, args.listed, args.checkIgnored);
  if (!folders) return undefined;
  const rel = [...new Set([...folders.files, ...folders.dirs, ...args.watched.paths])].sort();
  const abs = [...gitAdminPaths(repo.gitDir), ...refs];
  if (rel.length + abs.length > MAX_PATHS) return undefined;
  const signed = signPaths(repo.root, rel, abs, args.started);
  if (signed.racy) return undefined;
  return {
    v: FORMAT,
    key: recordKey(repo, args.excludeKey),
    head: repo.head ?? '',
    rel,
    abs,
    sig: signed.digest,
    workspaceFiles: args.workspaceFiles,
  };
}

/**
 * The record, when the repository still matches it: nothing a full run would read changed.
 * Reads files only (HEAD, loose refs, stat calls); starts no process.
 */
export function freshRecord(repo: RepoInfo, store: Store, excludeKey: string): FreshRecord | undefined {
  if (!repo.gitDir || gitTraced()) return undefined;
  const text = store.getMeta(FRESH_KEY);
  if (!text) return undefined;
  let record: FreshRecord;
  try {
    record = JSON.parse(text) as FreshRecord;
  } catch {
    return undefined;
  }
  if (record.v !== FORMAT || record.key !== recordKey(repo, excludeKey)) return undefined;
  if (record.head !== (repo.head ?? '') || store.getMeta('head') !== record.head) return undefined;
  if (signPaths(repo.root, record.rel, record.abs).digest !== record.sig) return undefined;
  return record;
}

/** Beside the index: the stat of the index file when it last passed the integrity check. */
const CHECKED = '.checked';

/**
 * A full refresh writes, and a process's first write checks the whole index (SQLite's
 * quick_check), refusing a damaged one from then on. A skipped refresh writes nothing, so it
 * makes that check here, but only when the index file changed since it last passed: reading
 * every page of a large index on each command would cost more than the refresh it skips.
 * Throws the store's error for a damaged index (and marks it so), as a write would.
 */
export function ensureIntact(store: Store): void {
  if (store.file === ':memory:') return;
  const limit = BigInt(Date.now() - RACY_MS) * 1_000_000n;
  const main = lstatSync(store.file, { bigint: true, throwIfNoEntry: false });
  // A WAL emptied by a clean close is not content; one holding frames is.
  const wal = lstatSync(`${store.file}-wal`, { bigint: true, throwIfNoEntry: false });
  const stamp = main ? `${statText(main)}|${wal && wal.size > 0n ? statText(wal) : '-'}` : undefined;
  if (stamp !== undefined) {
    try {
      if (readFileSync(store.file + CHECKED, 'utf8') === stamp) return;
    } catch {
      // never checked, or unreadable: check
    }
  }
  store.checkIntegrity();
  const racy = [main, wal && wal.size > 0n ? wal : undefined].some((st) => st && (st.mtimeNs >= limit || st.ctimeNs >= limit));
  if (stamp === undefined || racy) return;
  try {
    writeFileSync(store.file + CHECKED, stamp);
  } catch {
    // Only a saving: the next skipped refresh checks again.
  }
}

/**
 * Files to stat for the listing and status to be unchanged: every listed file, and every
 * folder where a new file would be listed: the listed files' folders, plus folders Git does
 * not ignore that hold no listed file (an empty one, or one of ignored files only), walked
 * with their sub-folders. `.gitignore`/`.gitattributes` files in them count too (an ignored
 * one still applies). Undefined for submodules (their status is another repository's).
 */
async function unignoredFolders(
  root: string,
  listed: readonly string[],
  checkIgnored: (paths: string[]) => Promise<Set<string>>,
): Promise<{ files: string[]; dirs: string[] } | undefined> {
  const files: string[] = [];
  const leafDirs = new Set<string>();
  const dirs = new Set<string>(['']);
  for (const entry of listed) {
    const path = entry.endsWith('/') ? entry.slice(0, -1) : entry;
    if (entry.endsWith('/')) leafDirs.add(path);
    else files.push(path);
    for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) dirs.add(path.slice(0, i));
  }
  for (const f of files) {
    // A listed path that is a folder is a submodule.
    if (lstatSync(join(root, ...f.split('/')), { throwIfNoEntry: false })?.isDirectory()) return undefined;
  }
  const extraFiles: string[] = [];
  const childrenOf = (dir: string, into: string[]) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(join(root, ...dir.split('/').filter(Boolean)), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const child = dir ? `${dir}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (e.name !== '.git' && !dirs.has(child) && !leafDirs.has(child)) into.push(child);
      } else if (e.name === '.gitignore' || e.name === '.gitattributes') extraFiles.push(child);
    }
  };
  let frontier: string[] = [];
  for (const dir of dirs) childrenOf(dir, frontier);
  let walked = 0;
  while (frontier.length > 0) {
    const ignored = await checkIgnored(frontier);
    const next: string[] = [];
    for (const dir of frontier) {
      if (ignored.has(dir)) continue;
      if (++walked > MAX_UNLISTED_DIRS) return undefined;
      dirs.add(dir);
      childrenOf(dir, next);
    }
    frontier = next;
  }
  return { files: [...files, ...extraFiles], dirs: [...dirs, ...leafDirs] };
}
