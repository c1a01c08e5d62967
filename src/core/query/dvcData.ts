// A revision's params or metrics exactly as DVC's `metrics show` / `params diff` hold them
// (dvc/repo/metrics/show.py, dvc/repo/params/show.py): the index says which files and keys,
// in DVC's order; the values are loaded again from the files' bytes with Python's types,
// because the index keeps JS values (YAML 1.0 is 1 there, and integer-like keys sort first).
// Files that cannot be read get DVC's error entry, {"type", "msg"}, as its --json prints it.

import { join, posix } from 'node:path';
import { readFileSync } from 'node:fs';
import type { Store } from '../store/store';
import type { RepoInfo } from '../git/repo';
import { ObjectReader } from '../git/catFile';
import { gitBlobId } from '../git/objectId';
import { BlobFetcher } from '../indexer/blobFetcher';
import { DvcCache } from '../indexer/dvcCache';
import { WORKSPACE } from '../indexer/writeRevision';
import { structuredFormat } from '../formats/structured';
import { loadPyText } from '../repro/paramValues';
import { fastSafeLoad } from '../yamlRoundTrip/fastSafeLoad';
import type { PyValue } from '../python/pyFloat';
import { decodePayload } from '../util/values';
import { extractMetrics, payloadToPy, selectParams, trackedValues } from './dvcSelect';
import { paramsSelector, type FileProblem } from './values';
import type { DvcError, DvcFile } from '../diff/dvcDiff';

// Declared by the diff that consumes them, so diff/ never imports query/; re-exported for this module's callers.
export type { DvcError, DvcFile };

export interface DvcRevisionData {
  /** Repository path -> data or error, in the order DVC collects the files. */
  files: Map<string, DvcFile>;
  /** What could not be read, with line and column where known (for warnings). */
  problems: FileProblem[];
}

interface Row {
  path: string;
  role: string;
  status: string;
  detail: string | null;
  selector: string | null;
  oid: string | null;
  bstatus: string | null;
  message: string | null;
  line: number | null;
  col: number | null;
  payload: string | null;
}

const CORRUPTED: Record<string, [string, string]> = {
  json: ['JSONFileCorruptedError', 'JSON'],
  yaml: ['YAMLFileCorruptedError', 'YAML'],
  toml: ['TOMLFileCorruptedError', 'TOML'],
  py: ['PythonFileCorruptedError', 'Python'],
};

/** Reads the revisions' files; close() ends the Git reader it may start. */
export class DvcDataReader {
  private objects?: ObjectReader;
  private readonly cache: DvcCache;
  /** Git blobs read ahead for many revisions at once (prefetch), by blob id. */
  private readonly prefetched = new Map<string, Buffer>();
  /** The file rows of prefetched revisions, by `<sha> <kind>`, in at()'s order. */
  private readonly rowsOf = new Map<string, Row[]>();
  /** Each blob loaded once per file format: revisions share most of their files. */
  private readonly loaded = new Map<string, ReturnType<typeof loadPyText>>();

  constructor(
    private readonly store: Store,
    private readonly repo: RepoInfo,
  ) {
    this.cache = new DvcCache(repo.root);
  }

  async at(sha: string, kind: 'metrics' | 'params'): Promise<DvcRevisionData> {
    const rows =
      this.rowsOf.get(`${sha} ${kind}`) ??
      (this.store
        .sql(
          `SELECT rf.path, rf.role, rf.status, rf.detail, rf.selector, b.oid, b.status AS bstatus, b.message, b.line, b.col, b.payload
        FROM revision r JOIN revision_file rf ON rf.rev_id = r.id LEFT JOIN blob b ON b.id = rf.blob_id
        WHERE r.sha = ? AND rf.role IN (?, ?) ORDER BY rf.role = 'vars', rf.ord, rf.path`,
        )
        .all(sha, kind, kind === 'params' ? 'vars' : kind) as Row[]);
    // _collect_vars: a file read through `${}` counts only when it is not a params file already.
    const params = new Set(rows.filter((r) => r.role !== 'vars').map((r) => r.path));
    const wanted = rows.filter((r) => r.role !== 'vars' || (!params.has(r.path) && r.status === 'ok' && r.bstatus === 'ok'));
    const bytes = await this.bytesOf(sha, wanted);
    const files = new Map<string, DvcFile>();
    const problems: FileProblem[] = [];
    for (const row of wanted) {
      if (row.role !== 'vars') {
        if (row.status !== 'ok')
          problems.push({ path: row.path, status: row.status, message: row.detail ?? `${row.path} is ${row.status}` });
        else if (row.bstatus !== 'ok')
          problems.push({
            path: row.path,
            status: row.bstatus ?? 'error',
            message: row.message ?? 'unreadable',
            line: row.line ?? undefined,
            column: row.col ?? undefined,
          });
      }
      const loaded = this.load(row, bytes.get(row.oid ?? ''));
      if ('error' in loaded) {
        files.set(row.path, loaded);
        continue;
      }
      const selector = row.selector === null ? null : (JSON.parse(row.selector) as string[] | null);
      const data =
        row.role === 'metrics'
          ? extractMetrics(loaded.data)
          : row.role === 'vars'
            ? trackedValues(loaded.data, selector ?? [])
            : selectParams(loaded.data, paramsSelector(row.path, row.selector));
      files.set(row.path, { data });
    }
    return { files, problems };
  }

