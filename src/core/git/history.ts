import { runGit } from './exec';

export interface CommitMeta {
  sha: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  authorTime: number;
  commitTime: number;
  subject: string;
  body: string;
}

/** A change to a tracked path against the commit's first parent (or the empty tree for roots). */
export interface PathChange {
  path: string;
  /** New blob id, or undefined when the path was deleted. */
  oid?: string;
  /** New git file mode ('100644', '100755', '120000' symlink, '160000' submodule). */
  mode?: string;
}

export interface WalkedCommit extends CommitMeta {
  changes: PathChange[];
}

const COMMIT_MARK = '\x01';
// Fields NUL-separated; the raw diff of each commit follows its header in -z form.
export const LOG_FORMAT = `${COMMIT_MARK}%H%x00%P%x00%an%x00%ae%x00%at%x00%ct%x00%s%x00%b%x00`;

/**
 * Parses `git log --raw -z --format=LOG_FORMAT` output. `keep` filters paths early so a
 * commit touching 10,000 unrelated files costs a string compare each, not an allocation.
 */
export function parseRawLog(output: string, keep: (path: string) => boolean): WalkedCommit[] {
  const commits: WalkedCommit[] = [];
  const chunks = output.split(COMMIT_MARK);
  for (const chunk of chunks) {
    if (!chunk) continue;
    const fields = chunk.split('\0');
    const [sha, parents, authorName, authorEmail, authorTime, commitTime, subject, body] = fields;
    const commit: WalkedCommit = {
      sha,
      parents: parents ? parents.split(' ') : [],
      authorName,
      authorEmail,
      authorTime: Number(authorTime),
      commitTime: Number(commitTime),
      subject,
      body: body.replace(/\n+$/, ''),
      changes: [],
    };
    // After the 8 header fields: pairs of ":<modes> <oids> <status>" and "<path>" (renames are off).
    for (let i = 8; i + 1 < fields.length; i += 2) {
      let meta = fields[i];
      const path = fields[i + 1];
      if (meta.startsWith('\n')) meta = meta.slice(1);
      if (!meta.startsWith(':')) {
        i -= 1;
        continue;
      }
      if (!keep(path)) continue;
      const [, newMode, , newOid, status] = meta.slice(1).split(' ');
      commit.changes.push(status === 'D' ? { path } : { path, oid: newOid, mode: newMode });
    }
    commits.push(commit);
  }
  return commits;
}

/**
 * Walks the commits reachable from `tips` but not from `exclude`, parents before children,
 * with their changes against the first parent. One git process for the whole walk.
 */
export async function walkCommits(
  root: string,
  tips: readonly string[],
  exclude: readonly string[],
  keep: (path: string) => boolean,
): Promise<WalkedCommit[]> {
  if (tips.length === 0) return [];
  const args = [
    'log',
    '--raw',
    '-z',
    '--no-abbrev',
    '--no-renames',
    '--root',
    '--diff-merges=first-parent',
    '--topo-order',
    '--reverse',
    `--format=${LOG_FORMAT}`,
    '--stdin',
  ];
  // Tips travel on stdin: thousands of refs would overflow a command line.
  const input = [...tips, ...exclude.map((sha) => `^${sha}`)].join('\n') + '\n';
  return parseRawLog((await runGit(root, args, { input })).toString('utf8'), keep);
}

/** The tracked paths of one commit (filtered), for commits whose parent state is not in memory. */
export async function listTree(root: string, sha: string, keep: (path: string) => boolean): Promise<PathChange[]> {
  const out = (await runGit(root, ['ls-tree', '-r', '-z', '--full-tree', sha])).toString('utf8');
  const entries: PathChange[] = [];
  for (const record of out.split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [mode, type, oid] = record.slice(0, tab).split(' ');
    const path = record.slice(tab + 1);
    if (type === 'blob' && keep(path)) entries.push({ path, oid, mode });
  }
  return entries;
}
