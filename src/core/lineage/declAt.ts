// The artifact's declaration at the version's commit. The registry reads declarations at HEAD
// (as `gto show` lists artifacts), but a version's path is the one its own commit declared, as
// GTO's per-version enrichment reads it: a model moved or undeclared later keeps its old path.

import { readArtifactDecls } from '../registry/artifactDecls';
import type { ArtifactDecl } from '../registry/types';

/** artifacts.yaml first, then each dvc.yaml's `artifacts:`; `dir=name` (a tag's spelling) matches `dir:name`. */
export async function declarationAt(root: string, sha: string, artifact: string, problems: string[]): Promise<ArtifactDecl | null> {
  const { decls, problems: bad } = await readArtifactDecls(root, sha);
  for (const p of bad) problems.push(p.message.replace(` at ${sha}:`, ` at ${sha.slice(0, 8)}:`));
  const colon = artifact.replace('=', ':');
  return decls.find((d) => d.name === artifact) ?? decls.find((d) => d.name === colon) ?? null;
}

/** Why the card has no path, and what HEAD declares instead when that differs (the usual surprise). */
export function noPathNote(sha: string, decl: ArtifactDecl | null, headPath: string | null): string {
  const short = sha.slice(0, 8);
  const why = decl ? `${decl.file} at ${short} declares no path for it` : `neither artifacts.yaml nor a dvc.yaml at ${short} declares it`;
  const head = headPath ? ` (HEAD declares ${headPath}, but the card reads the version's own commit)` : '';
  return `The artifact declares no path: ${why}${head}; listing the data of every stage.`;
}
