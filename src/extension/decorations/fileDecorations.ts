import * as vscode from 'vscode';
import { relative, sep } from 'node:path';
import { inlineDiff } from '../../core/diff/inlineDiff';
import { directionsFor } from '../../core/diff/direction';
import { WORKSPACE } from '../../core/workspace/revision';
import { readSettings } from '../settings';
import type { Baselines } from '../inline/baselines';

/**
 * SCM-like badges in the Explorer on params/metrics files whose saved values moved against
 * the baseline: ▲ only better, ▼ only worse, ± both, Δ other changes (params, new or removed
 * keys, non-numeric values), ! a file that cannot be read. From the index, so they follow saves.
 */
export class MetricFileDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri[]>();
  readonly onDidChangeFileDecorations = this.changed.event;
  private readonly cache = new Map<string, vscode.FileDecoration | undefined>();
  private readonly decorated = new Map<string, vscode.Uri>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly baselines: Baselines) {
    this.subscription = baselines.onDidChange(() => {
      this.cache.clear();
      const uris = new Map(this.decorated);
      for (const engine of baselinesEngines(baselines)) {
        for (const path of baselines.trackedFiles(engine).keys()) {
          const uri = vscode.Uri.file(`${engine.repo!.root}/${path}`);
          uris.set(uri.toString(), uri);
        }
      }
      this.decorated.clear();
      if (uris.size) this.changed.fire([...uris.values()]);
    });
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== 'file') return undefined;
    const id = uri.toString();
    if (this.cache.has(id)) return this.cache.get(id);
    const decoration = this.compute(uri);
    this.cache.set(id, decoration);
    if (decoration) this.decorated.set(id, uri);
    return decoration;
  }

  private compute(uri: vscode.Uri): vscode.FileDecoration | undefined {
    const engine = this.baselines.engineFor(uri);
    if (!engine?.repo || !readSettings(uri).inlineDiffs.enabled) return undefined;
    const rel = relative(engine.repo.root, uri.fsPath);
    if (!rel || rel.startsWith('..')) return undefined;
    const file = this.baselines.trackedFiles(engine).get(rel.split(sep).join('/'));
    const ref = this.baselines.baseline(engine);
    if (!file || !('sha' in ref)) return undefined;
    const current = this.baselines.fileValues(engine, WORKSPACE, file);
    if (current.status === 'problem')
      return decoration('!', `${file.path} could not be read: ${current.message}`, 'list.warningForeground');
    if (current.status !== 'ok') return undefined;
    const base = this.baselines.fileValues(engine, ref.sha, file);
    const baseValues = base.status === 'ok' ? base.values : {};
    const directions =
      file.role === 'metrics'
        ? directionsFor([...Object.keys(current.values), ...Object.keys(baseValues)], readSettings(uri).metricDirections)
        : {};
    const s = inlineDiff(current.values, baseValues, file.role, directions).summary;
    const moved = s.better + s.worse + s.changed + s.added + s.removed;
    if (moved === 0) return undefined;
    const parts = [
      s.better && `${s.better} better`,
      s.worse && `${s.worse} worse`,
      s.changed && `${s.changed} changed`,
      s.added && `${s.added} new`,
      s.removed && `${s.removed} removed`,
    ]
      .filter(Boolean)
      .join(', ');
    const noun = file.role === 'metrics' ? (moved === 1 ? 'metric' : 'metrics') : moved === 1 ? 'param' : 'params';
    const tooltip = `${moved} ${noun} changed vs ${ref.name}: ${parts}`;
    if (s.better && !s.worse) return decoration('▲', tooltip, 'lineage.inlineBetterForeground');
    if (s.worse && !s.better) return decoration('▼', tooltip, 'lineage.inlineWorseForeground');
    if (s.worse && s.better) return decoration('±', tooltip, 'lineage.inlineChangedForeground');
    return decoration('Δ', tooltip, 'lineage.inlineChangedForeground');
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function decoration(badge: string, tooltip: string, color: string): vscode.FileDecoration {
  const d = new vscode.FileDecoration(badge, tooltip, new vscode.ThemeColor(color));
  d.propagate = false;
  return d;
}

function baselinesEngines(baselines: Baselines) {
  return (vscode.workspace.workspaceFolders ?? [])
    .map((f) => baselines.engineFor(f.uri))
    .filter((e): e is NonNullable<typeof e> => Boolean(e?.repo));
}
