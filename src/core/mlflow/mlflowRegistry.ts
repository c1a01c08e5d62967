import type { RegistryBackend, RegistryState, RegistryWriteResult } from '../registry/types';
import { MlflowHttp, MlflowServerError, type MlflowHttpOptions } from './mlflowHttp';
import { allPages, isObject, shapeError } from './mlflowPaging';
import { DEPRECATED_TAG, registryState, type RawModelVersion, type RawRegisteredModel } from './mlflowRegistryState';
import { toMillis } from './mlflowRun';

interface RestModel {
  name: string;
  tags?: { key: string; value?: string }[];
  aliases?: { alias: string; version: string }[];
}
interface RestVersion {
  name: string;
  version: string;
  current_stage?: string;
  source?: string;
  run_id?: string;
  creation_timestamp?: number | string;
  user_id?: string;
}
interface RestRunInfo {
  run: {
    info: { artifact_uri?: string };
    data?: { tags?: { key: string; value?: string }[] };
    outputs?: { model_outputs?: { model_id: string }[] };
  };
}

/** Stage names MLflow's (deprecated) stage API knows; anything else is an alias. */
const STAGES: Record<string, string> = { staging: 'Staging', production: 'Production', archived: 'Archived', none: 'None' };
const RUN_ID = /^[0-9a-f]{32}$/i;
const PAGE = 1000;

/** The objects of a list a server sent; anything that is not a list reads as empty. */
function objects<T extends object>(value: T[] | undefined): T[] {
  return Array.isArray(value) ? ((value as unknown[]).filter(isObject) as T[]) : [];
}

function checkName(kind: string, name: string): void {
  if (!name || name.trim() !== name || /[\u0000-\u001f\u007f]/.test(name))
    throw new Error(`${kind} "${name}" is not a valid MLflow name (empty, surrounding spaces or control characters)`);
}

function checkVersion(version: string): void {
  if (!/^[1-9]\d*$/.test(version)) throw new Error(`MLflow model versions are positive integers; "${version}" is not one`);
}

/**
 * The model registry of an MLflow tracking server (a team's choice instead of Git tags): the
 * same operations, over REST. Deprecation has no MLflow equivalent: our convention is the
 * registered model tag `deprecated=true`, which the MLflow UI shows as a tag. Each operation
 * gets a fresh client, so the read's time budget counts per operation.
 */
export class MlflowRegistry implements RegistryBackend {
  readonly kind = 'mlflow' as const;
  /** The server and options; operations use fresh() copies of it. */
  private readonly http: MlflowHttp;

  constructor(
    readonly url: string,
    options: MlflowHttpOptions = {},
  ) {
    this.http = new MlflowHttp(url, options);
  }

  async read(): Promise<RegistryState> {
    const http = this.http.fresh();
    const models = new Map<string, RawRegisteredModel>();
    for (const m of await this.pages<RestModel>(http, 'registered-models/search', 'registered_models')) {
      models.set(m.name, {
        name: m.name,
        tags: Object.fromEntries(objects(m.tags).map((t) => [t.key, t.value ?? ''])),
        aliases: Object.fromEntries(objects(m.aliases).map((a) => [a.alias, String(a.version)])),
        versions: [],
      });
    }
    const runIds = new Set<string>();
    for (const v of await this.pages<RestVersion>(http, 'model-versions/search', 'model_versions')) {
      const version: RawModelVersion = {
        version: String(v.version),
        stage: v.current_stage ?? null,
        source: v.source ?? null,
        runId: v.run_id || null,
        createdAt: toMillis(v.creation_timestamp),
        user: v.user_id || null,
      };
      models.get(v.name)?.versions.push(version);
      if (version.runId) runIds.add(version.runId);
    }
    const commits = new Map<string, string>();
    for (const id of runIds) {
      try {
        const commit = (await this.run(http, id)).run.data?.tags?.find((t) => t.key === 'mlflow.source.git.commit')?.value;
        if (commit) commits.set(id, commit);
      } catch (error) {
        // A deleted source run leaves the version without a commit, which the view shows as unknown.
        if (!(error instanceof MlflowServerError) || error.status === null || error.status >= 500) throw error;
      }
    }
    return registryState([...models.values()], (id) => commits.get(id) ?? null);
  }

