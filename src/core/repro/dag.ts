// Stages of every dvc.yaml in one graph, linked the way DVC links them: a stage depends on
// another when one of its deps is, contains, or lies inside one of the other's outs. DVC
// refuses a repository whose graph has a cycle or two stages writing one out; so do we, with
// both stage names in the message, but only for the stages involved.

import type { StageDef } from '../formats/dvcYaml';
import { isUnder, resolveInRepo } from '../util/paths';
import type { WorkspaceProject } from './workspacePipelines';
import type { DataSource } from './dvcFiles';
import { stageAddress, type ReproProblem } from './types';

export interface DagStage {
  project: string;
  address: string;
  def: StageDef;
  dvcYaml: string;
  /** Repository-relative paths; entries that leave the repository are in `refused`. */
  deps: string[];
  outs: string[];
  refused: string[];
  /** Addresses of the stages producing this stage's deps. */
  upstream: string[];
  downstream: string[];
  /** Set for a `.dvc` data file: a stage without a command whose "lock" is the file itself. */
  source?: DataSource;
}

export interface Dag {
  /** Topological order (upstream first), file order kept among independent stages. */
  stages: DagStage[];
  byAddress: Map<string, DagStage>;
  problems: ReproProblem[];
  /** Addresses of stages that are part of a cycle or share an out: not runnable. */
  broken: Set<string>;
}

function repoPaths(project: string, paths: string[], refused: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p)) {
      refused.push(`${p}: remote paths are not supported by ML Lineage's repro`);
      continue;
    }
    const r = resolveInRepo(project, p);
    if (r.ok) out.push(r.path);
    else refused.push(r.reason);
  }
  return out;
}

const overlaps = (a: string, b: string): boolean => isUnder(a, b) || isUnder(b, a);

export function buildDag(projects: WorkspaceProject[], sources: DataSource[] = []): Dag {
  const stages: DagStage[] = [];
  for (const p of projects) {
    for (const def of p.def.stages) {
      const refused: string[] = [];
      stages.push({
        project: p.project,
        address: stageAddress({ project: p.project, name: def.name }),
        def,
        dvcYaml: p.dvcYaml,
        deps: repoPaths(
          p.project,
          def.deps.map((d) => d.projectPath),
          refused,
        ),
        outs: repoPaths(
          p.project,
          def.outs.map((o) => o.projectPath),
          refused,
        ),
        refused,
        upstream: [],
        downstream: [],
      });
    }
  }
  for (const src of sources) {
    const refused: string[] = [];
    stages.push({
      project: src.project,
      address: src.file,
      def: src.def,
      dvcYaml: src.file,
      deps: [],
      outs: repoPaths(
        src.project,
        src.def.outs.map((o) => o.projectPath),
        refused,
      ),
      refused,
      upstream: [],
      downstream: [],
      source: src,
    });
  }
  const problems: ReproProblem[] = [];
  const broken = new Set<string>();
  const where = (s: DagStage) => ({ file: s.dvcYaml, line: s.def.line, stage: s.address });

  // Two stages writing one path (or nested paths) cannot both own it.
  for (let i = 0; i < stages.length; i++) {
    for (let j = i + 1; j < stages.length; j++) {
      for (const a of stages[i].outs) {
        const b = stages[j].outs.find((o) => overlaps(a, o));
        if (b === undefined) continue;
        // DVC's OutputDuplicationError / OverlappingOutputPathsError (dvc/repo/trie.py), on one line.
        const message =
          a === b
            ? `output '${b}' is already specified in stage: '${stages[i].address}'; one path can be written by one stage only.`
            : `The output paths '${a}'('${stages[i].address}') and '${b}'('${stages[j].address}') overlap and are thus in the same tracked directory; outputs should be in separate tracked directories or tracked individually.`;
        problems.push({ ...where(stages[j]), message, kind: 'refused' });
        broken.add(stages[i].address).add(stages[j].address);
        break;
      }
    }
  }

  const byAddress = new Map(stages.map((s) => [s.address, s]));
  for (const s of stages) {
    for (const other of stages) {
      if (other === s) continue;
      if (s.deps.some((d) => other.outs.some((o) => overlaps(d, o)))) {
        s.upstream.push(other.address);
        other.downstream.push(s.address);
      }
    }
  }

  // Depth-first post-order gives upstream-first; a grey node reached again closes a cycle.
  const order: DagStage[] = [];
  const color = new Map<string, 'grey' | 'black'>();
  const path: string[] = [];
  const visit = (s: DagStage): void => {
    const c = color.get(s.address);
    if (c === 'black') return;
    if (c === 'grey') {
      const cycle = path.slice(path.indexOf(s.address));
      if (!cycle.every((a) => broken.has(a))) {
        // DVC's CyclicGraphError wording, with the cycle's path added.
        problems.push({
          ...where(s),
          kind: 'refused',
          message: `Same item(s) are defined as both a dependency and an output in stage${cycle.length > 1 ? 's' : ''}: ${cycle.join(', ')} (cycle ${[...cycle, s.address].map((a) => `'${a}'`).join(' -> ')}).`,
        });
      }
      for (const a of cycle) broken.add(a);
      return;
    }
    color.set(s.address, 'grey');
    path.push(s.address);
    for (const u of s.upstream) visit(byAddress.get(u)!);
    path.pop();
    color.set(s.address, 'black');
    order.push(s);
  };
  stages.forEach(visit);
  // Stages that depend on a broken one cannot run either.
  for (const s of order) if (s.upstream.some((u) => broken.has(u))) broken.add(s.address);
  return { stages: order, byAddress, problems, broken };
}

