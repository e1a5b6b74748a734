// Reruns scripts/reference/librosa_features.py with librosa itself and holds the TypeScript
// features to the fresh output under the committed tolerances, so a new librosa (or a changed
// test signal) shows up here. Skips cleanly where librosa is not installed: point
// DAR_LIBROSA_PYTHON at a Python that has it (e.g. /work/venv-acoustic/bin/python).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acousticFeatures, type AcousticPreset } from '../../src-main/engine/extract/acoustic';
import { failingFeatures, featureErrors, readGoldens } from '../../testing/engine/extract/acoustic/agreement';
import { SIGNAL_NAMES, testSignal } from '../../testing/engine/extract/acoustic/signals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

const PYTHON = process.env.DAR_LIBROSA_PYTHON ?? 'python3';
const hasLibrosa = spawnSync(PYTHON, ['-c', 'import librosa'], { stdio: 'ignore' }).status === 0;
const SCRIPT = join(import.meta.dirname, 'librosa_features.py');

describe.skipIf(!hasLibrosa)('acoustic features against a fresh librosa run', () => {
  // made inside the test: a skipped describe still runs its body (useTempDir's folder would stay)
  it('agrees per feature within tolerance on every signal and preset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dar-librosa-'));
    try {
      agree(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

/** Runs the script into `dir` and holds every signal and preset to its output. */
function agree(dir: string): void {
  const run = spawnSync(PYTHON, [SCRIPT, dir], { encoding: 'utf8', timeout: 240_000 });
  expect(run.status, run.stderr).toBe(0);
  const fresh = readGoldens(dir);
  for (const preset of ['mmsa-librosa', 'chsims'] as AcousticPreset[]) {
    for (const name of SIGNAL_NAMES) {
      const f = acousticFeatures(testSignal(name), 22050, preset);
      const errors = featureErrors(f.frames, fresh.matrix(name, preset), f.columns, f.n);
      expect(failingFeatures(errors), `${preset} ${name}: ${JSON.stringify(Object.fromEntries(errors))}`).toEqual([]);
    }
  }
}
