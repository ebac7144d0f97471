// ESLint flat config, type-aware: typescript-eslint's project service reads tsconfig.json, which
// extends .svelte-kit/tsconfig.json, so run `svelte-kit sync` first (`npm run lint` does).
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

// What tsconfig.json includes: type-aware rules run on these.
const TYPED = ['**/*.ts', '**/*.svelte', 'src/**/*.js'];
// Plain Node scripts outside tsconfig.json (scripts/, svelte.config.js, tests/e2e/start-server.js,
// this file): linted without type information, with no-undef on.
const UNTYPED_JS = ['**/*.js', '**/*.mjs', '**/*.cjs'];
// typescript-eslint's no-unsafe-* family, turned off where `any` comes from the tooling rather
// than from the code (see below).
const NO_UNSAFE_OFF = {
  '@typescript-eslint/no-unsafe-argument': 'off',
  '@typescript-eslint/no-unsafe-assignment': 'off',
  '@typescript-eslint/no-unsafe-call': 'off',
  '@typescript-eslint/no-unsafe-member-access': 'off',
  '@typescript-eslint/no-unsafe-return': 'off'
};

export default defineConfig(
  globalIgnores([
    'build/',
    'dist/',
    '.svelte-kit/',
    'node_modules/',
    'bench/results/',
    'test-results/',
    'playwright-report/',
    '.test-reports/',
    'data/',
    'static/'
  ]),

  js.configs.recommended,
  ts.configs.recommendedTypeChecked,
  svelte.configs.recommended,

  {
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node },
      parserOptions: {
        projectService: {
          // SvelteKit's tsconfig excludes the service worker (it has the webworker lib); lint it
          // with this project's compiler options all the same.
          allowDefaultProject: ['src/service-worker.ts'],
          defaultProject: 'tsconfig.json'
        },
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte']
      }
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' }
  },

  // <script lang="ts"> in components, and runes modules (*.svelte.ts): svelte-eslint-parser
  // hands the script to typescript-eslint's parser.
  {
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: {
      parserOptions: {
        parser: ts.parser,
        svelteConfig
      }
    }
  },

  {
    files: UNTYPED_JS,
    ignores: ['src/**/*.js'],
    extends: [ts.configs.disableTypeChecked]
  },

  {
    rules: {
      // Unused names are errors, except `_`-prefixed ones (deliberately unused parameters,
      // destructured leftovers) and `never` (the exhaustive-switch guard).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_|^never$',
          caughtErrors: 'all',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true
        }
      ],
      // Async functions without an await (SvelteKit load/actions, async interface methods) are
      // fine; a forgotten await is what no-floating-promises catches.
      '@typescript-eslint/require-await': 'off',
      // No `paths.base` is configured, so plain hrefs and goto() paths are right as written.
      // Turn this back on if the app ever moves under a base path.
      'svelte/no-navigation-without-resolve': 'off'
    }
  },

  {
    files: TYPED,
    rules: {
      // The type checker reports undefined names (svelte-check for .svelte); the core rule
      // misfires on type-only globals. It stays on for the untyped scripts.
      'no-undef': 'off',
      // Switches over a union need a case for every member even when they end in
      // `default: { const never: never = x; ... }` (the default does not count as covering the
      // rest, and is allowed after all cases); a switch over a plain string or number needs a
      // default.
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        {
          allowDefaultCaseForExhaustiveSwitch: true,
          considerDefaultExhaustiveForUnions: false,
          requireDefaultForNonUnion: true
        }
      ],
      // yjs's typings leave out YText#toString() (the class has it), which makes every
      // ytext.toString() look like '[object Object]'.
      '@typescript-eslint/no-base-to-string': ['error', { ignoredTypeNames: ['Error', 'RegExp', 'URL', 'URLSearchParams', 'YText'] }],
      // A caught error (typed unknown) passed on to reject() is the right thing to do.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }]
    }
  },

  // Components and routes: svelte-eslint-parser does not give template expressions the types of
  // the child component's props, and SvelteKit's zero-config types (untyped `load`, `actions`,
  // `$props()` in +page.svelte) exist only for svelte-check, so `any` shows up where the code is
  // typed. svelte-check keeps checking these files.
  {
    files: ['**/*.svelte', 'src/routes/**'],
    rules: NO_UNSAFE_OFF
  },

  // Runes modules keep plain Sets and Maps for bookkeeping (listeners, timers) on purpose, and
  // mirror what the UI shows into $state fields.
  {
    files: ['**/*.svelte.ts', '**/*.svelte.js'],
    rules: { 'svelte/prefer-svelte-reactivity': 'off' }
  },

  // Tests read JSON payloads and poke at internals: `any` is expected there.
  {
    files: ['tests/**'],
    rules: { ...NO_UNSAFE_OFF, '@typescript-eslint/no-explicit-any': 'off' }
  }
);
