// The fast tier for the edit loop (`npm run test:unit`): every test of the full gate except the
// ones named for a slower kind, so the split follows file names wherever the files move.
// `npm test` (vitest.config.ts) still runs them all.
import { configDefaults, defineConfig, mergeConfig } from 'vitest/config';
import full from './vitest.config';

export default mergeConfig(
  full,
  defineConfig({
    test: {
      exclude: [...configDefaults.exclude, '**/*.e2e.test.ts', '**/*.fuzz.test.ts', '**/*.slow.test.ts'],
      // Every core (vitest's default leaves one to its mostly idle main process): on 2 cores that halves the wall time.
      maxWorkers: '100%',
    },
  }),
);
