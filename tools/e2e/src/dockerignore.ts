/**
 * Which paths of the build context a .dockerignore leaves out, as the builder decides it: a
 * pattern matches a path or any directory above it; `*` and `?` stay within one path segment,
 * `**` spans any number of them; `!` re-includes; the last matching line wins. Character classes
 * are not supported here (an error, so that no pattern is silently misread).
 */
export function dockerignoreMatcher(text: string): (relativePath: string) => boolean {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const include = line.startsWith('!');
      const pattern = (include ? line.slice(1) : line).replace(/^\/+|\/+$/g, '');
      if (/[[\]\\]/.test(pattern)) throw new Error(`.dockerignore: the pattern ${line} uses syntax this check does not read`);
      return { include, regex: patternRegex(pattern) };
    });
  return (relativePath: string) => {
    const segments = relativePath.split('/');
    const candidates = segments.map((_s, i) => segments.slice(0, i + 1).join('/'));
    let ignored = false;
    for (const rule of rules) {
      if (candidates.some((c) => rule.regex.test(c))) ignored = !rule.include;
    }
    return ignored;
  };
}

function patternRegex(pattern: string): RegExp {
  const body = pattern
    .split('/')
    .map((segment) =>
      segment === '**'
        ? '\u0000'
        : segment
            .split('')
            .map((c) => (c === '*' ? '[^/]*' : c === '?' ? '[^/]' : c.replace(/[.+^${}()|]/g, '\\$&')))
            .join(''),
    )
    .join('/')
    // `**/` matches no segment or any number of them; a trailing `/**` anything below.
    .replace(/\u0000\//g, '(?:.*/)?')
    .replace(/\/\u0000$/, '(?:/.*)?')
    .replace(/\u0000/g, '.*');
  return new RegExp(`^${body}$`);
}
