import * as vscode from 'vscode';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runGit } from '../core/git/exec';
import { FULL_SHA } from '../core/git/objectId';
import { valuesAt } from '../core/query/values';
import { formatValue } from '../core/diff/format';
import type { Engines } from './engines';
import type { FolderEngine } from './folderEngine';

export const SCHEME = 'lineage';
/** Path of the virtual "all metrics at a revision" document. */
const METRICS_SUMMARY = 'lineage-metrics.txt';

interface Query { folder: string; sha: string; label: string }

/** lineage:/<path>?<json query>: a file of a folder at a resolved revision (full sha or 'workspace'). */
export function lineageUri(engine: FolderEngine, path: string, sha: string, label: string): vscode.Uri {
  const query: Query = { folder: engine.folder.uri.toString(), sha, label };
  return vscode.Uri.from({ scheme: SCHEME, path: `/${path}`, query: JSON.stringify(query) });
}

export function metricsSummaryUri(engine: FolderEngine, sha: string, label: string): vscode.Uri {
  return lineageUri(engine, METRICS_SUMMARY, sha, label);
}

/**
 * Read-only documents of files at a revision. Content comes from Git (`git show` with an
 * argument array, the sha validated as a full object id) or, for 'workspace', from disk.
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
    if (!engine?.repo || !engine.store) return 'The folder of this document is not open or not indexed.';
    const path = uri.path.replace(/^\//, '');
    if (path === METRICS_SUMMARY) return summary(engine, query);
    if (!path || path.startsWith('-') || path.split('/').includes('..')) return `Refused path ${JSON.stringify(path)}.`;
    if (query.sha === 'workspace') {
      try {
        return await readFile(join(engine.repo.root, path), 'utf8');
      } catch (error) {
        return `${path} is not in the workspace (${(error as Error).message}).`;
      }
    }
    if (!FULL_SHA.test(query.sha)) return `Not a commit id: ${JSON.stringify(query.sha)}.`;
    try {
      return (await runGit(engine.repo.root, ['show', '--no-textconv', '--end-of-options', `${query.sha}:${path}`])).toString('utf8');
    } catch {
      return `${path} is not in Git at ${query.label} (${query.sha.slice(0, 8)}); it may be a DVC-cached file (see "dvc pull").`;
    }
  }
}

function summary(engine: FolderEngine, query: Query): string {
  const { values, problems } = valuesAt(engine.store!, query.sha, 'metrics');
  const lines = [`Metrics at ${query.label} (${query.sha === 'workspace' ? 'workspace' : query.sha.slice(0, 8)})`, ''];
  for (const [file, keys] of Object.entries(values)) {
    lines.push(file);
    for (const [key, value] of Object.entries(keys)) lines.push(`  ${key}: ${formatValue(value)}`);
    lines.push('');
  }
  for (const p of problems) lines.push(`! ${p.path}${p.line !== undefined ? `:${p.line}${p.column !== undefined ? `:${p.column}` : ''}` : ''}: ${p.message}`);
  if (Object.keys(values).length === 0 && problems.length === 0) lines.push('No metrics files at this revision.');
  return lines.join('\n') + '\n';
}
