// W&B run folders in a repository: `wandb/` (or `.wandb/`) holds `offline-run-<time>-<id>/`
// and `run-<time>-<id>/` folders, each with `run-<id>.wandb` (the binary log) and `files/`.
// `latest-run` and the debug logs next to them are symlinks into those folders and skipped.

import type { Dirent } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { RunProblem, RunReadResult } from '../runs/types';
import { RUNNING_WINDOW_MS, toExternalRun, type RunFolderData } from './wandbExternalRun';
import { parseConfigYaml, parseJsonObject, parseRequirements, readOptional } from './wandbFiles';
import { writerKnownGone } from './wandbLiveness';
import { WandbLogError, WandbLogReader } from './wandbLogReader';
import { WandbRunState } from './wandbRunState';

export { RUNNING_WINDOW_MS };

/** Folder names of a W&B directory, in the order wandb itself prefers them. */
export const WANDB_DIR_NAMES = ['wandb', '.wandb'];

const RUN_FOLDER = /^(?:offline-run|run)-\d{8}_\d{6}-(.+)$/;
/** wandb's own bookkeeping in files/, read separately and not listed as run files. */
const OWN_FILES = new Set(['config.yaml', 'wandb-summary.json', 'wandb-metadata.json', 'requirements.txt']);
const MAX_LISTED_FILES = 1000;

export interface WandbReadOptions {
  /** "Now" for the running-or-crashed rule (ms); defaults to Date.now(). */
  now?: number;
}

function posix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

/** The folder inside root, or an error: a run location must never point outside the repository. */
function inside(root: string, rel: string): string {
  const full = resolve(root, rel);
  const back = relative(resolve(root), full);
  if (back.startsWith('..') || resolve(back) === back) throw new Error(`${rel}: outside the repository`);
  return full;
}

async function entries(dir: string): Promise<Dirent[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  }
}

/** Files under files/ (symlinks not followed), relative to it, minus wandb's own. */
async function listFiles(dir: string, prefix = '', out: string[] = []): Promise<string[]> {
  for (const e of await entries(dir)) {
    if (out.length >= MAX_LISTED_FILES) break;
    const rel = prefix + e.name;
    if (e.isDirectory()) await listFiles(join(dir, e.name), `${rel}/`, out);
    else if (e.isFile() && !(prefix === '' && OWN_FILES.has(e.name))) out.push(rel);
  }
  return out;
}

/** Reads every run folder under `root/relDir` (a `wandb/` or `.wandb/` folder). */
export async function readWandbDir(root: string, relDir: string, options: WandbReadOptions = {}): Promise<RunReadResult> {
  const result: RunReadResult = { runs: [], problems: [] };
  let dir: string;
  try {
    dir = inside(root, relDir);
  } catch (error) {
    result.problems.push({ file: relDir, message: (error as Error).message });
    return result;
  }
  for (const e of await entries(dir)) {
    // Dirent.isDirectory() is false for a symlink, so latest-run is never followed.
    if (!e.isDirectory() || !RUN_FOLDER.test(e.name)) continue;
    const one = await readWandbRunFolder(root, posix(join(relDir, e.name)), options);
    if (one.runs.length > 0) result.runs.push(...one.runs);
    result.problems.push(...one.problems);
  }
  return result;
}

/**
 * A log that ends inside a record with nobody left to finish it (wandbLiveness.ts): the bytes
 * from `offset` on are lost, and a run without an exit record stopped there.
 */
function cutOffProblem(offset: number, pending: number, exited: boolean): string {
  return (
    `byte ${offset}: the log is cut off inside a record (it ends ${pending} byte${pending === 1 ? '' : 's'} later, at byte ${offset + pending}) and no wandb process is writing it any more; ` +
    (exited
      ? 'the records after the exit record are lost'
      : 'the run stopped without an exit record (killed, crashed, or the file was copied while it ran), so it is shown as crashed')
  );
}

/** Reads one run folder (`wandb/offline-run-…-<id>`): its log and files/. */
export async function readWandbRunFolder(root: string, relFolder: string, options: WandbReadOptions = {}): Promise<RunReadResult> {
  const problems: RunProblem[] = [];
  const folder = inside(root, relFolder);
  const folderId = RUN_FOLDER.exec(relFolder.slice(relFolder.lastIndexOf('/') + 1))?.[1] ?? relFolder;
  const names = (await entries(folder)).filter((e) => e.isFile() && e.name.endsWith('.wandb')).map((e) => e.name);
  const logName = names.includes(`run-${folderId}.wandb`) ? `run-${folderId}.wandb` : names[0];

  let state: WandbRunState | null = null;
  let logMtime: number | null = null;
  let writerGone = false;
  if (logName) {
    const file = `${relFolder}/${logName}`;
    const path = join(folder, logName);
    try {
      logMtime = (await stat(path)).mtimeMs;
      const s = new WandbRunState();
      const reader = new WandbLogReader(path);
      const read = await reader.read((record) => s.apply(record));
      for (const p of read.problems) problems.push({ file, message: p.message });
      for (const p of s.valueProblems)
        problems.push({ file, message: `record ${p.num}, key "${p.key}": unreadable value (${p.message}); skipped` });
      state = s;
      const host = s.run?.host || (typeof s.environment?.host === 'string' ? s.environment.host : null);
      // Only an unfinished log needs the question asked (a file read and a process probe).
      if (!s.exit || read.pendingBytes > 0) writerGone = await writerKnownGone(folder, host);
      // An unfinished last record is normal while wandb writes; only without a writer is it damage.
      const live = !writerGone && (options.now ?? Date.now()) - logMtime <= RUNNING_WINDOW_MS;
      if (read.pendingBytes > 0 && !live)
        problems.push({ file, message: cutOffProblem(reader.offset, read.pendingBytes, s.exit !== null) });
    } catch (error) {
      problems.push({
        file,
        message: error instanceof WandbLogError ? error.message.slice(path.length + 2) : `cannot read: ${(error as Error).message}`,
      });
    }
  }

  const filesDir = join(folder, 'files');
  // files/ itself may be a symlink out of the repository: then it is not read at all.
  const filesReal = await lstat(filesDir).then(
    (st) => st.isDirectory(),
    () => false,
  );
  const read = async <T>(
    name: string,
    parse: (text: string) => { ok: true; value: T } | { ok: false; message: string; line?: number },
  ): Promise<T | null> => {
    const text = filesReal ? await readOptional(join(filesDir, name)) : null;
    if (text === null) return null;
    const r = parse(text);
    if (r.ok) return r.value;
    problems.push({ file: `${relFolder}/files/${name}`, line: r.line, message: r.message });
    return null;
  };
  const data: RunFolderData = {
    location: relFolder,
    folderId,
    state,
    logMtime,
    writerGone,
    config: await read('config.yaml', parseConfigYaml),
    summary: await read('wandb-summary.json', parseJsonObject),
    metadata: await read('wandb-metadata.json', parseJsonObject),
    requirements: await read('requirements.txt', (t) => ({ ok: true, value: parseRequirements(t) })),
    files: filesReal ? await listFiles(filesDir) : [],
  };
  if (!state && !data.config && !data.summary && !data.metadata) {
    if (!logName)
      problems.push({
        file: relFolder,
        message: `no run log (run-${folderId}.wandb) and no config.yaml, wandb-summary.json or wandb-metadata.json in files/: nothing to read`,
      });
    return { runs: [], problems };
  }
  return { runs: [toExternalRun(data, options.now ?? Date.now())], problems };
}
