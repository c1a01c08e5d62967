// A model whose declaration and params change between versions, in a real Git repository with
// GTO registration tags: v1.0.0 declares clf at models/model.pkl, v1.1.0 moves it to
// models/v2/model.pkl, v1.2.0 declares a path no stage writes, v1.3.0 (HEAD) declares nothing.
// Five stages: prepare -> featurize -> train make the model; report and monitor are unrelated
// (their data and params must not show on the model's card). Metrics are a DVC-cached out.

import type { GitFixture } from '../../helpers/gitFixture';
import { cacheObject, md5 } from './lineageFixture';

export interface HistoryRepo {
  /** c1..c4, the commits of v1.0.0..v1.3.0. */
  shas: string[];
  modelMd5: string[];
  metricsText: string[];
}

interface Entry {
  path: string;
  md5: string;
  size: number;
  nfiles?: number;
}

const entry = (e: Entry) =>
  `    - path: ${e.path}\n      hash: md5\n      md5: ${e.md5}\n      size: ${e.size}\n${e.nfiles !== undefined ? `      nfiles: ${e.nfiles}\n` : ''}`;

function lockStage(name: string, deps: Entry[], params: Record<string, unknown>, outs: Entry[]): string {
  const p = Object.keys(params).length
    ? `    params:\n      params.yaml:\n${Object.entries(params)
        .map(([k, v]) => `        ${k}: ${JSON.stringify(v)}\n`)
        .join('')}`
    : '';
  return `  ${name}:\n    cmd: python src/${name}.py\n    deps:\n${deps.map(entry).join('')}${p}    outs:\n${outs.map(entry).join('')}`;
}

const file = (path: string, content: string): Entry => ({ path, md5: md5(content), size: content.length });
const dir = (path: string, tag: string, nfiles: number): Entry => ({ path, md5: `${md5(tag)}.dir`, size: 100 * nfiles, nfiles });

function dvcYaml(modelOut: string): string {
  const stage = (name: string, deps: string[], params: string[], outs: string[], extra = '') =>
    `  ${name}:\n    cmd: python src/${name}.py\n    deps:\n${deps.map((d) => `    - ${d}\n`).join('')}${params.length ? `    params:\n${params.map((k) => `    - ${k}\n`).join('')}` : ''}    outs:\n${outs.map((o) => `    - ${o}\n`).join('')}${extra}`;
  return `stages:\n${[
    stage('prepare', ['data/raw.csv', 'src/prepare.py'], ['prepare.split'], ['data/clean.csv']),
    stage('featurize', ['data/clean.csv'], ['featurize.ngrams'], ['data/features']),
    stage('train', ['data/features', 'src/train.py'], ['train.lr', 'train.epochs'], [modelOut], '    metrics:\n    - eval/metrics.json\n'),
    stage('report', ['data/other.csv', 'data/extra.json'], ['report.style'], ['reports/summary.html']),
    stage('monitor', ['data/live.csv', 'data/ref.csv'], [], ['reports/drift.json']),
  ].join('')}`;
}

/** Writes the four versions and tags them as GTO does (annotated registration tags). */
export function writeHistoryProject(repo: GitFixture): HistoryRepo {
  repo.write({ '.gitignore': '/.dvc/cache\n/data/raw.csv\n', '.dvc/config': '' });
  const raw = 'id,text\n1,good\n2,bad\n';
  const rawMd5 = cacheObject(repo, raw);
  const shas: string[] = [];
  const modelMd5: string[] = [];
  const metricsText: string[] = [];
  const versions = [
    { lr: 0.1, model: 'models/model.pkl', declared: 'clf:\n  type: model\n  path: models/model.pkl\n', acc: 0.8, cached: true },
    { lr: 0.05, model: 'models/v2/model.pkl', declared: 'clf:\n  type: model\n  path: models/v2/model.pkl\n', acc: 0.9, cached: false },
    { lr: 0.05, model: 'models/v2/model.pkl', declared: 'clf:\n  type: model\n  path: models/gone.onnx\n', acc: 0.9, cached: false },
    { lr: 0.01, model: 'models/v2/model.pkl', declared: null, acc: 0.95, cached: false },
  ];
  for (const [i, v] of versions.entries()) {
    const model = `model ${i + 1}`;
    modelMd5.push(md5(model));
    if (v.cached) cacheObject(repo, model);
    const metrics = JSON.stringify({ acc: v.acc });
    metricsText.push(metrics);
    if (v.cached) cacheObject(repo, metrics);
    const lock = `schema: '2.0'\nstages:\n${[
      lockStage('prepare', [file('data/raw.csv', raw), file('src/prepare.py', 'prep')], { 'prepare.split': 0.2 }, [
        file('data/clean.csv', `clean ${i}`),
      ]),
      lockStage('featurize', [file('data/clean.csv', `clean ${i}`)], { 'featurize.ngrams': 2 }, [dir('data/features', `features ${i}`, 3)]),
      lockStage(
        'train',
        [dir('data/features', `features ${i}`, 3), file('src/train.py', 'train')],
        { 'train.lr': v.lr, 'train.epochs': 5 },
        [file(v.model, model), file('eval/metrics.json', metrics)],
      ),
      lockStage('report', [file('data/other.csv', 'o'), file('data/extra.json', '{}')], { 'report.style': 'dark' }, [
        file('reports/summary.html', 'r'),
      ]),
      lockStage('monitor', [file('data/live.csv', 'l'), file('data/ref.csv', 'r')], {}, [file('reports/drift.json', 'd')]),
    ].join('')}`;
    const files: Record<string, string> = {
      'dvc.yaml': dvcYaml(v.model),
      'dvc.lock': lock,
      // Keys no model stage tracks: report.style (another stage's), seed (no stage's).
      'params.yaml': `prepare:\n  split: 0.2\nfeaturize:\n  ngrams: 2\ntrain:\n  lr: ${v.lr}\n  epochs: 5\nreport:\n  style: dark\nseed: 42\n`,
      'data/raw.csv.dvc': `outs:\n- md5: ${rawMd5}\n  size: ${raw.length}\n  hash: md5\n  path: raw.csv\n`,
      'src/prepare.py': 'prep',
      'src/train.py': 'train',
    };
    if (v.declared) files['artifacts.yaml'] = v.declared;
    else repo.remove('artifacts.yaml');
    // A sub-project declares its own model in dvc.yaml `artifacts:` at v1.0.0 only.
    if (i === 0) files['nlp/dvc.yaml'] = 'artifacts:\n  enc:\n    type: model\n    path: enc.bin\n';
    else repo.remove('nlp');
    shas.push(repo.commit(`Train v1.${i}.0`, files));
    repo.git('tag', '-a', '-m', `Registering artifact clf version v1.${i}.0`, `clf@v1.${i}.0`, shas[i]);
  }
  return { shas, modelMd5, metricsText };
}
