// The store behind a Workspace, for the query modules of core. The adapters never import this
// file (a boundary test checks it): they reach the index only through the workspace modules.

import type { Store } from '../store/store';
import type { Workspace } from './workspace';

const stores = new WeakMap<Workspace, Store>();

export function bindStore(workspace: Workspace, store: Store): void {
  stores.set(workspace, store);
}

export function storeOf(workspace: Workspace): Store {
  const store = stores.get(workspace);
  if (!store) throw new Error('the workspace is closed');
  return store;
}

export function unbindStore(workspace: Workspace): Store | undefined {
  const store = stores.get(workspace);
  stores.delete(workspace);
  return store;
}
