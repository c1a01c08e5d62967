// openRepo's three questions (where is the work tree and the Git directory, is it shallow,
// what is HEAD) answered from Git's files, without starting git: every command opens the
// repository, and three git processes were a large part of a warm command's time.
//
// Only the common layouts are read here: a `.git` folder or a `gitdir:` file (linked
// worktrees), loose or packed refs, HEAD's commit loose or in a pack. Anything else (a
// ceiling or a file-system boundary on the way up, a repository owned by another user,
// core.worktree, config includes, extensions such as reftable or SHA-256, alternates, a
// deltified or non-commit HEAD object) gives undefined, and openRepo asks git as before.

import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { constants, inflateSync } from 'node:zlib';
import { FULL_SHA } from './objectId';

export interface RepoFiles {
  top: string;
  gitDir: string;
  isShallow: boolean;
  /** HEAD's commit; undefined when HEAD's branch has no commit yet. */
  head?: string;
  /** HEAD's full ref name when HEAD is symbolic (refs/heads/...), else ''. */
  symbolic: string;
}

export function readRepoFiles(folder: string): RepoFiles | undefined {
  try {
    return read(folder);
  } catch {
    return undefined;
  }
}

function read(folder: string): RepoFiles | undefined {
  const uid = process.getuid?.();
  if (uid === undefined || process.platform === 'win32') return undefined;
  // Variables that change how git finds or configures the repository (GIT_DIR and the like are
  // removed from every git call, see exec.ts, so they do not count).
  for (const name of [
    'GIT_CEILING_DIRECTORIES',
    'GIT_DISCOVERY_ACROSS_FILESYSTEM',
    'GIT_CONFIG_PARAMETERS',
    'GIT_CONFIG_COUNT',
    'GIT_CONFIG_GLOBAL',
    'GIT_CONFIG_SYSTEM',
    'GIT_CONFIG_NOSYSTEM',
    'GIT_COMMON_DIR',
  ]) {
    if (process.env[name] !== undefined) return undefined;
  }
  // GIT_TRACE and its kin ask to see the git calls: make them.
  if (Object.keys(process.env).some((k) => k.startsWith('GIT_TRACE') && process.env[k] !== '' && process.env[k] !== '0')) return undefined;
  if (folder.split('/').includes('.git')) return undefined;
  const device = lstatSync(folder).dev;
  let top = folder;
  let gitDir: string;
  for (;;) {
    const dotGit = join(top, '.git');
    const st = lstatSync(dotGit, { throwIfNoEntry: false });
    if (st?.isDirectory()) {
      gitDir = dotGit;
      break;
    }
    if (st?.isFile()) {
      const m = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'));
      if (!m) return undefined;
      gitDir = realpathSync(resolve(top, m[1].trim()));
      break;
    }
    if (st) return undefined;
    // A bare repository (or a Git directory) named directly: git finds it before any parent's.
    if (isDir(join(top, 'objects')) && isDir(join(top, 'refs')) && lstatSync(join(top, 'HEAD'), { throwIfNoEntry: false }))
      return undefined;
    const parent = dirname(top);
    if (parent === top || lstatSync(parent).dev !== device) return undefined;
    top = parent;
  }
  let commonDir = gitDir;
  const common = readOptional(join(gitDir, 'commondir'));
  if (common !== undefined) commonDir = realpathSync(resolve(gitDir, common.trim()));
  // git refuses repositories owned by someone else (safe.directory): let it say so.
  for (const path of [top, gitDir, commonDir]) if (lstatSync(path).uid !== uid) return undefined;
  if (!isDir(join(commonDir, 'objects')) || !isDir(join(commonDir, 'refs')) || isDir(join(commonDir, 'reftable'))) return undefined;
  if (readOptional(join(gitDir, 'config.worktree')) !== undefined) return undefined;
  const config = readOptional(join(commonDir, 'config')) ?? '';
  if (
    /^\s*\[\s*(include|includeif|extensions)\b/im.test(config) ||
    /^\s*worktree\s*=/im.test(config) ||
    /^\s*bare\s*=\s*true\s*$/im.test(config)
  )
    return undefined;
  if (readOptional(join(commonDir, 'objects', 'info', 'alternates')) !== undefined) return undefined;

  const headText = readOptional(join(gitDir, 'HEAD'))?.trim();
  if (headText === undefined) return undefined;
  let symbolic = '';
  let sha: string | undefined;
  if (headText.startsWith('ref: ')) {
    symbolic = headText.slice(5).trim();
    if (!symbolic.startsWith('refs/heads/')) return undefined;
    const loose = readOptional(join(commonDir, ...symbolic.split('/')))?.trim();
    if (loose !== undefined) {
      if (!FULL_SHA.test(loose)) return undefined;
      sha = loose;
    } else {
      const packed = packedRef(commonDir, symbolic);
      if (packed === null) return undefined;
      sha = packed;
    }
  } else if (FULL_SHA.test(headText)) {
    sha = headText;
  } else {
    return undefined;
  }
  // git rev-parse --verify HEAD^{commit}: the object must be there and be a commit.
  if (sha !== undefined && !isCommit(join(commonDir, 'objects'), sha)) return undefined;
  return { top, gitDir, isShallow: lstatSync(join(commonDir, 'shallow'), { throwIfNoEntry: false }) !== undefined, head: sha, symbolic };
}

/** The ref's sha from packed-refs; undefined when absent (an unborn branch), null when unreadable. */
function packedRef(commonDir: string, name: string): string | undefined | null {
  const text = readOptional(join(commonDir, 'packed-refs'));
  if (text === undefined) return undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.startsWith('^')) continue;
    const space = line.indexOf(' ');
    if (space > 0 && line.slice(space + 1).trimEnd() === name) {
      const sha = line.slice(0, space);
      return FULL_SHA.test(sha) ? sha : null;
    }
  }
  return undefined;
}

