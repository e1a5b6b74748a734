import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PerModality } from '#contract/dataset';
import { trainingMasks } from '../data/corruption';
import { clubLoss, computeLosses } from '../losses';
import { DarModel } from '../model/dar-model';
import { disposeInputs, toModelInputs } from '../model/inputs/inputs';
import { tinyDataset } from '../../../testing/engine/tiny-dataset';
import { buildBatch } from './batcher';
import { modelConfigFor } from './config';
import { clipByGlobalNorm, createAdam, createAdamW } from './optimizer';
import { trainStep, tfNameIndex } from './steps';
import type { StepContext } from './steps';

const ds = tinyDataset({ n: { train: 6, valid: 2, test: 2 }, dims: { l: 10, a: 3, v: 4 }, seqLen: { l: 7, a: 9, v: 11 } });
const config = modelConfigFor(ds, { d: 8, t: 4, heads: 2, dropout: 0 });

function context(): StepContext {
  const model = new DarModel(config, 5);
  return { model, config, ablations: [], useClub: true, main: createAdamW(model.params.group('main'), 1e-2, 1e-4), club: createAdam(model.params.group('club'), 1e-2), clipNorm: 2 };
}

function named(grads: tf.NamedTensorMap, vars: Map<string, tf.Variable>): Map<string, tf.Tensor> {
  const index = tfNameIndex(vars);
  return new Map(Object.entries(grads).map(([k, g]) => [index.get(k)!, g]));
}

/** The spec's order written out plainly: a CLUB step on its own forward, then the main step. */
async function referenceStep(ctx: StepContext, inputs: ReturnType<typeof toModelInputs>, labels: tf.Tensor1D): Promise<void> {
  const clubVars = ctx.model.params.group('club');
  const c = tf.variableGrads(() => {
    const enc = ctx.model.encode(inputs, { training: true, seed: 1 });
    const est = ctx.model.clubAll({ l: enc.l.Hspec_t, a: enc.a.Hspec_t, v: enc.v.Hspec_t });
    return clubLoss({ l: enc.l.Hcom_t, a: enc.a.Hcom_t, v: enc.v.Hcom_t } as PerModality<tf.Tensor3D>, est);
  }, [...clubVars.values()]);
  ctx.club.step(named(c.grads, clubVars), 1e-2);
  const mainVars = ctx.model.params.group('main');
  const g = tf.variableGrads(() => computeLosses(ctx.model.forward(inputs, { training: true, seed: 1, club: true }), labels, config, []).terms.total, [...mainVars.values()]);
  const { grads } = await clipByGlobalNorm(named(g.grads, mainVars), 2);
  ctx.main.step(grads, 1e-2);
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('trainStep', () => {
  it('equals a separate CLUB step followed by the main step (encoders run once)', async () => {
    const a = context();
    const b = context();
    const masks = trainingMasks(ds.splits.train, { k: { l: 0.3, a: 0.3, v: 0.3 }, mode: 'fixed' }, 1, 0);
    const batch = buildBatch(ds.splits.train, [0, 1, 2, 3, 4, 5], masks);
    const labels = tf.tensor1d(batch.labels!);
    for (let s = 0; s < 2; s++) {
      const inputs = toModelInputs(batch, config);
      await trainStep(a, inputs, labels, 1, 1e-2, 1e-2);
      await referenceStep(b, inputs, labels);
      disposeInputs(inputs);
    }
    const wa = await a.model.params.exportWeights();
    const wb = await b.model.params.exportWeights();
    for (const [name, w] of wa) {
      const other = wb.get(name)!.data;
      const diff = Math.max(...Array.from(w.data, (x, i) => Math.abs(x - other[i])));
      expect(diff, name).toBeLessThan(1e-5);
    }
    // Both groups really moved.
    const fresh = await new DarModel(config, 5).params.exportWeights();
    for (const name of ['club.a.mu.kernel', 'head.dense2.kernel']) expect(Array.from(wa.get(name)!.data)).not.toEqual(Array.from(fresh.get(name)!.data));
    labels.dispose();
  }, 25_000);
});