  /**
   * Reads the Git blobs of many commits' params and metrics files in one pass (one batch
   * through git cat-file instead of one per revision); later at() calls use them.
   */
  async prefetch(shas: readonly string[]): Promise<void> {
    const commits = [...new Set(shas.filter((s) => s !== WORKSPACE))];
    if (commits.length === 0 || !this.repo.gitDir) return;
    const oids = new Set<string>();
    for (let i = 0; i < commits.length; i += 5000) {
      const rows = this.store
        .sql(
          `SELECT r.sha, rf.path, rf.role, rf.status, rf.detail, rf.selector, b.oid, b.status AS bstatus, b.message, b.line, b.col, b.payload
          FROM revision r JOIN revision_file rf ON rf.rev_id = r.id LEFT JOIN blob b ON b.id = rf.blob_id
          WHERE r.sha IN (SELECT value FROM json_each(?)) AND rf.role IN ('metrics', 'params', 'vars')
          ORDER BY r.sha, rf.role = 'vars', rf.ord, rf.path`,
        )
        .all(JSON.stringify(commits.slice(i, i + 5000))) as (Row & { sha: string })[];
      for (const sha of commits.slice(i, i + 5000)) for (const kind of ['metrics', 'params']) this.rowsOf.set(`${sha} ${kind}`, []);
      for (const r of rows) {
        this.rowsOf.get(`${r.sha} ${r.role === 'metrics' ? 'metrics' : 'params'}`)?.push(r);
        if (r.status === 'ok' && r.oid && !this.prefetched.has(r.oid) && !r.oid.includes(':')) oids.add(r.oid);
      }
    }
    if (oids.size === 0) return;
    this.objects ??= new ObjectReader(this.repo.root);
    const fetched = await new BlobFetcher(this.objects, this.cache, new Map()).fetch([...oids]);
    for (const [oid, f] of fetched) if ('bytes' in f) this.prefetched.set(oid, f.bytes);
  }

  close(): void {
    this.objects?.close();
  }

  private load(row: Row, bytes: Buffer | undefined): { data: PyValue } | { error: DvcError } {
    if (row.status !== 'ok') return { error: statusError(row) };
    const [type, name] = CORRUPTED[structuredFormat(row.path)];
    // ParseError names the file as os.path.relpath of its DVC filesystem path ("/eval/m.json")
    // from the working directory, DVC being run at the repository root.
    const shown = posix.relative(this.repo.root.split('\\').join('/'), `/${row.path}`);
    if (!bytes) {
      if (row.bstatus === 'ok' && row.payload !== null) return { data: payloadToPy(decodePayload(row.payload, { exact: true })) };
      return {
        error:
          row.bstatus === 'error'
            ? { type, msg: `unable to read: '${shown}', ${name} file structure is corrupted` }
            : { type: 'OSError', msg: row.message ?? `${row.path} could not be read` },
      };
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return { error: { type: 'EncodingError', msg: `unable to read: '${shown}', is not valid utf-8` } };
    }
    // Values are shared by the revisions that have the blob: the selections below copy, never change them.
    const key = `${structuredFormat(row.path)}:${row.oid ?? ''}`;
    let loaded = row.oid ? this.loaded.get(key) : undefined;
    if (!loaded) {
      // Plain block YAML (most params files) without the full parser; the same values.
      const fast = structuredFormat(row.path) === 'yaml' ? fastSafeLoad(text) : undefined;
      loaded = fast !== undefined ? { ok: true, value: fast } : loadPyText(text, row.path);
      if (row.oid) this.loaded.set(key, loaded);
    }
    return loaded.ok ? { data: loaded.value } : { error: { type, msg: `unable to read: '${shown}', ${name} file structure is corrupted` } };
  }

  /** Bytes by blob id: Git objects, DVC cache objects, and workspace files still as indexed. */
  private async bytesOf(sha: string, rows: Row[]): Promise<Map<string, Buffer>> {
    const oids = rows.filter((r) => r.status === 'ok' && r.oid).map((r) => r.oid!);
    const workspace = new Map<string, Buffer>();
    if (sha === WORKSPACE) {
      for (const r of rows) {
        if (r.status !== 'ok' || !r.oid) continue;
        try {
          const b = readFileSync(join(this.repo.root, ...r.path.split('/')));
          if (gitBlobId(b) === r.oid) workspace.set(r.oid, b);
        } catch {
          /* changed since indexing: the stored values stand in */
        }
      }
    }
    const out = new Map<string, Buffer>();
    for (const oid of oids) {
      const b = this.prefetched.get(oid);
      if (b) out.set(oid, b);
    }
    const rest = oids.filter((o) => !out.has(o));
    if (rest.length === 0) return out;
    const git = sha !== WORKSPACE && this.repo.gitDir && rest.some((o) => !o.includes(':'));
    if (git && !this.objects) this.objects = new ObjectReader(this.repo.root);
    const fetched = await new BlobFetcher(git ? this.objects : undefined, this.cache, workspace).fetch(rest);
    for (const [oid, f] of fetched) if ('bytes' in f) out.set(oid, f.bytes);
    return out;
  }
}

/** A file the index could not take from the revision, as DVC's error entry. */
function statusError(row: Row): DvcError {
  // DVC opens the path through its filesystem (dvc/fs/dvc.py): a file that is not there is a
  // FileNotFoundError naming the repository path; a cached out missing from the cache says so.
  if (row.status === 'missing') return { type: 'FileNotFoundError', msg: `[Errno 2] No such file or directory: '${row.path}'` };
  if (row.status === 'not-in-cache') return { type: 'FileNotFoundError', msg: `[Errno 2] No storage files available: '${row.path}'` };
  // Nothing DVC would say: a link or a path this tool refuses to follow, a file too large to read.
  return { type: 'OSError', msg: row.detail ?? `${row.path} is ${row.status}` };
}
