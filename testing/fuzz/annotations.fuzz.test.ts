import { describe, expect, it } from 'vitest';
import { expectFuzzClean } from './fuzz-expect';

describe('fuzzing what the annotations store reads', () => {
  it('answers 500 mutated CSV imports with a result or ANNOTATIONS_INVALID', async () => {
    const { random } = await expectFuzzClean('annotations-csv', 500);
    expect(random.outcomes.ANNOTATIONS_INVALID).toBeGreaterThan(0);
  }, 20_000);

  it('answers 500 mutated JSON imports with a result or ANNOTATIONS_INVALID', async () => {
    const { random } = await expectFuzzClean('annotations-json', 500);
    expect(random.outcomes.ANNOTATIONS_INVALID).toBeGreaterThan(0);
  }, 20_000);

  it('answers 500 mutated store files with a readable store or ANNOTATIONS_CORRUPT / ANNOTATIONS_VERSION', async () => {
    const { random } = await expectFuzzClean('annotations-db', 500);
    expect(random.outcomes.ANNOTATIONS_CORRUPT).toBeGreaterThan(0);
  }, 20_000);
});
