import { spawnSync } from 'node:child_process';

/**
 * The first Python that imports every module of `modules` (a peer's packages, e.g. ['sklearn']):
 * $PYTHON, then Debian's own /usr/bin/python3 (where python3-sklearn and python3-xgboost install,
 * which a pyenv python3 first on the PATH hides), then python3 on the PATH. null when none does:
 * the bench then skips the peer and says so.
 */
export function pythonWith(modules: readonly string[]): string | null {
  const candidates = [process.env.PYTHON, '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);
  const probe = `import ${modules.join(', ')}`;
  return candidates.find((p) => spawnSync(p, ['-c', probe], { stdio: 'ignore' }).status === 0) ?? null;
}
