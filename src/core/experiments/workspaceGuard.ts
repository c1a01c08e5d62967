// The only way `exp apply` overwrites or deletes a file of the user's work tree: the file's
// current content must be recorded in Git (its blob id is among the ones the caller proves
// are stored: HEAD's version, the experiment's, or the backup commit made just before), or
// the path must be empty. The check is made again right before the rename or unlink, so a
// file edited since the plan was made is refused, not lost.

import { lstatSync, mkdirSync, readlinkSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runGitText } from '../git/exec';
import { gitBlobId } from '../git/objectId';
import { resolveInRepo } from '../util/paths';

export class GuardError extends Error {}

export interface WorkspaceFile {
  /** Git's blob id of the content (a link's target for a symbolic link); undefined when absent. */
  blob?: string;
  /** 'file', 'exec', 'link' or 'other' (a folder, a socket…). */
  kind?: 'file' | 'exec' | 'link' | 'other';
}

function abs(root: string, rel: string): string {
  const r = resolveInRepo('', rel);
  if (!r.ok || r.path === '' || r.path === '.git' || r.path.startsWith('.git/'))
    throw new GuardError(`'${rel}': ${r.ok ? 'not a work tree file' : r.reason}`);
  return join(root, ...r.path.split('/'));
}

/** What is at each path now, hashed as Git would store it (its clean filters applied). */
export async function workspaceFiles(root: string, rels: string[]): Promise<Map<string, WorkspaceFile>> {
  const out = new Map<string, WorkspaceFile>();
  const regular: string[] = [];
  for (const rel of rels) {
    let st;
    try {
      st = lstatSync(abs(root, rel));
    } catch {
      out.set(rel, {});
      continue;
    }
    if (st.isSymbolicLink()) out.set(rel, { kind: 'link', blob: gitBlobId(Buffer.from(readlinkSync(abs(root, rel)))) });
    else if (st.isFile()) {
      out.set(rel, { kind: st.mode & 0o111 ? 'exec' : 'file' });
      regular.push(rel);
    } else out.set(rel, { kind: 'other' });
  }
  if (regular.length) {
    const ids = (await runGitText(root, ['hash-object', '--stdin-paths'], { input: regular.join('\n') + '\n' })).trim().split('\n');
    regular.forEach((rel, i) => {
      out.get(rel)!.blob = ids[i];
    });
  }
  return out;
}

async function checkRecorded(root: string, rel: string, recorded: ReadonlySet<string>): Promise<void> {
  const now = (await workspaceFiles(root, [rel])).get(rel)!;
  if (now.kind === undefined) return;
  if (now.kind === 'other')
    throw new GuardError(`'${rel}' is a folder or special file where the experiment has a file; nothing was changed there`);
  if (!recorded.has(now.blob!)) throw new GuardError(`'${rel}' holds changes Git has not recorded; it was not overwritten`);
}

/** Moves `staged` (a file made beside the work tree) to `rel`, if what is there now is recorded. */
export async function replaceRecorded(root: string, rel: string, staged: string, recorded: ReadonlySet<string>): Promise<void> {
  await checkRecorded(root, rel, recorded);
  const dest = abs(root, rel);
  mkdirSync(dirname(dest), { recursive: true });
  // A link is replaced as a link (rename does not follow it).
  renameSync(staged, dest);
}

/** Deletes `rel` if what is there now is recorded (the folders above it stay). */
export async function removeRecorded(root: string, rel: string, recorded: ReadonlySet<string>): Promise<boolean> {
  const dest = abs(root, rel);
  try {
    lstatSync(dest);
  } catch {
    return false;
  }
  await checkRecorded(root, rel, recorded);
  rmSync(dest, { force: true });
  return true;
}

/** True when `path` exists and is a folder. */
export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
