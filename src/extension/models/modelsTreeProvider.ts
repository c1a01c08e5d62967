import * as vscode from 'vscode';
import type { Engines } from '../engines';
import type { FolderEngine } from '../folderEngine';
import { commitInfo } from '../../core/workspace/experiments';
import type { RegistryBackend, RegistryState } from '../../core/registry/types';
import { engineStateNode } from '../stateNodes';
import { modelNodes, modelTreeItem, versionNodes } from './modelNodes';
import type { ModelContext, ModelNode } from './modelNodeTypes';
import { registryBackendFor, registryBackendKind } from './registryBackends';
import { LocalMlflowRegistries, localMlflowChildren } from './localMlflowRegistries';
import { isLocalMlflowNode } from './mlflowLocalNodes';

interface Loaded {
  ctx: ModelContext;
  backend: RegistryBackend | null;
  state: RegistryState | null;
  error: string | null;
}

/**
 * Models view: model → versions (newest first, with stage and alias badges) → commit, from
 * the folder's registry (Git tags by default, or an MLflow server). States are read once per
 * refresh; index changes (new tags) refresh the view.
 */
export class ModelsTreeProvider implements vscode.TreeDataProvider<ModelNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ModelNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private readonly loads = new Map<FolderEngine, Promise<Loaded>>();
  private readonly localMlflow: LocalMlflowRegistries;

  constructor(
    private readonly engines: Engines,
    private readonly secrets?: vscode.SecretStorage,
    private readonly log?: vscode.LogOutputChannel,
  ) {
    this.localMlflow = new LocalMlflowRegistries(log);
    this.subscription = engines.onDidChange(() => this.refresh());
  }

  refresh(): void {
    this.loads.clear();
    this.localMlflow.clear();
    this.changed.fire(undefined);
  }

  /** The registry and its state for a folder (cached until the next refresh). */
  registryOf(engine: FolderEngine): Promise<Loaded> {
    let load = this.loads.get(engine);
    if (!load) {
      load = this.load(engine);
      this.loads.set(engine, load);
    }
    return load;
  }

  private async load(engine: FolderEngine): Promise<Loaded> {
    const root = engine.repo!.root;
    const ctx: ModelContext = { engine, backend: registryBackendKind(engine.folder.uri), root };
    let backend: RegistryBackend;
    try {
      backend = await registryBackendFor(root, engine.folder.uri, this.secrets, (m) =>
        this.log?.warn(`Registry (${engine.folder.name}): ${m}`),
      );
    } catch (error) {
      return { ctx, backend: null, state: null, error: (error as Error).message };
    }
    try {
      const state = await backend.read();
      for (const i of state.ignored) this.log?.info(`Registry (${engine.folder.name}): ignored tag ${JSON.stringify(i.tag)}: ${i.reason}`);
      return { ctx, backend, state, error: null };
    } catch (error) {
      this.log?.warn(`Registry (${engine.folder.name}): ${(error as Error).message}`);
      return { ctx, backend, state: null, error: (error as Error).message };
    }
  }

  getTreeItem(node: ModelNode): vscode.TreeItem {
    return modelTreeItem(node, this.engines.list().length > 1);
  }

  async getChildren(node?: ModelNode): Promise<ModelNode[]> {
    if (node?.kind === 'model') return versionNodes(node.ctx, node.artifact);
    if (node?.kind === 'version') {
      // An MLflow version whose source run has no git commit tag has no commit to show.
      if (!node.version.commit) return [];
      const { engine } = node.ctx;
      const subject = engine.ws ? (commitInfo(engine.ws, node.version.commit)?.subject ?? null) : null;
      return [
        {
          kind: 'commit',
          ctx: node.ctx,
          engine,
          rev: node.version.commit,
          label: node.version.commit.slice(0, 8),
          sha: node.version.commit,
          subject,
        },
      ];
    }
    if (node && isLocalMlflowNode(node)) return localMlflowChildren(node);
    if (node) return [];
    await this.engines.whenOpen();
    const out: ModelNode[] = [];
    for (const engine of this.engines.list()) {
      const state = engineStateNode(engine);
      // Without Git (workspace-only mode) there are no registry tags to read.
      if (state || !engine.repo?.gitDir) {
        if (state) out.push({ kind: 'message', text: state.text, icon: state.icon });
        continue;
      }
      const loaded = await this.registryOf(engine);
      // With Git tags as the registry, local MLflow registries are shown too, read-only.
      const local = loaded.ctx.backend === 'git' ? await this.localMlflow.nodes(loaded.ctx) : [];
      if (loaded.error !== null || !loaded.state) {
        out.push({ kind: 'message', icon: 'warning', text: `Registry: ${loaded.error}`, detail: loaded.error ?? undefined }, ...local);
        continue;
      }
      out.push(...modelNodes(loaded.ctx, loaded.state), ...local);
    }
    if (out.length === 0)
      out.push({
        kind: 'message',
        icon: 'info',
        text: 'No models yet: declare one in artifacts.yaml, or register a version with "Register New Version…".',
      });
    return out;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
