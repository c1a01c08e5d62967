// The failures the adapters tell apart: a store that cannot be used, a git that failed, a
// revision name that resolves to nothing. Each message already says what and where.

export { StoreError, storeFault, type StoreProblem } from '../store/store';
export { GitError } from '../git/exec';
export { RevisionError } from '../query/revisions';
export { RunRevisionError } from '../runs/runRevision';
