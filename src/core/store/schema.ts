/**
 * Forward-only migrations; index i brings user_version from i to i+1. Never edit a shipped
 * entry: add a new one. The store refuses a file whose user_version is above MIGRATIONS.length.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE revision (
    id INTEGER PRIMARY KEY,
    sha TEXT NOT NULL UNIQUE,
    parents TEXT NOT NULL,
    first_parent TEXT,
    author_name TEXT, author_email TEXT, author_time INTEGER, commit_time INTEGER,
    subject TEXT, body TEXT,
    indexed_at INTEGER
  );
  CREATE TABLE ref (
    name TEXT PRIMARY KEY,
    short TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('branch', 'tag', 'exp')),
    sha TEXT NOT NULL,
    annotated INTEGER NOT NULL DEFAULT 0,
    time INTEGER,
    message TEXT,
    baseline TEXT
  );
  CREATE INDEX ref_sha ON ref (sha);
  CREATE INDEX ref_baseline ON ref (baseline);
  CREATE TABLE blob (
    id INTEGER PRIMARY KEY,
    oid TEXT NOT NULL,
    role TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'error', 'unsupported', 'skipped')),
    message TEXT, line INTEGER, col INTEGER,
    payload TEXT,
    UNIQUE (oid, role)
  );
  CREATE TABLE blob_value (
    blob_id INTEGER NOT NULL REFERENCES blob (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    num REAL,
    PRIMARY KEY (blob_id, key)
  ) WITHOUT ROWID;
  CREATE TABLE pipeline (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, def TEXT NOT NULL);
  CREATE TABLE revision_file (
    rev_id INTEGER NOT NULL REFERENCES revision (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    role TEXT NOT NULL,
    project TEXT NOT NULL,
    blob_id INTEGER REFERENCES blob (id),
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    detail TEXT,
    selector TEXT,
    PRIMARY KEY (rev_id, path, role)
  ) WITHOUT ROWID;
  CREATE INDEX revision_file_blob ON revision_file (blob_id);
  CREATE TABLE revision_pipeline (
    rev_id INTEGER NOT NULL REFERENCES revision (id) ON DELETE CASCADE,
    project TEXT NOT NULL,
    pipeline_id INTEGER NOT NULL REFERENCES pipeline (id),
    PRIMARY KEY (rev_id, project)
  ) WITHOUT ROWID;
  `,
  // 2: one row per stage run by ML Lineage's repro, with the environment it ran in (lineage
  // question 5). Linked to commits by the hashes of the outs it produced, because the commit
  // that records a run is usually made after the run.
  `
  CREATE TABLE repro_run (
    id INTEGER PRIMARY KEY,
    project TEXT NOT NULL,
    stage TEXT NOT NULL,
    head TEXT,
    dirty INTEGER,
    cmd TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    ended_at INTEGER,
    exit_code INTEGER,
    status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'cancelled')),
    outs_key TEXT,
    env TEXT NOT NULL
  );
  CREATE INDEX repro_run_outs ON repro_run (outs_key);
  CREATE INDEX repro_run_head ON repro_run (head);
  `,
  // 3: DVC file hashes of workspace files, so checking an unchanged dataset costs a stat per
  // file. A row is trusted only while the file's inode, mtime (ns, as text: beyond 2^53) and
  // size are unchanged; keyed by kind first so one folder's rows load with one range query.
  `
  CREATE TABLE hash_cache (
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    inode TEXT NOT NULL,
    mtime_ns TEXT NOT NULL,
    size INTEGER NOT NULL,
    md5 TEXT NOT NULL,
    PRIMARY KEY (kind, path)
  ) WITHOUT ROWID;
  `,
  // 4: external runs (MLflow, W&B) read from run folders, MLflow databases and tracking
  // servers. A source is re-read only when its fingerprint changes, and its rows are replaced
  // as a whole. Metric values are REAL with NULL standing for NaN (SQLite stores NaN as NULL;
  // a logged metric is never null), ±Infinity are stored as they are.
  `
  CREATE TABLE run_source (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('mlflow', 'wandb')),
    format TEXT NOT NULL CHECK (format IN ('mlflow-files', 'mlflow-sqlite', 'mlflow-server', 'wandb-dir')),
    location TEXT NOT NULL UNIQUE,
    fingerprint TEXT,
    synced_at INTEGER,
    read_ms INTEGER,
    error TEXT
  );
  CREATE TABLE ext_run (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES run_source (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    location TEXT NOT NULL,
    run_id TEXT NOT NULL,
    experiment_id TEXT, experiment TEXT, name TEXT,
    status TEXT NOT NULL,
    start_time INTEGER, end_time INTEGER,
    user TEXT,
    git_commit TEXT, git_branch TEXT, git_remote TEXT,
    parent_id TEXT,
    tags TEXT NOT NULL, environment TEXT, models TEXT NOT NULL, artifacts TEXT NOT NULL, labels TEXT NOT NULL,
    UNIQUE (source_id, run_id)
  );
  CREATE INDEX ext_run_commit ON ext_run (git_commit);
  CREATE INDEX ext_run_lookup ON ext_run (kind, run_id);
  CREATE INDEX ext_run_experiment ON ext_run (kind, experiment, start_time);
  CREATE TABLE ext_run_param (
    run INTEGER NOT NULL REFERENCES ext_run (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (run, key)
  ) WITHOUT ROWID;
  CREATE TABLE ext_run_metric (
    run INTEGER NOT NULL REFERENCES ext_run (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value REAL,
    PRIMARY KEY (run, key)
  ) WITHOUT ROWID;
  CREATE TABLE ext_run_step (
    run INTEGER NOT NULL REFERENCES ext_run (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    seq INTEGER NOT NULL,
    step REAL NOT NULL,
    value REAL,
    timestamp INTEGER,
    PRIMARY KEY (run, key, seq)
  ) WITHOUT ROWID;
  CREATE TABLE run_problem (
    source_id INTEGER NOT NULL REFERENCES run_source (id) ON DELETE CASCADE,
    file TEXT NOT NULL,
    line INTEGER,
    message TEXT NOT NULL
  );
  CREATE INDEX run_problem_source ON run_problem (source_id);
  `,
  // 5: the root params.yaml is now indexed whole at every commit (as DVC reads it), also where
  // no stage names it. Forget the walked history so the next index walks it again; parsed
  // blobs and pipelines stay, so the re-walk parses nothing it parsed before.
  `
  DELETE FROM revision_file;
  DELETE FROM revision_pipeline;
  DELETE FROM revision;
  DELETE FROM ref;
  DELETE FROM meta WHERE key IN ('head', 'branch');
  `,
  // 6: params, metrics and dvc.lock keep Python's exact ints: an int past 2^53 is stored with
  // all its digits (blob_value.value and payloads are JSON text; `num` stays a REAL, for
  // ordering and filtering). Blobs parsed before hold the nearest double instead: those with
  // a number at or past 2^53 are parsed again. Only when there is one is history walked
  // again (no other blob is parsed again), and pipelines are rendered again, since `${seed}`
  // may have rendered a rounded int.
  `
  CREATE TEMP TABLE stale_blob AS
    SELECT id FROM blob WHERE (role LIKE 'data.%' OR role = 'lock') AND json_valid(payload)
      AND EXISTS (SELECT 1 FROM json_tree(blob.payload) WHERE type IN ('integer', 'real') AND abs(atom) >= 9007199254740992.0);
  DELETE FROM revision_file WHERE EXISTS (SELECT 1 FROM stale_blob);
  DELETE FROM revision_pipeline WHERE EXISTS (SELECT 1 FROM stale_blob);
  DELETE FROM revision WHERE EXISTS (SELECT 1 FROM stale_blob);
  DELETE FROM ref WHERE EXISTS (SELECT 1 FROM stale_blob);
  DELETE FROM meta WHERE key IN ('head', 'branch') AND EXISTS (SELECT 1 FROM stale_blob);
  DELETE FROM pipeline WHERE EXISTS (SELECT 1 FROM stale_blob);
  DELETE FROM blob WHERE id IN (SELECT id FROM stale_blob);
  DROP TABLE stale_blob;
  `,
  // 7: files keep the order DVC collects them in (ord: stages, top-level sections, the root
  // params.yaml, then files only read through `${}`), which `dvc metrics show --json` keeps;
  // and the files stages read through `${}` get 'vars' rows (DVC's params diff shows their
  // keys). Rendered pipelines now carry what they read, so they are rendered again, and
  // history is walked again; parsed blobs stay.
  // The table is made again (it is emptied anyway), so this also runs on a file that has the column.
  `
  DROP TABLE revision_file;
  CREATE TABLE revision_file (
    rev_id INTEGER NOT NULL REFERENCES revision (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    role TEXT NOT NULL,
    project TEXT NOT NULL,
    blob_id INTEGER REFERENCES blob (id),
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    detail TEXT,
    selector TEXT,
    ord INTEGER,
    PRIMARY KEY (rev_id, path, role)
  ) WITHOUT ROWID;
  CREATE INDEX revision_file_blob ON revision_file (blob_id);
  DELETE FROM revision_pipeline;
  DELETE FROM revision;
  DELETE FROM ref;
  DELETE FROM meta WHERE key IN ('head', 'branch');
  DELETE FROM pipeline;
  `,
  // 8: the Experiments table's star and note per row, keyed by the row's id (a sha,
  // 'workspace', 'mlflow:<id>', 'wandb:<id>'). Written by the user on this machine only, so a
  // rebuild carries the rows over (store/rebuild.ts LOCAL_ONLY_TABLES).
  `
  CREATE TABLE IF NOT EXISTS exp_mark (
    row_id TEXT PRIMARY KEY,
    starred INTEGER NOT NULL DEFAULT 0,
    note TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
