import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Modality, PerModality } from '#contract/dataset';
import { applyNormaliser, fitNormaliser } from '../data/normaliser';
import { DarModel } from '../model/dar-model';
import { disposeInputs, toModelInputs } from '../model/inputs/inputs';
import { maxAbsDiff } from '../../../testing/engine/model/ops-reference';
import { tinyDataset } from '../../../testing/engine/tiny-dataset';
import { buildBatch } from '../train/batcher';
import { modelConfigFor } from '../train/config';
import { ClipExplainer } from './clip-explainer';
import { ExplainCache, explainClip } from './explain';

// Text wider than d (the wide alignment layout), a and v narrower.
const ds = tinyDataset({ n: { train: 8, valid: 4, test: 4 }, dims: { l: 12, a: 3, v: 4 }, seqLen: { l: 7, a: 9, v: 11 } });
const config = modelConfigFor(ds, { d: 8, t: 4, heads: 2 });
const split = applyNormaliser(ds.splits.test, fitNormaliser(ds.splits.train));
const M: Modality[] = ['l', 'a', 'v'];
const COMPARED = ['U1t', 'Hcom_t', 'Hspec_t', 'Hhat_com', 'Hhat_spec', 'Uhat1', 'gate_com', 'gate_spec'] as const;
let model: DarModel;

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = new DarModel(config, 5);
});
afterAll(() => model.dispose());

/** Frame masks: `ranges[m]` = [from, to) masked frames of modality m. */
function masks(ranges: Partial<PerModality<[number, number]>> = {}): PerModality<Uint8Array> {
  const out = { l: new Uint8Array(7), a: new Uint8Array(9), v: new Uint8Array(11) };
  for (const m of M) if (ranges[m]) out[m].fill(1, ...ranges[m]!);
  return out;
}

/** The whole model on [masked, complete] of one clip: what every explanation must equal. */
function reference(index: number, mk: PerModality<Uint8Array>): { y: number; per: Record<Modality, Record<string, Float32Array>> } {
  const batch = buildBatch(split, [index]);
  for (const m of M) {
    const mod = batch.modalities[m];
    for (let j = 0; j < mod.lengths[0]; j++) if (mk[m][j]) mod.corrupted.fill(0, j * mod.d, (j + 1) * mod.d);
  }
  const inputs = toModelInputs(batch, config);
  const per = {} as Record<Modality, Record<string, Float32Array>>;
  let y = 0;
  try {
    tf.tidy(() => {
      const out = model.forward(inputs, { training: false });
      for (const m of M) per[m] = Object.fromEntries([...COMPARED, 'Hcom'].map((k) => [k, out.perModality[m][k as 'U1'].dataSync().slice() as Float32Array]));
      y = out.y_hat.dataSync()[0];
    });
  } finally {
    disposeInputs(inputs);
  }
  return { y, per };
}

describe('ClipExplainer', () => {
  it('equals the whole model on every step of a sequence of mask edits', async () => {
    const clip = 1;
    const complete = reference(clip, masks());
    const explainer = new ClipExplainer(model, split, clip);
    const steps: Partial<PerModality<[number, number]>>[] = [{ a: [1, 4] }, { a: [1, 4], l: [0, 3] }, { a: [2, 6], l: [0, 3] }, {}, { v: [0, 11] }, { a: [1, 4] }];
    for (const step of steps) {
      const mk = masks(step);
      const ref = reference(clip, mk);
      const e = await explainer.explain(mk);
      expect(e.masked.yHat).toBeCloseTo(ref.y, 5);
      expect(e.complete.yHat).toBeCloseTo(complete.y, 5);
      for (const m of M) {
        const got = e.masked.modalities[m];
        for (const k of COMPARED) expect(maxAbsDiff(got[k], ref.per[m][k])).toBeLessThan(1e-5);
        expect(maxAbsDiff(got.Hcom, complete.per[m].Hcom)).toBeLessThan(1e-5);
        expect(got.binsTouched.some((b) => b === 1)).toBe(!!step[m]);
      }
    }
    explainer.dispose();
  });

  it('encodes only the edited modality, and nothing for masks it has seen', async () => {
    const explainer = new ClipExplainer(model, split, 2);
    await explainer.explain(masks({ a: [0, 3] }));
    const encode = vi.spyOn(model, 'encodeModality');
    const decode = vi.spyOn(model, 'forwardEncoded');
    try {
      await explainer.explain(masks({ a: [0, 3], v: [2, 5] }));
      expect(encode.mock.calls.map((c) => c[0])).toEqual(['v']);
      encode.mockClear();
      const before = explainer.memoStats;
      await explainer.explain(masks({ v: [2, 5] })); // a unmasked: its complete encodings serve
      expect(encode).not.toHaveBeenCalled();
      // l and v kept their H~spec: their specific restorations and the two blocks between them are reused
      expect(explainer.memoStats.hits - before.hits).toBe(4);
      expect(explainer.memoStats.misses - before.misses).toBe(5);
      decode.mockClear();
      const undo = await explainer.explain(masks({ a: [0, 3], v: [2, 5] })); // seen before: no model work at all
      const clear = await explainer.explain(masks());
      expect(encode).not.toHaveBeenCalled();
      expect(decode).not.toHaveBeenCalled();
      expect(undo.masked.yHat).not.toBe(undo.complete.yHat);
      expect(clear.masked.yHat).toBe(clear.complete.yHat);
    } finally {
      encode.mockRestore();
      decode.mockRestore();
      explainer.dispose();
    }
  });

  it('holds a bounded number of tensors over many edits and frees them all', async () => {
    const before = tf.memory().numTensors;
    const explainer = new ClipExplainer(model, split, 0);
    const held: number[] = [];
    for (let i = 0; i < 30; i++) {
      await explainer.explain(masks({ [M[i % 3]]: [i % 5, (i % 5) + 2] }));
      held.push(tf.memory().numTensors - before);
    }
    // complete encodings (3 tensors per modality), a few recent corrupted encodings per modality,
    // and the decode memo (27 entries of at most 3 tensors)
    expect(Math.max(...held)).toBeLessThanOrEqual(3 * 3 + 3 * 3 * 4 + 27 * 3);
    expect(new Set(held.slice(-10)).size).toBe(1);
    explainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('ExplainCache', () => {
  it('answers like explainClip, keeps at most its capacity of clips, and drops another model', async () => {
    const other = new DarModel(config, 6);
    const before = tf.memory().numTensors;
    const cache = new ExplainCache(2);
    const mk = masks({ l: [1, 3] });
    expect((await cache.explain(model, split, 3, mk)).masked.yHat).toBeCloseTo((await explainClip(model, split, 3, mk)).masked.yHat, 6);
    for (const i of [0, 1, 2, 3]) await cache.explain(model, split, i, mk);
    const heldTwo = tf.memory().numTensors - before;
    await cache.explain(model, split, 0, mk);
    expect(tf.memory().numTensors - before).toBe(heldTwo); // clip 0 was evicted and took its place again
    await cache.explain(other, split, 0, mk);
    expect(tf.memory().numTensors - before).toBeLessThan(heldTwo);
    cache.dispose();
    expect(tf.memory().numTensors).toBe(before);
    other.dispose();
  });
});
