/**
 * The demo repository's model registry: GTO tags (annotated, GTO's default messages) telling
 * a realistic story. `classifier` (declared in artifacts.yaml from commit 41): versions
 * registered release by release, one deregistered (v0.8.0, trained on leaked test data),
 * staging and prod promoted with archive semantics (the previous holder unassigned), a
 * promotion of v1.2.0 to prod rolled back to v1.1.0, and the alias `champion` on v1.2.0.
 * `legacy-classifier` (the first pipeline's model, never declared) is deprecated once the
 * classifier replaces it.
 */

export interface DemoRegistryTag {
  name: string;
  /** Index on main of the tagged commit. */
  target: number;
  /** The tagger time: this many hours after main commit `after`. */
  after: number;
  hours: number;
  message: string;
}

const register = (a: string, v: string): string => `Registering artifact ${a} version ${v}`;
const deregister = (a: string, v: string): string => `Deregistering artifact ${a} version ${v}`;
const assign = (a: string, s: string, v: string): string => `Assigning stage ${s} to artifact ${a} version ${v}`;
const unassign = (a: string, s: string, v: string): string => `Unassigning stage '${s}' to artifact '${a}' version '${v}'`;

// [tag, target commit, time anchor commit, hours after the anchor, message]
const ROWS: [string, number, number, number, string][] = [
  ['legacy-classifier@v0.1.0', 10, 10, 3, register('legacy-classifier', 'v0.1.0')],
  ['legacy-classifier#prod#1', 10, 10, 4, assign('legacy-classifier', 'prod', 'v0.1.0')],
  ['legacy-classifier@v0.2.0', 20, 20, 3, register('legacy-classifier', 'v0.2.0')],
  ['legacy-classifier#prod!#2', 10, 20, 4, unassign('legacy-classifier', 'prod', 'v0.1.0')],
  ['legacy-classifier#prod#3', 20, 20, 5, assign('legacy-classifier', 'prod', 'v0.2.0')],
  ['legacy-classifier@deprecated', 20, 41, 6, "Deprecating artifact 'legacy-classifier'"],
  ['classifier@v0.8.0', 105, 105, 2, register('classifier', 'v0.8.0')],
  ['classifier@v0.9.0', 120, 120, 2, register('classifier', 'v0.9.0')],
  ['classifier@v0.8.0!', 105, 120, 3, deregister('classifier', 'v0.8.0')],
  ['classifier@v1.0.0', 140, 140, 2, register('classifier', 'v1.0.0')],
  ['classifier#prod#1', 140, 140, 5, assign('classifier', 'prod', 'v1.0.0')],
  ['classifier@v1.1.0', 172, 172, 2, register('classifier', 'v1.1.0')],
  ['classifier#staging#2', 172, 172, 3, assign('classifier', 'staging', 'v1.1.0')],
  ['classifier#prod#3', 172, 172, 30, assign('classifier', 'prod', 'v1.1.0')],
  ['classifier#prod!#4', 140, 172, 31, unassign('classifier', 'prod', 'v1.0.0')],
  ['classifier@v1.2.0', 195, 195, 2, register('classifier', 'v1.2.0')],
  ['classifier#staging!#5', 172, 195, 3, unassign('classifier', 'staging', 'v1.1.0')],
  ['classifier#staging#6', 195, 195, 4, assign('classifier', 'staging', 'v1.2.0')],
  ['classifier#prod!#7', 172, 195, 20, unassign('classifier', 'prod', 'v1.1.0')],
  ['classifier#prod#8', 195, 195, 21, assign('classifier', 'prod', 'v1.2.0')],
  // The rollback: v1.2.0 misbehaved in prod, v1.1.0 takes it back.
  ['classifier#prod!#9', 195, 195, 26, unassign('classifier', 'prod', 'v1.2.0')],
  ['classifier#prod#10', 172, 195, 27, assign('classifier', 'prod', 'v1.1.0')],
  ['classifier#champion#11', 195, 195, 28, assign('classifier', 'champion', 'v1.2.0')],
];

export const DEMO_REGISTRY_TAGS: DemoRegistryTag[] = ROWS.map(([name, target, after, hours, message]) => ({
  name,
  target,
  after,
  hours,
  message,
}));
