// The one set of rules for what must never be recorded or shown: credentials inside URLs,
// tokens in well-known secret formats, and values whose name says they are secret. Applied
// when an environment or a run is written to the index and again when it is read back, so
// records written by older versions are covered too. The README ("What is recorded, and what
// is redacted") describes these rules for users; keep the two in step.

export const MASK = '***';

/**
 * Tests on one part of a variable or key name (upper case, trailing digits dropped). Parts,
 * not substrings, so PATH, KEYBOARD, KEYRING, TOKENIZERS, AUTHOR and COMPAT stay visible. The
 * rules lean to hiding: MONKEY, BYPASS or an AUTHORITY URL are hidden too, which costs little.
 * PWD is hidden even as the shell's working-directory variable: the record keeps the working
 * directory as `cwd`, and MYSQL_PWD-style names carry passwords.
 */
const SECRET_PARTS: RegExp[] = [
  /KEYS?$/,
  /TOKENS?$/,
  /SECRET/,
  /PASS/,
  /PWD$/,
  /^PATS?$/,
  /CRED(ENTIAL)?S?$/,
  /^AUTH(?!ORS?$)/,
  /OAUTH/,
  /COOKIE/,
  /SESSION/,
  /PRIVATE/,
  /^SIG(NATURE)?$/,
];
/** Whole names whose parts alone say nothing (Azure's AccountKey=… strings). */
const SECRET_NAMES = /CONNECTION_?STRING/i;

function nameParts(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[^A-Za-z0-9]+/)
    .map((p) => p.toUpperCase().replace(/\d+$/, ''))
    .filter(Boolean);
}

/** True when a variable, tag or key name marks its value as a secret (MY_API_KEY, GH_PAT, dbPassword). */
export function isSecretName(name: string): boolean {
  return SECRET_NAMES.test(name) || nameParts(name).some((part) => SECRET_PARTS.some((rule) => rule.test(part)));
}

/** scheme://userinfo@host: the whole userinfo goes (a token is often the user name alone). */
const URL_USERINFO = /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^\s/?#'"<>]*@/g;

/** Well-known token formats, kept recognisable by their prefix. */
const TOKEN_FORMATS: [RegExp, string][] = [
  [/\b(gh[pousr]_)[A-Za-z0-9]{20,}/g, '$1'], // GitHub
  [/\b(github_pat_)[A-Za-z0-9_]{20,}/g, '$1'],
  [/\b(glpat-)[A-Za-z0-9_-]{20,}/g, '$1'], // GitLab
  [/\b(hf_)[A-Za-z0-9]{30,}/g, '$1'], // Hugging Face
  [/\b(sk-)(?=[A-Za-z0-9_-]*\d)[A-Za-z0-9_-]{32,}/g, '$1'], // OpenAI, Anthropic (sk-ant-…)
  [/\b([sr]k_(?:live|test)_)[A-Za-z0-9]{16,}/g, '$1'], // Stripe
  [/\b(A(?:KIA|SIA))[0-9A-Z]{16}\b/g, '$1'], // AWS access key ids
  [/\b(AIza)[0-9A-Za-z_-]{35}/g, '$1'], // Google API keys
  [/\b(xox[abposr]-)[A-Za-z0-9-]{10,}/g, '$1'], // Slack
  [/\b(npm_)[A-Za-z0-9]{36}\b/g, '$1'],
  [/\b(pypi-)[A-Za-z0-9_-]{50,}/g, '$1'],
  [/\b(eyJ)[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, '$1'], // JWTs
  [/\b(Bearer\s+)[A-Za-z0-9._~+/-]{8,}=*/g, '$1'],
  [/(Authorization:\s*(?:\w+\s+)?)[^\s'"]+/gi, '$1'],
];
const PRIVATE_KEY = /(-----BEGIN [A-Z ]*PRIVATE KEY-----)[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g;

/**
 * NAME=value, --name=value and ?name=value (a query string) whose name is secret. Names stop
 * at `==` so pip's `name==1.0` pins are never read as assignments.
 */
const ASSIGNMENT = /(?<![\w.-])(--?)?([A-Za-z_][A-Za-z0-9_-]*)=(?!=)("[^"]*"|'[^']*'|[^\s&;|'"]+)/g;

/** One cheap test first: most values (numbers, names, paths) contain none of these. */
const MAYBE =
  /:\/\/|=|gh[pousr]_|github_pat_|glpat-|hf_|sk-|k_(?:live|test)_|A(?:KIA|SIA)|AIza|xox|npm_|pypi-|eyJ|Bearer|Authorization|PRIVATE KEY/i;

/** Every secret-shaped part of a free text (a command, a pip freeze line, a URL, a tag) masked. */
export function redactText(text: string): string {
  if (!MAYBE.test(text)) return text;
  let out = text.replace(PRIVATE_KEY, `$1${MASK}$2`).replace(URL_USERINFO, `$1${MASK}@`);
  for (const [pattern, keep] of TOKEN_FORMATS) out = out.replace(pattern, `${keep}${MASK}`);
  return out.replace(ASSIGNMENT, (whole, dashes: string | undefined, name: string) =>
    isSecretName(name) ? `${dashes ?? ''}${name}=${MASK}` : whole,
  );
}

/**
 * A copy with every string value through redactText. With `byName`, values under a secret
 * key name are masked whole (tags, tool metadata); keys themselves are kept.
 */
export function redactDeep<T>(value: T, byName = false): T {
  if (typeof value === 'string') return redactText(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, byName)) as T;
  // Plain objects only: a class instance (a timestamp value with its own toJSON) is kept whole.
  if (value && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = byName && isSecretName(k) && v !== null && typeof v !== 'object' && typeof v !== 'boolean' ? MASK : redactDeep(v, byName);
    }
    return out as T;
  }
  return value;
}

/** Environment variables: secret names dropped (and listed), the other values through redactText. */
export function redactVars(
  vars: Record<string, string>,
  redacted: readonly string[] = [],
): { vars: Record<string, string>; redacted: string[] } {
  const kept: Record<string, string> = {};
  const names = new Set(redacted);
  for (const [name, value] of Object.entries(vars)) {
    if (isSecretName(name)) names.add(name);
    else kept[name] = redactText(String(value));
  }
  return { vars: kept, redacted: [...names].sort() };
}
