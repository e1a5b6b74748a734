import { describe, expect, it } from 'vitest';
import { expectFuzzClean } from './fuzz-expect';

describe('fuzzing pickles (readPickleFile, readMmsaPickle) from every committed fixture', () => {
  it('answers 660 mutated pickles (30 per fixture) and the number sweep with a result or a PICKLE/DATASET code', async () => {
    const { random } = await expectFuzzClean('pickle', 660);
    expect(random.outcomes.PICKLE_MALFORMED).toBeGreaterThan(0);
    expect(random.outcomes.PICKLE_UNSAFE).toBeGreaterThan(0);
  }, 45_000);
});
