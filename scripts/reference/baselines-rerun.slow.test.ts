import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GoldenBase, JsonArray } from '../../testing/engine/model/baselines/golden';
import { hasTorch, maxRelErr, readGolden, rerunReference } from '../../testing/engine/model/baselines/golden';
import { useTempDir } from '../../testing/temp-dir';

// The baselines' fidelity tests compare the engine with committed goldens, so they run without
// Python; this reruns each reference script (when torch is here) to show the goldens are what
// the scripts compute today, and not a stale file.
interface AnyGolden extends GoldenBase {
  cases: { rate: number; predictions: JsonArray; terms: Record<string, number> }[];
}

const GOLDENS = join(import.meta.dirname, '../../testing/engine/model/baselines');

describe.skipIf(!hasTorch)('the baselines\u2019 PyTorch references rerun to their committed goldens', () => {
  const dir = useTempDir('baseline-ref-');
  for (const [script, golden] of [
    ['misa_torch.py', 'misa-golden.json'],
    ['self_mm_torch.py', 'self-mm-golden.json'],
  ]) {
    it(`${script} writes ${golden} again`, () => {
      const committed = readGolden<AnyGolden>(join(GOLDENS, golden));
      const fresh = rerunReference<AnyGolden>(script, join(dir, golden));
      expect(fresh.cases.map((c) => c.rate)).toEqual(committed.cases.map((c) => c.rate));
      fresh.cases.forEach((c, i) => {
        expect(maxRelErr(c.predictions.data, committed.cases[i].predictions.data)).toBeLessThan(1e-6);
        for (const [k, v] of Object.entries(committed.cases[i].terms)) expect(Math.abs(c.terms[k] - v), k).toBeLessThan(1e-6 * Math.max(1, Math.abs(v)));
      });
    }, 60_000);
  }
});
