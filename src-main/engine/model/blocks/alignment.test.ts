import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Modality } from '#contract/dataset';
import type { ModelBatch } from '../batch';
import { randomBatch, tinyConfig } from '../../../../testing/engine/model/tiny-model';
import { disposeInputs, toModelInputs } from '../inputs/inputs';
import type { ModelInputs } from '../inputs/inputs';
import { maxAbsDiff, refConv3, refGelu, refLayerNorm } from '../../../../testing/engine/model/ops-reference';
import { ParamStore } from '../params';
import { poolingMatrix } from '../pooling';
import { Alignment } from './alignment';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// l is wider than d (wide layout, rows masked after the matMuls), a and v narrower (slot layout).
const config = tinyConfig({ inputDims: { l: 10, a: 3, v: 4 }, seqLen: { l: 7, a: 9, v: 11 } });
const lengths = { l: [7, 2, 5, 1], a: [9, 3, 8, 4], v: [11, 0, 6, 4] };
const batch: ModelBatch = randomBatch(config, 4, { lengths, rate: 0.4, seed: 3 });
const store = new ParamStore(5);
const align = { l: new Alignment(store, 'align.l', 10, 8, 4), a: new Alignment(store, 'align.a', 3, 8, 4), v: new Alignment(store, 'align.v', 4, 8, 4) };
let inputs: ModelInputs;

beforeAll(() => {
  inputs = toModelInputs(batch, config);
});
afterAll(() => disposeInputs(inputs));

/** conv3 -> GELU -> relative-time pooling -> LayerNorm -> + pos, one clip, by plain loops. */
function reference(m: Modality, clip: number, branch: 0 | 1): number[] {
  const mod = batch.modalities[m];
  const { d: dIn, t: T } = mod;
  const al = align[m];
  const src = branch === 0 ? mod.corrupted : mod.complete;
  const x = Array.from(src.subarray(clip * T * dIn, (clip + 1) * T * dIn));
  const len = mod.lengths[clip];
  const y = refConv3(x, len, al.kernel.dataSync(), al.bias.dataSync(), dIn, 8).map(refGelu);
  const pool = poolingMatrix(Int32Array.from([len]), 4, T);
  const pooled = Array.from({ length: 4 * 8 }, (_, p) => {
    const [k, c] = [Math.floor(p / 8), p % 8];
    let s = 0;
    for (let i = 0; i < T; i++) s += pool[k * T + i] * y[i * 8 + c];
    return s;
  });
  const pos = al.pos.dataSync();
  return refLayerNorm(pooled, al.ln.gamma.dataSync(), al.ln.beta.dataSync(), 8).map((v, i) => v + pos[i]);
}

