import type { Store } from '../store/store';
import { WORKSPACE } from '../indexer/writeRevision';
import type { DvcError } from './dvcData';
import { pipelinesAt } from './history';
import { problemsAt, type FileProblem } from './values';

export type { DvcError };

const CORRUPTED: Record<string, string> = {
  json: 'JSONFileCorruptedError',
  yaml: 'YAMLFileCorruptedError',
  yml: 'YAMLFileCorruptedError',
  toml: 'TOMLFileCorruptedError',
  py: 'PythonFileCorruptedError',
};

/** A revision DVC cannot collect: its error as DVC words it, and ours with file, line and column. */
export interface RevisionProblem {
  error: DvcError;
  detail: string;
}

function located(p: Pick<FileProblem, 'path' | 'line' | 'column'>, message: string): string {
  return p.line ? `${message} (${p.path}, line ${p.line}${p.column ? `, column ${p.column}` : ''})` : `${message} (${p.path})`;
}

// DVC's ParseError text (dvc/utils/serialize), its SerializableError key order ({msg, type}).
const corrupted = (type: string, p: FileProblem): RevisionProblem => ({
  error: { msg: `unable to read: '${p.path}', ${type.replace(/FileCorruptedError|SyntaxError/, '')} file structure is corrupted`, type },
  detail: located(p, p.message),
});

/**
 * Why DVC cannot collect a revision at all (its exp show row then has `data: null`): a
 * dvc.yaml or dvc.lock that does not parse, a stage that fails validation or interpolation,
 * a params.yaml beside a dvc.yaml or a file read through `${}` that does not parse (DVC loads
 * them as the pipeline's variables). Other unreadable files only fail their own entry. The
 * first such problem wins.
 */
export function revisionProblem(
  store: Store,
  sha: string,
  pipelines = pipelinesAt(store, sha),
  problems = problemsAt(store, sha),
): RevisionProblem | null {
  const projects = new Set(pipelines.map((p) => p.project));
  for (const p of problems) {
    if (p.status !== 'error') continue;
    if (p.role === 'pipeline' || p.role === 'lock') return corrupted('YAMLSyntaxError', p);
    const vars = /^(?:(.*)\/)?params\.yaml$/.exec(p.path);
    if (p.role === 'vars' || (p.role === 'params' && vars && projects.has(vars[1] ?? ''))) {
      return corrupted(CORRUPTED[/\.([a-z]+)$/i.exec(p.path)?.[1]?.toLowerCase() ?? ''] ?? 'YAMLFileCorruptedError', p);
    }
  }
  for (const { project, def } of pipelines) {
    if (def.errors.length === 0) continue;
    const path = project ? `${project}/dvc.yaml` : 'dvc.yaml';
    const e = def.errors[0];
    const detail = located({ path, line: e.line, column: e.column }, `${e.stage ? `stage ${e.stage}: ` : ''}${e.message}`);
    // DVC raises ResolveError for `${}` interpolation, YAMLValidationError for the schema.
    const resolve = /^failed to parse '([^']*)'(?: in '[^']*')?: (.*)$/s.exec(e.message);
    if (resolve) return { error: { msg: `failed to parse '${resolve[1]}' in '${path}': ${resolve[2]}`, type: 'ResolveError' }, detail };
    const count = def.errors.length > 1 ? `: ${def.errors.length} errors` : '';
    const rev = sha === WORKSPACE ? '' : ` in revision '${sha.slice(0, 7)}'`;
    return { error: { msg: `'${project ? path : `./${path}`}' validation failed${rev}${count}`, type: 'YAMLValidationError' }, detail };
  }
  return null;
}
