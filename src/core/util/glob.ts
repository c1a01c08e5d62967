/**
 * Gitignore-like path globs for settings: `*` within a path segment, `**` across segments,
 * `?` one character; a pattern without a slash matches a path segment anywhere (like
 * .gitignore), and a folder pattern also excludes everything below it.
 */
export function globToRegExp(glob: string): RegExp {
  const trimmed = glob.replace(/^\.?\/+/, '').replace(/\/+$/, '');
  let body = '';
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed[i];
    if (c === '*' && trimmed[i + 1] === '*') {
      body += trimmed[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += trimmed[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') body += '[^/]*';
    else if (c === '?') body += '[^/]';
    else body += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const anchored = trimmed.includes('/') ? `^${body}` : `^(?:.*/)?${body}`;
  return new RegExp(`${anchored}(?:/.*)?$`);
}

/** A predicate that is true for paths matching none of the globs. */
export function notExcluded(globs: readonly string[] | undefined): (path: string) => boolean {
  const patterns = (globs ?? []).filter((g) => g.trim() !== '').map(globToRegExp);
  if (patterns.length === 0) return () => true;
  return (path) => !patterns.some((p) => p.test(path));
}
