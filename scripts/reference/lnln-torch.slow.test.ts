import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { PYTHON, fixture, loadGoldens, request, runReference, worstGrad, worstValue } from '../../testing/engine/model/lnln/lnln-reference';

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
      const theirs = runReference(await request(model, batches));
      theirs.forEach((answer, i) => {
        expect(worstValue(answer, loadGoldens().answers[i])).toBeLessThan(1e-7);
        if (answer.grads) expect(worstGrad({ ...answer, grads: answer.grads }, loadGoldens().answers[i]).err).toBeLessThan(1e-6);
      });
    } finally {
      model.dispose();
    }
  });
});
