import type { RegistryBackend, RegistryState, RegistryWriteResult } from '../registry/types';
import { MlflowHttp, MlflowServerError, type MlflowHttpOptions } from './mlflowHttp';
import { DEPRECATED_TAG, registryState, type RawModelVersion, type RawRegisteredModel } from './mlflowRegistryState';
import { toMillis } from './mlflowRun';

interface RestModel { name: string; tags?: { key: string; value?: string }[]; aliases?: { alias: string; version: string }[] }
interface RestVersion { name: string; version: string; current_stage?: string; source?: string; run_id?: string; creation_timestamp?: number | string; user_id?: string }
interface RestRunInfo { run: { info: { artifact_uri?: string }; data?: { tags?: { key: string; value?: string }[] }; outputs?: { model_outputs?: { model_id: string }[] } } }

/** Stage names MLflow's (deprecated) stage API knows; anything else is an alias. */
const STAGES: Record<string, string> = { staging: 'Staging', production: 'Production', archived: 'Archived', none: 'None' };
const RUN_ID = /^[0-9a-f]{32}$/i;
const PAGE = 1000;

function checkName(kind: string, name: string): void {
  if (!name || name.trim() !== name || /[\u0000-\u001f\u007f]/.test(name)) throw new Error(`${kind} "${name}" is not a valid MLflow name (empty, surrounding spaces or control characters)`);
}

function checkVersion(version: string): void {
  if (!/^[1-9]\d*$/.test(version)) throw new Error(`MLflow model versions are positive integers; "${version}" is not one`);
}

/**
 * The model registry of an MLflow tracking server (a team's choice instead of Git tags): the
 * same operations, over REST. Deprecation has no MLflow equivalent: our convention is the
 * registered model tag `deprecated=true`, which the MLflow UI shows as a tag.
 */
export class MlflowRegistry implements RegistryBackend {
  readonly kind = 'mlflow' as const;
  private readonly http: MlflowHttp;

  constructor(readonly url: string, options: MlflowHttpOptions = {}) {
    this.http = new MlflowHttp(url, options);
  }

