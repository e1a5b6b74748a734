import { describe, expect, it } from 'vitest';
import { expectFuzzClean } from './fuzz-expect';

describe('fuzzing clip folders (readClipFolder with one file mutated)', () => {
  it('answers 500 folders with a mutated label.csv, dataset.json or feature file with a result or a coded error', async () => {
    const { random } = await expectFuzzClean('clip-folder', 500);
    expect(random.outcomes.MANIFEST_MALFORMED).toBeGreaterThan(0);
  }, 30_000);
});
