import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainConfig } from '#contract/model';
import type { GoldenBase, GoldenModality } from '../../../../../testing/engine/model/baselines/golden';
import { goldenBatch, readGolden } from '../../../../../testing/engine/model/baselines/golden';
import { failure } from '../../../../../testing/engine/failure';
import { SELF_MM_DEFAULTS } from './self-mm-config';
import { selfMmDefinition } from './self-mm-definition';
import type { SelfMmTrainer } from './self-mm-trainer';

interface Golden extends GoldenBase {
  cases: { batch: Record<'l' | 'a' | 'v', GoldenModality> }[];
}

const golden = readGolden<Golden>(join(import.meta.dirname, '../../../../../testing/engine/model/baselines/self-mm-golden.json'));
const dims = { inputDims: golden.dims, seqLen: golden.seq };
const batch = goldenBatch(golden.cases[1].batch, golden.labels);
const TRAIN = {} as TrainConfig;
const small = { aLstmHidden: 4, vLstmHidden: 6, postFusionDim: 8, postTextDim: 4, postAudioDim: 3, postVideoDim: 4, updateEpochs: 1 };

describe('Self-MM', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('defaults to MMSA\u2019s MOSI values and refuses a bad field with ARG_INVALID naming it', () => {
    expect(selfMmDefinition.configFor(dims)).toMatchObject({ ...SELF_MM_DEFAULTS, dimV: 4 });
    expect(failure(() => selfMmDefinition.configFor(dims, { postTextDropout: 1.5 }))).toMatchObject({ code: 'ARG_INVALID', message: expect.stringContaining('postTextDropout') });
  });

  it('keeps tf.memory().numTensors flat across training steps and scoring', async () => {
    const model = selfMmDefinition.create(selfMmDefinition.configFor(dims, small), 3);
    const trainer = model.trainer(TRAIN, 5);
    try {
      await trainer.step({ batch, seed: 1, lr: 1, epoch: 0 });
      const before = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) {
        await trainer.step({ batch, seed: i, lr: 1, epoch: 1 + i });
        await model.score(batch);
      }
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      trainer.dispose();
      model.dispose();
    }
  });

  it('resumes optimisers and label memory from exported state', async () => {
    const config = selfMmDefinition.configFor(dims, small);
    const a = selfMmDefinition.create(config, 3);
    const ta = a.trainer(TRAIN, 5) as SelfMmTrainer;
    const b = selfMmDefinition.create(config, 3);
    const tb = b.trainer(TRAIN, 5) as SelfMmTrainer;
    try {
      await ta.step({ batch, seed: 1, lr: 1, epoch: 0 });
      await ta.step({ batch, seed: 2, lr: 1, epoch: 1 });
      b.params.importWeights(await a.params.exportWeights());
      tb.importState(await ta.exportState());
      await ta.step({ batch, seed: 3, lr: 1, epoch: 2 });
      await tb.step({ batch, seed: 3, lr: 1, epoch: 2 });
      expect(tb.memory.labels.text).toEqual(ta.memory.labels.text);
      expect(await b.predict(batch)).toEqual(await a.predict(batch));
    } finally {
      [ta, tb, a, b].forEach((x) => x.dispose());
    }
  });
});
