// ESLint flat config. Besides the usual TypeScript/Vue rules it keeps the house's layering
// (../shared/docs/conventions.md): each layer may import only what sits below it, and the
// rule message names the layer that was crossed. A second rule, test-code-stays-out, keeps
// shipped code from importing test-only code (testing/) or the CLI's tools (tools/).
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

/**
 * test-code-stays-out: test-only code (fakes, fixtures, reference ops, the fuzz harness) lives in
 * the top-level testing/ tree; the old spellings are listed so that a new one is caught too.
 */
const TEST_ONLY = [
  ['**/testing/**', '**/__fixtures__/**', '**/fuzz/**', '**/*-fixture', '**/*-fixture.*'],
  'test-code-stays-out: testing/ (fakes, fixtures, reference ops, fuzz) is for tests only; product code never imports it.',
];
/** tools/ (the demo corpus generator) serves the `dar` CLI, tests and scripts, never the studio. */
const TOOLS = [['**/tools/**'], 'test-code-stays-out: tools/ is for the dar CLI, tests and scripts; the studio never imports it.'];
const TESTS = ['**/*.test.ts'];
/** The contract has one name everywhere (package.json "imports"), never a climb of ../../. */
const CONTRACT_ALIAS = [['**/contract/*'], 'import the contract as #contract/<file> (package.json "imports"), not by a relative path.'];

const HOST = [
  [ELECTRON, 'host/ runs without Electron.'],
  [['**/app/**', '**/cli/**', '**/preload/**', '**/src-renderer/**'], 'host/ may import worker/, engine/, shell-common/ and contract/ only.'],
];
const CLI = [
  [ELECTRON, 'cli/ runs without Electron.'],
  [['**/app/**', '**/preload/**', '**/shell-common/**', '**/src-renderer/**'], 'cli/ may import host/ (serve), worker/, engine/ and contract/ only.'],
];
const RENDERER = [
  [[...ELECTRON, ...NODE, ...TFJS], 'src-renderer/ runs in the page: no Electron, Node or tfjs; go through services/.'],
  [['**/src-main/engine/**', '**/src-main/worker/**', '**/src-main/app/**', '**/src-main/host/**', '**/src-main/cli/**', '**/src-main/preload/**'], 'src-renderer/ may import src-main/contract types only.'],
];

/**
 * A layer's import rules: `groups` apply to all its files; its shipped files (not *.test.ts)
 * also may not import test-only code, nor tools/ unless `tools` is set (the CLI). One object per
 * kind of file, because a later no-restricted-imports replaces an earlier one, never adds to it.
 */
function layer(files, groups, { tools = false } = {}) {
  const all = files.some((f) => f.startsWith('src-main/contract/')) ? groups : [...groups, CONTRACT_ALIAS];
  const shipped = tools ? [...all, TEST_ONLY] : [...all, TEST_ONLY, TOOLS];
  return [
    { files, ignores: TESTS, rules: forbid(...shipped) },
    { files: files.map((f) => `${f}/*.test.ts`), rules: forbid(...all) },
  ];
}

/**
 * async-reads-only: every engine path can run on WebGPU, where a sync read is wrong, not just slow.
 * On Chromium's WebGPU dataSync() returns zeros with only a console warning and a later
 * `await data()` of the same tensor returns zeros too; in Node it throws. Read with
 * `await t.data()` / `await t.array()` / `await t.buffer()`.
 */
const SYNC_READ_MESSAGE =
  'async-reads-only: engine code may run on WebGPU, where sync reads silently return zeros (Chromium) and poison later reads of the tensor; use await t.data() / array() / buffer().';
const ASYNC_READS_ONLY = {
  'no-restricted-properties': ['error', ...['dataSync', 'arraySync', 'bufferSync'].map((property) => ({ property, message: SYNC_READ_MESSAGE }))],
};

