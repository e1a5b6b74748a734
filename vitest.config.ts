import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'src-renderer/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts', 'testing/**/*.test.ts', 'tools/**/*.test.ts', 'e2e/**/*.e2e.test.ts'],
    // A hang fails in seconds: the heavy tests and hooks set their own limit, about 3x what they take.
    testTimeout: 15_000,
    hookTimeout: 15_000,
    pool: 'forks',
  },
});
