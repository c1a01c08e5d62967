// Lineage question 5, "which environment": the record `lineage repro` kept for the stages that
// made the model (else any stage of the commit), else what a linked MLflow / W&B run logged.
// Also gives question 1 its dirty state.

import type { RunRecord } from '../repro/runRecords';
import type { ExternalRun } from '../runs/types';
import { isSecretName, MASK } from '../util/redact';
import type { EnvironmentRecord } from './types';

export interface ReproFound {
  project: string;
  stage: string;
  run: RunRecord;
  match: 'outs' | 'head';
}

const address = (f: ReproFound) => (f.project ? `${f.project}/dvc.yaml:${f.stage}` : f.stage);

/** The repro records of the model's stages when there are some, else all of the commit's. */
export function relevantRepro(found: ReproFound[], stages: string[]): ReproFound[] {
  const mine = found.filter((f) => stages.includes(address(f)));
  return mine.length > 0 ? mine : found;
}

export function reproRecord(f: ReproFound): EnvironmentRecord {
  const e = f.run.env;
  const facts: [string, string][] = [
    ['command', f.run.cmd],
    ['started', new Date(f.run.startedAt).toISOString()],
    ['status', `${f.run.status}${f.run.exitCode !== undefined ? ` (exit ${f.run.exitCode})` : ''}`],
  ];
  if (e.git?.head)
    facts.push([
      'git',
      `${e.git.head.slice(0, 12)}${e.git.branch ? ` on ${e.git.branch}` : ''}${e.git.dirty ? ', uncommitted changes' : e.git.dirty === false ? ', clean' : ''}`,
    ]);
  if (e.python) facts.push(['python', `${e.python.version} (${e.python.executable}), ${e.python.packages.length} packages`]);
  if (e.node) facts.push(['node', e.node]);
  if (e.os) facts.push(['os', `${e.os.platform} ${e.os.release} ${e.os.arch} on ${e.os.hostname}`]);
  if (e.cpu) facts.push(['cpu', `${e.cpu.count} × ${e.cpu.model}, ${(e.cpu.memoryBytes / 2 ** 30).toFixed(1)} GiB`]);
  facts.push(['gpu', e.gpus?.length ? e.gpus.map((g) => `${g.name} (driver ${g.driver}, ${g.memory})`).join('; ') : 'none found']);
  for (const [k, v] of Object.entries(e.vars ?? {})) facts.push([`$${k}`, v]);
  const label = `stage ${address(f)}, run by lineage repro${f.match === 'head' ? ' at this commit (its outputs differ from the ones recorded)' : ''}`;
  return { label, source: 'repro', facts, packages: e.python?.packages ?? [] };
}

/** Dirty state of the work tree when the model's stages ran, from the newest record that knows. */
export function dirtyFrom(found: ReproFound[]): { dirty: boolean; source: string } | null {
  const known = found.filter((f) => (f.run.dirty ?? f.run.env.git?.dirty) !== undefined).sort((a, b) => b.run.startedAt - a.run.startedAt);
  if (known.length === 0) return null;
  const f = known[0];
  const dirty = (f.run.dirty ?? f.run.env.git.dirty) === true;
  const changed = f.run.env.git?.changed ?? [];
  const what = dirty && changed.length ? ` (${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', …' : ''})` : '';
  return { dirty, source: `lineage repro of ${address(f)} at ${new Date(f.run.startedAt).toISOString()}${what}` };
}

const ENV_TAG = /(python|platform|os\b|host|cuda|gpu|torch|tensorflow|sklearn|docker|image|conda|pip|requirements)/i;

function flatten(value: unknown, prefix: string, out: [string, string][], depth = 0): void {
  if (out.length >= 200) return;
  if (value && typeof value === 'object' && !Array.isArray(value) && depth < 4) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out, depth + 1);
    return;
  }
  if (value === null || value === undefined) return;
  out.push([prefix, isSecretName(prefix) ? MASK : typeof value === 'string' ? value : JSON.stringify(value)]);
}

export function externalRecord(run: ExternalRun): EnvironmentRecord | null {
  const facts: [string, string][] = [];
  let packages: string[] = [];
  if (run.environment) {
    const { requirements, ...rest } = run.environment as Record<string, unknown> & { requirements?: unknown };
    flatten(rest, '', facts);
    if (Array.isArray(requirements)) packages = requirements.filter((p): p is string => typeof p === 'string');
    else if (typeof requirements === 'string')
      packages = requirements
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
  } else {
    for (const [k, v] of Object.entries(run.tags))
      if (ENV_TAG.test(k) && !k.startsWith('mlflow.source.git')) facts.push([k, isSecretName(k) ? MASK : v]);
  }
  if (facts.length === 0 && packages.length === 0) return null;
  const tool = run.source === 'mlflow' ? 'MLflow' : 'W&B';
  return { label: `${tool} run ${run.name ?? run.id} (${run.location})`, source: run.source, facts, packages };
}
