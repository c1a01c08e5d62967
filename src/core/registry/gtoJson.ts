/** `gto show --json` output, built from GTO's state (gto/api.py `_show_registry`). */
import type { RegistryEvent } from './types';
import {
  artifactActive,
  artifactEvents,
  artifactRegistered,
  latestRegistered,
  stageHolders,
  usedStages,
  type GtoState,
  type VersionSort,
} from './gtoState';

export interface GtoShowEntry {
  version: string | null;
  stage: Record<string, string | null>;
  registered: boolean;
  active: boolean;
}

/**
 * `stages`: the stage list GTO shows (the `.gto` config's `stages`, else the stages in use).
 * Deprecated artifacts are left out, as `gto show` does without `--deprecated`.
 */
export function gtoShow(
  state: GtoState,
  options: { stages?: string[] | null; deprecated?: boolean; sort?: VersionSort } = {},
): Record<string, GtoShowEntry> {
  const stages = options.stages ?? usedStages(state);
  const out: Record<string, GtoShowEntry> = {};
  for (const a of state.values()) {
    const active = artifactActive(a);
    if (!active && !options.deprecated) continue;
    const holders = stageHolders(a, { sort: options.sort ?? 'timestamp' });
    const stage: Record<string, string | null> = {};
    for (const s of stages) stage[s] = (holders.get(s) ?? []).join(', ') || null;
    out[a.name] = { version: latestRegistered(a)?.version ?? null, stage, registered: artifactRegistered(a), active };
  }
  return out;
}

/** Python's `json.dumps(value, indent=4)` (non-ASCII escaped, as Python does by default). */
export function pythonJson(value: unknown): string {
  return JSON.stringify(value, null, 4).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export interface GtoHistoryEntry {
  timestamp: string;
  artifact: string;
  event: string;
  priority: number;
  version: string | null;
  stage: string | null;
  commit: string;
  author: string | null;
  author_email: string | null;
  message: string;
  ref: string;
}

const EVENT_NAMES: Record<RegistryEvent['kind'], [string, number]> = {
  deprecate: ['deprecation', 2],
  register: ['registration', 3],
  deregister: ['deregistration', 4],
  assign: ['assignment', 5],
  unassign: ['unassignment', 6],
};

/** `gto history --json`: every tag event, newest first (time, then GTO's event priority). */
export function gtoHistory(state: GtoState): GtoHistoryEntry[] {
  const events = [...state.values()].flatMap((a) => artifactEvents(a).filter((e): e is RegistryEvent => e.kind !== 'commit'));
  const entries = events.map((e): GtoHistoryEntry => ({
    timestamp: pythonIso(e),
    artifact: e.artifact,
    event: EVENT_NAMES[e.kind][0],
    priority: EVENT_NAMES[e.kind][1],
    version: e.kind === 'deprecate' ? null : e.version,
    stage: e.stage,
    commit: e.commit,
    author: e.author,
    author_email: e.authorEmail,
    message: e.message,
    ref: e.tag,
  }));
  const time = new Map(entries.map((entry, i) => [entry, events[i].time]));
  return entries.sort((x, y) => time.get(x)! - time.get(y)! || x.priority - y.priority).reverse();
}

/** Python's isoformat of the tagger time: `+00:00`, never git's `Z`. */
export function pythonIso(e: RegistryEvent): string {
  const iso = e.timeIso ?? new Date(e.time * 1000).toISOString().replace(/\.\d{3}Z$/, '+00:00');
  return iso.replace(/Z$/, '+00:00');
}
