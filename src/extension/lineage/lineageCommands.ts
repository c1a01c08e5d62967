// "Show Lineage Card": from the Models view (a ModelVersionRef, or a version node), from other
// commands and tests (`{ ref, folder }`), or from the palette (a quick pick of the registry's
// model versions). Read-only: it reads the index, Git and the DVC cache, and runs nothing.
import * as vscode from 'vscode';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FULL_SHA } from '../../core/workspace/revision';
import { lineageCardOf, linkedRuns } from '../../core/workspace/lineage';
import { commitInfo } from '../../core/workspace/experiments';
import { registryState } from '../../core/workspace/registry';
import type { LineageCard } from '../../core/lineage/types';
import { allModelVersionRefs, resolveModelRef } from '../../core/registry/resolve';
import type { ModelVersionRef } from '../../core/registry/types';
import type { CardLink } from '../../protocol/lineageCard';
import { COMMANDS } from '../commands';
import type { Engines } from '../engines';
import type { FolderEngine } from '../folderEngine';
import { lineageUri } from '../lineageDocuments';
import { pickEngine } from '../revisionPicker';
import { oneLine } from '../tooltips';
import { LineageCardPanel, type LineageCardSource } from './lineageCardPanel';

export interface LineageCommandDeps {
  engines: Engines;
  extensionUri: vscode.Uri;
  /** Selects the commit in the Runs view; false when the view does not show it. */
  revealCommit?(engine: FolderEngine, sha: string): Promise<boolean>;
}

export function registerLineageCommands(deps: LineageCommandDeps): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.showLineage, (arg?: unknown) =>
      showLineage(deps, arg).catch((error: Error) => {
        void vscode.window.showErrorMessage(`ML Lineage: ${error.message}`);
      }),
    ),
  ];
}

export function isModelVersionRef(value: unknown): value is ModelVersionRef {
  const r = value as Partial<ModelVersionRef> | null;
  return Boolean(
    r &&
    typeof r === 'object' &&
    typeof r.artifact === 'string' &&
    typeof r.version === 'string' &&
    typeof r.commit === 'string' &&
    FULL_SHA.test(r.commit) &&
    (r.path === null || typeof r.path === 'string') &&
    Array.isArray(r.stages),
  );
}

/** The Models view's version node as it is today: `{ kind: 'version', name, version, sha }`. */
function isVersionNode(value: unknown): value is { name: string; version: string; sha: string } {
  const n = value as { kind?: unknown; name?: unknown; version?: unknown; sha?: unknown } | null;
  return Boolean(
    n &&
    n.kind === 'version' &&
    typeof n.name === 'string' &&
    typeof n.version === 'string' &&
    typeof n.sha === 'string' &&
    FULL_SHA.test(n.sha),
  );
}

export async function showLineage(deps: LineageCommandDeps, arg?: unknown): Promise<LineageCardPanel | undefined> {
  await deps.engines.whenOpen();
  const wrapped = arg && typeof arg === 'object' && 'ref' in arg ? (arg as { ref: unknown; folder?: unknown }) : undefined;
  const given = wrapped ? wrapped.ref : arg;
  const folder = typeof wrapped?.folder === 'string' ? deps.engines.byFolder.get(wrapped.folder) : undefined;
  let engine: FolderEngine | undefined;
  let ref: ModelVersionRef | undefined;
  if (isModelVersionRef(given)) {
    ref = given;
    engine = folder ?? engineWithCommit(deps.engines, given.commit) ?? (await pickEngine(deps.engines));
  } else if (isVersionNode(given)) {
    engine = folder ?? engineWithCommit(deps.engines, given.sha) ?? (await pickEngine(deps.engines));
    if (engine?.repo) ref = await refOfVersion(engine, given);
  } else {
    engine = folder ?? (await pickEngine(deps.engines));
    if (engine?.repo) ref = await pickModelVersion(engine);
  }
  if (!engine?.ws || !engine.repo || !ref) return undefined;
  return LineageCardPanel.show(deps.extensionUri, new EngineLineageSource(engine, ref, deps));
}

