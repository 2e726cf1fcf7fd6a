// Lint = the layering of ../shared/STYLE.md, checked by @nx/enforce-module-boundaries, plus
// typescript-eslint's recommended rules. `npm run lint` runs it; `npm test` runs lint first.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/** Which layer may import which. Apps -> libs only; api -> inference only. */
export const depConstraints = [
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'scope:api', onlyDependOnLibsWithTags: ['layer:inference'] },
  { sourceTag: 'scope:train', onlyDependOnLibsWithTags: ['type:lib'] },
  // tools (generator, benchmarks, fixtures, checks) may use any lib; no lib or app imports tools.
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib'] },
  // The bottom layer: the matrix type, the seeded generator, binary metrics, checks, hashing,
  // atomic writes. Every lib may import it; it imports none.
  { sourceTag: 'layer:core', onlyDependOnLibsWithTags: [] },
  // Command lines declared once (parser and --help), for the apps' and the tools' CLIs.
  { sourceTag: 'layer:cli', onlyDependOnLibsWithTags: [] },
  { sourceTag: 'layer:preprocessing', onlyDependOnLibsWithTags: ['layer:core'] },
  { sourceTag: 'layer:features', onlyDependOnLibsWithTags: ['layer:core', 'layer:preprocessing'] },
  // models and evaluation take numbers, never the schema.
  { sourceTag: 'layer:models', onlyDependOnLibsWithTags: ['layer:core'] },
  { sourceTag: 'layer:evaluation', onlyDependOnLibsWithTags: ['layer:core', 'layer:models'] },
  {
    sourceTag: 'layer:inference',
    onlyDependOnLibsWithTags: ['layer:core', 'layer:preprocessing', 'layer:features', 'layer:models'],
  },
  // The training orchestration: the one lib that may use every other (but the CLI's).
  {
    sourceTag: 'layer:training',
    onlyDependOnLibsWithTags: ['layer:core', 'layer:preprocessing', 'layer:features', 'layer:models', 'layer:evaluation', 'layer:inference'],
  },
];

/** danfojs takes ~1.7 s to require: it stays on the training side, off the serving path. */
const servingBans = ['danfojs-node'];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '.nx/**', 'models/**', 'tmp/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          banTransitiveDependencies: false,
          depConstraints: depConstraints.map((c) =>
            ['scope:api', 'layer:core', 'layer:inference', 'layer:features', 'layer:models', 'layer:evaluation'].includes(c.sourceTag)
              ? { ...c, bannedExternalImports: servingBans }
              : c,
          ),
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // CommonJS config files (jest.preset.js, jest.config.cjs) load with require().
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
