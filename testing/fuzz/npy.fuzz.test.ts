import { describe, expect, it } from 'vitest';
import { expectFuzzClean } from './fuzz-expect';

describe('fuzzing .npy files (parseNpy, librosaFromNpy)', () => {
  it('answers 1000 mutated files and the header-number sweep with a result or an NPY code, never a crash or hang', async () => {
    const { random } = await expectFuzzClean('npy', 1000);
    expect(random.outcomes.NPY_MALFORMED).toBeGreaterThan(0);
  }, 25_000);
});
