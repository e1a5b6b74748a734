import { describe, expect, it } from 'vitest';
import { expectFuzzClean } from './fuzz-expect';

describe('fuzzing CSV files (parseCsv, parseOpenFaceCsv, parseLibrosaCsv, parseManifest)', () => {
  it('answers 600 mutated CSVs (x4 readers) and the number sweep with a result or a CSV code, never a crash or hang', async () => {
    const { random } = await expectFuzzClean('csv', 600);
    expect(random.outcomes.CSV_MALFORMED).toBeGreaterThan(0);
    expect(random.outcomes.MANIFEST_MALFORMED).toBeGreaterThan(0);
  }, 20_000);
});
