// Boundaries that keep every line of logic runnable without the Electron binary:
// core, host, demo directory and shared never import `electron`; the renderer imports no Node built-in,
// no native module and nothing from electron/.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export const noElectron = {
  paths: [{ name: 'electron', message: 'electron/core, host, demo-directory and shared must run under plain Node: no electron import.' }],
  patterns: [{ group: ['electron/*'], message: 'No electron import outside electron/main and electron/preload.' }],
};

export const rendererBoundary = {
  paths: [
    ...nodeBuiltins.map((name) => ({ name, message: 'The renderer runs in a browser: no Node built-ins.' })),
    { name: 'better-sqlite3', message: 'The renderer never touches SQLite: call the API.' },
    { name: 'electron', message: 'The renderer talks to main only through window.api.' },
  ],
  patterns: [
    { group: ['**/electron/**', '**/electron'], message: 'The renderer imports nothing from electron/: use the API contract in shared/.' },
  ],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'bench-results/**', 'test-results/**', 'playwright-report/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  {
    files: ['electron/core/**', 'electron/host/**', 'electron/demo-directory/**', 'shared/**'],
    rules: { 'no-restricted-imports': ['error', noElectron] },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [...noElectron.paths, ...rendererBoundary.paths.filter((p) => p.name !== 'electron')], patterns: noElectron.patterns },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', rendererBoundary],
    },
  },
);
