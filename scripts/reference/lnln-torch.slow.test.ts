import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { PYTHON, fixture, loadGoldens, maxDiff, request, runReference, worstGrad, worstValue } from '../../testing/engine/model/lnln/lnln-reference';

// lnln-reference.test.ts compares the engine with committed goldens; this checks that they are
// still what scripts/reference/lnln_torch.py computes (skipped without torch).
const hasTorch = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasTorch)('the goldens are what scripts/reference/lnln_torch.py computes', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('reruns the reference and finds the committed answers', async () => {
    const { model, batches } = fixture();
    try {
      const goldens = loadGoldens();
      const theirs = runReference(await request(model, batches));
      theirs.answers.forEach((answer, i) => {
        expect(worstValue(answer, goldens.answers[i])).toBeLessThan(1e-7);
        if (answer.grads) expect(worstGrad(answer, goldens.answers[i]).err).toBeLessThan(1e-6);
      });
      expect(maxDiff(theirs.trained.flat(), goldens.trained.flat())).toBeLessThan(1e-7);
    } finally {
      model.dispose();
    }
  });
});