/** Resolves user targets (addresses, plain names, or 'dir/dvc.yaml') to stage addresses. */
export function resolveTargets(dag: Dag, targets: string[]): { addresses: string[]; unknown: string[] } {
  const addresses: string[] = [];
  const unknown: string[] = [];
  for (const t of targets) {
    const clean = t.replace(/^\.\//, '');
    if (dag.byAddress.has(clean)) {
      addresses.push(clean);
      continue;
    }
    // 'dvc.yaml:train' and 'sub/dvc.yaml:train' name one stage of one file.
    const colon = /^(.*dvc\.yaml):(.+)$/.exec(clean);
    if (colon) {
      const file = colon[1];
      const hits = dag.stages.filter((s) => s.dvcYaml === file && (s.def.name === colon[2] || s.def.group === colon[2]));
      if (hits.length) addresses.push(...hits.map((h) => h.address));
      else unknown.push(t);
      continue;
    }
    const file = clean.endsWith('dvc.yaml') ? clean : undefined;
    const matches = dag.stages.filter((s) => (file ? s.dvcYaml === file : s.def.name === clean || s.def.group === clean));
    if (matches.length === 0) unknown.push(t);
    else addresses.push(...matches.map((m) => m.address));
  }
  return { addresses: [...new Set(addresses)], unknown };
}

/** The targets plus everything upstream (default), only the targets, or the targets plus downstream. */
export function planStages(dag: Dag, targets: string[], mode: { singleItem?: boolean; downstream?: boolean }): DagStage[] {
  if (targets.length === 0) return dag.stages;
  const wanted = new Set(targets);
  if (!mode.singleItem) {
    const grow = (dir: 'upstream' | 'downstream') => {
      const queue = [...targets];
      while (queue.length) {
        const s = dag.byAddress.get(queue.pop()!)!;
        // A frozen stage is cut off from its dependencies, as in DVC's active graph.
        if (dir === 'upstream' && s.def.frozen) continue;
        for (const n of s[dir])
          if (!wanted.has(n)) {
            wanted.add(n);
            queue.push(n);
          }
      }
    };
    grow(mode.downstream ? 'downstream' : 'upstream');
  }
  return dag.stages.filter((s) => wanted.has(s.address));
}
