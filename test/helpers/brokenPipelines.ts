// Pipelines that are wrong in ordinary ways, shared by the CLI tier (ours refuses each with
// exit 2 and touches nothing) and the interop tier (what real DVC does with each).

import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitFixture } from './gitFixture';

export interface BrokenPipeline {
  name: string;
  yaml: string;
  files?: Record<string, string>;
  setup?: (dir: string) => void;
  /** What our stderr says. */
  message: RegExp;
  /**
   * Set where DVC 3.67 does not refuse the pipeline and we do, with what DVC does instead;
   * the interop tier checks that this is still so.
   */
  dvcAccepts?: string;
}

const stage = (body: string) => `stages:\n  train:\n    cmd: echo hi > model.txt\n${body}`;

export const BROKEN_PIPELINES: BrokenPipeline[] = [
  {
    name: 'an out of .',
    yaml: stage('    deps: [data/raw.csv]\n    outs: [.]\n'),
    message: /dvc\.yaml:2: stage: 'train' is within an output '\.' of another stage/,
  },
  { name: 'an out of ""', yaml: stage('    outs: [""]\n'), message: /is within an output '\.'/ },
  { name: 'an out of sub/..', yaml: stage('    outs: [data/..]\n'), message: /is within an output '\.'/ },
  {
    name: 'an out of ${outdir} with outdir: .',
    yaml: stage('    outs:\n    - ${outdir}\n'),
    files: { 'params.yaml': 'outdir: .\n' },
    message: /is within an output '\.'/,
  },
  { name: 'an out of .git', yaml: stage('    outs: [.git]\n'), message: /output '\.git' is inside Git's folder/ },
  { name: 'an out inside .git', yaml: stage('    outs: [.git/hooks]\n'), message: /output '\.git\/hooks' is inside Git's folder/ },
  { name: 'an out of .dvc', yaml: stage('    outs: [.dvc]\n'), message: /DVC file '\.dvc' cannot be an output\./ },
  { name: 'an out of dvc.yaml', yaml: stage('    outs: [dvc.yaml]\n'), message: /DVC file 'dvc\.yaml' cannot be an output\./ },
  {
    name: 'an out of a .dvc file',
    yaml: stage('    outs: [other.dvc]\n'),
    files: { 'other.dvc': 'outs:\n- path: other\n' },
    message: /DVC file 'other\.dvc' cannot be an output\./,
  },
  {
    name: 'an out of params.yaml',
    yaml: stage('    params: [lr]\n    outs: [params.yaml]\n'),
    message: /output 'params\.yaml' is a params file/,
  },
  {
    name: 'an out of the folder holding another dvc.yaml',
    yaml: stage('    outs: [sub]\n'),
    files: { 'sub/dvc.yaml': 'stages:\n  s:\n    cmd: echo\n' },
    dvcAccepts: 'deletes sub/ with the sub-project dvc.yaml before running the command',
    message: /stage: 'sub\/dvc\.yaml:s' is within an output 'sub'/,
  },
  {
    name: 'a dep equal to an out',
    yaml: stage('    deps: [data/raw.csv]\n    outs: [data/raw.csv]\n'),
    message: /Same item\(s\) are defined as both a dependency and an output in stage: train\./,
  },
  {
    name: 'a dep inside an out',
    yaml: stage('    deps: [data/raw.csv]\n    outs: [data]\n'),
    message: /Same item\(s\) are defined as both a dependency and an output/,
  },
  {
    name: 'a dep that is a parent folder of an out',
    yaml: stage('    deps: [data]\n    outs: [data/model.txt]\n'),
    message: /Same item\(s\) are defined as both a dependency and an output/,
  },
  {
    name: 'wdir: ..',
    yaml: stage('    wdir: ..\n    outs: [m]\n'),
    dvcAccepts: 'runs the command and fails only afterwards, on saving an out outside the repository',
    message: /leads outside the repository/,
  },
  {
    name: 'a sub-project out of .. (the repository)',
    yaml: 'stages: {}\n',
    files: { 'sub/dvc.yaml': 'stages:\n  s:\n    cmd: echo\n    outs: [..]\n' },
    message: /is within an output '\.\.'|within an output/,
  },
  {
    name: 'an out through a symlinked folder leading outside',
    yaml: stage('    outs: [link/model.txt]\n'),
    setup: (dir) => symlinkSync(mkdtempSync(join(tmpdir(), 'lineage-outside-')), join(dir, 'link')),
    dvcAccepts: 'deletes the out in the folder outside the repository before running',
    message: /leads outside the repository through a symbolic link/,
  },
  {
    name: 'an out through a symlinked folder into .git',
    yaml: stage('    outs: [gitlink/hooks]\n'),
    setup: (dir) => symlinkSync(join(dir, '.git'), join(dir, 'gitlink')),
    dvcAccepts: 'deletes .git/hooks through the link before running',
    message: /inside Git's folder/,
  },
  {
    name: 'two stages with one out',
    yaml: 'stages:\n  a:\n    cmd: echo > m\n    outs: [m]\n  b:\n    cmd: echo > m\n    outs: [m]\n',
    message: /dvc\.yaml:5: stage 'b': output 'm' is already specified in stage: 'a'/,
  },
  {
    name: 'a cycle',
    yaml: 'stages:\n  a:\n    cmd: cp n m\n    deps: [n]\n    outs: [m]\n  b:\n    cmd: cp m n\n    deps: [m]\n    outs: [n]\n',
    message: /Same item\(s\) are defined as both a dependency and an output in stages: a, b/,
  },
  // Pipelines that cannot be evaluated.
  { name: 'invalid YAML', yaml: 'stages:\n  train:\n    cmd: [echo\n  x: : :\n', message: /dvc\.yaml:\d+(:\d+)?: / },
  {
    name: 'an unknown stage key',
    yaml: stage('    outs: [m]\n    unknownkey: 1\n'),
    message: /dvc\.yaml:\d+(:\d+)?: stage 'train': .*unknown key 'unknownkey'/,
  },
  {
    name: 'a missing cmd',
    yaml: 'stages:\n  train:\n    deps: [data/raw.csv]\n',
    message: /dvc\.yaml:2(:\d+)?: stage 'train': .*'cmd' is required/,
  },
  {
    name: 'an undefined ${var}',
    yaml: 'stages:\n  train:\n    cmd: echo ${nope}\n',
    message: /dvc\.yaml:3(:\d+)?: .*Could not find 'nope'/,
  },
  {
    name: 'foreach over a scalar',
    yaml: 'stages:\n  train:\n    foreach: 3\n    do:\n      cmd: echo hi\n',
    message: /dvc\.yaml:3(:\d+)?: .*expected list\/dictionary, got int/,
  },
  {
    name: 'a dvc.lock whose md5 is not an md5',
    yaml: stage('    outs: [m]\n'),
    files: {
      'dvc.lock':
        "schema: '2.0'\nstages:\n  train:\n    cmd: echo hi > model.txt\n    outs:\n    - path: m\n      hash: md5\n      md5: nothex\n      size: 3\n",
    },
    dvcAccepts: 'takes the stage as changed and runs it',
    message: /dvc\.lock:8: md5 'nothex' of 'm' in stage 'train' is not an md5 hash/,
  },
  {
    name: 'a params file that cannot be read',
    yaml: stage('    params: [lr]\n    outs: [m]\n'),
    setup: (dir) => {
      rmSync(join(dir, 'params.yaml'));
      mkdirSync(join(dir, 'params.yaml'));
    },
    message: /params\.yaml: cannot read params\.yaml/,
  },
  {
    name: 'a params file that does not parse',
    yaml: stage('    params: [lr]\n    outs: [m]\n'),
    files: { 'params.yaml': 'lr: [0.1\n' },
    message: /params\.yaml/,
  },
];

/** A committed repository holding the pipeline (data/raw.csv, params.yaml, .dvc/config). */
export function makeBrokenPipeline(c: BrokenPipeline): GitFixture {
  const repo = GitFixture.create();
  repo.commit('pipeline', { '.dvc/config': '', 'data/raw.csv': 'a,b\n1,2\n', 'params.yaml': 'lr: 0.1\n', 'dvc.yaml': c.yaml, ...c.files });
  c.setup?.(repo.dir);
  return repo;
}
