// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

/** Modules that do I/O or are non-deterministic: forbidden in the workflow sandbox and in what it imports. */
const ioModules = [
  'postgres',
  'node-forge',
  'xml-crypto',
  '@xmldom/xmldom',
  'express',
  'pino',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
  '@temporalio/common/lib/internal-non-workflow',
  '@electric-sql/pglite',
  '@electric-sql/pglite-socket',
];
// The sandbox allows only these built-ins (Temporal guide §1).
const allowedBuiltins = new Set(['assert', 'url', 'util']);
const bannedBuiltins = builtinModules
  .filter((name) => !name.startsWith('_') && !allowedBuiltins.has(name))
  .flatMap((name) => [name, `node:${name}`]);

/**
 * The layers and the arrows allowed between them (docs/architecture.md): a folder may import only the folders
 * listed for it; `typeOnly` ones only as types. tools/, test/ and bench/ may import anything.
 */
const LAYERS = {
  common: { may: [] },
  domain: { may: ['common'] },
  platform: { may: ['common', 'domain'] },
  pac: { may: ['common', 'domain', 'platform'] },
  activities: { may: ['common', 'domain', 'platform', 'pac'] },
  workflows: { may: ['common'], typeOnly: ['activities'] },
  app: { may: ['common', 'domain', 'platform', 'pac'], typeOnly: ['workflows'] },
  api: { may: ['app', 'common', 'domain', 'platform'], typeOnly: ['workflows'] },
  worker: { may: ['activities', 'app', 'common', 'domain', 'pac', 'platform', 'workflows'] },
};
const TOP = [...Object.keys(LAYERS), 'tools', 'test', 'bench'];

/** no-restricted-imports patterns for one layer: every other top-level folder it may not reach. */
function layerPatterns(layer) {
  const { may, typeOnly = [] } = LAYERS[layer];
  return TOP.filter((f) => f !== layer && !may.includes(f)).map((folder) => ({
    regex: `^(\\.\\./)+${folder}/`,
    ...(typeOnly.includes(folder) ? { allowTypeImports: true } : {}),
    message: `${layer}/ may not import ${folder}/${typeOnly.includes(folder) ? ' except as types' : ''} (the layers: docs/architecture.md).`,
  }));
}

export default tseslint.config(
  {
    ignores: ['node_modules/', '.cache/', '.data/', 'dist/', 'bench/results/', 'test/histories/', 'scratch/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'bin/*.js', 'tools/dev-stack/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's describe/it return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after'],
            },
          ],
        },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...Object.keys(LAYERS)
    .filter((layer) => layer !== 'workflows' && layer !== 'common')
    .map((layer) => ({
      files: [`${layer}/**/*.ts`],
      rules: { 'no-restricted-imports': ['error', { patterns: layerPatterns(layer) }] },
    })),
  ...['workflows', 'common'].map((layer) => ({
    // Workflow code and the contract it shares run in the deterministic sandbox.
    files: [`${layer}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...bannedBuiltins, ...ioModules].map((name) => ({
            name,
            message: 'Workflow code runs in the deterministic sandbox: no Node built-ins or I/O modules.',
          })),
          patterns: layerPatterns(layer),
        },
      ],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'process'],
    },
  })),
  {
    // Tests mutate untyped JSON fixtures to break one rule at a time.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
