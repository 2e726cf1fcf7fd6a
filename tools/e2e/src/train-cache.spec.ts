/**
 * `nx run train:train` with Nx's cache: the trained bundle is cached in a directory of its own
 * (dist/trained, the output of train:bundle) and published from there into models/ by --from-bundle,
 * which only ever adds a version and switches `current`. A cache hit can therefore never remove or
 * overwrite a bundle it did not make, nor a tracked file of models/.
 */
import { existsSync, readdirSync, readFileSync, readlinkSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { freshCopy, run } from './scratch';

jest.setTimeout(300_000);

/** Every file below `dir` with its SHA-256, to compare a directory before and after. */
function digest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, file)] = createHash('sha256').update(readFileSync(file)).digest('hex');
  }
  return out;
}

describe('nx run train:train with an unrelated bundle in models/', () => {
  it('trains, caches, restores and publishes without touching what it did not make', () => {
    const copy = freshCopy('train-cache');
    try {
      const nx = (...args: string[]) => run(process.execPath, [path.join(copy.dir, 'node_modules/nx/dist/bin/nx.js'), ...args, '--outputStyle=stream'], { cwd: copy.dir });
      // An unrelated bundle, as a user's earlier training (another model) would have left.
      const earlier = run(process.execPath, ['tools/run-ts.mjs', 'apps/train/src/main.ts', '--out', 'models', '--models', 'lr', '--resamples', '10'], { cwd: copy.dir });
      expect(earlier.status).toBe(0);
      const unrelatedVersion = readlinkSync(path.join(copy.dir, 'models/current'));
      const unrelated = digest(path.join(copy.dir, 'models', unrelatedVersion));
      const readme = readFileSync(path.join(copy.dir, 'models/README.md'), 'utf8');

      const trained = nx('run', 'train:train');
      expect(trained.status).toBe(0);
      const published = readlinkSync(path.join(copy.dir, 'models/current'));
      expect(published).not.toBe(unrelatedVersion);

      // A test-only edit: the bundle is restored from the cache, and published again as the same version.
      appendFileSync(path.join(copy.dir, 'libs/models/src/test-fixtures/synthetic-classification.ts'), '\n// edited\n');
      const again = nx('run', 'train:train');
      expect(again.status).toBe(0);
      expect(again.output).toMatch(/existing outputs match the cache|\[local cache\]/);
      expect(readlinkSync(path.join(copy.dir, 'models/current'))).toBe(published);

      expect(digest(path.join(copy.dir, 'models', unrelatedVersion))).toEqual(unrelated);
      expect(readFileSync(path.join(copy.dir, 'models/README.md'), 'utf8')).toBe(readme);
      expect(readdirSync(path.join(copy.dir, 'models')).sort()).toEqual(['README.md', 'current', 'history.json', published, unrelatedVersion].sort());
      expect(existsSync(path.join(copy.dir, 'models', published, 'manifest.json'))).toBe(true);
    } finally {
      copy.remove();
    }
  });
});
