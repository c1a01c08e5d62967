import * as vscode from 'vscode';
import { fileTextAt, isSafeRepoPath } from '../core/workspace/files';
import { FULL_SHA, WORKSPACE } from '../core/workspace/revision';
import { valuesOf } from '../core/workspace/values';
import { formatValue } from '../core/diff/format';
import type { Engines } from './engines';
import type { FolderEngine } from './folderEngine';

export const SCHEME = 'lineage';
/** Path of the virtual "all metrics at a revision" document. */
const METRICS_SUMMARY = 'lineage-metrics.txt';

interface Query {
  folder: string;
  sha: string;
  label: string;
}

/** lineage:/<path>?<json query>: a file of a folder at a resolved revision (full sha or the workspace). */
export function lineageUri(engine: FolderEngine, path: string, sha: string, label: string): vscode.Uri {
  const query: Query = { folder: engine.folder.uri.toString(), sha, label };
  return vscode.Uri.from({ scheme: SCHEME, path: `/${path}`, query: JSON.stringify(query) });
}

export function metricsSummaryUri(engine: FolderEngine, sha: string, label: string): vscode.Uri {
  return lineageUri(engine, METRICS_SUMMARY, sha, label);
}

/**
 * Read-only documents of files at a revision. Content comes from Git (`git show` with an
 * argument array, the sha validated as a full object id) or, for the workspace, from disk.
 */
export class LineageDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly engines: Engines) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    let query: Query;
    try {
      query = JSON.parse(uri.query) as Query;
    } catch {
      return `Not an ML Lineage document: ${uri.toString()}`;
    }
    const engine = this.engines.byFolder.get(query.folder);
    const ws = engine?.ws;
    if (!engine?.repo || !ws) return 'The folder of this document is not open or not indexed.';
    const path = uri.path.replace(/^\//, '');
    if (path === METRICS_SUMMARY) return summary(engine, query);
    if (!isSafeRepoPath(path)) return `Refused path ${JSON.stringify(path)}.`;
    if (query.sha === WORKSPACE) {
      try {
        return await fileTextAt(ws, WORKSPACE, path);
      } catch (error) {
        return `${path} is not in the workspace (${(error as Error).message}).`;
      }
    }
    if (!FULL_SHA.test(query.sha)) return `Not a commit id: ${JSON.stringify(query.sha)}.`;
    try {
      return await fileTextAt(ws, query.sha, path);
    } catch {
      return `${path} is not in Git at ${query.label} (${query.sha.slice(0, 8)}); it may be a DVC-cached file (see "dvc pull").`;
    }
  }
}

function summary(engine: FolderEngine, query: Query): string {
  const { values, problems } = valuesOf(engine.ws!, query.sha, 'metrics');
  const lines = [`Metrics at ${query.label} (${query.sha === WORKSPACE ? WORKSPACE : query.sha.slice(0, 8)})`, ''];
  for (const [file, keys] of Object.entries(values)) {
    lines.push(file);
    for (const [key, value] of Object.entries(keys)) lines.push(`  ${key}: ${formatValue(value)}`);
    lines.push('');
  }
  for (const p of problems)
    lines.push(`! ${p.path}${p.line !== undefined ? `:${p.line}${p.column !== undefined ? `:${p.column}` : ''}` : ''}: ${p.message}`);
  if (Object.keys(values).length === 0 && problems.length === 0) lines.push('No metrics files at this revision.');
  return lines.join('\n') + '\n';
}
