import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoggedModel, RunProblem } from '../runs/types';
import { parseMLmodel } from './mlmodel';

/** A run folder with a checkpoint per epoch can hold many files; the view needs the shape, not all of them. */
export const MAX_ARTIFACTS = 5000;
const MAX_SMALL_FILE = 256 * 1024;

/**
 * The local folder an artifact URI names, when it is on this disk and inside `root`: MLflow
 * records absolute paths, so a store copied or cloned elsewhere points at folders that are not
 * there; then `fallback` (where the folder sits relative to the store) is tried.
 */
export async function localArtifactDir(root: string, uri: string | null, fallback: string | null): Promise<string | null> {
  const candidates: string[] = [];
  if (uri) {
    let path: string | null = null;
    if (uri.startsWith('file:')) {
      try {
        path = fileURLToPath(
          uri.startsWith('file:///') || uri.startsWith('file://localhost/') ? uri : uri.replace(/^file:(?!\/\/)/, 'file://'),
        );
      } catch {
        path = null;
      }
    } else if (isAbsolute(uri)) path = uri;
    if (path) candidates.push(path);
  }
  if (fallback) candidates.push(fallback);
  const top = resolve(root);
  for (const c of candidates) {
    const full = resolve(c);
    if (full !== top && !full.startsWith(top + sep)) continue;
    try {
      if ((await stat(full)).isDirectory()) return full;
    } catch {
      // not on this disk
    }
  }
  return null;
}

/** Files under `dir`, '/'-separated and sorted, at most MAX_ARTIFACTS. */
export async function listArtifacts(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (sub: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(dir, sub), { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (out.length >= MAX_ARTIFACTS) return;
      const path = sub ? `${sub}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(path);
      else if (e.isFile()) out.push(path);
    }
  };
  await walk('');
  return out;
}

async function smallText(file: string): Promise<string | null> {
  try {
    const info = await stat(file);
    if (!info.isFile() || info.size > MAX_SMALL_FILE) return null;
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

export interface LocalModel {
  model: LoggedModel;
  environment: Record<string, unknown>;
}

/**
 * The MLmodel file in `modelDir` (flavors, uuid, time) and the environment files MLflow writes
 * next to it (python_env.yaml, requirements.txt). `artifactPath` is how the run names the model.
 */
export async function readLocalModel(
  modelDir: string,
  artifactPath: string,
  rootForMessages: string,
  problems: RunProblem[],
): Promise<LocalModel | null> {
  const file = join(modelDir, 'MLmodel');
  const text = await smallText(file);
  if (text === null) return null;
  const rel = relative(rootForMessages, file).split(sep).join('/');
  const parsed = parseMLmodel(text, rel, 'workspace');
  for (const message of parsed.problems) problems.push({ file: rel, message });
  const info = parsed.info;
  if (!info) return null;
  const environment: Record<string, unknown> = {};
  if (info.mlflowVersion) environment.mlflowVersion = info.mlflowVersion;
  const pyEnv = await smallText(join(modelDir, 'python_env.yaml'));
  const python = pyEnv && /^python:\s*['"]?([\w.+-]+)/m.exec(pyEnv);
  if (python) environment.python = python[1];
  const requirements = await smallText(join(modelDir, 'requirements.txt'));
  if (requirements !== null)
    environment.requirements = requirements
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
  return {
    model: { artifactPath, flavors: info.flavors.map((f) => f.name), modelUuid: info.modelUuid, createdAt: info.createdAt },
    environment,
  };
}

/** Models saved under a run's own artifacts (MLflow 1.x–2.x): every folder holding an MLmodel file. */
export async function modelsInArtifacts(
  dir: string,
  files: readonly string[],
  root: string,
  problems: RunProblem[],
): Promise<LocalModel[]> {
  const found: LocalModel[] = [];
  for (const f of files) {
    if (f !== 'MLmodel' && !f.endsWith('/MLmodel')) continue;
    const sub = f.slice(0, Math.max(0, f.length - '/MLmodel'.length));
    const local = await readLocalModel(join(dir, sub), sub, root, problems);
    if (local) found.push(local);
  }
  return found;
}