  async read(): Promise<RegistryState> {
    const models = new Map<string, RawRegisteredModel>();
    for (const m of await this.pages<RestModel>('registered-models/search', 'registered_models')) {
      models.set(m.name, {
        name: m.name,
        tags: Object.fromEntries((m.tags ?? []).map((t) => [t.key, t.value ?? ''])),
        aliases: Object.fromEntries((m.aliases ?? []).map((a) => [a.alias, String(a.version)])),
        versions: [],
      });
    }
    const runIds = new Set<string>();
    for (const v of await this.pages<RestVersion>('model-versions/search', 'model_versions')) {
      const version: RawModelVersion = {
        version: String(v.version), stage: v.current_stage ?? null, source: v.source ?? null, runId: v.run_id || null,
        createdAt: toMillis(v.creation_timestamp), user: v.user_id || null,
      };
      models.get(v.name)?.versions.push(version);
      if (version.runId) runIds.add(version.runId);
    }
    const commits = new Map<string, string>();
    for (const id of runIds) {
      try {
        const commit = (await this.run(id)).run.data?.tags?.find((t) => t.key === 'mlflow.source.git.commit')?.value;
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
    const actions: string[] = [];
    if (!(await this.modelExists(artifact))) {
      await this.http.post('registered-models/create', { name: artifact });
      actions.push(`registered-models/create ${artifact}`);
    }
    if (version !== null) {
      checkVersion(version);
      const existing = (await this.pages<RestVersion>('model-versions/search', 'model_versions', `name='${artifact.replace(/'/g, "\\'")}'`)).map((v) => Number(v.version));
      const next = String(Math.max(0, ...existing) + 1);
      if (version !== next) throw new Error(`MLflow numbers versions itself: the next version of ${artifact} on ${this.http.base} is ${next}, not ${version}`);
    }
    const { source, runId, modelId } = await this.sourceOf(target);
    const created = await this.http.post<{ model_version: { version: string } }>('model-versions/create', { name: artifact, source, ...(runId ? { run_id: runId } : {}), ...(modelId ? { model_id: modelId } : {}) });
    actions.push(`model-versions/create ${artifact} from ${source}`);
    return { actions, message: `Registered ${artifact} version ${created.model_version.version} on ${this.http.base} (from ${source})` };
  }

  async assign(artifact: string, version: string, stage: string, options: { archiveExisting?: boolean } = {}): Promise<RegistryWriteResult> {
    checkName('model', artifact);
    checkVersion(version);
    const mlflowStage = STAGES[stage.toLowerCase()];
    if (mlflowStage) {
      await this.http.post('model-versions/transition-stage', { name: artifact, version, stage: mlflowStage, archive_existing_versions: Boolean(options.archiveExisting) && mlflowStage !== 'None' && mlflowStage !== 'Archived' });
      return { actions: [`model-versions/transition-stage ${artifact} ${version} → ${mlflowStage}`], message: `${artifact} version ${version} is now in stage ${mlflowStage} on ${this.http.base}` };
    }
    checkName('alias', stage);
    // An alias names one version at a time in MLflow, so setting it always moves it: archiveExisting is implied.
    await this.http.post('registered-models/alias', { name: artifact, alias: stage, version });
    return { actions: [`registered-models/alias ${artifact}@${stage} → ${version}`], message: `${artifact}@${stage} now points at version ${version} on ${this.http.base}` };
  }

  async unassign(artifact: string, version: string, stage: string): Promise<RegistryWriteResult> {
    checkName('model', artifact);
    checkVersion(version);
    const mlflowStage = STAGES[stage.toLowerCase()];
    if (mlflowStage) {
      await this.http.post('model-versions/transition-stage', { name: artifact, version, stage: 'None', archive_existing_versions: false });
      return { actions: [`model-versions/transition-stage ${artifact} ${version} → None`], message: `${artifact} version ${version} left stage ${mlflowStage} on ${this.http.base}` };
    }
    await this.http.delete('registered-models/alias', { name: artifact, alias: stage });
    return { actions: [`registered-models/alias delete ${artifact}@${stage}`], message: `Alias ${stage} removed from ${artifact} on ${this.http.base}` };
  }

  async deprecate(artifact: string): Promise<RegistryWriteResult> {
    checkName('model', artifact);
    await this.http.post('registered-models/set-tag', { name: artifact, key: DEPRECATED_TAG, value: 'true' });
    return { actions: [`registered-models/set-tag ${artifact} ${DEPRECATED_TAG}=true`], message: `${artifact} is marked deprecated (tag ${DEPRECATED_TAG}=true) on ${this.http.base}` };
  }

  private async pages<T>(path: string, field: string, filter?: string): Promise<T[]> {
    const out: T[] = [];
    let token: string | undefined;
    do {
      const page = await this.http.get<Record<string, unknown>>(path, { max_results: PAGE, page_token: token, filter });
      out.push(...((page[field] as T[] | undefined) ?? []));
      token = (page.next_page_token as string | undefined) || undefined;
    } while (token);
    return out;
  }

  private run(id: string): Promise<RestRunInfo> {
    return this.http.get<RestRunInfo>('runs/get', { run_id: id });
  }

  private async modelExists(name: string): Promise<boolean> {
    try {
      await this.http.get('registered-models/get', { name });
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
  private async sourceOf(target: string): Promise<{ source: string; runId: string | null; modelId?: string }> {
    if (!RUN_ID.test(target)) {
      if (!/^[a-z][\w+.-]*:/i.test(target) && !target.startsWith('/')) throw new Error(`"${target}" is neither an MLflow run id nor a model source URI (runs:/<id>/<path>, models:/…, s3://…)`);
      const fromRun = /^runs:\/([0-9a-f]{32})\//i.exec(target);
      return { source: target, runId: fromRun ? fromRun[1] : null };
    }
    const { run } = await this.run(target);
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
