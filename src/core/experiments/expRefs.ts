// Where DVC keeps experiments in Git, and which names it accepts (dvc/repo/experiments/refs.py,
// utils.py). An experiment is a commit whose parent is its baseline, under
// refs/exps/<baseline[:2]>/<baseline[2:]>/<name>; DVC's own bookkeeping lives in namespaces
// under refs/exps that are not experiments (exec, apply, temp, celery, the stashes).

export const EXPS_NAMESPACE = 'refs/exps';
/** The commit `exp apply` last applied (dvc exp show marks the workspace with it). */
export const EXEC_APPLY = `${EXPS_NAMESPACE}/exec/EXEC_APPLY`;
/** HEAD before the last `exp apply`, and the stash of the workspace it replaced. */
export const APPLY_HEAD = `${EXPS_NAMESPACE}/apply/ORIG_HEAD`;
export const APPLY_STASH = `${EXPS_NAMESPACE}/apply/stash`;

const SKIP_NAMESPACES = ['apply', 'celery', 'exec', 'temp'].map((n) => `${EXPS_NAMESPACE}/${n}`);
const STASHES = new Set([`${EXPS_NAMESPACE}/stash`, `${EXPS_NAMESPACE}/celery/stash`]);

export interface ExpRef {
  /** The full baseline commit. */
  baseline: string;
  name: string;
}

/** ExpRefInfo.__str__: refs/exps/<2>/<38>/<name>. */
export function expRefName(ref: ExpRef): string {
  return `${EXPS_NAMESPACE}/${ref.baseline.slice(0, 2)}/${ref.baseline.slice(2)}/${ref.name}`;
}

/** utils._ignore_ref: DVC's internal refs, which exp_refs() skips. */
export function isInternalExpRef(ref: string): boolean {
  return SKIP_NAMESPACES.some((ns) => ref.startsWith(ns)) || STASHES.has(ref);
}

/**
 * ExpRefInfo.from_ref for the refs exp_refs() yields: undefined for internal refs and for names
 * DVC would reject (fewer than 5 parts or more than 5, i.e. a name holding '/').
 */
export function parseExpRefName(ref: string): ExpRef | undefined {
  if (isInternalExpRef(ref)) return undefined;
  const parts = ref.split('/');
  if (parts.length !== 5 || `${parts[0]}/${parts[1]}` !== EXPS_NAMESPACE) return undefined;
  return { baseline: parts[2] + parts[3], name: parts[4] };
}

// dulwich's BAD_REF_CHARS (what DVC checks names with, through scmrepo): DEL, space, ~ ^ : ? * [
const BAD_REF_CHARS = new Set(['\x7f', ' ', '~', '^', ':', '?', '*', '[']);

/** dulwich.refs.check_ref_format: the rules of git-check-ref-format, as DVC applies them. */
export function checkRefFormat(refname: string): boolean {
  if (refname === '@' || !refname.includes('/') || refname.includes('..')) return false;
  for (const c of refname) if (c.charCodeAt(0) < 0o40 || BAD_REF_CHARS.has(c)) return false;
  if (refname.endsWith('/') || refname.endsWith('.')) return false;
  if (refname.includes('@{') || refname.includes('\\')) return false;
  return refname.split('/').every((part) => part !== '' && !part.startsWith('.') && !part.endsWith('.lock'));
}

/**
 * utils.check_ref_format: the whole ref must be valid and the name must not hold '/' (DVC
 * does not support nested names). Returns why the name is refused, or undefined.
 */
export function expNameProblem(baseline: string, name: string): string | undefined {
  if (name === '') return 'an experiment name cannot be empty';
  if (name.includes('/') || !checkRefFormat(expRefName({ baseline, name }))) {
    return `invalid experiment name '${name}': it must follow Git's ref name rules (git check-ref-format) and hold no '/': no spaces, no '..', none of ~ ^ : ? * [ \\, no '@{', no control characters, not starting with '.', not ending with '.' or '.lock'`;
  }
  return undefined;
}

/** DVC's ExperimentExistsError, with our command in the hint. */
export function experimentExistsMessage(name: string, command = 'run'): string {
  return `Experiment conflicts with existing experiment '${name}'. To overwrite the existing experiment run: lineage exp ${command} -f ...`;
}
