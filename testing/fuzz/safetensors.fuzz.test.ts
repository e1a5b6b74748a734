import { describe, expect, it } from 'vitest';
import { expectFuzzClean } from './fuzz-expect';

describe('fuzzing safetensors checkpoints (decodeSafetensors)', () => {
  it('answers 700 mutated checkpoints and the number sweep with a result or CHECKPOINT_MALFORMED, never a crash or hang', async () => {
    const { random } = await expectFuzzClean('safetensors', 700);
    expect(random.outcomes.CHECKPOINT_MALFORMED).toBeGreaterThan(0);
  });
});
