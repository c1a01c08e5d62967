import { parse } from 'yaml';
import { ObjectReader } from '../git/catFile';
import { runGitText } from '../git/exec';
import { FULL_SHA } from '../git/objectId';

/** A commit as GTO's "commit" enrichment event describes it (gto/index.py update_state). */
export interface GtoCommit {
  sha: string;
  author: string;
  authorEmail: string;
  committer: string;
  committerEmail: string;
  /** Committer time with the committer's UTC offset, as Python's isoformat writes it. */
  iso: string;
  /** The whole raw message, trailing newline included. */
  message: string;
  /** GTO's description of each artifact declared in artifacts.yaml at this commit. */
  declared: Map<string, GtoArtifactInfo>;
}

/** gto.index.Artifact with its defaults, in its field order. */
export interface GtoArtifactInfo {
  type: unknown;
  path: unknown;
  virtual: unknown;
  labels: unknown;
  description: unknown;
  custom: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** artifacts.yaml as GTO reads it; a file that does not parse or is not a mapping declares nothing. */
export function parseGtoDeclarations(text: string): Map<string, GtoArtifactInfo> {
  let data: unknown;
  try {
    data = parse(text);
  } catch {
    return new Map();
  }
  if (!isRecord(data)) return new Map();
  const out = new Map<string, GtoArtifactInfo>();
  for (const [name, raw] of Object.entries(data)) {
    const a = isRecord(raw) ? raw : {};
    out.set(name, {
      type: a.type ?? null,
      path: a.path ?? null,
      virtual: a.virtual ?? true,
      labels: a.labels ?? [],
      description: a.description ?? '',
      custom: a.custom ?? null,
    });
  }
  return out;
}

const FORMAT = ['%H', '%an', '%ae', '%cn', '%ce', '%cI', '%B'].join('%x00') + '%x00%x01';

/** Author, committer, time, message and artifacts.yaml of each commit, with two git calls. */
export async function readGtoCommits(root: string, shas: readonly string[]): Promise<Map<string, GtoCommit>> {
  const wanted = [...new Set(shas)].filter((s) => FULL_SHA.test(s));
  const out = new Map<string, GtoCommit>();
  if (wanted.length === 0) return out;
  const log = await runGitText(root, ['log', '--no-walk=unsorted', `--format=${FORMAT}`, ...wanted, '--']);
  const reader = new ObjectReader(root);
  try {
    const files = await reader.read(wanted.map((s) => `${s}:artifacts.yaml`));
    const declared = new Map(
      wanted.map((s, i) => {
        const f = files[i];
        return [
          s,
          'missing' in f || f.type !== 'blob' ? new Map<string, GtoArtifactInfo>() : parseGtoDeclarations(f.bytes.toString('utf8')),
        ];
      }),
    );
    for (const record of log.split('\0\x01')) {
      const [sha, author, authorEmail, committer, committerEmail, iso, message] = record.replace(/^\n/, '').split('\0');
      if (!sha || !FULL_SHA.test(sha)) continue;
      out.set(sha, {
        sha,
        author,
        authorEmail,
        committer,
        committerEmail,
        iso,
        message: message ?? '',
        declared: declared.get(sha) ?? new Map(),
      });
    }
  } finally {
    reader.close();
  }
  return out;
}
