// Words for a stage's state, shared by the Pipelines view, CodeLens, the DAG and the status
// document. Pure (no vscode import), tested in Node.
import { formatProblem, type ReproProblem, type StageChanges, type StageStatus } from '../../core/repro/types';
import { dvcStatusLines } from '../../core/workspace/repro';

/** What the editor shows for a stage: the engine's status plus what this session saw run. */
export type StageState = 'up-to-date' | 'changed' | 'never-run' | 'frozen' | 'running' | 'failed' | 'broken' | 'error';

export interface LiveMark {
  running?: boolean;
  failed?: { exitCode: number | null; message: string };
  /** Downstream of a stage that cannot run (cycle, overlapping out, refused): not runnable. */
  broken?: boolean;
  /** Problems of this stage or of its whole dvc.yaml/dvc.lock: its state cannot be trusted and a run is refused. */
  problems?: ReproProblem[];
}

export function stageState(s: StageStatus, live: LiveMark = {}): StageState {
  if (live.running) return 'running';
  // A problem outranks any state read from the files: "up to date" is never shown over it.
  if (live.problems?.length) return 'error';
  if (live.failed) return 'failed';
  if (live.broken) return 'broken';
  if (s.frozen) return 'frozen';
  if (s.changes.neverRun) return 'never-run';
  return s.upToDate ? 'up-to-date' : 'changed';
}

/** "deps data/raw, params lr, outs model.pkl, command": why a stage is out of date, short. */
export function changeSummary(c: StageChanges, max = 80): string {
  const deps: string[] = [];
  const params: string[] = [];
  for (const [path, v] of Object.entries(c.deps)) {
    if (typeof v === 'string') deps.push(path);
    else params.push(...Object.keys(v));
  }
  const parts: string[] = [];
  if (deps.length) parts.push(`deps ${deps.join(', ')}`);
  if (params.length) parts.push(`params ${params.join(', ')}`);
  const outs = Object.keys(c.outs);
  if (outs.length) parts.push(`outs ${outs.join(', ')}`);
  if (c.changedCommand) parts.push('command');
  if (c.alwaysChanged) parts.push('always changed');
  const text = parts.join(', ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One line for a tree description or a CodeLens: "up to date", "changed: deps data/raw", "failed (exit 2)". */
export function stateText(s: StageStatus, live: LiveMark = {}, max = 80): string {
  switch (stageState(s, live)) {
    case 'running':
      return 'running…';
    case 'failed':
      return live.failed!.exitCode === null ? 'failed' : `failed (exit ${live.failed!.exitCode})`;
    case 'broken':
      return 'cannot run (see problems)';
    case 'error': {
      const [first, ...rest] = live.problems!;
      // Another stage's problem (the file is in doubt) says whose it is.
      const own =
        !first.stage || [s.address, s.name, stageGroupOf(s.name)].includes(first.stage) || first.message.includes(`'${first.stage}'`);
      const text = `${first.kind === 'refused' ? 'refused' : 'error'}: ${own ? '' : `stage '${first.stage}': `}${first.message.replace(/\s+/g, ' ')}${rest.length ? ` (+${rest.length} more)` : ''}`;
      return text.length > max ? `${text.slice(0, max - 1)}…` : text;
    }
    case 'frozen': {
      const outs = Object.keys(s.changes.outs);
      return outs.length ? `frozen, outs ${outs.join(', ')} ${Object.values(s.changes.outs)[0]}` : 'frozen';
    }
    case 'never-run':
      return 'never run';
    case 'up-to-date':
      return 'up to date';
    case 'changed':
      return `changed: ${changeSummary(s.changes, max)}`;
  }
}

/**
 * `dvc status`-like text for some stages, then the up-to-date ones. Problems come first: with
 * any, nothing can be reproduced, so the page never opens with "up to date".
 */
export function statusDocument(
  title: string,
  stages: StageStatus[],
  problems: ReproProblem[],
  live: (s: StageStatus) => LiveMark = () => ({}),
): string {
  const lines: string[] = [`# ${title}`, ''];
  if (problems.length) {
    lines.push(`Problems (${problems.length}): reproduce is refused until they are fixed.`);
    for (const p of problems) lines.push(`\t${formatProblem(p)}`);
    lines.push('');
  }
  const upToDate: string[] = [];
  for (const s of stages) {
    const mark = live(s);
    const state = stageState(s, mark);
    if (state === 'up-to-date') {
      upToDate.push(s.address);
      continue;
    }
    lines.push(`${s.address}:${state === 'changed' ? '' : `  (${stateText(s, mark, 400)})`}`);
    if (mark.failed) lines.push(`\tlast run: ${mark.failed.message}`);
    if (state !== 'error') lines.push(...dvcStatusLines(s.changes, { deps: !s.changes.neverRun }));
  }
  if (stages.length === 0)
    lines.push(problems.length ? 'No pipeline stages could be read.' : 'No pipeline stages (no dvc.yaml, or none that parses).');
  else if (upToDate.length === stages.length && !problems.length) lines.push('Data and pipelines are up to date.');
  else if (upToDate.length) lines.push('', `Up to date: ${upToDate.join(', ')}`);
  return lines.join('\n') + '\n';
}

/**
 * 1-based lines of the keys under the top-level `stages:` of a dvc.yaml text, by key. Used
 * while the document has unsaved edits (the engine's lines are those of the file on disk).
 */
export function stageKeyLines(text: string): Map<string, number> {
  const out = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  let inStages = false;
  let indent: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^\s*(#|$)/.test(line)) continue;
    const lead = /^\s*/.exec(line)![0].length;
    if (lead === 0) {
      inStages = /^stages\s*:\s*(#.*)?$/.test(line);
      indent = undefined;
      continue;
    }
    if (!inStages) continue;
    indent ??= lead;
    if (lead !== indent) continue;
    const key = /^\s*(?:"([^"]+)"|'([^']+)'|([^\s:#][^:#]*?))\s*:(\s|$)/.exec(line);
    const name = key && (key[1] ?? key[2] ?? key[3]);
    if (name && !out.has(name)) out.set(name, i + 1);
  }
  return out;
}

/** The `stages:` key a stage came from: 'train' for 'train@small'. */
export function stageGroupOf(name: string): string {
  const at = name.indexOf('@');
  return at > 0 ? name.slice(0, at) : name;
}
