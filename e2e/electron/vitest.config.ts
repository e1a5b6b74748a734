import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// The Electron smoke spec's own runner (`npm run test:electron`): its file name keeps it out of
// the main config's `e2e/**/*.e2e.test.ts`, so `npm test` never tries to launch Electron where it
// cannot run. One app at a time; a launch takes seconds, the first prediction pass up to a minute.
export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['e2e/electron/**/*.electron.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
