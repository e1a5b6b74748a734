import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainConfig } from '#contract/model';
import { misaConfigFor } from '../../src-main/engine/model/baselines/misa/misa-config';
import type { MisaConfig } from '../../src-main/engine/model/baselines/misa/misa-config';
import { MISA_TERMS, misaLosses } from '../../src-main/engine/model/baselines/misa/misa-losses';
import { MisaModel } from '../../src-main/engine/model/baselines/misa/misa-model';
import type { GoldenBase, GoldenModality, JsonArray } from '../../testing/engine/model/baselines/golden';
import { goldenBatch, goldenWeights, maxRelErr, readGolden } from '../../testing/engine/model/baselines/golden';

// MISA against its PyTorch port of MMSA's code (misa_torch.py): same weights, same masked
// batch, so every prediction, every loss term and every gradient of the total must agree.
interface MisaGolden extends GoldenBase {
  cases: { rate: number; batch: Record<'l' | 'a' | 'v', GoldenModality>; predictions: JsonArray; terms: Record<string, number>; grads: Record<string, JsonArray> }[];
  training: { lr: number; epochs: number; terms: Record<string, number>[]; predictionsAfter: JsonArray };
}

const MISA_GOLDEN = join(import.meta.dirname, '../../testing/engine/model/baselines/misa-golden.json');

function modelFor(g: MisaGolden, overrides: Partial<MisaConfig> = {}): MisaModel {
  const config = misaConfigFor({ inputDims: g.dims, seqLen: g.seq }, { ...g.config, ...overrides });
  const model = new MisaModel(config, 1);
  model.params.importWeights(goldenWeights(g));
  return model;
}

/** Eval-mode terms, predictions and gradients of the total of one case. */
async function runCase(model: MisaModel, g: MisaGolden, c: MisaGolden['cases'][number]) {
  const batch = goldenBatch(c.batch, g.labels);
  const score = await model.score(batch);
  const vars = model.params.group('main');
  const { grads } = tf.variableGrads(() => {
    const out = model.forward(batch, 'corrupted', { training: false, seed: 0 });
    return misaLosses(out, tf.tensor1d(batch.labels!), model.config).total;
  }, [...vars.values()]);
  const byName = new Map<string, Float32Array>();
  for (const [name, v] of vars) byName.set(name, new Float32Array(await grads[v.name].data<'float32'>()));
  tf.dispose(Object.values(grads));
  return { score, grads: byName };
}

function expectAgrees(ours: Awaited<ReturnType<typeof runCase>>, c: MisaGolden['cases'][number]): void {
  expect(maxRelErr(ours.score.predictions, c.predictions.data)).toBeLessThan(1e-5);
  MISA_TERMS.forEach((k, i) => expect(Math.abs(ours.score.terms[i] - c.terms[k]) / Math.max(1, Math.abs(c.terms[k])), k).toBeLessThan(1e-5));
  for (const [name, g] of Object.entries(c.grads)) expect(maxRelErr(ours.grads.get(name)!, g.data), `d total / d ${name}`).toBeLessThan(1e-4);
}

describe('MISA against its PyTorch reference (scripts/reference/misa_torch.py)', () => {
  const golden = readGolden<MisaGolden>(MISA_GOLDEN);

  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const c of golden.cases) {
    it(`predicts, scores and differentiates as the reference at missing rate ${c.rate}`, async () => {
      const model = modelFor(golden);
      try {
        expectAgrees(await runCase(model, golden, c), c);
      } finally {
        model.dispose();
      }
    });
  }

  it('trains as the reference: Adam, clip_grad_value_ after every backward, 2-batch groups, a trailing batch dropped', async () => {
    const t = golden.training;
    const model = modelFor(golden, { lr: t.lr, dropout: 0, transformerDropout: 0 });
    const trainer = model.trainer({} as TrainConfig, 5);
    try {
      const seen: Record<string, number>[] = [];
      for (let e = 0; e < t.epochs; e++) {
        for (const c of golden.cases) seen.push((await trainer.step({ batch: goldenBatch(c.batch, golden.labels), seed: 0, lr: 1, epoch: e })).terms);
        await trainer.endEpoch!(e);
      }
      t.terms.forEach((terms, s) => {
        for (const k of MISA_TERMS) expect(Math.abs(seen[s][k] - terms[k]) / Math.max(1, Math.abs(terms[k])), `batch ${s + 1} ${k}`).toBeLessThan(1e-5);
      });
      expect(maxRelErr(await model.predict(goldenBatch(golden.cases[1].batch, golden.labels)), t.predictionsAfter.data)).toBeLessThan(1e-5);
    } finally {
      trainer.dispose();
      model.dispose();
    }
  });

  it('would notice a dropped loss term (DiffLoss weighted 0)', async () => {
    const model = modelFor(golden, { diffWeight: 0 });
    try {
      const c = golden.cases[1];
      const { score } = await runCase(model, golden, c);
      expect(Math.abs(score.terms[MISA_TERMS.indexOf('total')] - c.terms.total)).toBeGreaterThan(1e-3);
    } finally {
      model.dispose();
    }
  });

  it('packs audio and video by the text lengths: frames past the text length do not matter', async () => {
    const model = modelFor(golden);
    try {
      const c = golden.cases[0];
      const batch = goldenBatch(c.batch, golden.labels);
      const before = await model.predict(batch);
      const { a, l } = batch.modalities;
      for (let b = 0; b < batch.size; b++) a.corrupted.fill(99, (b * a.t + l.lengths[b]) * a.d, (b + 1) * a.t * a.d);
      expect(maxRelErr(await model.predict(batch), before)).toBeLessThan(1e-6);
    } finally {
      model.dispose();
    }
  });
});
