/**
 * Proves the layering of ../shared/STYLE.md is enforced, not hoped for: ESLint is run on small
 * sources placed (virtually) inside each project, and @nx/enforce-module-boundaries must flag the
 * imports the layering forbids and accept the ones it allows.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const cases: Record<string, { file: string; code: string }> = {
  apiToInference: { file: 'apps/api/src/fixture.ts', code: "export * from '@purchase/inference';\n" },
  apiToModels: { file: 'apps/api/src/fixture.ts', code: "export * from '@purchase/models';\n" },
  deepImport: { file: 'libs/inference/src/lib/fixture.ts', code: "export * from '../../../models/src/lib/model';\n" },
  modelsToFeatures: { file: 'libs/models/src/lib/fixture.ts', code: "export * from '@purchase/features';\n" },
  evaluationToPreprocessing: {
    file: 'libs/evaluation/src/lib/fixture.ts',
    code: "export * from '@purchase/preprocessing';\n",
  },
  libToApp: { file: 'libs/features/src/lib/fixture.ts', code: "export * from '../../../../apps/api/src/fixture';\n" },
  inferenceToDanfo: { file: 'libs/inference/src/lib/fixture.ts', code: "import 'danfojs-node';\n" },
  modelsToCore: { file: 'libs/models/src/lib/fixture.ts', code: "export * from '@purchase/core';\n" },
  preprocessingToCore: { file: 'libs/preprocessing/src/lib/fixture.ts', code: "export * from '@purchase/core';\n" },
  coreToCli: { file: 'libs/core/src/lib/fixture.ts', code: "export * from '@purchase/cli';\n" },
  coreToDanfo: { file: 'libs/core/src/lib/fixture.ts', code: "import 'danfojs-node';\n" },
  trainingToInference: { file: 'libs/training/src/lib/fixture.ts', code: "export * from '@purchase/inference';\nexport * from '@purchase/evaluation';\n" },
  trainingToCli: { file: 'libs/training/src/lib/fixture.ts', code: "export * from '@purchase/cli';\n" },
  apiToTraining: { file: 'apps/api/src/fixture.ts', code: "export * from '@purchase/training';\n" },
  trainToTraining: { file: 'apps/train/src/fixture.ts', code: "export * from '@purchase/training';\n" },
};

let results: Record<string, string[]> = {};

beforeAll(() => {
  // One ESLint process for all cases (ESLint's flat config is ESM, which Jest's VM cannot load).
  const names = Object.keys(cases);
  const input = JSON.stringify(names.map((n) => ({ ...cases[n], rule: '@nx/enforce-module-boundaries' })));
  const output = execFileSync(process.execPath, [path.join(__dirname, 'lint-sources.mjs')], { input, encoding: 'utf8' });
  const messages: string[][] = JSON.parse(output);
  results = Object.fromEntries(names.map((n, i) => [n, messages[i]]));
}, 120_000);

const boundaryErrors = async (name: keyof typeof cases) => results[name];

describe('module boundaries', () => {

  it('apps/api may import the inference lib', async () => {
    expect(await boundaryErrors('apiToInference')).toEqual([]);
  });

  it('apps/api may not import libs/models directly', async () => {
    const errors = await boundaryErrors('apiToModels');
    expect(errors).toEqual([
      'A project tagged with "scope:api" can only depend on libs tagged with "layer:inference"',
    ]);
  });

  it('a lib may not deep-import another lib past its index.ts', async () => {
    const errors = await boundaryErrors('deepImport');
    expect(errors).toEqual([
      'Projects cannot be imported by a relative or absolute path, and must begin with a npm scope',
    ]);
  });

  it('models and evaluation import no schema-aware lib', async () => {
    expect(await boundaryErrors('modelsToFeatures')).toEqual([
      'A project tagged with "layer:models" can only depend on libs tagged with "layer:core"',
    ]);
    const evaluation = await boundaryErrors('evaluationToPreprocessing');
    expect(evaluation).toEqual(['A project tagged with "layer:evaluation" can only depend on libs tagged with "layer:core", "layer:models"']);
  });

  it('every lib may import the core lib, and the core lib imports no lib and no danfojs', async () => {
    expect(await boundaryErrors('modelsToCore')).toEqual([]);
    expect(await boundaryErrors('preprocessingToCore')).toEqual([]);
    expect(await boundaryErrors('coreToCli')).toEqual(['A project tagged with "layer:core" cannot depend on any libs with tags']);
    expect(await boundaryErrors('coreToDanfo')).toEqual(['A project tagged with "layer:core" is not allowed to import "danfojs-node"']);
  });

  it('the training lib may import every layer but the CLI, the training app may import it, the API may not', async () => {
    expect(await boundaryErrors('trainingToInference')).toEqual([]);
    expect(await boundaryErrors('trainToTraining')).toEqual([]);
    expect(await boundaryErrors('trainingToCli')).toEqual([
      'A project tagged with "layer:training" can only depend on libs tagged with "layer:core", "layer:preprocessing", "layer:features", "layer:models", "layer:evaluation", "layer:inference"',
    ]);
    // A lib below it importing it is a cycle, which the same rule refuses; the API never trains.
    expect(await boundaryErrors('apiToTraining')).toEqual([
      expect.stringMatching(/^A project tagged with "scope:api" can only depend on libs tagged with "layer:inference"/),
    ]);
  });

  it('a lib may not import an app', async () => {
    expect(await boundaryErrors('libToApp')).toEqual([
      'Projects cannot be imported by a relative or absolute path, and must begin with a npm scope',
    ]);
  });

  it('the serving side may not import danfojs-node', async () => {
    const errors = await boundaryErrors('inferenceToDanfo');
    expect(errors).toEqual(['A project tagged with "layer:inference" is not allowed to import "danfojs-node"']);
  });
});
