import {
  DEFAULT_MAX_PAGES,
  DEFAULT_MAX_RESPONSE_MB,
  DEFAULT_TIMEOUT_SECONDS,
  limitsFrom,
  type MlflowLimits,
} from '../core/mlflow/mlflowLimits';
import { UsageError } from './context';

/** parseArgs options shared by every command that talks to a tracking server. */
export const MLFLOW_LIMIT_OPTIONS = {
  'mlflow-max-pages': { type: 'string' },
  'mlflow-max-response-mb': { type: 'string' },
  'mlflow-timeout': { type: 'string' },
} as const;

export const MLFLOW_LIMITS_HELP = `  --mlflow-max-pages N        pages one paged search of the server may take (default ${DEFAULT_MAX_PAGES});
                              a server that repeats a page token is always stopped, with a warning
  --mlflow-max-response-mb N  largest answer read from the server, in MB (default ${DEFAULT_MAX_RESPONSE_MB})
  --mlflow-timeout SECONDS    give up on the server after this long in all (default ${DEFAULT_TIMEOUT_SECONDS})
`;

function positive(flag: string, value: string | undefined, whole: boolean): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0 || (whole && !Number.isInteger(n))) {
    throw new UsageError(`--${flag} ${JSON.stringify(value)}: expected a positive ${whole ? 'whole ' : ''}number`);
  }
  return n;
}

/** The limits the flags ask for (the reader's defaults for those not given); bad values are usage errors. */
export function mlflowLimitsFromFlags(values: {
  'mlflow-max-pages'?: string;
  'mlflow-max-response-mb'?: string;
  'mlflow-timeout'?: string;
}): MlflowLimits {
  return limitsFrom({
    maxPages: positive('mlflow-max-pages', values['mlflow-max-pages'], true),
    maxResponseMB: positive('mlflow-max-response-mb', values['mlflow-max-response-mb'], false),
    timeoutSeconds: positive('mlflow-timeout', values['mlflow-timeout'], false),
  });
}

/** Paging cut short is not fatal: the command goes on with what was read, and says so. */
export const warnOnStderr = (message: string): void => {
  process.stderr.write(`warning: ${message}\n`);
};
