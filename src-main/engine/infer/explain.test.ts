import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PerModality } from '#contract/dataset';
import { fitNormaliser, applyNormaliser } from '../data/normaliser';
import { DarModel } from '../model/dar-model';
import { tinyDataset } from '../../../testing/engine/tiny-dataset';
import { modelConfigFor } from '../train/config';
import { hasFeatures } from '#contract/explain';
import { darModelOf } from '../model/dar-definition';
import type { SentimentModel } from '../model/sentiment-model';
import { explainClip, explainPredictions } from './explain';
import { predictSplit } from './predict';

const ds = tinyDataset({ n: { train: 8, valid: 4, test: 4 }, dims: { l: 6, a: 3, v: 4 }, seqLen: { l: 7, a: 9, v: 11 } });
const config = modelConfigFor(ds, { d: 8, t: 4, heads: 2 });
const split = applyNormaliser(ds.splits.test, fitNormaliser(ds.splits.train));
const none = (): PerModality<Uint8Array> => ({ l: new Uint8Array(7), a: new Uint8Array(9), v: new Uint8Array(11) });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('explainClip', async () => {
  it('gives the complete-input prediction of predictSplit and equal branches without a mask', async () => {
    const model = new DarModel(config, 3);
    const e = await explainClip(model, split, 1, none());
    expect(e.complete.yHat).toBeCloseTo((await predictSplit(model, split, undefined))[1], 5);
    expect(e.masked.yHat).toBe(e.complete.yHat);
    expect(Array.from(e.masked.modalities.a.Hhat_com)).toEqual(Array.from(e.complete.modalities.a.Hhat_com));
    expect(e.masked.modalities.l.Hcom).toHaveLength(config.t * config.d);
    model.dispose();
  });

  it('moves only the masked prediction, reports the touched bins, and leaks nothing', async () => {
    const model = new DarModel(config, 3);
    const before = tf.memory().numTensors;
    const masks = none();
    const len = split.lengths.a[2];
    for (let j = 0; j < Math.ceil(len / 2); j++) masks.a[j] = 1; // first half of the acoustic frames
    const plain = await explainClip(model, split, 2, none());
    const e = await explainClip(model, split, 2, masks);
    expect(tf.memory().numTensors).toBe(before);
    expect(e.complete.yHat).toBe(plain.complete.yHat);
    expect(e.masked.yHat).not.toBe(plain.masked.yHat);
    expect(e.masked.modalities.a.binsTouched[0]).toBe(1);
    expect(e.masked.modalities.a.binsTouched[3]).toBe(0);
    expect(Array.from(e.complete.modalities.a.binsTouched)).toEqual([0, 0, 0, 0]);
    expect(Array.from(e.masked.modalities.l.binsTouched)).toEqual([0, 0, 0, 0]);
    // The complete branch inside the masked pass is untouched by the mask.
    expect(Array.from(e.masked.modalities.a.Hcom)).toEqual(Array.from(plain.masked.modalities.a.Hcom));
    expect(Array.from(e.masked.modalities.a.U1t)).not.toEqual(Array.from(e.masked.modalities.a.U1));
    model.dispose();
  });
});

describe('explainPredictions (a model without decoupled features)', () => {
  it('gives the masked and complete predictions explainClip gives, and says it has no features', async () => {
    const model = new DarModel(config, 3);
    const masks = none();
    for (let j = 0; j < split.lengths.a[2]; j++) masks.a[j] = 1;
    const full = await explainClip(model, split, 2, masks);
    const bare = await explainPredictions(model, split, 2, masks);
    expect(hasFeatures(bare)).toBe(false);
    expect(hasFeatures(full)).toBe(true);
    expect(bare.masked.yHat).toBeCloseTo(full.masked.yHat, 5);
    expect(bare.complete.yHat).toBeCloseTo(full.complete.yHat, 5);
    expect(bare.masked.yHat).not.toBeCloseTo(bare.complete.yHat, 5);
    model.dispose();
  });

  it('refuses what only DAR has for another model with MODEL_UNSUPPORTED', () => {
    const other = { kind: 'misa' } as SentimentModel;
    expect(() => darModelOf(other, 'the feature space')).toThrow(expect.objectContaining({ code: 'MODEL_UNSUPPORTED', message: expect.stringMatching(/feature space needs DAR's decoupled features; this is a misa model/) }));
  });
});
