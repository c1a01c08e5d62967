import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { GitFixture } from '../helpers/gitFixture';
import { expectOk, runCliAsync } from '../helpers/runCli';
import type { RegistryState } from '../../src/core/registry/types';
import { interopEnv, interopTool } from './tools';
import { same } from './mlflowInterop';

/**
 * Builds a registry with the real MLflow (two runs with a logged model each, two versions, an
 * alias, a stage, a tagged model without versions) in the store argv[1] names, then prints
 * what MLflow's own client reads back, with each version's run commit.
 */
const BUILD_AND_DUMP = `
import json, sys, warnings
warnings.filterwarnings("ignore")
import mlflow, mlflow.pyfunc
from mlflow import MlflowClient

class Identity(mlflow.pyfunc.PythonModel):
    def predict(self, context, model_input):
        return model_input

uri, artifacts = sys.argv[1], sys.argv[2]
mlflow.set_tracking_uri(uri)
mlflow.set_registry_uri(uri)
c = MlflowClient()
mlflow.set_experiment(experiment_id=c.create_experiment("registry", artifact_location=artifacts))
runs = []
for i in range(2):
    with mlflow.start_run() as run:
        mlflow.pyfunc.log_model(name="model", python_model=Identity())
        runs.append(run.info.run_id)
for rid in runs:
    mlflow.register_model(f"runs:/{rid}/model", "clf")
c.set_registered_model_alias("clf", "champion", "1")
c.set_registered_model_alias("clf", "candidate", "2")
c.transition_model_version_stage("clf", "2", "Production")
c.transition_model_version_stage("clf", "1", "Archived")
c.create_registered_model("retired")
c.set_registered_model_tag("retired", "deprecated", "true")

out = []
for name in sorted(m.name for m in c.search_registered_models()):
    m = c.get_registered_model(name)
    versions = [c.get_model_version(name, v.version) for v in sorted(c.search_model_versions(f"name='{name}'"), key=lambda v: -int(v.version))]
    out.append({"name": name, "aliases": {a: str(v) for a, v in m.aliases.items()}, "tags": m.tags, "versions": [
        {"version": str(v.version), "stage": v.current_stage, "run_id": v.run_id, "aliases": sorted(v.aliases),
         "commit": c.get_run(v.run_id).data.tags.get("mlflow.source.git.commit") if v.run_id else None} for v in versions]})
print("DUMP " + json.dumps(out))
`;

interface Dumped {
  name: string;
  aliases: Record<string, string>;
  tags: Record<string, string>;
  versions: { version: string; stage: string; run_id: string | null; aliases: string[]; commit: string | null }[];
}

/** What MLflow reports, in the shape our registry state takes (stage unless None/Archived, plus aliases). */
function expected(dumped: Dumped[]): unknown {
  return dumped.map((m) => [
    m.name,
    m.tags.deprecated === 'true',
    m.versions.map((v) => {
      const stages = [...(['None', 'Archived'].includes(v.stage) ? [] : [v.stage]), ...v.aliases].sort();
      return [v.version, stages, v.run_id, v.commit ?? ''];
    }),
  ]);
}

const ours = (state: RegistryState) =>
  state.artifacts.map((a) => [a.name, a.deprecated, a.versions.map((v) => [v.version, v.stages, v.runId ?? null, v.commit])]);

describe('local MLflow registries written by the real MLflow (lineage registry --mlflow)', function () {
  this.timeout(300000);
  let repo: GitFixture;
  let head: string;
  const dumped: Record<'file' | 'sqlite', Dumped[]> = { file: [], sqlite: [] };

  before(() => {
    repo = GitFixture.create();
    head = repo.commit('registry script', { 'build_registry.py': BUILD_AND_DUMP });
    const stores = {
      file: [`file://${repo.dir}/fs/mlruns`, `file://${repo.dir}/fs/mlruns-artifacts`],
      sqlite: [`sqlite:///${repo.dir}/db/mlflow.db`, `file://${repo.dir}/db/artifacts`],
    } as const;
    repo.write({ 'db/.keep': '' });
    for (const kind of ['file', 'sqlite'] as const) {
      const out = execFileSync(interopTool('python'), ['build_registry.py', ...stores[kind]], {
        cwd: repo.dir,
        env: interopEnv(),
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const line = out.split('\n').find((l) => l.startsWith('DUMP '));
      assert.ok(line, `the MLflow script printed no dump for the ${kind} store:\n${out}`);
      dumped[kind] = JSON.parse(line.slice(5)) as Dumped[];
    }
  });
  after(() => repo?.cleanup());

  for (const [kind, path] of [
    ['file', 'fs/mlruns'],
    ['sqlite', 'db/mlflow.db'],
  ] as const) {
    it(`${kind} store: names, versions, stages, aliases, run ids and commits match MLflow's client`, async () => {
      const theirs = dumped[kind];
      // The script's own facts, so a silently empty dump cannot pass.
      same(
        'MLflow models',
        theirs.map((m) => [m.name, m.versions.length]),
        [
          ['clf', 2],
          ['retired', 0],
        ],
      );
      assert.ok(
        theirs[0].versions.every((v) => v.commit === head && v.run_id),
        JSON.stringify(theirs),
      );
      same(
        'MLflow aliases (model and versions agree)',
        [theirs[0].aliases, theirs[0].versions.map((v) => [v.version, v.stage, v.aliases])],
        [
          { champion: '1', candidate: '2' },
          [
            ['2', 'Production', ['candidate']],
            ['1', 'Archived', ['champion']],
          ],
        ],
      );
      const state = JSON.parse(expectOk(await runCliAsync(['registry', '--mlflow', path, '--json'], { repo: repo.dir }))) as RegistryState;
      same(`${kind} registry`, ours(state), expected(theirs));
      same(`${kind} stage map`, state.artifacts[0].stages, { Production: ['2'], candidate: ['2'], champion: ['1'] });
    });
  }

  it('discovers both stores in the workspace and prints them as tables', async () => {
    const table = expectOk(await runCliAsync(['registry', '--mlflow'], { repo: repo.dir }));
    const short = head.slice(0, 7);
    assert.match(
      table,
      new RegExp(
        `^db/mlflow\\.db \\(SQLite\\):\\nmodel .*\\nclf +2 +Production, candidate +[0-9a-f]{8} +${short}\\nclf +1 +champion +[0-9a-f]{8} +${short}\\nretired \\(deprecated\\) .*\\n\\nfs/mlruns \\(file store\\):\\n`,
      ),
      table,
    );
  });
});
