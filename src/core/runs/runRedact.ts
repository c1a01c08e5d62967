// External runs carry what MLflow and W&B logged: git remotes (`https://bot:ghp_…@host/…`),
// tracking URIs, requirements with tokens in their URLs, tags. They are masked when a source is
// written to the index and again when a run is read back, for indexes written before.

import { redactDeep } from '../util/redact';
import type { ExternalRun } from './types';

/**
 * Params and names only lose secret-shaped text; tags and the logged environment also lose
 * values under secret names. Params are not judged by name: `pad_token` or `key_dim` are
 * hyperparameters. Metrics and step series are numbers and stay as they are.
 */
export function redactExternalRun(run: ExternalRun): ExternalRun {
  const { series, metrics, tags, environment, ...rest } = run;
  return {
    ...redactDeep(rest),
    series,
    metrics,
    tags: redactDeep(tags, true),
    environment: environment ? redactDeep(environment, true) : environment,
  };
}
