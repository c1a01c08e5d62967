// Lineage questions 1 and 4: the commit (from the index, branches from Git), the metrics at it,
// their change since the previous model version, and what linked MLflow / W&B runs logged.

import { diffValues, type FileValues } from '../diff/diff';
import { verdictOf } from '../diff/direction';
import type { ExternalRun } from '../runs/types';
import type { Store } from '../store/store';
import type { ModelVersionRef } from '../registry/types';
import { parseRegistryTag } from '../registry/tagGrammar';
import type { CodeAnswer, MetricRow, MetricsAnswer, RunRef } from './types';
import { branchesContaining, commitMeta } from './gitAt';

export function runRef(run: ExternalRun): RunRef {
  return { source: run.source, id: run.id, name: run.name, location: run.location };
}

export async function codeAnswer(store: Store, root: string, sha: string, problems: string[]): Promise<CodeAnswer | null> {
  let row = store.sql('SELECT author_name, author_email, author_time, subject, body FROM revision WHERE sha = ?').get(sha) as
    | { author_name: string | null; author_email: string | null; author_time: number | null; subject: string | null; body: string | null }
    | undefined;
  if (!row) {
    const meta = await commitMeta(root, sha).catch(() => undefined);
    if (meta) row = { author_name: meta.author, author_email: meta.email, author_time: meta.time, subject: meta.subject, body: meta.body };
  }
  // Registry events (stage assignments, deregistrations) are the card's stages, not names of
  // the commit: a version promoted a few times would list every event tag here.
  const refs = (
    store.sql(`SELECT short FROM ref WHERE sha = ? AND kind IN ('branch', 'tag') ORDER BY kind, short`).all(sha) as { short: string }[]
  )
    .map((r) => r.short)
    .filter((name) => {
      const tag = parseRegistryTag(name);
      return !tag || tag.action === 'register';
    });
  let branches: string[] = [];
  try {
    branches = await branchesContaining(root, sha);
  } catch (error) {
    problems.push(`Branches containing ${sha.slice(0, 8)}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!row) return null;
  return {
    commit: sha,
    refs,
    branches,
    author: row?.author_name ?? null,
    authorEmail: row?.author_email ?? null,
    date: row?.author_time ?? null,
    subject: row?.subject ?? null,
    body: row?.body || null,
    dirty: null,
    dirtySource: null,
  };
}

/** The metrics at the version (`values`), against the previous version's (`before`) when there is one. */
export function metricsAnswer(
  ref: ModelVersionRef,
  values: FileValues,
  before: FileValues | null,
  runs: ExternalRun[],
): MetricsAnswer | null {
  const rows: MetricRow[] = [];
  if (ref.previousVersion && before) {
    const diff = diffValues(before, values, { all: true });
    for (const [file, keys] of Object.entries(diff)) {
      for (const [key, d] of Object.entries(keys)) {
        rows.push({
          file,
          key,
          value: d.new,
          previous: d.old,
          ...(d.diff !== undefined ? { delta: Number(d.diff) } : {}),
          verdict: verdictOf(key, d.diff),
        });
      }
    }
  } else {
    for (const file of Object.keys(values).sort()) {
      for (const key of Object.keys(values[file]).sort()) rows.push({ file, key, value: values[file][key], verdict: 'n/a' });
    }
  }
  const withMetrics = runs
    .filter((r) => r.git.commit === ref.commit && Object.keys(r.metrics).length > 0)
    .map((r) => ({ ...runRef(r), metrics: r.metrics }));
  // A metric only the previous version had is still worth a row, but it answers nothing alone.
  if (!rows.some((r) => r.value !== null) && withMetrics.length === 0) return null;
  return { rows, previous: ref.previousVersion, runs: withMetrics };
}
