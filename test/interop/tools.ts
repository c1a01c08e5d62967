import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The venv with the real DVC, GTO, MLflow and wandb (test/interop/requirements.txt), made by
 * scripts/interopVenv.sh. The suite fails when a tool is missing: CI installs them, so a
 * skip would only hide a broken install.
 */
export function interopVenv(): string {
  return process.env.LINEAGE_INTEROP_VENV ?? resolve(__dirname, '..', '..', '..', '.tools', 'interop-venv');
}

export function interopTool(name: 'dvc' | 'gto' | 'mlflow' | 'wandb' | 'python'): string {
  const path = join(interopVenv(), 'bin', name);
  if (!existsSync(path))
    throw new Error(`interop tool "${name}" is missing at ${path}: run scripts/interopVenv.sh (npm test does) or set LINEAGE_INTEROP_VENV`);
  return path;
}

/** Environment for running the tools: offline, quiet, no telemetry, no analytics. */
export function interopEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DVC_NO_ANALYTICS: '1',
    DVC_NO_UPDATE_CHECK: '1',
    GTO_NO_ANALYTICS: '1',
    WANDB_MODE: 'offline',
    WANDB_SILENT: 'true',
    WANDB_DISABLE_GIT: 'false',
    MLFLOW_ALLOW_FILE_STORE: 'true',
    MLFLOW_DISABLE_TELEMETRY: 'true',
    DO_NOT_TRACK: '1',
    PYTHONDONTWRITEBYTECODE: '1',
    ...extra,
  };
}
