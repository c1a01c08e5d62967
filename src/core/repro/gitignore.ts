// .gitignore entries for cached outs, written the way DVC writes them so a `git add -A` after
// `lineage repro` stages what it would after `dvc repro`. DVC's chain: Output.save/commit call
// Output.ignore() (dvc/output.py; only for outs with cache: true, after refusing an out Git
// already tracks) -> SCMContext.ignore (dvc/repo/scm_context.py) -> scmrepo's Git.ignore,
// _get_gitignore and _add_entry_to_gitignore (scmrepo/git/__init__.py). The way back is
// scmrepo's Git.ignore_remove, which DVC calls from `dvc remove` and `dvc move`, never from
// repro: an out that turns cache: false keeps its entry.

import { existsSync, readFileSync, realpathSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { runGit, runGitText } from '../git/exec';
import { writeFileAtomic } from '../util/atomicWrite';
import { baseOf, dirOf } from '../util/paths';

export const GITIGNORE = '.gitignore';

/**
 * scmrepo's entry: '/' + the out's base name (the leading slash anchors it to this folder),
 * escaped by pathspec's GitWildMatchPattern.escape, which backslashes \ [ ] ! * # ? and
 * nothing else (a trailing space stays unescaped, so git never matches such an entry).
 */
export function gitignoreEntry(name: string): string {
  return `/${name}`.replace(/[\\[\]!*#?]/g, '\\$&');
}

/**
 * The file after adding `entry` (already escaped). It is always appended: scmrepo's duplicate
 * check reads a file opened in 'a+' mode, i.e. from its end, so it never sees a line, and the
 * only guard is the is_ignored check done before. A newline goes first when the file does not
 * end with one; Python's universal newlines count a final '\r' as one.
 */
export function withEntry(existing: Buffer | undefined, entry: string): Buffer {
  const last = existing && existing.length ? existing[existing.length - 1] : undefined;
  const prefix = last === undefined || last === 0x0a || last === 0x0d ? '' : '\n';
  return Buffer.concat([existing ?? Buffer.alloc(0), Buffer.from(`${prefix}${entry}\n`, 'utf8')]);
}

// Python's str.isspace() set, for str.strip(): JS's \s minus U+FEFF, plus \x1c-\x1f and \x85.
const PY_SPACE = '[\\t-\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const PY_STRIP = new RegExp(`^${PY_SPACE}+|${PY_SPACE}+$`, 'g');

/**
 * The file after scmrepo's ignore_remove of the out `name`, or undefined when no line is left
 * (scmrepo deletes the file then). It drops every line equal to '/' + name once both are
 * stripped of whitespace, comparing against the unescaped name, so an escaped entry
 * ('/a\*b') is never removed. Python reads with universal newlines and writes '\n', so the
 * kept lines come back with \r\n and \r turned into \n.
 */
export function withoutEntry(existing: string, name: string): string | undefined {
  const target = `/${name}`.replace(PY_STRIP, '');
  const lines = existing.replace(/\r\n?/g, '\n').match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const kept = lines.filter((line) => line.replace(PY_STRIP, '') !== target);
  return kept.length ? kept.join('') : undefined;
}

/** The work tree's top folder, or undefined outside Git (DVC's NoSCM then writes nothing). */
async function gitTop(root: string): Promise<string | undefined> {
  try {
    return realpathSync((await runGitText(root, ['rev-parse', '--show-toplevel'])).trim());
  } catch {
    return undefined;
  }
}

/** scmrepo's _get_gitignore: the .gitignore beside the out, refused when it resolves outside the work tree. */
function gitignoreFor(root: string, top: string, relPath: string): string {
  const dir = join(root, ...dirOf(relPath).split('/').filter(Boolean));
  const file = join(dir, GITIGNORE);
  if (!realpathLoose(file).startsWith(top + sep)) throw new Error(`'${relPath}' is outside of git repository '${top}'`);
  return file;
}

/** Python's os.path.realpath: symlinks resolved as far as the path exists, the rest kept. */
function realpathLoose(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return dirname(p) === p ? p : join(realpathLoose(dirname(p)), basename(p));
  }
}

/** DVC's OutputAlreadyTrackedError text: Git tracks the out itself or any file under it. */
async function refuseTracked(root: string, relPath: string): Promise<void> {
  // --literal-pathspecs: an out named 'a*' or ':(glob)b' means that file, not a pattern.
  const listed = await runGit(root, ['--literal-pathspecs', 'ls-files', '-z', '--', relPath]);
  if (listed.length === 0) return;
  throw new Error(` output '${relPath}' is already tracked by SCM (e.g. Git).
    You can remove it from Git, then add to DVC.
        To stop tracking from Git:
            git rm -r --cached '${relPath}'
            git commit -m "stop tracking ${relPath}" `);
}

/**
 * scmrepo's Git.ignore: unless Git already ignores the out, append its entry. `git
 * check-ignore` decides as git would (scmrepo asks dulwich, which follows git's rules);
 * --no-index because that check looks at patterns only, and './' so a name starting with ':'
 * is not read as pathspec magic. Any exit but 0 (1, or a path beyond a symlink) counts as
 * not ignored, as dulwich, which only matches text, would say.
 */
async function addEntry(root: string, top: string, relPath: string): Promise<string | undefined> {
  const file = gitignoreFor(root, top, relPath);
  const ignored = await runGit(root, ['check-ignore', '-q', '--no-index', '--', `./${relPath}`]).then(
    () => true,
    () => false,
  );
  if (ignored) return undefined;
  const existing = existsSync(file) ? readFileSync(file) : undefined;
  writeFileAtomic(file, withEntry(existing, gitignoreEntry(baseOf(relPath))));
  return file;
}

/**
 * Output.ignore() for the cached out at `relPath` (relative to `root`, '/'-separated): refuses
 * an out Git tracks, then adds its entry. Returns the .gitignore written, or undefined.
 */
export async function ignoreOut(root: string, relPath: string): Promise<string | undefined> {
  const top = await gitTop(root);
  if (!top) return undefined;
  await refuseTracked(root, relPath);
  return addEntry(root, top, relPath);
}

/**
 * ignoreOut for every cached out of one stage, in order, refusing Git-tracked outs before
 * writing any entry: in DVC such a failure rolls back what the stage had added, which comes
 * to the same. (DVC's rollback also drops the entries of earlier stages when a later stage
 * fails, leaving cached, locked outs unignored until they run again; that is not copied.)
 */
export async function ignoreOuts(root: string, relPaths: readonly string[]): Promise<void> {
  const top = relPaths.length ? await gitTop(root) : undefined;
  if (!top) return;
  for (const p of relPaths) await refuseTracked(root, p);
  for (const p of relPaths) await addEntry(root, top, p);
}

/** scmrepo's ignore_remove for the out at `relPath`; returns the .gitignore changed or removed. */
export async function unignoreOut(root: string, relPath: string): Promise<string | undefined> {
  const top = await gitTop(root);
  if (!top) return undefined;
  const file = gitignoreFor(root, top, relPath);
  if (!existsSync(file)) return undefined;
  const buf = readFileSync(file);
  // Python decodes strictly and keeps a BOM as a character; a non-UTF-8 file is not rewritten.
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    throw new Error(`${file} is not UTF-8; it was not changed.`);
  }
  const next = withoutEntry(text, baseOf(relPath));
  if (next === undefined) unlinkSync(file);
  else if (next !== text) writeFileAtomic(file, next);
  return file;
}