describe('Alignment', () => {
  for (const m of ['l', 'a', 'v'] as const) {
    it(`convolves (kernel 3, zero 'same' padding), pools and normalises like the plain loops: ${m}`, () => {
      const out = align[m].apply(inputs[m]);
      expect(out.shape).toEqual([8, 4, 8]);
      const rows = out.dataSync();
      for (let branch = 0 as 0 | 1; branch <= 1; branch++) {
        for (let clip = 0; clip < 4; clip++) {
          const at = ((branch * 4 + clip) * 4 * 8);
          expect(maxAbsDiff(rows.subarray(at, at + 32), reference(m, clip, branch as 0 | 1))).toBeLessThan(1e-4);
        }
      }
    });
  }

  it('has kernel and bias gradients that match central differences in both layouts', () => {
    for (const m of ['l', 'v'] as const) {
      const al = align[m];
      const w = tf.randomNormal([8, 4, 8], 0, 1, 'float32', 11);
      const loss = () => tf.sum(tf.mul(al.apply(inputs[m]), w)) as tf.Scalar;
      const { grads } = tf.variableGrads(loss, [al.kernel, al.bias]);
      const checks: [tf.Variable, number[]][] = [
        [al.kernel, [0, 7, al.kernel.size - 1]],
        [al.bias, [2]],
      ];
      for (const [v, idx] of checks) {
        const base = v.dataSync().slice();
        for (const i of idx) {
          const at = (delta: number) => {
            const vals = base.slice();
            vals[i] += delta;
            v.assign(tf.tensor(vals, v.shape));
            return tf.tidy(() => loss().dataSync()[0]);
          };
          const numeric = (at(1e-2) - at(-1e-2)) / 2e-2;
          v.assign(tf.tensor(base, v.shape));
          expect(Math.abs(grads[v.name].dataSync()[i] - numeric)).toBeLessThan(2e-3 + 1e-2 * Math.abs(numeric));
        }
      }
    }
  });

  it('processes long inputs in row blocks with the same values and kernel gradient', () => {
    // 4 clips x 1500 frames: more conv rows than one block (4096)
    const big = tinyConfig({ inputDims: { l: 10, a: 3, v: 4 }, seqLen: { l: 7, a: 9, v: 1500 } });
    const longBatch = randomBatch(big, 4, { lengths: { v: [1500, 1400, 900, 1500] }, rate: 0.3, seed: 8 });
    const longInputs = toModelInputs(longBatch, big);
    const al = align.v;
    const out = al.apply(longInputs.v).dataSync();
    const mod = longBatch.modalities.v;
    for (const [clip, branch] of [[0, 0], [3, 1]] as const) {
      const x = Array.from((branch === 0 ? mod.corrupted : mod.complete).subarray(clip * 1500 * 4, (clip + 1) * 1500 * 4));
      const len = mod.lengths[clip];
      const y = refConv3(x, len, al.kernel.dataSync(), al.bias.dataSync(), 4, 8).map(refGelu);
      const pool = poolingMatrix(Int32Array.from([len]), 4, 1500);
      const pooled = Array.from({ length: 32 }, (_, p) => {
        let s = 0;
        for (let i = 0; i < 1500; i++) s += pool[Math.floor(p / 8) * 1500 + i] * y[i * 8 + (p % 8)];
        return s;
      });
      const pos = al.pos.dataSync();
      const expected = refLayerNorm(pooled, al.ln.gamma.dataSync(), al.ln.beta.dataSync(), 8).map((v, i) => v + pos[i]);
      const at = (branch * 4 + clip) * 32;
      expect(maxAbsDiff(out.subarray(at, at + 32), expected)).toBeLessThan(1e-4);
    }
    const w = tf.randomNormal([8, 4, 8], 0, 1, 'float32', 12);
    const loss = () => tf.sum(tf.mul(al.apply(longInputs.v), w)) as tf.Scalar;
    const g = tf.variableGrads(loss, [al.kernel]).grads[al.kernel.name].dataSync();
    const base = al.kernel.dataSync().slice();
    for (const i of [1, 50]) {
      const at = (delta: number) => {
        const vals = base.slice();
        vals[i] += delta;
        al.kernel.assign(tf.tensor(vals, al.kernel.shape));
        return tf.tidy(() => loss().dataSync()[0]);
      };
      const numeric = (at(1e-2) - at(-1e-2)) / 2e-2;
      al.kernel.assign(tf.tensor(base, al.kernel.shape));
      expect(Math.abs(g[i] - numeric)).toBeLessThan(2e-3 + 1e-2 * Math.abs(numeric));
    }
    disposeInputs(longInputs);
  });

  it('names its variables align.m.conv.kernel [3, d_m, d], .conv.bias, .ln.*, .pos [t, d]', () => {
    expect(store.names().filter((n) => n.startsWith('align.a.'))).toEqual(['align.a.conv.bias', 'align.a.conv.kernel', 'align.a.ln.beta', 'align.a.ln.gamma', 'align.a.pos']);
    expect(store.get('align.l.conv.kernel').shape).toEqual([3, 10, 8]);
    expect(store.get('align.v.pos').shape).toEqual([4, 8]);
  });
});
