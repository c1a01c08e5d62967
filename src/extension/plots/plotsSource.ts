// The Plots panel's view of one folder's engine: revisions resolved, plots read from the
// index, images read once per object and kept as data: URIs.
import * as vscode from 'vscode';
import { commitInfo } from '../../core/workspace/experiments';
import { plotImage, plotsOf, type PlotFile } from '../../core/workspace/plots';
import { RevisionError, WORKSPACE, type Revision } from '../../core/workspace/revision';
import type { PlotRevision, PlotsState } from '../../protocol/plots';
import type { FolderEngine } from '../folderEngine';
import { labelOf, revisionItems } from '../revisionPicker';
import { buildPlotsState, type RevisionInput } from './buildPlots';

export interface PlotsDataSource {
  readonly onDidChangeIndex: vscode.Event<void>;
  /** Folder name, for the panel title. */
  readonly name: string;
  load(revisions: string[]): Promise<PlotsState>;
  pickRevisions(current: string[]): Promise<string[] | undefined>;
  /** The folder exports are offered in. */
  readonly folder: vscode.Uri | undefined;
}

const IMAGE_CACHE_LIMIT = 64;

export class EnginePlotsSource implements PlotsDataSource, vscode.Disposable {
  private readonly images = new Map<string, { src?: string; problem?: string }>();
  private watcher: { paths: string; watcher: vscode.Disposable } | undefined;

  constructor(
    private readonly engine: FolderEngine,
    readonly onDidChangeIndex: vscode.Event<void>,
  ) {}

  get name(): string {
    return this.engine.folder.name;
  }

  get folder(): vscode.Uri {
    return this.engine.folder.uri;
  }

  async load(revisions: string[]): Promise<PlotsState> {
    const ws = this.engine.ws;
    if (!ws || !this.engine.repo) throw new Error(`${this.engine.folder.name}: the index is not open`);
    const problems: string[] = [];
    const inputs: RevisionInput[] = [];
    for (const rev of revisions) {
      let resolved: Revision;
      try {
        resolved = await ws.resolve(rev);
        // Plots are files of commits and the workspace; an MLflow/W&B run has none.
        if (resolved.kind === 'run')
          throw new RevisionError(`"${rev}" is an MLflow/W&B run: Plots shows the workspace, branches, tags, experiments and commits`);
      } catch (error) {
        problems.push((error as Error).message);
        continue;
      }
      const sha = resolved.id;
      const meta = resolved.kind === 'workspace' ? undefined : commitInfo(ws, sha);
      if (resolved.kind !== 'workspace' && !meta)
        problems.push(`${rev} (${sha.slice(0, 8)}) is not indexed yet: run "Lineage: Refresh Index".`);
      const revision: PlotRevision = { rev, label: labelOf(rev, sha), sha, subject: meta?.subject };
      const plots = plotsOf(ws, resolved);
      const images = new Map<string, { src?: string; problem?: string }>();
      for (const def of plots.definitions.filter((d) => d.image)) {
        const file = plots.files.get(def.files[0]);
        if (file) images.set(file.path, await this.image(file));
      }
      inputs.push({ revision, plots, images });
    }
    if (inputs.length === 0) throw new Error(problems[0] ?? 'no revisions to show');
    const onDisk = inputs.find((i) => i.revision.sha === WORKSPACE);
    if (onDisk) this.watch([...onDisk.plots.files.keys()]);
    const state = buildPlotsState(inputs, problems);
    if (state.plots.length === 0)
      state.problems.push(
        `No dvc.yaml plots at ${inputs.map((i) => i.revision.label).join(', ')}: declare plots in dvc.yaml (top-level "plots:" or a stage's "plots:" outs).`,
      );
    return state;
  }

  /**
   * The folder's watchers cover pipelines, params and metrics; plot data and images shown here
   * are watched too (while they are on screen), so an edited CSV or a new image re-indexes.
   */
  private watch(paths: string[]): void {
    const key = paths.slice(0, 200).sort().join('\0');
    if (this.watcher?.paths === key) return;
    this.watcher?.watcher.dispose();
    this.watcher = undefined;
    if (paths.length === 0) return;
    const glob = `{${paths
      .slice(0, 200)
      .map((p) => p.replace(/[{}\[\]*?,]/g, '?'))
      .join(',')}}`;
    const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(this.engine.folder, glob));
    const schedule = () => {
      if (vscode.workspace.isTrusted && this.engine.state.kind === 'ready') this.engine.schedule(500);
    };
    this.watcher = {
      paths: key,
      watcher: vscode.Disposable.from(w, w.onDidChange(schedule), w.onDidCreate(schedule), w.onDidDelete(schedule)),
    };
  }

  dispose(): void {
    this.watcher?.watcher.dispose();
    this.watcher = undefined;
  }

  /** Images by object id (the workspace's are hashed like Git blobs), so a reload reads only new ones. */
  private async image(file: PlotFile): Promise<{ src?: string; problem?: string }> {
    const key = `${file.oid}\0${file.path}`;
    const cached = this.images.get(key);
    if (cached) return cached;
    const read = await plotImage(this.engine.ws!, file);
    const value = read.ok ? { src: `data:${read.mime};base64,${read.bytes.toString('base64')}` } : { problem: read.reason };
    if (this.images.size >= IMAGE_CACHE_LIMIT) this.images.delete(this.images.keys().next().value!);
    this.images.set(key, value);
    return value;
  }

  async pickRevisions(current: string[]): Promise<string[] | undefined> {
    const all = revisionItems(this.engine);
    const head = this.engine.repo?.head;
    if (head)
      all.splice(1, 0, {
        label: '$(git-commit) HEAD',
        description: `${head.slice(0, 8)}${this.engine.repo?.branch ? ` (${this.engine.repo.branch})` : ' (detached)'}`,
        rev: 'HEAD',
      });
    const items = all.map((item) => ({ ...item, picked: item.rev !== undefined && current.includes(item.rev) }));
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Plots: revisions to show',
      placeHolder: 'Workspace, branches, tags, experiments or commits (type to filter)',
      canPickMany: true,
      matchOnDescription: true,
      matchOnDetail: true,
    });
    const revs = picked?.map((p) => p.rev).filter((r): r is string => Boolean(r));
    return revs && revs.length ? revs : undefined;
  }
}
