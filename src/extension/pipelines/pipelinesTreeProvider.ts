import * as vscode from 'vscode';
import type { Engines } from '../engines';
import type { FolderEngine } from '../folderEngine';
import { describeChanges } from '../../core/workspace/repro';
import { formatProblem, type ReproProblem, type StageStatus } from '../../core/repro/types';
import { fileProblems, pipelineFileOf, plural, problemMessage, problemWhere, stageLabel } from '../repro/problemPlaces';
import type { FolderPipelines, ReproModel } from '../repro/reproModel';
import { openProblemCommand } from '../repro/reproProblems';
import { stageState, stateText, type StageState } from '../repro/stageText';
import { engineStateNode } from '../stateNodes';
import { SafeTooltip, oneLine } from '../tooltips';

export type PipelineNode =
  | { kind: 'project'; engine: FolderEngine; pipelines: FolderPipelines; project: string; multiFolder: boolean }
  | { kind: 'stage'; engine: FolderEngine; pipelines: FolderPipelines; stage: StageStatus }
  | { kind: 'problem'; engine: FolderEngine; root: string; problem: ReproProblem }
  | { kind: 'message'; text: string; icon: string; detail?: string; command?: vscode.Command };

const STATE_ICON: Record<StageState, vscode.ThemeIcon> = {
  'up-to-date': new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  changed: new vscode.ThemeIcon('diff-modified', new vscode.ThemeColor('gitDecoration.modifiedResourceForeground')),
  'never-run': new vscode.ThemeIcon('circle-outline'),
  frozen: new vscode.ThemeIcon('lock'),
  running: new vscode.ThemeIcon('sync~spin'),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  broken: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
};
const ERROR_ICON = STATE_ICON.error;

/**
 * Pipelines view: per dvc.yaml, its stages in DAG order with their live state — computed from
 * the workspace files as `dvc status` does, plus running/failed from this session's runs —
 * and the problems: on the stage they name (its state becomes the error), under the file they
 * belong to (a dvc.yaml that does not parse shows its error instead of stages), or at the top.
 */
