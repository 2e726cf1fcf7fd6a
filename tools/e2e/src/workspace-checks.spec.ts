/**
 * What CI checks, proven on a fresh copy of the workspace (no .nx, no dist): lint enforces the
 * layering from the first run, typecheck fails on a type error, and `nx affected` selects the
 * projects a change can break.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freshCopy, run } from './scratch';

jest.setTimeout(300_000);

const nx = (cwd: string, ...args: string[]) => run(process.execPath, [path.join(cwd, 'node_modules/nx/dist/bin/nx.js'), ...args], { cwd });

describe('lint and typecheck on a fresh clone', () => {
  let copy: ReturnType<typeof freshCopy>;
  beforeAll(() => {
    copy = freshCopy('fresh-clone');
    writeFileSync(path.join(copy.dir, 'apps/api/src/forbidden-import.ts'), "export * from '@purchase/models';\n");
    writeFileSync(path.join(copy.dir, 'libs/features/src/lib/type-error.ts'), "export const pages: number = 'eight';\n");
  });
  afterAll(() => copy.remove());

  it('lint fails on a forbidden import, with the module-boundary rule effective from the first run', () => {
    const lint = nx(copy.dir, 'run-many', '-t', 'lint', '--projects=api,features', '--outputStyle=stream');
    expect(lint.status).not.toBe(0);
    expect(lint.output).toContain('apps/api/src/forbidden-import.ts');
    expect(lint.output).toContain('A project tagged with "scope:api" can only depend on libs tagged with "layer:inference"  @nx/enforce-module-boundaries');
    expect(lint.output).not.toContain('rule will be skipped');
    expect(lint.output).not.toContain('No cached ProjectGraph');
  });

  it('typecheck fails on a type error that the tests (SWC strips types) would not notice', () => {
    const typecheck = nx(copy.dir, 'run', 'features:typecheck', '--outputStyle=stream');
    expect(typecheck.status).not.toBe(0);
    expect(typecheck.output).toContain("libs/features/src/lib/type-error.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.");
  });
});

describe('nx affected in a scratch git repository made from the tree', () => {
  let copy: ReturnType<typeof freshCopy>;
  beforeAll(() => {
    copy = freshCopy('affected');
    for (const args of [['init', '-q'], ['add', '-A'], ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', 'commit', '-qm', 'tree']]) {
      expect(run('git', args, { cwd: copy.dir }).status).toBe(0);
    }
  });
  afterAll(() => copy.remove());

  /** The projects with a test target that `nx affected -t test` runs after editing `file`. */
  function affectedBy(file: string, edit: (text: string) => string = (t) => `${t}\n// edited\n`): string[] {
    const target = path.join(copy.dir, file);
    const before = readFileSync(target, 'utf8');
    writeFileSync(target, edit(before));
    try {
      const shown = nx(copy.dir, 'show', 'projects', '--affected', '--base=HEAD', '--withTarget=test', '--json');
      expect(shown.status).toBe(0);
      return (JSON.parse(shown.stdout) as string[]).sort();
    } finally {
      writeFileSync(target, before);
    }
  }

  it('a changed spec: its project and those built on it; their own test inputs leave out specs', () => {
    expect(affectedBy('libs/models/src/lib/trees/histogram.spec.ts')).toEqual(['api', 'e2e', 'evaluation', 'inference', 'models', 'tools', 'train', 'training']);
  });

  it('a changed predict.ts: train, and api, whose tests run the training app', () => {
    expect(affectedBy('apps/train/src/predict.ts')).toEqual(['api', 'e2e', 'train']);
  });

  it('a changed test fixture: the project that owns it and its dependents', () => {
    expect(affectedBy('libs/inference/src/test-fixtures/sessions-bundle.ts')).toEqual(['api', 'e2e', 'inference', 'tools', 'train', 'training']);
  });

  it('a changed dataset spec: every project whose tests read data/', () => {
    const all = ['api', 'e2e', 'evaluation', 'features', 'inference', 'models', 'preprocessing', 'tools', 'train', 'training'];
    expect(affectedBy('data/specs/customer-sessions.json', (t) => t.replace('"min": 0', '"min": 1'))).toEqual(all);
  });
});
