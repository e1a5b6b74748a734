// ESLint flat config. Besides the usual TypeScript/Vue rules it keeps the house's layering
// (../shared/docs/conventions.md): each layer may import only what sits below it, and the
// rule message names the layer that was crossed.
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';

/** Import patterns a layer must not use, with the reason shown to the offender. */
function forbid(...groups) {
  return {
    'no-restricted-imports': [
      'error',
      { patterns: groups.map(([group, message]) => ({ group, message })) },
    ],
  };
}

const ELECTRON = ['electron', 'electron/*'];
const NODE = ['node:*', 'fs', 'fs/*', 'path', 'child_process', 'worker_threads', 'os', 'url', 'http', 'net'];
const TFJS = ['@tensorflow/*'];

export default tseslint.config(
  {
    // electron.d.ts: Electron's own API types, vendored as published (scripts/desktop-toolchain).
    ignores: ['**/.scratch*/**', 'node_modules/**', 'out/**', 'dist/**', 'release/**', 'resources/**', 'coverage/**', '**/__fixtures__/**', 'scripts/desktop-toolchain/electron.d.ts'],
  },
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    files: ['src-main/contract/**'],
    rules: forbid(
      [[...ELECTRON, ...NODE, ...TFJS], 'contract/ is type-only and runs everywhere: no Electron, Node or tfjs.'],
      [['**/engine/**', '**/worker/**', '**/app/**', '**/host/**', '**/cli/**', '**/preload/**', '**/src-renderer/**'], 'contract/ is the bottom layer: it imports nothing of ours.'],
    ),
  },
  {
    files: ['src-main/engine/**'],
    rules: forbid(
      [ELECTRON, 'engine/ is pure Node + tfjs: it never imports Electron.'],
      [['**/worker/**', '**/app/**', '**/host/**', '**/cli/**', '**/preload/**', '**/src-renderer/**'], 'engine/ sits below worker/app/host/cli: import it from them, not the other way.'],
    ),
  },
  {
    files: ['src-main/worker/**'],
    rules: forbid(
      [ELECTRON, 'worker/ hosts the engine in a worker thread: no Electron here.'],
      [['**/app/**', '**/host/**', '**/cli/**', '**/preload/**', '**/src-renderer/**'], 'worker/ may import only engine/ and contract/.'],
    ),
  },
  {
    files: ['src-main/host/**', 'src-main/cli/**'],
    rules: forbid(
      [ELECTRON, 'host/ and cli/ run without Electron.'],
      [['**/app/**', '**/preload/**', '**/src-renderer/**'], 'host/ and cli/ may import worker/, engine/ and contract/ only.'],
    ),
  },
  {
    files: ['src-main/app/**'],
    rules: forbid([['**/src-renderer/**', '**/host/**', '**/cli/**'], 'app/ is the Electron shell: it imports worker/, engine/ and contract/ only.']),
  },
  {
    files: ['src-main/preload/**'],
    rules: forbid(
      [[...NODE, ...TFJS], 'preload/ runs sandboxed: only electron and contract types.'],
      [['**/engine/**', '**/worker/**', '**/app/**', '**/host/**', '**/cli/**', '**/src-renderer/**'], 'preload/ exposes the contract: it imports contract/ types only.'],
    ),
  },
  {
    files: ['src-renderer/**'],
    rules: forbid(
      [[...ELECTRON, ...NODE, ...TFJS], 'src-renderer/ runs in the page: no Electron, Node or tfjs; go through services/.'],
      [['**/src-main/engine/**', '**/src-main/worker/**', '**/src-main/app/**', '**/src-main/host/**', '**/src-main/cli/**', '**/src-main/preload/**'], 'src-renderer/ may import src-main/contract types only.'],
    ),
  },
);
