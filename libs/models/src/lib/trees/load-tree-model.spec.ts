import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GradientBoostedTrees } from './gradient-boosted-trees';
import { loadTreeModel } from './load-tree-model';
import { syntheticClassification } from '../../test-fixtures/synthetic-classification';
import type { TreeModelDocument } from './tree-model-format';

describe('loadTreeModel on a damaged or foreign artifact', () => {
  let dir: string;
  let file: string;
  let valid: TreeModelDocument;

  beforeAll(async () => {
    const { X, y } = syntheticClassification(300, 1);
    const model = new GradientBoostedTrees({ nEstimators: 2, maxDepth: 2 });
    await model.fit(X, y);
    valid = model.toJSON();
  });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'trees-load-'));
    file = path.join(dir, 'trees.json');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Writes the valid document after `damage` changed a copy of it, and loads it. */
  async function loadDamaged(damage: (doc: TreeModelDocument & Record<string, unknown>) => void): Promise<unknown> {
    const doc = JSON.parse(JSON.stringify(valid));
    damage(doc);
    await writeFile(file, JSON.stringify(doc));
    return loadTreeModel(dir);
  }

  it('loads the undamaged document', async () => {
    await writeFile(file, JSON.stringify(valid));
    await expect(loadTreeModel(dir)).resolves.toBeInstanceOf(GradientBoostedTrees);
  });

  it('loads a document of an older build, which spelled formatVersion "version"', async () => {
    await expect(
      loadDamaged((d) => {
        const legacy = d as Record<string, unknown>;
        legacy.version = legacy.formatVersion;
        delete legacy.formatVersion;
      }),
    ).resolves.toBeInstanceOf(GradientBoostedTrees);
  });

  it.each<[string, (doc: TreeModelDocument & Record<string, unknown>) => void, string | RegExp]>([
    ['another format version', (d) => ((d as Record<string, unknown>).formatVersion = 2), 'formatVersion 2 is not supported (this build reads version 1)'],
    ['another format', (d) => ((d as Record<string, unknown>).format = 'tfjs-layers-model'), 'format is "tfjs-layers-model", expected "purchase-tree-ensemble"'],
    ['an unknown kind', (d) => ((d as Record<string, unknown>).kind = 'mlp'), 'kind "mlp" is not a tree model (expected "gbdt" or "random_forest")'],
    ['fewer bin cut lists than features', (d) => d.binCuts.pop(), 'binCuts has 2 features, inputWidth is 3'],
    ['unsorted cuts', (d) => d.binCuts[1].reverse(), 'binCuts[1] must be finite numbers in increasing order'],
    ['a missing tree array', (d) => delete (d.trees[1] as Partial<TreeModelDocument['trees'][0]>).gain, 'tree 1: "gain" must be an array of 7 finite numbers, one per node'],
    ['a split on a feature that does not exist', (d) => (d.trees[0].feature[0] = 3), 'tree 0 node 0: feature 3 is out of range [0, 3)'],
    ['a split bin past the cuts', (d) => (d.trees[0].splitBin[0] = 999), /^tree 0 node 0: splitBin 999 is out of range for feature \d, which has \d+ cuts$/],
    [
      'a child before its parent (a cycle), and the node it orphans',
      (d) => (d.trees[0].left[0] = 0),
      '2 problems in the tree model:\n  - tree 0 node 0: child 0 must come after its parent and be below 7\n  - tree 0 node 1 is not reachable from the root',
    ],
    [
      'a node with two parents, and the node it orphans',
      (d) => (d.trees[0].right[d.trees[0].left[0]] = d.trees[0].right[0]),
      '2 problems in the tree model:\n  - tree 0 node 1: child 2 already has parent 0\n  - tree 0 node 4 is not reachable from the root',
    ],
    [
      'several faults at once, each at its place',
      (d) => {
        (d as Record<string, unknown>).kind = 'mlp';
        d.binCuts[1].reverse();
        (d as Record<string, unknown>).baseScore = 'x';
      },
      '3 problems in the tree model:\n  - kind "mlp" is not a tree model (expected "gbdt" or "random_forest")\n  - baseScore must be a finite number\n  - binCuts[1] must be finite numbers in increasing order',
    ],
    ['a leaf with a child', (d) => (d.trees[0].left[6] = 5), 'tree 0 node 6: a leaf (feature -1) must have left and right -1, got 5 and -1'],
    ['a non-finite leaf value', (d) => ((d.trees[0].value as unknown[])[6] = null), 'tree 0: "value" must be an array of 7 finite numbers, one per node'],
    ['no trees', (d) => (d.trees = []), 'trees must be a non-empty array'],
    ['an invalid hyperparameter', (d) => (d.hyperparameters.maxDepth = -1), 'maxDepth must be an integer >= 0, got -1'],
  ])('rejects %s, naming the file and the problem', async (_what, damage, problem) => {
    const error = await loadDamaged(damage).then(
      () => new Error('loaded'),
      (e: Error) => e,
    );
    const message = typeof problem === 'string' ? `${file}: ${problem}` : new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ${problem.source.slice(1)}`);
    expect(error.message).toMatch(message);
  });

  it('rejects a file that is not JSON, or not there', async () => {
    await writeFile(file, '{"format": ');
    await expect(loadTreeModel(dir)).rejects.toThrow(new RegExp(`^${file}: not valid JSON \\(`));
    await mkdir(path.join(dir, 'empty'));
    const missing = path.join(dir, 'empty', 'trees.json');
    await expect(loadTreeModel(path.join(dir, 'empty'))).rejects.toThrow(`${missing}: cannot be read (ENOENT)`);
  });
});