export default tseslint.config(
  {
    // electron.d.ts: Electron's own API types, vendored as published (scripts/desktop-toolchain).
    ignores: ['**/.scratch*/**', 'node_modules/**', 'out/**', 'dist/**', 'release/**', 'resources/**', 'coverage/**', 'scripts/desktop-toolchain/electron.d.ts'],
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
  // Shipped files outside a named layer (a new folder, a file at src-main/'s root).
  { files: ['src-main/**', 'src-renderer/**', 'src-compute/**'], ignores: TESTS, rules: forbid(TEST_ONLY, TOOLS) },
  ...layer(['src-main/contract/**'], [
    [[...ELECTRON, ...NODE, ...TFJS], 'contract/ is type-only and runs everywhere: no Electron, Node or tfjs.'],
    [['**/engine/**', '**/worker/**', '**/app/**', '**/host/**', '**/cli/**', '**/preload/**', '**/src-renderer/**'], 'contract/ is the bottom layer: it imports nothing of ours.'],
  ]),
  ...layer(['src-main/engine/**'], [
    [ELECTRON, 'engine/ is pure Node + tfjs: it never imports Electron.'],
    [['**/worker/**', '**/app/**', '**/host/**', '**/cli/**', '**/preload/**', '**/shell-common/**', '**/src-renderer/**'], 'engine/ sits below worker/app/host/cli: import it from them, not the other way.'],
  ]),
  // The engine and the worker that hosts it (tests may read synchronously on the cpu backend).
  { files: ['src-main/engine/**', 'src-main/worker/**'], ignores: TESTS, rules: ASYNC_READS_ONLY },
  ...layer(['src-main/worker/**'], [
    [ELECTRON, 'worker/ hosts the engine in a worker thread: no Electron here.'],
    [['**/app/**', '**/host/**', '**/cli/**', '**/preload/**', '**/shell-common/**', '**/src-renderer/**'], 'worker/ may import only engine/ and contract/.'],
  ]),
  ...layer(['src-main/shell-common/**'], [
    [ELECTRON, 'shell-common/ is what both shells share (Electron app/ and the browser host/): no Electron here.'],
    [['**/worker/**', '**/app/**', '**/host/**', '**/cli/**', '**/preload/**', '**/src-renderer/**'], 'shell-common/ may import engine/ and contract/ only: the shells import it, never the worker or the CLI.'],
  ]),
  ...layer(['src-main/host/**'], HOST),
  ...layer(['src-main/cli/**'], CLI, { tools: true }),
  ...layer(['src-main/app/**'], [
    [['**/src-renderer/**', '**/host/**', '**/cli/**'], 'app/ is the Electron shell: it imports worker/, engine/, shell-common/ and contract/ only.'],
  ]),
  ...layer(['src-main/preload/**'], [
    [[...NODE, ...TFJS], 'preload/ runs sandboxed: only electron and contract types.'],
    [['**/engine/**', '**/worker/**', '**/app/**', '**/host/**', '**/cli/**', '**/src-renderer/**'], 'preload/ exposes the contract: it imports contract/ types only.'],
  ]),
  ...layer(['src-renderer/**'], RENDERER),
  // The compute page (the desktop's hidden compute window): the engine's models in a browser.
  ...layer(['src-compute/**'], [
    [[...ELECTRON, ...NODE], 'src-compute/ is a web page (the compute window): no Electron or Node.'],
    [['**/worker/**', '**/app/**', '**/host/**', '**/cli/**', '**/preload/**', '**/shell-common/**', '**/src-renderer/**'], 'src-compute/ may import engine/ and contract/ only.'],
  ]),
  { files: ['src-compute/**'], ignores: TESTS, rules: ASYNC_READS_ONLY },
  // The renderer's fakes and fixtures run in the renderer's tests: the page's rules apply to them.
  { files: ['testing/renderer/**'], rules: forbid(...RENDERER) },
  // tools/ ships inside the CLI: it may use engine/ and contract/, never test-only code.
  {
    files: ['tools/**'],
    ignores: TESTS,
    rules: forbid(
      [ELECTRON, 'tools/ runs in the dar CLI: no Electron.'],
      [['**/worker/**', '**/app/**', '**/host/**', '**/cli/**', '**/preload/**', '**/src-renderer/**'], 'tools/ may import engine/ and contract/ only.'],
      TEST_ONLY,
    ),
  },
);
