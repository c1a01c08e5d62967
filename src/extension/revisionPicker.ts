import * as vscode from 'vscode';
import { experiments, firstParentCommits, refRows } from '../core/workspace/experiments';
import { WORKSPACE } from '../core/workspace/revision';
import type { FolderEngine } from './folderEngine';
import type { Engines } from './engines';
import { oneLine as flat } from './tooltips';

/** QuickPick renders `$(name)` in labels as icons; a branch name must not. */
const oneLine = (text: string) => flat(text).replace(/\$\(/g, '$\u200b(');

const RECENT_COMMITS = 200;

interface RevisionItem extends vscode.QuickPickItem {
  rev?: string;
}

/** Items for a revision QuickPick; label/description/detail are matched by type-ahead. */
export function revisionItems(engine: FolderEngine): RevisionItem[] {
  const ws = engine.ws;
  if (!ws) return [];
  const items: RevisionItem[] = [{ label: '$(edit) workspace', description: 'uncommitted files', rev: WORKSPACE }];
  const section = (label: string) => items.push({ label, kind: vscode.QuickPickItemKind.Separator });
  const branches = refRows(ws, 'branch');
  if (branches.length) section('Branches');
  for (const b of branches) items.push({ label: `$(git-branch) ${oneLine(b.short)}`, description: b.sha.slice(0, 8), rev: b.name });
  const tags = refRows(ws, 'tag');
  if (tags.length) section('Tags');
  for (const t of tags)
    items.push({
      label: `$(tag) ${oneLine(t.short)}`,
      description: t.sha.slice(0, 8),
      detail: t.message ? oneLine(t.message) : undefined,
      rev: t.name,
    });
  const exps = experiments(ws);
  if (exps.length) section('Experiments');
  for (const e of exps)
    items.push({
      label: `$(beaker) ${oneLine(e.name)}`,
      description: `${e.sha.slice(0, 8)} from ${e.baseline.slice(0, 8)}`,
      detail: oneLine(e.subject),
      rev: e.ref,
    });
  const head = engine.repo?.head;
  if (head) {
    section('Recent commits');
    for (const c of firstParentCommits(ws, head, RECENT_COMMITS))
      items.push({
        label: `$(git-commit) ${c.sha.slice(0, 8)}`,
        description: oneLine(c.subject ?? ''),
        detail: `${oneLine(c.authorName ?? '')}, ${new Date(c.authorTime * 1000).toLocaleDateString()}`,
        rev: c.sha,
      });
  }
  return items;
}

export async function pickRevision(engine: FolderEngine, title: string): Promise<string | undefined> {
  const pick = await vscode.window.showQuickPick(revisionItems(engine), {
    title,
    placeHolder: 'Branch, tag, experiment or commit (type to filter)',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return pick?.rev;
}

/** The folder a command acts on: the only one, the active editor's, or one the user picks. */
export async function pickEngine(engines: Engines): Promise<FolderEngine | undefined> {
  await engines.whenOpen();
  const usable = engines.list().filter((e) => e.ws);
  if (usable.length <= 1) {
    if (usable.length === 0)
      void vscode.window.showInformationMessage(
        'ML Lineage: no indexed folder yet. Open a folder with a Git repository, or run "Lineage: Refresh Index".',
      );
    return usable[0];
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  const byEditor = active ? engines.forUri(active) : undefined;
  if (byEditor?.ws) return byEditor;
  const pick = await vscode.window.showQuickPick(
    usable.map((e) => ({ label: e.folder.name, description: e.folder.uri.fsPath, engine: e })),
    { placeHolder: 'Workspace folder' },
  );
  return pick?.engine;
}

/** A revision as charts name it: the short branch, tag or experiment name, else the short sha. */
export function labelOf(rev: string, sha: string): string {
  if (rev === WORKSPACE) return WORKSPACE;
  const short = rev.replace(/^refs\/(heads|tags)\//, '').replace(/^refs\/exps\/[0-9a-f]{2}\/[0-9a-f]{38}\//, '');
  return /^[0-9a-f]{40}$/.test(short) ? sha.slice(0, 8) : short;
}
