import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRAD_RATE, RATES, fixture, loadGoldens, maxDiff, ours, replayOurs, request, requestSum, worstGrad, worstValue } from '../../testing/engine/model/lnln/lnln-reference';

// The engine's LNLN against scripts/reference/lnln_torch.py (a PyTorch port that follows the public
// code's modules) on the same weights and batches: every prediction, completeness score and loss
// term at missing rates 0, 0.5 and 0.9, and d total / d weight at 0.5 (which checks the gradient
// reversal and the hand-written backward of the encoder layers). The goldens are committed, so
// this needs no Python; lnln-torch.slow.test.ts reruns the script where torch exists.
const goldens = loadGoldens();
const TOL = 1e-5;

describe('LNLN against its PyTorch port (goldens)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('runs on the fixture the goldens were made from', async () => {
    const { model, batches } = fixture();
    try {
      // A mismatch here means the fixture changed (tiny config, init, random batches), not the
      // model: regenerate with testing/engine/model/lnln/make-lnln-goldens.ts.
      expect(requestSum(await request(model, batches))).toBeCloseTo(goldens.requestSum, 6);
    } finally {
      model.dispose();
    }
  });

  for (const [i, rate] of RATES.entries()) {
    it(`predicts and scores every term as the reference at missing rate ${rate}`, async () => {
      const { model, batches } = fixture();
      try {
        const answer = await ours(model, batches[i], rate === GRAD_RATE);
        expect(Object.keys(answer.terms).sort()).toEqual(Object.keys(goldens.answers[i].terms).sort());
        expect(worstValue(answer, goldens.answers[i])).toBeLessThan(TOL);
        if (rate === GRAD_RATE) expect(worstGrad(answer, goldens.answers[i]).err).toBeLessThan(1e-4);
      } finally {
        model.dispose();
      }
    });
  }

  it('trains as the reference: predictions after two AdamW steps agree', async () => {
    const { model, batches } = fixture();
    try {
      const before = await Promise.all(batches.map(async (b) => Array.from(await model.predict(b))));
      const after = await replayOurs(model, batches);
      // The steps move the predictions far more than the tolerance, so agreeing means training agrees.
      expect(maxDiff(after.flat(), before.flat())).toBeGreaterThan(1e-3);
      expect(maxDiff(after.flat(), goldens.trained.flat())).toBeLessThan(TOL);
    } finally {
      model.dispose();
    }
  });

  it('notices a dropped loss term and a missing gradient reversal', async () => {
    const i = RATES.indexOf(GRAD_RATE);
    const golden = goldens.answers[i];
    // gamma = 0 drops l_rec from the total.
    const noRec = fixture({ gamma: 0 });
    try {
      expect(Math.abs((await ours(noRec.model, noRec.batches[i], false)).terms.total - golden.terms.total)).toBeGreaterThan(1e-3);
    } finally {
      noRec.model.dispose();
    }
    // grl = -1 makes the reversal a plain identity: the same forward, the proxy generator's gradients flipped.
    const noGrl = fixture({ grl: -1 });
    try {
      const answer = await ours(noGrl.model, noGrl.batches[i], true);
      expect(worstValue(answer, golden)).toBeLessThan(TOL);
      const worst = worstGrad(answer, golden);
      expect(worst.err).toBeGreaterThan(0.5);
      expect(worst.name).toMatch(/^proxy\./);
    } finally {
      noGrl.model.dispose();
    }
  });
});
