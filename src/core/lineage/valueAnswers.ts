// Lineage questions 1, 3 and 4: the commit (from the index, branches from Git), the params and
// the metrics at it, the metrics' change since the previous model version, and what linked
// MLflow / W&B runs logged.

import { diffValues } from '../diff/diff';
import { verdictOf } from '../diff/direction';
import type { FlatValue } from '../formats/types';
import { valuesAt } from '../query/values';
import type { ExternalRun } from '../runs/types';
import type { Store } from '../store/store';
import type { ModelVersionRef } from '../registry/types';
import { parseRegistryTag } from '../registry/tagGrammar';
import type { CodeAnswer, HyperparametersAnswer, MetricRow, MetricsAnswer, RunRef } from './types';
import { branchesContaining, commitMeta } from './gitAt';

export function runRef(run: ExternalRun): RunRef {
  return { source: run.source, id: run.id, name: run.name, location: run.location };
}

export async function codeAnswer(store: Store, root: string, sha: string, problems: string[]): Promise<CodeAnswer | null> {
  let row = store.sql('SELECT author_name, author_email, author_time, subject, body FROM revision WHERE sha = ?').get(sha) as
    { author_name: string | null; author_email: string | null; author_time: number | null; subject: string | null; body: string | null } | undefined;
  if (!row) {
    const meta = await commitMeta(root, sha).catch(() => undefined);
    if (meta) row = { author_name: meta.author, author_email: meta.email, author_time: meta.time, subject: meta.subject, body: meta.body };
  }
  // Registry events (stage assignments, deregistrations) are the card's stages, not names of
  // the commit: a version promoted a few times would list every event tag here.
  const refs = (store.sql(`SELECT short FROM ref WHERE sha = ? AND kind IN ('branch', 'tag') ORDER BY kind, short`).all(sha) as { short: string }[])
    .map((r) => r.short).filter((name) => { const tag = parseRegistryTag(name); return !tag || tag.action === 'register'; });
  let branches: string[] = [];
  try {
    branches = await branchesContaining(root, sha);
  } catch (error) {
    problems.push(`Branches containing ${sha.slice(0, 8)}: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!row) return null;
  return {
    commit: sha, refs, branches,
    author: row?.author_name ?? null, authorEmail: row?.author_email ?? null, date: row?.author_time ?? null,
    subject: row?.subject ?? null, body: row?.body || null,
    dirty: null, dirtySource: null,
  };
}

const linked = (runs: ExternalRun[], sha: string) => runs.filter((r) => r.git.commit === sha);

export function hyperparametersAnswer(store: Store, sha: string, runs: ExternalRun[], problems: string[]): HyperparametersAnswer | null {
  const { values, problems: bad } = valuesAt(store, sha, 'params');
  for (const p of bad) problems.push(`${p.path} at ${sha.slice(0, 8)}${p.line ? `, line ${p.line}` : ''}: ${p.message}`);
  const params = Object.fromEntries(Object.entries(values).filter(([, keys]) => Object.keys(keys).length > 0));
  const withParams = linked(runs, sha).filter((r) => Object.keys(r.params).length > 0).map((r) => ({ ...runRef(r), params: r.params as Record<string, FlatValue> }));
  if (Object.keys(params).length === 0 && withParams.length === 0) return null;
  return { params, runs: withParams };
}

export function metricsAnswer(store: Store, ref: ModelVersionRef, runs: ExternalRun[], problems: string[]): MetricsAnswer | null {
  const { values, problems: bad } = valuesAt(store, ref.commit, 'metrics');
  for (const p of bad) problems.push(`${p.path} at ${ref.commit.slice(0, 8)}${p.line ? `, line ${p.line}` : ''}: ${p.message}`);
  const rows: MetricRow[] = [];
  if (ref.previousVersion) {
    const before = valuesAt(store, ref.previousVersion.commit, 'metrics').values;
    const diff = diffValues(before, values, { all: true });
    for (const [file, keys] of Object.entries(diff)) {
      for (const [key, d] of Object.entries(keys)) {
        rows.push({ file, key, value: d.new, previous: d.old, ...(d.diff !== undefined ? { delta: Number(d.diff) } : {}), verdict: verdictOf(key, d.diff) });
      }
    }
  } else {
    for (const file of Object.keys(values).sort()) {
      for (const key of Object.keys(values[file]).sort()) rows.push({ file, key, value: values[file][key], verdict: 'n/a' });
    }
  }
  const withMetrics = linked(runs, ref.commit).filter((r) => Object.keys(r.metrics).length > 0).map((r) => ({ ...runRef(r), metrics: r.metrics }));
  // A metric only the previous version had is still worth a row, but it answers nothing alone.
  if (!rows.some((r) => r.value !== null) && withMetrics.length === 0) return null;
  return { rows, previous: ref.previousVersion, runs: withMetrics };
}
