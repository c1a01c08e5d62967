// Metrics and params at a revision, as the adapters show and compare them.

import type { DecodeOptions } from '../util/values';
import { metricsDocumentsAt, valuesAt, type ValuesAtRevision, type FileProblem } from '../query/values';
import type { DvcRevisionData } from '../query/dvcData';
import { metricHistory, type HistoryPoint } from '../query/history';
import { allProblems, type Problem } from '../query/problems';
import type { Workspace } from './workspace';
import { storeOf } from './internal';
import type { Revision } from './revision';

export type { ValuesAtRevision, FileProblem, DvcRevisionData, HistoryPoint, Problem };

type Kind = 'metrics' | 'params';
const idOf = (revision: Revision | string) => (typeof revision === 'string' ? revision : revision.id);

/** Flattened values per file at a revision, with the files that could not be read. */
export function valuesOf(ws: Workspace, revision: Revision | string, kind: Kind, options: DecodeOptions = {}): ValuesAtRevision {
  return valuesAt(storeOf(ws), idOf(revision), kind, options);
}

/** Metrics files as whole documents (what `dvc metrics show` compares), or their errors. */
export function metricsDocumentsOf(
  ws: Workspace,
  revision: Revision | string,
  options: DecodeOptions = {},
): ReturnType<typeof metricsDocumentsAt> {
  return metricsDocumentsAt(storeOf(ws), idOf(revision), options);
}

/**
 * Reads metrics and params per revision as DVC would (its file set, errors and number rules).
 * Holds a git object reader: `close()` it. Imported on first use: it brings the YAML, TOML and
 * Python readers, which the plain value queries (read from the index) never need.
 */
export async function dvcDataReader(
  ws: Workspace,
): Promise<{ at(revision: Revision | string, kind: Kind): Promise<DvcRevisionData>; close(): void }> {
  const { DvcDataReader } = await import('../query/dvcData');
  const reader = new DvcDataReader(storeOf(ws), ws.repo);
  return { at: (revision, kind) => reader.at(idOf(revision), kind), close: () => reader.close() };
}

/** One metric along the first-parent chain from a commit, newest first. */
export function metricHistoryOf(
  ws: Workspace,
  tip: Revision | string,
  key: string,
  options: { path?: string; limit?: number } = {},
): HistoryPoint[] {
  return metricHistory(storeOf(ws), idOf(tip), key, options);
}

/** Every file the index could not read, with where it was first seen. */
export function indexProblems(ws: Workspace): Problem[] {
  return allProblems(storeOf(ws));
}
