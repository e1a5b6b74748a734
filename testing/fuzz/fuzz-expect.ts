/** The assertions every fuzz test makes (a vitest helper, imported by *.fuzz.test.ts only). */
import { expect } from 'vitest';
import type { FuzzReport } from './fuzz-harness';
import { runFuzz } from './fuzz-harness';

/** Seed of every fuzz run: fixed, so a failure reproduces (change it to explore further). */
export const FUZZ_SEED = 1111;

/**
 * Runs `cases` random mutations of `target` and then its extreme-number sweep; expects every
 * case to have ended in success or an allowed DarError (no other exception, no hang, no crash)
 * and returns both reports.
 */
export async function expectFuzzClean(target: string, cases: number): Promise<{ random: FuzzReport; sweep: FuzzReport }> {
  const [random, sweep] = await Promise.all([
    runFuzz(target, { mode: 'random', cases, seed: FUZZ_SEED }),
    runFuzz(target, { mode: 'sweep', seed: FUZZ_SEED }),
  ]);
  expect([...random.failures, ...sweep.failures]).toEqual([]);
  expect(random.planned).toBe(cases);
  expect(random.cases).toBe(cases);
  expect(sweep.planned).toBeGreaterThan(0);
  expect(sweep.cases).toBe(sweep.planned);
  // Mutations must reach past the first check: some inputs still read, others fail on a code.
  expect(random.outcomes.ok ?? 0).toBeGreaterThan(0);
  expect(Object.keys(random.outcomes).filter((o) => o !== 'ok').length).toBeGreaterThan(0);
  return { random, sweep };
}