function engineWithCommit(engines: Engines, sha: string): FolderEngine | undefined {
  return engines.list().find((e) => e.ws && commitInfo(e.ws, sha));
}

async function refOfVersion(engine: FolderEngine, node: { name: string; version: string; sha: string }): Promise<ModelVersionRef> {
  try {
    const ref = resolveModelRef(await registryState(engine.repo!.root), `${node.name}@${node.version}`);
    if (ref.commit === node.sha) return ref;
  } catch {
    // Not in the registry as read now (a tag being moved): the node's own facts still make a card.
  }
  return { artifact: node.name, version: node.version, commit: node.sha, path: null, type: null, stages: [], previousVersion: null };
}

async function pickModelVersion(engine: FolderEngine): Promise<ModelVersionRef | undefined> {
  const refs = allModelVersionRefs(await registryState(engine.repo!.root));
  if (refs.length === 0) {
    void vscode.window.showInformationMessage(
      "ML Lineage: no model versions in this repository's registry yet (Git tags like model@v1.0.0).",
    );
    return undefined;
  }
  const items = refs.map((ref) => ({
    label: `${oneLine(ref.artifact, 80)} ${oneLine(ref.version, 40)}`.replace(/\$\(/g, '$\u200b('),
    description: ref.stages.length ? oneLine(ref.stages.join(', '), 80) : undefined,
    // Not the path: the registry reads HEAD's declarations, and a version's own path is its commit's (the card shows it).
    detail: ref.commit.slice(0, 8),
    ref,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Show Lineage Card',
    placeHolder: 'Model version (type to filter)',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return picked?.ref;
}

class EngineLineageSource implements LineageCardSource {
  readonly key: string;
  readonly title: string;
  readonly onDidChangeIndex: vscode.Event<void>;

  constructor(
    private readonly engine: FolderEngine,
    private readonly ref: ModelVersionRef,
    private readonly deps: LineageCommandDeps,
  ) {
    this.key = `${engine.folder.uri.toString()}\n${ref.artifact}\n${ref.version}\n${ref.commit}`;
    this.title = `${ref.artifact} ${ref.version}`;
    this.onDidChangeIndex = deps.engines.onDidChange;
  }

  async load(): Promise<LineageCard> {
    await this.deps.engines.whenIndexed();
    const { ws, repo } = this.engine;
    if (!ws || !repo) throw new Error(`${this.engine.folder.name} has no index yet.`);
    // An index from before external runs were indexed has no linked runs (linkedRuns says none).
    return lineageCardOf(ws, this.ref, linkedRuns(ws, this.ref.commit));
  }

  async open(link: CardLink): Promise<void> {
    const sha = this.ref.commit;
    if (link.kind === 'revealCommit') {
      if (await this.deps.revealCommit?.(this.engine, sha)) return;
      void vscode.window.showInformationMessage(`ML Lineage: commit ${sha.slice(0, 8)} is not on a branch the Runs view shows.`);
      return;
    }
    if (link.kind === 'fileAtCommit') {
      const doc = await vscode.workspace.openTextDocument(
        lineageUri(this.engine, link.path, sha, `${this.ref.artifact} ${this.ref.version}`),
      );
      await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
      return;
    }
    const abs = join(this.engine.folder.uri.fsPath, ...link.path.split('/'));
    const uri = vscode.Uri.joinPath(this.engine.folder.uri, ...link.path.split('/'));
    if (!existsSync(abs)) throw new Error(`${link.path} is not in the workspace (dvc pull, then dvc checkout, brings DVC-tracked files).`);
    if (statSync(abs).isDirectory()) await vscode.commands.executeCommand('revealInExplorer', uri);
    else await vscode.commands.executeCommand('vscode.open', uri, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }
}
