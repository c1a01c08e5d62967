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
];

export const SCHEMA_VERSION = MIGRATIONS.length;
