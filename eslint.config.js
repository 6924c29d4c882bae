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

export default tseslint.config(
  {
    ignores: ['node_modules/', '.cache/', '.data/', 'dist/', 'bench/results/', 'test/histories/', 'scratch/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'bin/*.js', 'dev-stack/*.js'] },
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
  {
    files: ['workflows/**/*.ts', 'common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...bannedBuiltins, ...ioModules].map((name) => ({
            name,
            message: 'Workflow code runs in the deterministic sandbox: no Node built-ins or I/O modules.',
          })),
          patterns: [
            {
              group: ['**/activities/*', '**/activities'],
              allowTypeImports: true,
              message: 'Import activities type-only.',
            },
            {
              group: ['**/storage/**', '**/api/**', '**/worker/**', '**/config/**'],
              message: 'Workflow code may not reach I/O layers.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'process'],
    },
  },
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
