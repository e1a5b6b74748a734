import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Modality } from '#contract/dataset';
import { trainingMasks } from '../data/corruption';
import { DarModel } from '../model/dar-model';
import { disposeInputs, toModelInputs } from '../model/inputs/inputs';
import { tinyDataset } from '../../../testing/engine/tiny-dataset';
import { buildBatch } from './batcher';
import { modelConfigFor } from './config';
import { createAdam, createAdamW } from './optimizer';
import { trainStep } from './steps';
import type { StepContext } from './steps';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const M: Modality[] = ['l', 'a', 'v'];
const F32 = 4;

describe('trainStep memory', () => {
  it('peaks at a small multiple of the per-frame activations, never at [B, t, T, d]', async () => {
    // Long narrow sequences and t = 16: a [B, t, T, d] tensor is 8x a per-frame [2B, T, d] one, and
    // the per-frame tensors outweigh the bin-level ones [2B, t, d], as on MOSI.
    const b = 8;
    const ds = tinyDataset({ n: { train: b, valid: 2, test: 2 }, dims: { l: 40, a: 5, v: 12 }, seqLen: { l: 12, a: 800, v: 1000 }, seed: 2 });
    const split = ds.splits.train;
    for (const m of M) split.lengths[m].fill(split[m].t);
    const config = modelConfigFor(ds, { d: 16, t: 16, heads: 2, dropout: 0.1 });
    const model = new DarModel(config, 1);
    const ctx: StepContext = {
      model, config, ablations: [], useClub: true, clipNorm: 2,
      main: createAdamW(model.params.group('main'), 1e-3, 1e-4), club: createAdam(model.params.group('club'), 1e-3),
    };
    const batch = buildBatch(split, Array.from({ length: b }, (_, i) => i), trainingMasks(split, { k: { l: 0.3, a: 0.3, v: 0.3 }, mode: 'fixed' }, 1, 0));
    const inputs = toModelInputs(batch, config);
    const labels = tf.tensor1d(batch.labels!);
    const { d, t } = config;
    // What the step may allocate on top of the weights, moments and inputs (measured: ~70% of it):
    // gradients and optimizer temporaries (a few x the weights), a few per-frame activations per
    // modality [2B, T, max(d, d_m)], and the bin-level activations [2B, t, d] of ~30 layers.
    const weights = (model.params.count('main') + model.params.count('club')) * F32;
    const inputBytes = M.reduce((s, m) => s + 2 * b * config.seqLen[m] * config.inputDims[m] * F32, 0);
    const frames = M.reduce((s, m) => s + 2 * b * config.seqLen[m] * Math.max(d, config.inputDims[m]) * F32, 0);
    const bins = 2 * b * t * d * F32;
    const bound = 3 * weights + 4 * inputBytes + 6 * frames + 600 * bins;
    const expansion = b * t * config.seqLen.v * d * F32; // one [B, t, T_v, d] tensor
    await trainStep(ctx, inputs, labels, 0, 1e-3, 1e-3); // moments allocated
    const before = tf.memory().numBytes;
    const info = await tf.profile(async () => {
      await trainStep(ctx, inputs, labels, 1, 1e-3, 1e-3);
    });
    const peak = info.peakBytes - before;
    expect(peak, `peak ${peak} B on top of ${before} B, bound ${bound} B`).toBeLessThan(bound);
    // ...and two [B, t, T, d] tensors alive at once (e.g. one and its gradient) would break it
    expect(peak + 2 * expansion).toBeGreaterThan(bound);
    expect(tf.memory().numBytes).toBe(before);
    labels.dispose();
    disposeInputs(inputs);
    ctx.main.dispose();
    ctx.club.dispose();
    model.dispose();
  }, 40_000);
});
