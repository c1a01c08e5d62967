import { simpleGitAt } from './simple';
import { FULL_SHA } from './objectId';

export type RefKind = 'branch' | 'tag' | 'exp';

export interface RefInfo {
  /** Full ref name, e.g. refs/heads/main. */
  name: string;
  /** Short display name: branch or tag name, or the experiment's name. */
  short: string;
  kind: RefKind;
  /** The commit the ref finally points at (tags peeled). */
  sha: string;
  annotated: boolean;
  /** Unix seconds: tagger time for annotated tags, committer time otherwise. */
  time?: number;
  /** Annotated tag subject. */
  message?: string;
  /** Experiments: the full baseline commit encoded in the ref path. */
  baseline?: string;
}

// DVC's internal namespaces under refs/exps that are not experiments.
const EXP_INTERNAL = new Set(['apply', 'celery', 'exec', 'temp', 'stash', 'runs', 'executor']);

/** Parses refs/exps/<sha[:2]>/<sha[2:]>/<name>; undefined for DVC's internal refs. */
export function parseExpRef(name: string): { baseline: string; expName: string } | undefined {
  const parts = name.split('/');
  if (parts.length < 5 || parts[0] !== 'refs' || parts[1] !== 'exps') return undefined;
  if (EXP_INTERNAL.has(parts[2])) return undefined;
  const baseline = parts[2] + parts[3];
  if (!FULL_SHA.test(baseline)) return undefined;
  return { baseline, expName: parts.slice(4).join('/') };
}

const FORMAT = [
  '%(refname)',
  '%(objecttype)',
  '%(objectname)',
  '%(*objectname)',
  '%(*objecttype)',
  '%(taggerdate:unix)',
  '%(creatordate:unix)',
  '%(contents:subject)',
].join('%00');

/** Parses `git for-each-ref` output in FORMAT; refs that do not end at a commit are skipped. */
export function parseForEachRef(output: string): RefInfo[] {
  const refs: RefInfo[] = [];
  for (const line of output.split('\n')) {
    if (!line) continue;
    const [name, type, oid, peeled, peeledType, taggerTime, creatorTime, subject] = line.split('\0');
    let kind: RefKind;
    let short: string;
    let baseline: string | undefined;
    if (name.startsWith('refs/heads/')) {
      kind = 'branch';
      short = name.slice(11);
    } else if (name.startsWith('refs/tags/')) {
      kind = 'tag';
      short = name.slice(10);
    } else {
      const exp = parseExpRef(name);
      if (!exp) continue;
      kind = 'exp';
      short = exp.expName;
      baseline = exp.baseline;
    }
    const annotated = type === 'tag';
    const sha = annotated ? peeled : oid;
    if ((annotated ? peeledType : type) !== 'commit' || !FULL_SHA.test(sha)) continue;
    const time = Number(annotated ? taggerTime || creatorTime : creatorTime);
    refs.push({
      name,
      short,
      kind,
      sha,
      annotated,
      time: Number.isFinite(time) && time > 0 ? time : undefined,
      message: annotated ? subject : undefined,
      baseline,
    });
  }
  return refs;
}

/** Local branches, tags and DVC experiment refs. Broken ref names are skipped by git itself. */
export async function listRefs(root: string): Promise<RefInfo[]> {
  const out = await simpleGitAt(root).raw(['for-each-ref', `--format=${FORMAT}`, 'refs/heads', 'refs/tags', 'refs/exps']);
  return parseForEachRef(out);
}
