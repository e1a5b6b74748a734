import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODALITIES } from '#contract/dataset';
import type { BatchModality, ModelBatch } from '../../batch';
import { lnlnBatch, tinyLnlnConfig } from '../../../../../testing/engine/model/lnln/tiny-lnln';
import { LNLN_DEFINITION } from './lnln-definition';
import { completenessLabels } from './lnln-inputs';
import { lnlnLayer } from './lnln-layer-op';
import { LnlnModel } from './lnln-model';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The batch with every modality trimmed to its longest clip, as the engine's batcher sends it. */
function trimmed(batch: ModelBatch): ModelBatch {
  const trim = (bm: BatchModality): BatchModality => {
    const t = Math.max(...bm.lengths);
    const rows = (src: Float32Array) => Float32Array.from({ length: batch.size * t * bm.d }, (_, i) => {
      const [b, rest] = [Math.floor(i / (t * bm.d)), i % (t * bm.d)];
      return src[b * bm.t * bm.d + rest];
    });
    const masks = Uint8Array.from({ length: batch.size * t }, (_, i) => bm.masks[Math.floor(i / t) * bm.t + (i % t)]);
    return { ...bm, t, complete: rows(bm.complete), corrupted: rows(bm.corrupted), masks };
  };
  return { ...batch, modalities: { l: trim(batch.modalities.l), a: trim(batch.modalities.a), v: trim(batch.modalities.v) } };
}

describe('LNLN', () => {
  it('pads a trimmed batch back to the full lengths, since it attends over padding', async () => {
    const model = new LnlnModel(tinyLnlnConfig(), 1);
    const full = lnlnBatch(model.config, 3, { rate: 0.4, lengths: { l: [4, 5, 3], a: [2, 6, 5], v: [7, 3, 4] } });
    const short = trimmed(full);
    expect(short.modalities.v.t).toBe(7);
    expect(Array.from(await model.predict(short))).toEqual(Array.from(await model.predict(full)));
    model.dispose();
  });

  it('takes the completeness label from the masked share of the maskable text tokens', () => {
    const batch = lnlnBatch(tinyLnlnConfig(), 3, { rate: 0, lengths: { l: [6, 2, 7] } });
    const { masks, t } = batch.modalities.l;
    masks.set([0, 1, 0, 1, 0, 0], 0); // 2 of the 4 tokens between [CLS] and [SEP]
    masks.set([1], t); // a clip with no maskable token
    masks.set([1, 1, 1, 1, 1, 1, 1], 2 * t); // [CLS] and [SEP] never count
    expect(Array.from(completenessLabels(batch))).toEqual([0.5, 1, 0]);
  });

  it('computes the same layer, values and gradients, however many samples a chunk holds', async () => {
    const rand = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);
    const [d, heads, dh, mlp] = [8, 2, 4, 6];
    const shapes = [[d], [d], [d], [d], [d], [d], [d, heads * dh], [d, heads * dh], [d, heads * dh], [heads * dh, d], [d], [d], [d], [d, mlp], [mlp], [mlp, d], [d]];
    const weights = shapes.map((s, i) => rand(s, i));
    const xq = rand([5, 3, d], 40) as tf.Tensor3D;
    const xkv = rand([5, 6, d], 41) as tf.Tensor3D;
    const run = (budget: number) => tf.grads((q: tf.Tensor, kv: tf.Tensor, ...w: tf.Tensor[]) => tf.sum(tf.square(lnlnLayer(q as tf.Tensor3D, kv as tf.Tensor3D, w, heads, dh, budget))));
    const whole = run(1 << 20)([xq, xkv, ...weights]);
    const split = run(heads * 3 * 6 * 2)([xq, xkv, ...weights]); // 2 samples a chunk: 3 chunks
    for (const [i, g] of whole.entries()) {
      const [a, b] = await Promise.all([g.data(), split[i].data()]);
      const scale = Math.max(...a.map(Math.abs));
      expect(scale).toBeGreaterThan(0);
      expect(Math.max(...a.map((x, j) => Math.abs(x - b[j])))).toBeLessThan(1e-5 * scale);
    }
  });

  it('answers a batch that does not fit with a coded error', async () => {
    const model = new LnlnModel(tinyLnlnConfig(), 1);
    const batch = lnlnBatch(model.config, 2);
    await expect(model.score({ ...batch, labels: undefined })).rejects.toMatchObject({ code: 'ARG_INVALID' });
    const wide = lnlnBatch(tinyLnlnConfig({ inputDims: { l: 6, a: 5, v: 4 } } as never), 2);
    await expect(model.predict({ ...batch, modalities: { ...batch.modalities, a: { ...batch.modalities.a, d: 5, complete: wide.modalities.a.complete, corrupted: wide.modalities.a.corrupted } } })).rejects.toMatchObject({ code: 'DATASET_SHAPE' });
    model.dispose();
  });
});

describe('LNLN_DEFINITION', () => {
  const dims = { inputDims: { l: 768, a: 5, v: 20 }, seqLen: { l: 50, a: 375, v: 500 } };

  it("gives the public MOSI config's sizes and loss weights for a dataset", () => {
    const c = LNLN_DEFINITION.configFor(dims);
    expect(c).toMatchObject({ ...dims, d: 128, tokenLen: 8, heads: 8, dimHead: 64, depth: 2, hyperDepth: 3, alpha: 0.9, beta: 0.8, gamma: 0.1, sigma: 1 });
    expect(LNLN_DEFINITION.configFor(dims, { gamma: 0.5 }).gamma).toBe(0.5);
  });

  it('rejects a bad config naming the field', () => {
    const good = LNLN_DEFINITION.configFor(dims);
    for (const [bad, field] of [
      [{ ...good, heads: 3 }, 'heads'],
      [{ ...good, hyperDepth: 4 }, 'hyperDepth'],
      [{ ...good, alpha: -1 }, 'alpha'],
      [{ ...good, seqLen: { l: 50, a: 0, v: 500 } }, 'seqLen.a'],
      [{ ...good, tokenLen: 1.5 }, 'tokenLen'],
      [{ ...good, dropout: 0.1 }, 'dropout'],
    ] as const) {
      expect(() => LNLN_DEFINITION.validate(bad)).toThrow(expect.objectContaining({ code: 'ARG_INVALID', message: expect.stringContaining(field) }));
    }
    expect(() => LNLN_DEFINITION.validate(null)).toThrow(expect.objectContaining({ code: 'ARG_INVALID' }));
  });

  it('builds a model with every variable of the public network', () => {
    const model = LNLN_DEFINITION.create(LNLN_DEFINITION.configFor({ inputDims: { l: 6, a: 3, v: 4 }, seqLen: { l: 7, a: 9, v: 11 } }, { d: 8, heads: 2, dimHead: 4, tokenLen: 2 }), 1);
    const names = model.params.names();
    for (const m of MODALITIES) expect(names).toContain(`proj.${m}.enc.layer1.wq`);
    expect(names).toEqual(expect.arrayContaining(['h_p', 'h_hyper', 'proxy.extra', 'completeness.head.l2.kernel', 'discriminator.l1.kernel', 'dmml.hyper.layer2.wv_v', 'dmml.fusion.pos_s', 'dmml.regression.bias']));
    expect(model.kind).toBe('lnln');
    model.dispose();
  });
});
