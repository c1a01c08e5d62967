// The experiment hash DVC puts in the commit message (executor/base.py hash_exp): the dvc.lock
// entries (to_lockfile) of the stages a run reproduced, merged into one dict by stage name, as
// json.dumps(sort_keys=True) hashed with sha256 (dvc/utils dict_sha256). A run that reproduced
// nothing hashes `{}`.

import { createHash } from 'node:crypto';
import { pyJsonDumps } from '../python/pyJson';
import type { PyValue } from '../python/pyFloat';
import { pyStrCompare } from '../repro/lockWriter';
import { loadYamlSafe } from '../yamlRoundTrip/yamlLoad';

/** json.dumps(value, sort_keys=True): every mapping's keys in Python's sorted() order. */
export function sortedJsonDumps(value: PyValue): string {
  const sort = (v: PyValue): PyValue => {
    if (Array.isArray(v)) return v.map(sort);
    if (v instanceof Map) return new Map([...v].sort(([a], [b]) => pyStrCompare(String(a), String(b))).map(([k, x]) => [k, sort(x)]));
    return v;
  };
  return pyJsonDumps(sort(value));
}

/** dict_sha256 of the merged lock entries (stage name -> entry, later stages winning). */
export function expHashOf(entries: [string, PyValue][]): string {
  const merged = new Map<string, PyValue>();
  for (const [name, entry] of entries) merged.set(name, entry);
  return createHash('sha256').update(sortedJsonDumps(merged), 'utf8').digest('hex');
}

/** A stage's entry in a dvc.lock text, with Python's types, or undefined. */
export function lockEntryOf(lockText: string, stage: string): PyValue | undefined {
  const loaded = loadYamlSafe(lockText);
  if (!loaded.ok || !(loaded.value instanceof Map)) return undefined;
  const stages = loaded.value.get('stages');
  return stages instanceof Map ? stages.get(stage) : undefined;
}

/** The commit message DVC writes when none is given. */
export function expCommitMessage(hash: string): string {
  return `dvc: commit experiment ${hash}`;
}
