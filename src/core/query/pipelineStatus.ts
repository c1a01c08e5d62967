import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../store/store';
import type { LockEntry, LockFile } from '../formats/dvcLock';
import type { StageDef } from '../formats/dvcYaml';
import { isDirHash } from '../formats/dvcLock';
import { WORKSPACE } from '../indexer/writeRevision';
import { decodePayload } from '../util/values';
import { resolveInRepo } from '../util/paths';
import { pipelinesAt } from './history';

export type EntryState = 'same' | 'changed' | 'missing' | 'not-checked';

export interface EntryStatus { path: string; state: EntryState; reason?: string }

export interface StageStatus {
  project: string;
  name: string;
  cmd: string;
  /** 'never-run': no dvc.lock entry; 'unknown': nothing could be compared. */
  state: 'up-to-date' | 'changed' | 'never-run' | 'unknown';
  deps: EntryStatus[];
  outs: EntryStatus[];
}

export interface ProjectStatus { project: string; stages: StageStatus[]; errors: string[] }

/**
 * Stages ordered so that a stage comes after every stage whose outs it depends on (DVC's DAG),
 * file order kept among independent stages; a cycle leaves the rest in file order.
 */
export function dagOrder(stages: StageDef[]): StageDef[] {
  const producer = new Map<string, StageDef>();
  for (const s of stages) for (const o of s.outs) producer.set(o.projectPath, s);
  const producedBy = (dep: string): StageDef | undefined => {
    for (const [out, s] of producer) if (dep === out || dep.startsWith(out + '/') || out.startsWith(dep + '/')) return s;
    return undefined;
  };
  const order: StageDef[] = [];
  const state = new Map<StageDef, 'visiting' | 'done'>();
  const visit = (s: StageDef): void => {
    if (state.get(s)) return;
    state.set(s, 'visiting');
    for (const d of s.deps) {
      const p = producedBy(d.projectPath);
      if (p && p !== s && !state.get(p)) visit(p);
    }
    state.set(s, 'done');
    order.push(s);
  };
  stages.forEach(visit);
  return order;
}

/** md5 of a workspace file as DVC computes it; dos2unix turns CRLF into LF first for text files (DVC 2 hashes). */
export async function fileMd5(file: string, dos2unix: boolean): Promise<string> {
  const hash = createHash('md5');
  const stream = createReadStream(file);
  let text: boolean | undefined;
  let carry = false;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (text === undefined) text = dos2unix && !chunk.subarray(0, 8000).includes(0);
    if (!text) { hash.update(chunk); continue; }
    let s = chunk;
    if (carry) s = Buffer.concat([Buffer.from('\r'), s]);
    carry = s.length > 0 && s[s.length - 1] === 0x0d;
    if (carry) s = s.subarray(0, s.length - 1);
    hash.update(Buffer.from(s.toString('latin1').replace(/\r\n/g, '\n'), 'latin1'));
  }
  if (carry) hash.update('\r');
  return hash.digest('hex');
}

/**
 * Hashes workspace files for the pipeline view, remembering (size, mtime) so a refresh only
 * re-reads files that changed; data files can be large.
 */
export class WorkspaceHasher {
  private readonly cache = new Map<string, { size: number; mtimeMs: number; dos2unix: boolean; md5: string }>();

  async md5(file: string, dos2unix: boolean): Promise<{ kind: 'file'; md5: string } | { kind: 'dir' } | { kind: 'missing' }> {
    let st;
    try {
      st = await fs.stat(file);
    } catch {
      return { kind: 'missing' };
    }
    if (st.isDirectory()) return { kind: 'dir' };
    const hit = this.cache.get(file);
    if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs && hit.dos2unix === dos2unix) return { kind: 'file', md5: hit.md5 };
    const md5 = await fileMd5(file, dos2unix);
    this.cache.set(file, { size: st.size, mtimeMs: st.mtimeMs, dos2unix, md5 });
    return { kind: 'file', md5 };
  }
}

function lockOf(store: Store, project: string): LockFile | undefined {
  const row = store.sql(`SELECT b.payload FROM revision r JOIN revision_file rf ON rf.rev_id = r.id JOIN blob b ON b.id = rf.blob_id
      WHERE r.sha = ? AND rf.role = 'lock' AND rf.project = ? AND b.status = 'ok'`).get(WORKSPACE, project) as { payload: string | null } | undefined;
  return row?.payload ? decodePayload<LockFile>(row.payload) : undefined;
}

async function entryStatus(root: string, project: string, wdir: string, entry: LockEntry, hasher: WorkspaceHasher): Promise<EntryStatus> {
  const resolved = resolveInRepo(project, wdir === '.' ? entry.path : `${wdir}/${entry.path}`);
  if (!resolved.ok) return { path: entry.path, state: 'not-checked', reason: resolved.reason };
  const path = resolved.path;
  if (entry.md5 === undefined) return { path, state: 'not-checked', reason: 'no md5 in dvc.lock (remote or external)' };
  if (isDirHash(entry.md5)) return { path, state: 'not-checked', reason: 'directory: not checked' };
  const found = await hasher.md5(join(root, path), entry.hashKind === 'md5-dos2unix');
  if (found.kind === 'missing') return { path, state: 'missing' };
  if (found.kind === 'dir') return { path, state: 'not-checked', reason: 'directory: not checked' };
  return { path, state: found.md5 === entry.md5 ? 'same' : 'changed' };
}

/**
 * Per dvc.yaml project of the indexed workspace, the stages in DAG order with their state:
 * each dep and out's md5 recorded in dvc.lock against the workspace file's md5. Directories
 * are not hashed ("not checked"); `dvc status` remains the exact answer.
 */
export async function pipelineStatus(store: Store, root: string, hasher: WorkspaceHasher): Promise<ProjectStatus[]> {
  const out: ProjectStatus[] = [];
  for (const { project, def } of pipelinesAt(store, WORKSPACE)) {
    const lock = lockOf(store, project);
    const stages: StageStatus[] = [];
    for (const s of dagOrder(def.stages)) {
      const cmd = Array.isArray(s.cmd) ? s.cmd.join(' && ') : s.cmd;
      const entry = lock?.stages[s.name];
      if (!entry) { stages.push({ project, name: s.name, cmd, state: 'never-run', deps: [], outs: [] }); continue; }
      const deps = await Promise.all(entry.deps.map((e) => entryStatus(root, project, s.wdir, e, hasher)));
      const outs = await Promise.all(entry.outs.map((e) => entryStatus(root, project, s.wdir, e, hasher)));
      const all = [...deps, ...outs];
      const state = all.some((e) => e.state === 'changed' || e.state === 'missing') ? 'changed' : all.some((e) => e.state === 'same') ? 'up-to-date' : 'unknown';
      stages.push({ project, name: s.name, cmd, state, deps, outs });
    }
    out.push({ project, stages, errors: def.errors.map((e) => (e.stage ? `stage ${e.stage}: ` : '') + e.message + (e.line ? ` (line ${e.line})` : '')) });
  }
  return out;
}
