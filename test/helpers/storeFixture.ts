import { openRepo } from '../../src/core/git/repo';
import { Store } from '../../src/core/store/store';
import { indexRepository, type IndexReport, type IndexOptions } from '../../src/core/indexer/indexer';

/** Opens the repo and a store inside its folder, indexes, and returns both (caller closes). */
export async function indexFolder(
  dir: string,
  options: IndexOptions = {},
  storeFile = `${dir}.sqlite`,
): Promise<{ store: Store; report: IndexReport; storeFile: string }> {
  const repo = await openRepo(dir);
  const store = Store.open(storeFile);
  const report = await indexRepository(repo, store, options);
  return { store, report, storeFile };
}