  async register(artifact: string, version: string | null, target: string): Promise<RegistryWriteResult> {
    checkName('model', artifact);
    const http = this.http.fresh();
    const actions: string[] = [];
    if (!(await this.modelExists(http, artifact))) {
      await http.post('registered-models/create', { name: artifact });
      actions.push(`registered-models/create ${artifact}`);
    }
    if (version !== null) {
      checkVersion(version);
      const existing = (
        await this.pages<RestVersion>(http, 'model-versions/search', 'model_versions', `name='${artifact.replace(/'/g, "\\'")}'`)
      ).map((v) => Number(v.version));
      const next = String(Math.max(0, ...existing) + 1);
      if (version !== next)
        throw new Error(`MLflow numbers versions itself: the next version of ${artifact} on ${this.http.base} is ${next}, not ${version}`);
    }
    const { source, runId, modelId } = await this.sourceOf(http, target);
    const created = await http.post<unknown>('model-versions/create', {
      name: artifact,
      source,
      ...(runId ? { run_id: runId } : {}),
      ...(modelId ? { model_id: modelId } : {}),
    });
    actions.push(`model-versions/create ${artifact} from ${source}`);
    const made = isObject(created) && isObject(created.model_version) ? created.model_version.version : undefined;
    if (typeof made !== 'string' && typeof made !== 'number')
      throw shapeError(
        http,
        http.describe('POST', 'model-versions/create'),
        'no model_version.version in the answer (the version may have been created: check the server)',
      );
    return { actions, message: `Registered ${artifact} version ${made} on ${http.base} (from ${source})` };
  }

  async assign(
    artifact: string,
    version: string,
    stage: string,
    options: { archiveExisting?: boolean } = {},
  ): Promise<RegistryWriteResult> {
    checkName('model', artifact);
    checkVersion(version);
    const mlflowStage = STAGES[stage.toLowerCase()];
    if (mlflowStage) {
      await this.http.fresh().post('model-versions/transition-stage', {
        name: artifact,
        version,
        stage: mlflowStage,
        archive_existing_versions: Boolean(options.archiveExisting) && mlflowStage !== 'None' && mlflowStage !== 'Archived',
      });
      return {
        actions: [`model-versions/transition-stage ${artifact} ${version} → ${mlflowStage}`],
        message: `${artifact} version ${version} is now in stage ${mlflowStage} on ${this.http.base}`,
      };
    }
    checkName('alias', stage);
    // An alias names one version at a time in MLflow, so setting it always moves it: archiveExisting is implied.
    await this.http.fresh().post('registered-models/alias', { name: artifact, alias: stage, version });
    return {
      actions: [`registered-models/alias ${artifact}@${stage} → ${version}`],
      message: `${artifact}@${stage} now points at version ${version} on ${this.http.base}`,
    };
  }

  async unassign(artifact: string, version: string, stage: string): Promise<RegistryWriteResult> {
    checkName('model', artifact);
    checkVersion(version);
    const mlflowStage = STAGES[stage.toLowerCase()];
    if (mlflowStage) {
      await this.http
        .fresh()
        .post('model-versions/transition-stage', { name: artifact, version, stage: 'None', archive_existing_versions: false });
      return {
        actions: [`model-versions/transition-stage ${artifact} ${version} → None`],
        message: `${artifact} version ${version} left stage ${mlflowStage} on ${this.http.base}`,
      };
    }
    await this.http.fresh().delete('registered-models/alias', { name: artifact, alias: stage });
    return {
      actions: [`registered-models/alias delete ${artifact}@${stage}`],
      message: `Alias ${stage} removed from ${artifact} on ${this.http.base}`,
    };
  }

