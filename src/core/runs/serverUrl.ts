import { redactText } from '../util/redact';

/**
 * A tracking server URL as the index keys it: http(s) only, without credentials or fragment
 * (a `user:password@` part must never reach the index, the logs or a tooltip).
 */
export function normalizeServerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new Error(`MLflow tracking URI "${redact(text)}" is not a URL (expected http://host:port or https://…)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(
      `MLflow tracking URI "${redact(text)}" is not an http(s) server; local stores (mlruns/, mlflow.db) in the workspace are found without it`,
    );
  }
  url.username = '';
  url.password = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

/** True for a tracking URI that names a server (MLFLOW_TRACKING_URI may also be a file or sqlite URI). */
export function isServerUri(text: string | undefined): text is string {
  return Boolean(text && /^https?:\/\//i.test(text.trim()));
}

function redact(text: string): string {
  return redactText(text).slice(0, 200);
}
