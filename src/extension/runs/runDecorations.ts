import * as vscode from 'vscode';
import { directionsFor, verdictOf } from '../../core/diff/direction';
import { readSettings } from '../settings';
import { formatDelta } from '../tooltips';
import type { RunNode } from './runNodes';

/** Runs tree items carry a `lineage-run:` resource whose query says how their headline metric moved. */
export const RUN_SCHEME = 'lineage-run';

/**
 * Gives a Runs tree item a resource URI when its headline metric moved against its reference
 * (parent for commits, baseline for branches, tags and experiments, HEAD for the workspace),
 * so RunDecorations can color its label and badge it ▲/▼ like an SCM change.
 */
export function decorateRunItem(item: vscode.TreeItem, node: RunNode): vscode.TreeItem {
  // Commits (each against its parent) already read as a changelog in their descriptions; coloring them all would be noise.
  if (node.kind === 'commit' || !('run' in node) || !node.run || node.run.delta === undefined || !node.key || item.resourceUri) return item;
  const engine = node.engine;
  const verdict = verdictOf(node.key, node.run.delta, directionsFor([node.key], readSettings(engine.folder.uri).metricDirections));
  if (verdict !== 'better' && verdict !== 'worse') return item;
  const against = node.kind === 'workspace' ? 'HEAD' : node.kind === 'ref' ? (node.against ?? 'the baseline') : 'its baseline';
  const query = new URLSearchParams({ verdict, key: node.key, delta: String(node.run.delta), against }).toString();
  item.resourceUri = vscode.Uri.from({
    scheme: RUN_SCHEME,
    path: `/${encodeURIComponent(item.id ?? `${node.kind}:${'sha' in node ? node.sha : ''}`)}`,
    query,
  });
  return item;
}

export class RunDecorations implements vscode.FileDecorationProvider {
  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== RUN_SCHEME) return undefined;
    const q = new URLSearchParams(uri.query);
    const verdict = q.get('verdict');
    if (verdict !== 'better' && verdict !== 'worse') return undefined;
    const against = q.get('against') === 'baseline' ? 'the baseline' : (q.get('against') ?? 'the baseline');
    const d = new vscode.FileDecoration(
      verdict === 'better' ? '▲' : '▼',
      `${q.get('key')} ${formatDelta(Number(q.get('delta')))}: ${verdict} than ${against}`,
      new vscode.ThemeColor(verdict === 'better' ? 'lineage.inlineBetterForeground' : 'lineage.inlineWorseForeground'),
    );
    d.propagate = false;
    return d;
  }
}
