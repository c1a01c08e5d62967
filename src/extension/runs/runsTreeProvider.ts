import * as vscode from 'vscode';
import type { Engines } from '../engines';
import type { FolderEngine } from '../folderEngine';
import { COMMANDS } from '../commands';
import { readSettings } from '../settings';
import { refRows } from '../../core/workspace/experiments';
import {
  baselinesWithExperiments,
  commitPage,
  defaultBaselineBranch,
  experimentRuns,
  firstMetricKey,
  hasIndexedContent,
  stagesAt,
  summarize,
  workspaceSummary,
} from '../../core/workspace/runTree';
import { firstParentDepth } from '../../core/workspace/history';
import {
  commitsHavingRuns,
  hasRuns,
  runGroupsOf,
  runsAtCommit,
  runsOfGroup,
  runsWithoutCommit,
  runsWithoutCommitCount,
} from '../../core/workspace/runs';
import { WORKSPACE } from '../../core/workspace/revision';
import { engineStateNode } from '../stateNodes';
import { runTreeItem } from './runTreeItems';
import { decorateRunItem } from './runDecorations';
import type { RunNode } from './runNodes';
import type { ExternalRun } from '../../core/runs/types';

/** Runs listed under one node; a bigger experiment says how many are left out. */
const MAX_RUNS_SHOWN = 500;

/**
 * Runs view: workspace → branches (current first) and tags → first-parent commits, paged →
 * experiments of a baseline commit → stages. Every read is a small indexed query, so the
 * tree can be rebuilt on each index event.
 */
