import { readGtoCommits } from '../core/workspace/registry';
import { pythonJson } from '../core/registry/gtoJson';
import { gtoShowRows, gtoShowVersions, parseGtoShortcut } from '../core/registry/gtoShowModel';
import { artifactActive } from '../core/registry/gtoState';
import type { LoadedRegistry } from '../core/workspace/registry';
import { UsageError } from './context';
import { renderTable } from './table';

/** `lineage registry MODEL[#STAGE|@VERSION|@latest]`: what `gto show MODEL` prints. */
export async function showModel(root: string, loaded: LoadedRegistry, spec: string, json: boolean): Promise<number> {
  const name = parseGtoShortcut(spec).name;
  const artifact = loaded.gto.get(name);
  if (!artifact) {
    const known = [...loaded.gto.keys()].sort();
    throw new UsageError(
      `no model ${JSON.stringify(name)} in the registry (models with GTO tags or in artifacts.yaml: ${known.join(', ') || 'none'})`,
    );
  }
  const commits = await readGtoCommits(
    root,
    artifact.versions.map((v) => v.commit),
  );
  const versions = gtoShowVersions(loaded.gto, spec, commits) ?? [];
  if (json) {
    process.stdout.write(pythonJson(versions) + '\n');
    return 0;
  }
  if (versions.length === 0) {
    process.stdout.write(
      !artifactActive(artifact)
        ? `${name} is deprecated: GTO lists no versions of a deprecated model.\n`
        : `No version of ${name} matches ${spec}.\n`,
    );
    return 0;
  }
  process.stdout.write(renderTable(['artifact', 'version', 'stage', 'created_at', 'ref'], gtoShowRows(loaded.gto, versions, spec)));
  return 0;
}
