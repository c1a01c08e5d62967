import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { runGitText } from '../git/exec';
import { readArtifactDecls } from './artifactDecls';
import { buildGtoState, type GtoState } from './gtoState';
import { toRegistryState } from './registryState';
import { readRegistryTags, type RegistryTags } from './tagReader';
import type { RegistryState } from './types';

export interface LoadedRegistry {
  state: RegistryState;
  /** GTO's own view, for `gto show`-compatible output. */
  gto: GtoState;
  /** Problems reading declarations (file and message), reported beside the state. */
  problems: { file: string; message: string }[];
  head: string | null;
  tags: RegistryTags;
  /** `stages:` of the `.gto` config: the only stages GTO allows, when set. */
  allowedStages: string[] | null;
}

async function headCommit(root: string): Promise<{ commit: string; time: number } | null> {
  // Exit 128 in a repository without commits: no HEAD, nothing declared.
  const out = (await runGitText(root, ['log', '-1', '--format=%H %ct', 'HEAD', '--'], { allowExit: [128] })).trim();
  const [commit, time] = out.split(' ');
  return commit ? { commit, time: Number(time) } : null;
}

/** GTO reads its `.gto` config from the working tree; only `stages` changes what it shows. */
async function readGtoStages(root: string, problems: { file: string; message: string }[]): Promise<string[] | null> {
  let text: string;
  try {
    text = await readFile(join(root, '.gto'), 'utf8');
  } catch {
    return null;
  }
  try {
    const data: unknown = parse(text);
    const stages = typeof data === 'object' && data !== null ? (data as { stages?: unknown }).stages : undefined;
    if (stages === undefined || stages === null) return null;
    if (!Array.isArray(stages)) throw new Error('`stages` must be a list');
    return stages.map(String);
  } catch (e) {
    problems.push({ file: '.gto', message: `.gto: ${(e as Error).message.split('\n')[0]}` });
    return null;
  }
}

/** Tags, declarations and HEAD, and the state GTO computes from them. */
export async function loadGitRegistry(root: string): Promise<LoadedRegistry> {
  const problems: { file: string; message: string }[] = [];
  const [tags, head, allowedStages] = await Promise.all([readRegistryTags(root), headCommit(root), readGtoStages(root, problems)]);
  const { decls, problems: declProblems } = head ? await readArtifactDecls(root, head.commit) : { decls: [], problems: [] };
  problems.push(...declProblems);
  if (head) tags.commitTimes.set(head.commit, head.time);
  const gtoDeclared = decls.filter((d) => d.file === 'artifacts.yaml').map((d) => d.name);
  const gto = buildGtoState(
    tags.events,
    (sha) => tags.commitTimes.get(sha) ?? 0,
    head ? { commit: head.commit, declared: gtoDeclared } : null,
  );
  const state = toRegistryState(gto, decls, tags.ignored);
  return { state, gto, problems, head: head?.commit ?? null, tags, allowedStages };
}
