// The few Git reads the lineage card needs beyond the index: which of some paths exist in a
// commit's tree, a blob's bytes, and the branches containing a commit. Argument arrays only;
// the commit must be a full sha and paths go after `--`.

import { runGit, runGitText } from '../git/exec';
import { FULL_SHA } from '../git/objectId';

function checkSha(sha: string): void {
  if (!FULL_SHA.test(sha)) throw new Error(`"${sha}" is not a full commit id`);
}

/** path -> blob id, for the given repo-relative paths that are files in the commit's tree. */
export async function blobsAt(root: string, sha: string, paths: string[]): Promise<Map<string, string>> {
  checkSha(sha);
  const found = new Map<string, string>();
  const wanted = [...new Set(paths.filter((p) => p && !p.startsWith('-')))];
  if (wanted.length === 0) return found;
  const out = await runGitText(root, ['ls-tree', '-z', '--full-tree', sha, '--', ...wanted]);
  for (const line of out.split('\0')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, oid] = line.slice(0, tab).split(' ');
    if (type === 'blob' && mode !== '120000') found.set(line.slice(tab + 1), oid);
  }
  return found;
}

/** A blob's bytes, or undefined when it is larger than `maxBytes`. */
export async function readBlob(root: string, oid: string, maxBytes: number): Promise<Buffer | undefined> {
  if (!/^[0-9a-f]{40,64}$/.test(oid)) throw new Error(`"${oid}" is not a blob id`);
  const size = Number((await runGitText(root, ['cat-file', '-s', oid])).trim());
  if (!(size <= maxBytes)) return undefined;
  return runGit(root, ['cat-file', 'blob', oid]);
}

/** Local branches whose history contains the commit (short names), at most `limit`. */
export async function branchesContaining(root: string, sha: string, limit = 50): Promise<string[]> {
  checkSha(sha);
  const out = await runGitText(root, ['for-each-ref', '--contains', sha, `--count=${limit}`, '--format=%(refname:short)', 'refs/heads/']);
  return out.split('\n').filter(Boolean);
}

/** Author, time and message of a commit the index has not seen; undefined when Git lacks it. */
export async function commitMeta(
  root: string,
  sha: string,
): Promise<{ author: string; email: string; time: number; subject: string; body: string } | undefined> {
  checkSha(sha);
  const out = await runGitText(root, ['log', '-1', '--format=%an%x00%ae%x00%at%x00%s%x00%b', sha, '--'], { allowExit: [128] });
  const [author, email, time, subject, body] = out.split('\0');
  if (subject === undefined) return undefined;
  return { author, email, time: Number(time), subject, body: body.replace(/\n+$/, '') };
}

/** Whether the clone has the commit (a registry tag or run may name one never fetched). */
export async function hasCommit(root: string, sha: string): Promise<boolean> {
  checkSha(sha);
  const out = await runGitText(root, ['cat-file', '-t', sha], { allowExit: [1, 128] }).catch(() => '');
  return out.trim() === 'commit';
}
