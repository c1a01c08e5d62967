/**
 * Gitignore-like path globs for settings: `*` within a path segment, `**` across segments,
 * `?` one character; a pattern without a slash matches a path segment anywhere (like
 * .gitignore), and a folder pattern also excludes everything below it.
 */
export function globToRegExp(glob: string): RegExp {
  const trimmed = glob.replace(/^\.?\/+/, '').replace(/\/+$/, '');
  const body = globBody(trimmed, '/');
  const anchored = trimmed.includes('/') ? `^${body}` : `^(?:.*/)?${body}`;
  return new RegExp(`${anchored}(?:/.*)?$`);
}

/** A glob over dotted metric keys (`*` within a segment, `**` across), matching the whole key. */
export function keyGlobToRegExp(glob: string): RegExp {
  return new RegExp(`^${globBody(glob, '.')}$`);
}

/** The regular expression body of a glob whose segments are separated by `sep`. */
function globBody(glob: string, sep: '/' | '.'): string {
  const notSep = sep === '/' ? '[^/]' : '[^.]';
  let body = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // "**/" may also match no folder at all: eval/**/m.json matches eval/m.json.
      const slash = sep === '/' && glob[i + 2] === '/';
      body += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') body += `${notSep}*`;
    else if (c === '?') body += notSep;
    else body += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return body;
}

/** A predicate that is true for paths matching none of the globs. */
export function notExcluded(globs: readonly string[] | undefined): (path: string) => boolean {
  const patterns = (globs ?? []).filter((g) => g.trim() !== '').map(globToRegExp);
  if (patterns.length === 0) return () => true;
  return (path) => !patterns.some((p) => p.test(path));
}
