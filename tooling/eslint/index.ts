// The one ESLint configuration: each package's eslint.config.ts exports it (and may add to it).
import eslint from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** The line length Prettier wraps code at (@ffk/prettier-config); `max-len` holds comments to it too. */
export const LINE_LENGTH = 160;

export const baseConfig = defineConfig(
  globalIgnores(['**/node_modules/', '**/dist/', '**/.cache/', '**/.turbo/', '**/coverage/']),
  {
    files: ['**/*.ts', '**/*.mts', '**/*.js', '**/*.mjs'],
    extends: [eslint.configs.recommended, tseslint.configs.recommendedTypeChecked],
    plugins: { 'simple-import-sort': simpleImportSort },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: true },
    },
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'max-len': ['error', { code: LINE_LENGTH, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true }],
      // Packages (node: built-ins among them) then relative paths, each alphabetical: the order the code was written in.
      'simple-import-sort/imports': ['error', { groups: [['^\\u0000', '^node:', '^@?\\w', '^', '^\\.']] }],
      'simple-import-sort/exports': 'error',
    },
  },
  {
    // Plain JavaScript (bin shims, the Prettier config) is in no TypeScript project: untyped rules only.
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
