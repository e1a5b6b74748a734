import { describe, expect, it } from 'vitest';
import { expectFuzzClean } from './fuzz-expect';

describe('fuzzing .npz files (parseNpz)', () => {
  it('answers 700 mutated archives and the number sweep with a result or an NPZ/NPY code, never a crash or hang', async () => {
    const { random } = await expectFuzzClean('npz', 700);
    expect(random.outcomes.NPZ_MALFORMED).toBeGreaterThan(0);
  });
});
