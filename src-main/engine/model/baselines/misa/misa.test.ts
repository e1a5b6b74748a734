import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainConfig } from '#contract/model';
import type { GoldenBase, GoldenModality } from '../../../../../testing/engine/model/baselines/golden';
import { goldenBatch, readGolden } from '../../../../../testing/engine/model/baselines/golden';
import { failure } from '../../../../../testing/engine/failure';
import { misaDefinition } from './misa-definition';
import { MISA_DEFAULTS } from './misa-config';

interface Golden extends GoldenBase {
  cases: { batch: Record<'l' | 'a' | 'v', GoldenModality> }[];
}

const golden = readGolden<Golden>(join(import.meta.dirname, '../../../../../testing/engine/model/baselines/misa-golden.json'));
const dims = { inputDims: golden.dims, seqLen: golden.seq };
const batch = goldenBatch(golden.cases[1].batch, golden.labels);
const TRAIN = {} as TrainConfig;

async function snapshot(model: ReturnType<typeof misaDefinition.create>): Promise<Float32Array> {
  return model.params.get('fusion_3.bias').data<'float32'>() as Promise<Float32Array>;
}

describe('MISA', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('defaults to MMSA\u2019s MOSI values and refuses a bad field with ARG_INVALID naming it', () => {
    const c = misaDefinition.configFor(dims);
    expect(c).toMatchObject({ ...MISA_DEFAULTS, dimL: 12, seqA: 9 });
    expect(failure(() => misaDefinition.validate({ ...c, hidden: 0 }))).toMatchObject({ code: 'ARG_INVALID', message: expect.stringContaining('hidden') });
    expect(failure(() => misaDefinition.configFor(dims, { hidden: 9, heads: 2 }))).toMatchObject({ code: 'ARG_INVALID', message: expect.stringContaining('heads') });
  });

  it('steps the optimiser every updateEpochs batches and drops an epoch\u2019s partial group', async () => {
    const model = misaDefinition.create(misaDefinition.configFor(dims, { hidden: 8, ffDim: 16, updateEpochs: 2, lr: 1e-2 }), 3);
    const trainer = model.trainer(TRAIN, 5);
    try {
      const w0 = await snapshot(model);
      const r = await trainer.step({ batch, seed: 1, lr: 1, epoch: 1 });
      expect(Object.keys(r.terms)).toEqual([...model.terms]);
      expect(r.skipped).toBe(false);
      expect(await snapshot(model)).toEqual(w0);
      await trainer.step({ batch, seed: 2, lr: 1, epoch: 1 });
      const w1 = await snapshot(model);
      expect(w1).not.toEqual(w0);
      await trainer.step({ batch, seed: 3, lr: 1, epoch: 1 });
      await trainer.endEpoch!(1);
      await trainer.step({ batch, seed: 4, lr: 1, epoch: 2 });
      expect(await snapshot(model)).toEqual(w1);
    } finally {
      trainer.dispose();
      model.dispose();
    }
  });

  it('keeps tf.memory().numTensors flat across training steps and scoring', async () => {
    const model = misaDefinition.create(misaDefinition.configFor(dims, { hidden: 8, ffDim: 16, updateEpochs: 1 }), 3);
    const trainer = model.trainer(TRAIN, 5);
    try {
      await trainer.step({ batch, seed: 1, lr: 1, epoch: 1 });
      await model.score(batch);
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) {
        await trainer.step({ batch, seed: i, lr: 1, epoch: 1 });
        await model.score(batch);
        await model.predict(batch);
      }
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      trainer.dispose();
      model.dispose();
    }
  });

  it('resumes its optimiser from exported state', async () => {
    const config = misaDefinition.configFor(dims, { hidden: 8, ffDim: 16, updateEpochs: 1 });
    const a = misaDefinition.create(config, 3);
    const ta = a.trainer(TRAIN, 5);
    await ta.step({ batch, seed: 1, lr: 1, epoch: 1 });
    const b = misaDefinition.create(config, 3);
    const tb = b.trainer(TRAIN, 5);
    try {
      b.params.importWeights(await a.params.exportWeights());
      tb.importState(await ta.exportState());
      await ta.step({ batch, seed: 2, lr: 1, epoch: 1 });
      await tb.step({ batch, seed: 2, lr: 1, epoch: 1 });
      expect(await snapshot(b)).toEqual(await snapshot(a));
    } finally {
      [ta, tb, a, b].forEach((x) => x.dispose());
    }
  });
});
