import { lstatSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { baseOf, isUnder } from '../util/paths';
import { gitBlobId } from '../git/objectId';
import { MAX_PARSE_BYTES } from '../formats/content';

export type Lookup =
  | { kind: 'file'; oid: string; mode: string }
  | { kind: 'symlink'; detail: string }
  | { kind: 'absent' }
  | { kind: 'skipped'; detail: string };

/** The files of one revision, as the planner sees them: a commit's tree or the workspace. */
export interface RevisionFiles {
  readonly source: 'git' | 'workspace';
  /** Every dvc.yaml of the revision (monorepos have several). */
  pipelinePaths(): string[];
  /** Files at or below `dir` (for directory outs such as dvclive/plots/metrics). */
  under(dir: string): string[];
  lookup(path: string): Lookup;
}

export interface TreeEntry {
  oid: string;
  mode: string;
}

/**
 * A commit's candidate files as a delta over its parent's: copying a few hundred entries for
 * each of 10,000 commits dominated the walk. Chains are flattened every MAX_DEPTH levels so a
 * lookup visits at most that many small maps.
 */
export class TreeState {
  private static readonly MAX_DEPTH = 24;
  private pipelines: string[] | undefined;

  private constructor(
    private readonly parent: TreeState | undefined,
    private readonly own: Map<string, TreeEntry | null>,
    private readonly depth: number,
  ) {}

  static of(entries: Iterable<[string, TreeEntry]>): TreeState {
    return new TreeState(undefined, new Map(entries), 0);
  }

  /** The state after `changes` (an entry without oid deletes the path). */
  child(changes: readonly { path: string; oid?: string; mode?: string }[]): TreeState {
    if (changes.length === 0) return this;
    const own = new Map<string, TreeEntry | null>();
    for (const c of changes) own.set(c.path, c.oid === undefined ? null : { oid: c.oid, mode: c.mode! });
    let next: TreeState;
    if (this.depth + 1 >= TreeState.MAX_DEPTH) {
      const flat = this.materialize();
      for (const [path, entry] of own) entry ? flat.set(path, entry) : flat.delete(path);
      next = new TreeState(undefined, flat, 0);
    } else {
      next = new TreeState(this, own, this.depth + 1);
    }
    if (!changes.some((c) => c.path === 'dvc.yaml' || c.path.endsWith('/dvc.yaml')))
      next.pipelines = this.pipelines ?? this.pipelinePaths();
    return next;
  }

  get(path: string): TreeEntry | undefined {
    for (let s: TreeState | undefined = this; s; s = s.parent) {
      const entry = s.own.get(path);
      if (entry !== undefined) return entry ?? undefined;
    }
    return undefined;
  }

  /** Paths at or below `dir` (all paths for ''), sorted. */
  under(dir: string): string[] {
    const seen = new Set<string>();
    const found: string[] = [];
    for (let s: TreeState | undefined = this; s; s = s.parent) {
      for (const [path, entry] of s.own) {
        if (seen.has(path) || !isUnder(path, dir)) continue;
        seen.add(path);
        if (entry) found.push(path);
      }
    }
    return found.sort();
  }

  pipelinePaths(): string[] {
    if (!this.pipelines) this.pipelines = this.under('').filter((p) => baseOf(p) === 'dvc.yaml');
    return this.pipelines;
  }

  private materialize(): Map<string, TreeEntry> {
    const chain: TreeState[] = [];
    for (let s: TreeState | undefined = this; s; s = s.parent) chain.push(s);
    const flat = new Map<string, TreeEntry>();
    for (const s of chain.reverse()) for (const [path, entry] of s.own) entry ? flat.set(path, entry) : flat.delete(path);
    return flat;
  }
}

/** A commit's candidate files, from the history walk. Symlinks are never followed in Git. */
export class TreeFiles implements RevisionFiles {
  readonly source = 'git' as const;
  constructor(private readonly state: TreeState) {}

  pipelinePaths(): string[] {
    return this.state.pipelinePaths();
  }

  under(dir: string): string[] {
    return this.state.under(dir).filter((p) => p !== dir);
  }

  lookup(path: string): Lookup {
    const entry = this.state.get(path);
    if (!entry) return { kind: 'absent' };
    if (entry.mode === '120000') return { kind: 'symlink', detail: `${path} is a symbolic link in Git; links are not followed` };
    if (entry.mode === '160000') return { kind: 'skipped', detail: `${path} is a submodule` };
    return { kind: 'file', oid: entry.oid, mode: entry.mode };
  }
}

const SKIP_DIRS = new Set(['.git', 'node_modules', '.dvc', '.venv', 'venv', '__pycache__', '.mypy_cache', 'mlruns', 'wandb']);
const WALK_LIMIT = 20000;

/**
 * The workspace as a pseudo-revision. Files are hashed like Git blobs so an unchanged file
 * shares its parsed blob with HEAD. Symlinks are followed only when they stay inside the root.
 */
export class WorkspaceFiles implements RevisionFiles {
  readonly source = 'workspace' as const;
  /** Bytes read during lookup, by blob id, so parsing does not read the file twice. */
  private readonly cache = new Map<string, Lookup>();

  /** `watched` collects every path looked up and folder walked: what the revision depends on. */
  constructor(
    private readonly root: string,
    private readonly listed: string[],
    readonly bytes = new Map<string, Buffer>(),
    private readonly included: (path: string) => boolean = () => true,
    private readonly watched?: { add(path: string): void },
  ) {}

  pipelinePaths(): string[] {
    return this.listed.filter((p) => baseOf(p) === 'dvc.yaml').sort();
  }

  under(dir: string): string[] {
    const found: string[] = [];
    const walk = (rel: string) => {
      if (found.length >= WALK_LIMIT) return;
      this.watched?.add(rel);
      let entries;
      try {
        entries = readdirSync(join(this.root, rel), { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        const child = rel ? `${rel}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (!SKIP_DIRS.has(entry.name)) walk(child);
        } else if (this.included(child)) found.push(child);
      }
    };
    walk(dir);
    return found.sort();
  }

  lookup(path: string): Lookup {
    if (!this.included(path)) return { kind: 'absent' };
    this.watched?.add(path);
    let result = this.cache.get(path);
    if (!result) {
      result = this.read(path);
      this.cache.set(path, result);
    }
    return result;
  }

  private read(path: string): Lookup {
    const full = join(this.root, ...path.split('/'));
    let stat;
    try {
      stat = lstatSync(full);
    } catch {
      return { kind: 'absent' };
    }
    if (stat.isSymbolicLink()) {
      let target: string;
      try {
        target = realpathSync(full);
      } catch {
        return { kind: 'symlink', detail: `${path} is a broken symbolic link` };
      }
      const rel = relative(realpathSync(this.root), target);
      if (rel.startsWith('..') || rel.startsWith(sep) || rel === '') {
        return { kind: 'symlink', detail: `${path} is a symbolic link leading outside the workspace; not followed` };
      }
      stat = statSync(target);
    }
    if (!stat.isFile()) return { kind: 'absent' };
    if (stat.size > MAX_PARSE_BYTES)
      return {
        kind: 'skipped',
        detail: `${path} is ${(stat.size / 1048576).toFixed(1)} MB, over the ${MAX_PARSE_BYTES / 1048576} MB limit for parsed files`,
      };
    const bytes = readFileSync(full);
    const oid = gitBlobId(bytes);
    this.bytes.set(oid, bytes);
    return { kind: 'file', oid, mode: (stat.mode & 0o111) !== 0 ? '100755' : '100644' };
  }
}

/** Candidate files of a folder without Git, by walking it (bounded). */
export function walkWorkspace(root: string, keep: (path: string) => boolean): string[] {
  const files = new WorkspaceFiles(root, []).under('');
  return files.filter(keep);
}