  async deprecate(artifact: string): Promise<RegistryWriteResult> {
    checkName('model', artifact);
    await this.http.fresh().post('registered-models/set-tag', { name: artifact, key: DEPRECATED_TAG, value: 'true' });
    return {
      actions: [`registered-models/set-tag ${artifact} ${DEPRECATED_TAG}=true`],
      message: `${artifact} is marked deprecated (tag ${DEPRECATED_TAG}=true) on ${this.http.base}`,
    };
  }

  /** Every item of a registry search; an item without a name (and version) is a shape error, not a crash. */
  private async pages<T extends { name: string }>(http: MlflowHttp, path: string, field: string, filter?: string): Promise<T[]> {
    const items = await allPages(http, {
      method: 'GET',
      path,
      field,
      warn: (m) => http.warn(m),
      page: (token) => http.get(path, { max_results: PAGE, page_token: token, filter }),
    });
    for (const item of items) {
      const ok =
        isObject(item) &&
        typeof item.name === 'string' &&
        (field !== 'model_versions' || typeof item.version === 'string' || typeof item.version === 'number');
      if (!ok)
        throw shapeError(
          http,
          http.describe('GET', path),
          `an entry of "${field}" without a name${field === 'model_versions' ? ' and version' : ''}: ${JSON.stringify(item)?.slice(0, 80)}`,
        );
    }
    return items as T[];
  }

  /** runs/get, its lists kept only when they are lists of objects (a garbage answer never fails on .find()). */
  private async run(http: MlflowHttp, id: string): Promise<RestRunInfo> {
    const answer = await http.get<unknown>('runs/get', { run_id: id });
    if (!isObject(answer) || !isObject(answer.run))
      throw shapeError(http, http.describe('GET', 'runs/get'), `no "run" object for run ${id}`);
    const { info, data, outputs } = answer.run;
    return {
      run: {
        info: isObject(info) ? info : {},
        data: { tags: objects((isObject(data) ? data.tags : undefined) as object[] | undefined) },
        outputs: { model_outputs: objects((isObject(outputs) ? outputs.model_outputs : undefined) as object[] | undefined) },
      },
    } as RestRunInfo;
  }

  private async modelExists(http: MlflowHttp, name: string): Promise<boolean> {
    try {
      await http.get('registered-models/get', { name });
      return true;
    } catch (error) {
      if (error instanceof MlflowServerError && error.errorCode === 'RESOURCE_DOES_NOT_EXIST') return false;
      throw error;
    }
  }

  /**
   * What a version is created from: a URI as given (`runs:/<id>/<path>`, `models:/…`, s3://…),
   * or for a bare run id the model that run logged (MLflow 3 logged model, else the
   * `mlflow.log-model.history` entry), else the run's artifact root.
   */
  private async sourceOf(http: MlflowHttp, target: string): Promise<{ source: string; runId: string | null; modelId?: string }> {
    if (!RUN_ID.test(target)) {
      if (!/^[a-z][\w+.-]*:/i.test(target) && !target.startsWith('/'))
        throw new Error(`"${target}" is neither an MLflow run id nor a model source URI (runs:/<id>/<path>, models:/…, s3://…)`);
      const fromRun = /^runs:\/([0-9a-f]{32})\//i.exec(target);
      return { source: target, runId: fromRun ? fromRun[1] : null };
    }
    const { run } = await this.run(http, target);
    const logged = run.outputs?.model_outputs?.[0]?.model_id;
    if (logged) return { source: `models:/${logged}`, runId: target, modelId: logged };
    const history = run.data?.tags?.find((t) => t.key === 'mlflow.log-model.history')?.value;
    try {
      const first = history ? (JSON.parse(history) as { artifact_path?: string }[])[0]?.artifact_path : undefined;
      if (first) return { source: `runs:/${target}/${first}`, runId: target };
    } catch {
      // an unreadable history tag: fall back to the artifact root
    }
    if (!run.info.artifact_uri) throw new Error(`run ${target} on ${this.http.base} has no artifact location to register`);
    return { source: run.info.artifact_uri, runId: target };
  }
}