export class PipelinesTreeProvider implements vscode.TreeDataProvider<PipelineNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<PipelineNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly engines: Engines,
    private readonly model: ReproModel,
    private readonly trusted: () => boolean = () => vscode.workspace.isTrusted,
  ) {
    this.subscriptions = [engines.onDidChange(() => this.changed.fire(undefined)), model.onDidChange(() => this.changed.fire(undefined))];
  }

  /** Recomputes the statuses (Refresh, settings changed) and redraws. */
  refresh(): void {
    this.model.invalidate(0);
  }

  getTreeItem(node: PipelineNode): vscode.TreeItem {
    switch (node.kind) {
      case 'message': {
        const item = new vscode.TreeItem(oneLine(node.text, 200));
        item.iconPath = new vscode.ThemeIcon(node.icon);
        if (node.detail) item.tooltip = new SafeTooltip().text(node.detail).md;
        item.command = node.command;
        return item;
      }
      case 'problem': {
        // A problem naming a stage that could not be rendered reads like that stage's row.
        const p = node.problem;
        const item = new vscode.TreeItem(oneLine(p.stage ? stageLabel(p.stage) : problemMessage(p), 200));
        item.description = oneLine(p.stage ? `${p.kind === 'refused' ? 'refused' : 'error'}: ${p.message}` : problemWhere(p), 200);
        item.iconPath = ERROR_ICON;
        item.tooltip = new SafeTooltip().text(formatProblem(p)).md;
        item.command = openProblemCommand(node.root, p);
        item.contextValue = 'lineage.pipelineProblem';
        return item;
      }
      case 'project':
        return this.projectItem(node);
      case 'stage':
        return this.stageItem(node);
    }
  }

  async getChildren(node?: PipelineNode): Promise<PipelineNode[]> {
    if (node?.kind === 'project') {
      const { pipelines: p, engine } = node;
      // node.project is the defining file: a dvc.yaml, or a `.dvc` data file.
      const file = node.project;
      return [
        ...fileProblems(file, p.problems, p.stages).map((problem): PipelineNode => ({ kind: 'problem', engine, root: p.root, problem })),
        ...p.stages.filter((s) => s.file === file).map((stage): PipelineNode => ({ kind: 'stage', engine, pipelines: p, stage })),
      ];
    }
    if (node) return [];
    const engines = this.engines.list();
    const out: PipelineNode[] = [];
    if (engines.length && !this.trusted()) {
      out.push({
        kind: 'message',
        icon: 'shield',
        text: 'Restricted Mode: stage states are shown; reproducing needs a trusted workspace',
        detail: 'Running a stage runs its command. Trust this workspace to reproduce stages.',
        command: { command: 'workbench.trust.manage', title: 'Manage Workspace Trust' },
      });
    }
    for (const engine of engines) {
      const state = engineStateNode(engine);
      if (engine.state.kind === 'opening') {
        if (state) out.push({ kind: 'message', text: state.text, icon: state.icon });
        continue;
      }
      // The stages come from the files, not the index: a broken or missing index does not hide them.
      if (state && engine.state.kind !== 'ready' && engine.state.kind !== 'untrusted-empty')
        out.push({ kind: 'message', text: state.text, icon: state.icon, detail: state.detail, command: state.command });
      const p = await this.model.pipelines(engine);
      if (p.error)
        out.push({ kind: 'message', icon: 'error', text: `${engine.folder.name}: pipeline status failed: ${p.error}`, detail: p.error });
      // dvc.yaml files first, then `.dvc` data files, each sorted; a file with problems and no stages too.
      const placed = p.problems.map((pr) => pipelineFileOf(pr, p.stages));
      const files = [...new Set([...p.stages.map((s) => s.file), ...placed.filter((f): f is string => f !== undefined)])].sort(
        (a, b) => Number(a.endsWith('.dvc')) - Number(b.endsWith('.dvc')) || (a < b ? -1 : a > b ? 1 : 0),
      );
      for (const project of files) out.push({ kind: 'project', engine, pipelines: p, project, multiFolder: engines.length > 1 });
      p.problems.forEach((problem, i) => {
        if (placed[i] === undefined) out.push({ kind: 'problem', engine, root: p.root, problem });
      });
    }
    if (engines.length > 0 && !out.some((n) => n.kind !== 'message' || n.icon !== 'shield'))
      out.push({ kind: 'message', icon: 'info', text: 'No dvc.yaml in the workspace.' });
    return out;
  }

  dispose(): void {
    this.subscriptions.forEach((d) => d.dispose());
    this.changed.dispose();
  }

  private projectItem(node: Extract<PipelineNode, { kind: 'project' }>): vscode.TreeItem {
    const file = node.project;
    const item = new vscode.TreeItem(
      oneLine(node.multiFolder ? `${node.engine.folder.name}: ${file}` : file),
      vscode.TreeItemCollapsibleState.Expanded,
    );
    const stages = node.pipelines.stages.filter((s) => s.file === file);
    const states = stages.map((s) => stageState(s, this.model.live(node.engine, s, node.pipelines)));
    const count = (st: StageState) => states.filter((x) => x === st).length;
    const problems = node.pipelines.problems.filter((pr) => pipelineFileOf(pr, node.pipelines.stages) === file);
    // A file that cannot be read at all says why in place of its stage count.
    item.description =
      stages.length === 0 && problems.length
        ? oneLine(
            `${problems[0].kind === 'refused' ? 'refused' : 'error'}: ${problemMessage(problems[0])}${problems.length > 1 ? ` (+${problems.length - 1} more)` : ''}`,
            200,
          )
        : [
            plural(stages.length, 'stage'),
            count('running') ? 'running' : '',
            count('changed') ? `${count('changed')} changed` : '',
            count('never-run') ? `${count('never-run')} never run` : '',
            count('failed') ? `${count('failed')} failed` : '',
            problems.length ? plural(problems.length, 'problem') : '',
          ]
            .filter(Boolean)
            .join(', ');
    item.iconPath = problems.length ? ERROR_ICON : new vscode.ThemeIcon('type-hierarchy');
    const t = new SafeTooltip().field('Pipeline', file).field('Stages', String(stages.length));
    for (const pr of problems) t.field('Problem', formatProblem(pr));
    item.tooltip = t.md;
    item.resourceUri = vscode.Uri.joinPath(vscode.Uri.file(node.pipelines.root), ...file.split('/'));
    item.command = problems.length
      ? openProblemCommand(node.pipelines.root, problems[0])
      : { command: 'vscode.open', title: 'Open dvc.yaml', arguments: [item.resourceUri] };
    item.contextValue = 'lineage.pipeline';
    return item;
  }

  private stageItem(node: Extract<PipelineNode, { kind: 'stage' }>): vscode.TreeItem {
    const s = node.stage;
    const live = this.model.live(node.engine, s, node.pipelines);
    const state = stageState(s, live);
    const item = new vscode.TreeItem(oneLine(s.name, 80));
    item.id = `${node.engine.folder.uri}#${s.address}`;
    item.description = oneLine(stateText(s, live, 100), 120);
    item.iconPath = STATE_ICON[state];
    const t = new SafeTooltip()
      .field('Stage', s.address)
      .field('Command', Array.isArray(s.cmd) ? s.cmd.join(' && ') : s.cmd)
      .field('State', stateText(s, live, 200));
    for (const pr of live.problems ?? []) t.field('Problem', formatProblem(pr));
    if (live.failed) t.field('Last run', live.failed.message);
    for (const line of describeChanges(s.changes)) t.field('Changed', line);
    for (const d of s.deps) t.field('dep', d);
    for (const o of s.outs) t.field('out', o);
    item.tooltip = t.md;
    item.contextValue = state === 'running' ? 'lineage.pipelineStage.running' : 'lineage.pipelineStage';
    // A stage in error opens where the problem is; others at the stage.
    item.command = live.problems?.length
      ? openProblemCommand(node.pipelines.root, live.problems[0])
      : openAt(vscode.Uri.joinPath(vscode.Uri.file(node.pipelines.root), ...s.file.split('/')), s.line);
    return item;
  }
}

function openAt(uri: vscode.Uri, line?: number): vscode.Command {
  const at = Math.max(0, (line ?? 1) - 1);
  return { command: 'vscode.open', title: 'Open', arguments: [uri, { selection: new vscode.Range(at, 0, at, 0), preview: true }] };
}