export class RunsTreeProvider implements vscode.TreeDataProvider<RunNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RunNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Commits shown per branch tip (grows with "Show more…"). */
  private readonly shown = new Map<string, number>();
  /** The parent of every node handed out, for TreeView.reveal (ids make fresh objects equal). */
  private readonly parents = new WeakMap<RunNode, RunNode>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly engines: Engines,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscription = engines.onDidChange(() => this.refresh());
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  showMore(node: Extract<RunNode, { kind: 'more' }>): void {
    const key = `${node.engine.folder.uri.toString()}|${node.tip}`;
    this.shown.set(key, node.shown + readSettings(node.engine.folder.uri).commitsPerPage);
    this.refresh();
  }

  getTreeItem(node: RunNode): vscode.TreeItem {
    return decorateRunItem(runTreeItem(node), node);
  }

  getChildren(node?: RunNode): RunNode[] {
    const started = Date.now();
    try {
      if (!node) return this.roots();
      const children = this.children(node);
      for (const child of children) this.parents.set(child, node);
      return children;
    } catch (error) {
      this.log.error(`Runs view: ${(error as Error).message}`);
      return [{ kind: 'message', text: `Could not read the index: ${(error as Error).message}`, icon: 'error' }];
    } finally {
      const ms = Date.now() - started;
      if (ms > 100) this.log.info(`Runs view: ${node?.kind ?? 'roots'} children in ${ms} ms`);
    }
  }

  private roots(): RunNode[] {
    const engines = this.engines.list();
    if (engines.length === 0) return [];
    // A folder with neither Git nor ML files shows nothing, so the welcome view explains it.
    const browsable = engines.filter((e) => e.repo?.gitDir || e.state.kind !== 'ready' || (e.ws && hasIndexedContent(e.ws)));
    return browsable.map((engine) => {
      const state = engineStateNode(engine);
      if (state) return state;
      const key = headlineKey(engine);
      return {
        kind: 'workspace',
        engine,
        run: workspaceSummary(engine.ws!, key),
        key,
        rev: WORKSPACE,
        label: engine.folder.name,
        sha: WORKSPACE,
      } as RunNode;
    });
  }

  private children(node: RunNode): RunNode[] {
    const engine = 'engine' in node ? node.engine : undefined;
    const ws = engine?.ws;
    if (!engine || !ws) return [];
    const key = headlineKey(engine);
    switch (node.kind) {
      case 'workspace':
        return [...this.refNodes(engine, key), ...externalRunRoots(engine)];
      case 'tags': {
        const baseSha = baselineSha(engine);
        return refRows(ws, 'tag')
          .reverse()
          .map((ref) => ({
            kind: 'ref',
            engine,
            ref,
            rev: ref.name,
            label: ref.short,
            sha: ref.sha,
            current: false,
            key,
            run: summarize(ws, ref.sha, key, baseSha),
            against: 'baseline',
          }));
      }
      case 'ref':
        return this.commits(engine, node.sha, key);
      case 'commit': {
        const exps: RunNode[] = experimentRuns(ws, node.sha, key).map((run) => ({
          kind: 'exp',
          engine,
          run,
          key,
          rev: run.ref,
          label: run.name,
          sha: run.sha,
        }));
        const runs = hasRuns(ws) ? runNodes(engine, runsAtCommit(ws, node.sha), `commit:${node.sha}`) : [];
        return [...exps, ...runs, ...stagesAt(ws, node.sha).map((stage) => ({ kind: 'stage', engine, stage, sha: node.sha }) as RunNode)];
      }
      case 'exp':
        return stagesAt(ws, node.sha).map((stage) => ({ kind: 'stage', engine, stage, sha: node.sha }));
      case 'runGroup':
        return runNodes(
          engine,
          runsOfGroup(ws, node.group.source, node.group.experiment, MAX_RUNS_SHOWN),
          `group:${node.group.source}:${node.group.experiment ?? ''}`,
          node.group.runs,
        );
      case 'unlinkedRuns':
        return runNodes(engine, runsWithoutCommit(ws, MAX_RUNS_SHOWN), 'unlinked', node.count);
      default:
        return [];
    }
  }

  private refNodes(engine: FolderEngine, key: string | undefined): RunNode[] {
    const ws = engine.ws!;
    const repo = engine.repo;
    const out: RunNode[] = [];
    if (repo?.gitDir && !repo.head) {
      out.push({
        kind: 'message',
        engine,
        icon: 'info',
        text: `No commits yet${repo.unbornBranch ? ` on ${repo.unbornBranch}` : ''}: only the workspace is shown.`,
        detail: 'Commit your pipeline, params and metrics files to see runs per commit.',
      });
      return out;
    }
    if (!repo?.gitDir)
      return [{ kind: 'message', engine, icon: 'info', text: 'Not a Git repository: only the workspace files are indexed.' }];
    const configured = readSettings(engine.folder.uri).baselineBranch;
    const branches = refRows(ws, 'branch');
    if (configured && !branches.some((b) => b.short === configured)) {
      out.push({
        kind: 'message',
        engine,
        icon: 'warning',
        text: `Baseline branch "${configured}" does not exist (deleted?)`,
        detail: 'Deltas of branches and tags are shown without a baseline. Pick another with "Lineage: Set Baseline Branch…".',
        command: { command: COMMANDS.setBaselineBranch, title: 'Set Baseline Branch…' },
      });
    }
    if (repo.head && !repo.branch) {
      out.push({
        kind: 'message',
        engine,
        icon: 'debug-disconnect',
        text: `HEAD is detached at ${repo.head.slice(0, 8)}`,
        detail: 'Its commits are listed under "HEAD (detached)"; check out a branch to follow it.',
      });
      const ref = {
        name: 'HEAD',
        short: 'HEAD (detached)',
        kind: 'branch' as const,
        sha: repo.head,
        annotated: false,
        time: null,
        message: null,
        baseline: null,
      };
      out.push({
        kind: 'ref',
        engine,
        ref,
        rev: repo.head,
        label: ref.short,
        sha: repo.head,
        current: true,
        key,
        run: summarize(ws, repo.head, key, baselineSha(engine)),
        against: 'baseline',
      });
    }
    const baseSha = baselineSha(engine);
    const ordered = [...branches].sort((a, b) => Number(b.short === repo.branch) - Number(a.short === repo.branch));
    for (const ref of ordered) {
      out.push({
        kind: 'ref',
        engine,
        ref,
        rev: ref.name,
        label: ref.short,
        sha: ref.sha,
        current: ref.short === repo.branch,
        key,
        run: summarize(ws, ref.sha, key, baseSha),
        against: 'baseline',
      });
    }
    const tags = refRows(ws, 'tag').length;
    if (tags > 0) out.push({ kind: 'tags', engine, count: tags });
    return out;
  }

  private commits(engine: FolderEngine, tip: string, key: string | undefined): RunNode[] {
    const ws = engine.ws!;
    const perPage = readSettings(engine.folder.uri).commitsPerPage;
    const shown = this.shown.get(`${engine.folder.uri.toString()}|${tip}`) ?? perPage;
    const page = commitPage(ws, tip, key, 0, shown);
    const withExps = baselinesWithExperiments(ws);
    const withRuns = hasRuns(ws) ? commitsHavingRuns(ws) : new Set<string>();
    const nodes: RunNode[] = page.commits.map((run) => ({
      kind: 'commit',
      engine,
      run,
      key,
      tip,
      rev: run.sha,
      label: run.sha.slice(0, 8),
      sha: run.sha,
      expandable: withExps.has(run.sha) || withRuns.has(run.sha) || run.hasPipeline,
    }));
    if (page.commits.length === 0) nodes.push({ kind: 'message', engine, icon: 'loading~spin', text: 'Not indexed yet…' });
    if (page.hasMore) nodes.push({ kind: 'more', engine, tip, shown });
    return nodes;
  }

  getParent(node: RunNode): RunNode | undefined {
    return this.parents.get(node);
  }

  /**
   * The commit node of `sha` under the branch `rev` names (else the first branch, current
   * first, whose first-parent chain holds it), showing more of that branch when the commit
   * lies beyond its pages. For TreeView.reveal (Metric History's "click a point").
   */
  findCommit(engine: FolderEngine, sha: string, rev?: string): RunNode | undefined {
    const index = engine.ws;
    const root = this.getChildren().find((n) => n.kind === 'workspace' && n.engine === engine);
    if (!index || !root) return undefined;
    const refs = this.getChildren(root).filter((n): n is Extract<RunNode, { kind: 'ref' }> => n.kind === 'ref');
    const preferred = refs.filter((r) => r.rev === rev || r.ref.short === rev || r.sha === rev);
    for (const ref of [...preferred, ...refs.filter((r) => !preferred.includes(r))]) {
      const depth = firstParentDepth(index, ref.sha, sha);
      if (depth === undefined) continue;
      const key = `${engine.folder.uri.toString()}|${ref.sha}`;
      const perPage = readSettings(engine.folder.uri).commitsPerPage;
      if (depth >= (this.shown.get(key) ?? perPage)) {
        this.shown.set(key, Math.ceil((depth + 1) / perPage) * perPage);
        this.refresh();
      }
      const node = this.getChildren(ref).find((n) => n.kind === 'commit' && n.sha === sha);
      if (node) return node;
    }
    return undefined;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** The headline metric: the setting, else the first metric key at HEAD (or anywhere). */
export function headlineKey(engine: FolderEngine): string | undefined {
  const configured = readSettings(engine.folder.uri).headlineMetric;
  if (configured) return configured;
  return engine.ws ? firstMetricKey(engine.ws, engine.repo?.head) : undefined;
}

export function baselineBranchName(engine: FolderEngine): string | undefined {
  return readSettings(engine.folder.uri).baselineBranch || (engine.ws ? defaultBaselineBranch(engine.ws) : undefined);
}

function baselineSha(engine: FolderEngine): string | undefined {
  const name = baselineBranchName(engine);
  return name ? refRows(engine.ws!, 'branch').find((b) => b.short === name)?.sha : undefined;
}

/** MLflow experiments and W&B projects beside the branches, then the runs no commit here claims. */
function externalRunRoots(engine: FolderEngine): RunNode[] {
  const ws = engine.ws!;
  if (!hasRuns(ws)) return [];
  const nodes: RunNode[] = runGroupsOf(ws).map((group) => ({ kind: 'runGroup', engine, group }));
  const unlinked = nodes.length ? runsWithoutCommitCount(ws) : 0;
  if (unlinked > 0) nodes.push({ kind: 'unlinkedRuns', engine, count: unlinked });
  return nodes;
}

function runNodes(engine: FolderEngine, runs: ExternalRun[], under: string, total = runs.length): RunNode[] {
  const nodes: RunNode[] = runs.slice(0, MAX_RUNS_SHOWN).map((ext) => ({ kind: 'extRun', engine, ext, under }));
  const hidden = Math.max(total, runs.length) - Math.min(runs.length, MAX_RUNS_SHOWN);
  if (hidden > 0)
    nodes.push({
      kind: 'message',
      engine,
      icon: 'ellipsis',
      text: `${hidden} older runs not shown`,
      detail: '`lineage runs` in a terminal lists every run.',
    });
  return nodes;
}