/** True only when the object is known to be a commit, loose or not deltified in a pack. */
function isCommit(objects: string, sha: string): boolean {
  const loose = join(objects, sha.slice(0, 2), sha.slice(2));
  const bytes = readOptionalBytes(loose);
  if (bytes) {
    const head = inflateSync(bytes, { finishFlush: constants.Z_SYNC_FLUSH }).subarray(0, 16).toString('latin1');
    return head.startsWith('commit ');
  }
  const packDir = join(objects, 'pack');
  let names: string[];
  try {
    names = readdirSync(packDir).filter((n) => n.endsWith('.idx'));
  } catch {
    return false;
  }
  const want = Buffer.from(sha, 'hex');
  for (const idx of names) {
    const offset = findInIndex(join(packDir, idx), want);
    if (offset === undefined) continue;
    const fd = openSync(join(packDir, idx.slice(0, -4) + '.pack'), 'r');
    try {
      const b = Buffer.alloc(1);
      readSync(fd, b, 0, 1, offset);
      return ((b[0] >> 4) & 7) === 1;
    } finally {
      closeSync(fd);
    }
  }
  return false;
}

/** The object's offset in the pack from a version 2 .idx (binary search), or undefined. */
function findInIndex(file: string, want: Buffer): number | undefined {
  const fd = openSync(file, 'r');
  try {
    const at = (position: number, length: number) => {
      const b = Buffer.alloc(length);
      if (readSync(fd, b, 0, length, position) !== length) throw new Error(`${basename(file)}: short read`);
      return b;
    };
    const header = at(0, 8);
    if (header.readUInt32BE(0) !== 0xff744f63 || header.readUInt32BE(4) !== 2)
      throw new Error(`${basename(file)}: not a version 2 pack index`);
    const fanout = at(8, 256 * 4);
    const count = fanout.readUInt32BE(255 * 4);
    let lo = want[0] === 0 ? 0 : fanout.readUInt32BE((want[0] - 1) * 4);
    let hi = fanout.readUInt32BE(want[0] * 4);
    const names = 8 + 1024;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = at(names + mid * 20, 20).compare(want);
      if (c === 0) {
        const small = at(names + count * 24 + mid * 4, 4).readUInt32BE(0);
        if ((small & 0x80000000) === 0) return small;
        const large = at(names + count * 28 + (small & 0x7fffffff) * 8, 8);
        return Number(large.readBigUInt64BE(0));
      }
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}

function isDir(path: string): boolean {
  return lstatSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function readOptional(path: string): string | undefined {
  return readOptionalBytes(path)?.toString('utf8');
}

function readOptionalBytes(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}
