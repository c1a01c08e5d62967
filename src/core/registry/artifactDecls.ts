import { posix } from 'node:path';
import { parse } from 'yaml';
import { runGit, runGitText } from '../git/exec';
import { projectPathOf } from '../formats/dvcYaml';
import type { ArtifactDecl } from './types';

export interface DeclRead {
  /** artifacts.yaml declarations first (the ones GTO reads), then dvc.yaml `artifacts:`. */
  decls: ArtifactDecl[];
  problems: { file: string; message: string }[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);

/**
 * Parses one declaration file. `gto` files (artifacts.yaml) hold the artifacts at the top
 * level; dvc.yaml holds them under `artifacts:` with DVC's `desc`, and names them `dir:name`
 * outside the repository root.
 */
export function parseArtifactDecls(file: string, text: string, kind: 'gto' | 'dvc'): ArtifactDecl[] {
  const data: unknown = parse(text);
  const section = kind === 'gto' ? data : isRecord(data) ? data.artifacts : undefined;
  if (section === undefined || section === null) return [];
  if (!isRecord(section)) throw new Error(kind === 'gto' ? 'expected a mapping of artifact names' : '`artifacts:` must be a mapping');
  const dir = posix.dirname(file);
  const decls: ArtifactDecl[] = [];
  for (const [key, raw] of Object.entries(section)) {
    const v = isRecord(raw) ? raw : {};
    const path = str(v.path);
    const labels = Array.isArray(v.labels) ? v.labels.map(String) : [];
    decls.push({
      name: kind === 'dvc' && dir !== '.' ? `${dir}:${key}` : key,
      type: str(v.type),
      path: path === null ? null : kind === 'dvc' ? projectPathOf(dir, path) : path,
      virtual: typeof v.virtual === 'boolean' ? v.virtual : true,
      labels,
      description: str(v.description ?? v.desc),
      custom: v.custom ?? v.meta ?? null,
      file,
    });
  }
  return decls;
}

/** Declarations at `rev` (HEAD by default, as GTO reads them); a broken file is reported, the rest read. */
export async function readArtifactDecls(root: string, rev = 'HEAD'): Promise<DeclRead> {
  const listing = await runGitText(root, ['ls-tree', '-r', '-z', '--name-only', rev]).catch(() => '');
  const files = listing.split('\0').filter((f) => f === 'artifacts.yaml' || f === 'dvc.yaml' || f.endsWith('/dvc.yaml'));
  files.sort((a, b) => (a === 'artifacts.yaml' ? -1 : b === 'artifacts.yaml' ? 1 : a < b ? -1 : 1));
  const decls: ArtifactDecl[] = [];
  const problems: { file: string; message: string }[] = [];
  for (const file of files) {
    try {
      const text = (await runGit(root, ['cat-file', 'blob', `${rev}:${file}`])).toString('utf8');
      decls.push(...parseArtifactDecls(file, text, file === 'artifacts.yaml' ? 'gto' : 'dvc'));
    } catch (e) {
      problems.push({ file, message: `${file} at ${rev}: ${(e as Error).message.split('\n')[0]}` });
    }
  }
  return { decls, problems };
}
