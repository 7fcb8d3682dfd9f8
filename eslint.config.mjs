// One lint config for the whole workspace. @nx/enforce-module-boundaries keeps the arrows of
// docs/architecture.md one-way with two tag axes: scope:* (which package may use which) and type:* (libraries
// never import apps or tools).
import nx from '@nx/eslint-plugin';

const TEST_FILES = ['**/*.test.ts', '**/test/**/*.ts'];

const depConstraints = [
  { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
  { sourceTag: 'scope:blocks', onlyDependOnLibsWithTags: ['scope:scaling'] },
  { sourceTag: 'scope:models', onlyDependOnLibsWithTags: ['scope:scaling', 'scope:blocks'] },
  // scaling is the lowest package: it owns EffnetError, the base of every package's errors.
  { sourceTag: 'scope:schedules', onlyDependOnLibsWithTags: ['scope:scaling'] },
  { sourceTag: 'scope:backends', onlyDependOnLibsWithTags: ['scope:scaling'] },
  { sourceTag: 'scope:backend-plugin', onlyDependOnLibsWithTags: ['scope:backends', 'scope:scaling'] },
  { sourceTag: 'scope:export', onlyDependOnLibsWithTags: ['scope:scaling', 'scope:blocks', 'scope:models'] },
  // The onnx adapter runs models through onnxruntime, fed by the exporter (inference only).
  { sourceTag: 'scope:backend-onnx', onlyDependOnLibsWithTags: ['scope:backends', 'scope:export', 'scope:models', 'scope:scaling', 'scope:blocks'] },
  {
    sourceTag: 'scope:train',
    onlyDependOnLibsWithTags: ['scope:scaling', 'scope:blocks', 'scope:models', 'scope:schedules', 'scope:backends'],
  },
  // search trains candidates with train's Trainer on models built from scaling's specs; it never
  // imports data. Backends: its tests train on wasm (the library itself uses whatever is active).
  {
    sourceTag: 'scope:search',
    onlyDependOnLibsWithTags: ['scope:scaling', 'scope:blocks', 'scope:models', 'scope:schedules', 'scope:train', 'scope:backends', 'scope:backend-plugin'],
  },
  // data implements train's Dataset contract; train never imports data (it runs in browsers).
  { sourceTag: 'scope:data', onlyDependOnLibsWithTags: ['scope:train', 'scope:schedules', 'scope:scaling'] },
];

function boundaries(extra) {
  return ['error', { enforceBuildableLibDependency: true, allow: [], depConstraints: [...extra, ...depConstraints] }];
}

export default [
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/.vitest/**', 'docs/api/**', '.nx/**', '**/tmp/**', 'fixtures-full/**', '.venv-ref/**', '**/*.d.ts'],
  },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    rules: {
      // @effnet/scaling is pure data and maths: its sources may import nothing at all.
      '@nx/enforce-module-boundaries': boundaries([
        { sourceTag: 'scope:scaling', onlyDependOnLibsWithTags: [], allowedExternalImports: [] },
      ]),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Index and lookup results are checked where they can miss; numeric kernels assert the rest.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Tests of scaling may use the test runner and Node, never a library.
    files: TEST_FILES,
    rules: {
      '@nx/enforce-module-boundaries': boundaries([
        {
          sourceTag: 'scope:scaling',
          onlyDependOnLibsWithTags: [],
          allowedExternalImports: ['vitest', 'vitest/*', 'fast-check', 'node:*'],
        },
      ]),
    },
  },
  {
    // Project test configs import the shared root config by path; they are build glue, not code.
    files: ['**/vitest.config.ts', 'vitest.*.ts', 'eslint.config.mjs'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
];
