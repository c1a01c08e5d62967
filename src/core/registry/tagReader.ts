import { runGitText } from '../git/exec';
import { FULL_SHA } from '../git/objectId';
import { looksLikeRegistryTag, parseRegistryTag } from './tagGrammar';
import type { RegistryEvent } from './types';

export interface RegistryTags {
  /** Annotated registry tags as events; an assignment's `version` is resolved later (buildGtoState). */
  events: RegistryEvent[];
  ignored: { tag: string; reason: string }[];
  /** Committer time of every tagged commit, seconds (GTO's enrichment events use it). */
  commitTimes: Map<string, number>;
  /** Every tag name, for "tag exists" checks before writing. */
  names: Set<string>;
  /** Highest `#N` counter per artifact over all its tags, annotated or not (GTO counts both). */
  counters: Map<string, number>;
}

const FIELDS = [
  '%(refname)',
  '%(objecttype)',
  '%(objectname)',
  '%(*objectname)',
  '%(*objecttype)',
  '%(taggerdate:unix)',
  '%(taggername)',
  '%(taggeremail)',
  '%(*committerdate:unix)',
  '%(taggerdate:iso-strict)',
  '%(contents)',
];
// NUL separates fields; NUL + SOH ends a record, since a tag message can hold newlines.
const FORMAT = FIELDS.join('%00') + '%00%01';

function stripEmail(email: string): string | null {
  const trimmed = email.replace(/^<|>$/g, '');
  return trimmed === '' ? null : trimmed;
}

/** Reads every tag with one `git for-each-ref` and keeps the ones GTO would act on. */
export async function readRegistryTags(root: string): Promise<RegistryTags> {
  const out = await runGitText(root, ['for-each-ref', `--format=${FORMAT}`, 'refs/tags']);
  const events: RegistryEvent[] = [];
  const ignored: { tag: string; reason: string }[] = [];
  const commitTimes = new Map<string, number>();
  const names = new Set<string>();
  const counters = new Map<string, number>();
  for (const record of out.split('\0\x01\n')) {
    if (!record) continue;
    const [ref, type, oid, peeled, peeledType, taggerTime, taggerName, taggerEmail, committerTime, isoTime, contents] = record.split('\0');
    const tag = ref.slice('refs/tags/'.length);
    names.add(tag);
    const parsed = parseRegistryTag(tag);
    if (parsed?.counter !== null && parsed?.counter !== undefined)
      counters.set(parsed.artifact, Math.max(counters.get(parsed.artifact) ?? 0, parsed.counter));
    if (!parsed) {
      if (looksLikeRegistryTag(tag))
        ignored.push({ tag, reason: "not in GTO's tag grammar (name@vX.Y.Z, name@vX.Y.Z!, name#stage#N, name#stage!#N, name@deprecated)" });
      continue;
    }
    if (type !== 'tag') {
      ignored.push({ tag, reason: 'lightweight tag (GTO reads annotated tags only)' });
      continue;
    }
    if (peeledType !== 'commit' || !FULL_SHA.test(peeled)) {
      ignored.push({ tag, reason: `points at a ${peeledType || 'missing object'}, not a commit` });
      continue;
    }
    const time = Number(taggerTime);
    if (!taggerTime || !Number.isFinite(time)) {
      ignored.push({ tag, reason: `annotated tag ${oid.slice(0, 7)} has no tagger date` });
      continue;
    }
    commitTimes.set(peeled, Number(committerTime) || 0);
    events.push({
      kind: parsed.action,
      tag,
      artifact: parsed.artifact,
      version: parsed.version,
      stage: parsed.stage,
      counter: parsed.counter,
      commit: peeled,
      time,
      timeIso: isoTime || undefined,
      author: taggerName || null,
      authorEmail: stripEmail(taggerEmail ?? ''),
      message: (contents ?? '').trim(),
    });
  }
  return { events, ignored, commitTimes, names, counters };
}
