import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PerModality } from '#contract/dataset';
import { applyNormaliser, fitNormaliser } from '../data/normaliser';
import { explainClip } from '../infer/explain';
import { DarModel } from '../model/dar-model';
import { tinyDataset } from '../../../testing/engine/tiny-dataset';
import { modelConfigFor } from '../train/config';
import { timeAveragedFeatures } from './features';

const ds = tinyDataset({ n: { train: 8, valid: 4, test: 6 }, dims: { l: 6, a: 3, v: 4 }, seqLen: { l: 7, a: 9, v: 11 } });
const config = modelConfigFor(ds, { d: 8, t: 4, heads: 2 });
const split = applyNormaliser(ds.splits.test, fitNormaliser(ds.splits.train));
const none = (): PerModality<Uint8Array> => ({ l: new Uint8Array(7), a: new Uint8Array(9), v: new Uint8Array(11) });

function binMean(m: Float32Array, t: number, d: number): number[] {
  return Array.from({ length: d }, (_, k) => Array.from({ length: t }, (_, j) => m[j * d + k]).reduce((s, v) => s + v, 0) / t);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('timeAveragedFeatures', () => {
  it('gives the time mean of the complete Hcom and Hspec the workbench shows, in the order asked, leaking nothing', async () => {
    const model = new DarModel(config, 4);
    const before = tf.memory().numTensors;
    const f = await timeAveragedFeatures(model, split, [5, 1, 3], 2);
    expect(tf.memory().numTensors).toBe(before);
    expect(f.common.a).toHaveLength(3 * 8);
    for (const [row, clip] of [5, 1, 3].entries()) {
      const e = (await explainClip(model, split, clip, none())).complete.modalities;
      for (const m of ['l', 'a', 'v'] as const) {
        const com = Array.from(f.common[m].subarray(row * 8, (row + 1) * 8));
        const spec = Array.from(f.specific[m].subarray(row * 8, (row + 1) * 8));
        binMean(e[m].Hcom, 4, 8).forEach((v, k) => expect(com[k]).toBeCloseTo(v, 5));
        binMean(e[m].Hspec, 4, 8).forEach((v, k) => expect(spec[k]).toBeCloseTo(v, 5));
      }
    }
    model.dispose();
  });
});
