import { describe, it, expect, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend';
import { clipByGlobalNorm, createAdam, createAdamW } from './optimizer';
import type { Adam } from './optimizer';

beforeAll(async () => {
  await initBackend({ prefer: 'cpu' });
});

// A tiny problem: f(w) = sum_i c_i (w_i - target_i)^2 over two parameters.
const INIT = { 'enc.w': [0.5, -1.5, 2, 0.25, -0.75, 3], 'enc.b': [0.1, -0.2, 0.3] };
const TARGET = { 'enc.w': [1, 1, -1, 0, 0.5, 2], 'enc.b': [-1, 0, 1] };
const C = { 'enc.w': [1, 2, 0.5, 3, 1, 0.1], 'enc.b': [1, 1, 4] };
type Name = keyof typeof INIT;
const NAMES = Object.keys(INIT) as Name[];

function gradOf(name: Name, w: ArrayLike<number>): number[] {
  return Array.from(w, (x, i) => 2 * C[name][i] * (x - TARGET[name][i]));
}

/** Plain-JS float64 AdamW exactly as the spec words it: Adam, then w -= lr * wd * w. */
function referenceRun(steps: number, lr: number, wd: number): Record<Name, number[]> {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const w = { 'enc.w': [...INIT['enc.w']], 'enc.b': [...INIT['enc.b']] };
  const m = { 'enc.w': [0, 0, 0, 0, 0, 0], 'enc.b': [0, 0, 0] };
  const v = { 'enc.w': [0, 0, 0, 0, 0, 0], 'enc.b': [0, 0, 0] };
  for (let t = 1; t <= steps; t++) {
    for (const name of NAMES) {
      const g = gradOf(name, w[name]);
      for (let i = 0; i < g.length; i++) {
        m[name][i] = b1 * m[name][i] + (1 - b1) * g[i];
        v[name][i] = b2 * v[name][i] + (1 - b2) * g[i] * g[i];
        const mhat = m[name][i] / (1 - b1 ** t);
        const vhat = v[name][i] / (1 - b2 ** t);
        w[name][i] -= (lr * mhat) / (Math.sqrt(vhat) + eps);
        w[name][i] -= lr * wd * w[name][i];
      }
    }
  }
  return w;
}

function makeParams(): Map<string, tf.Variable> {
  return new Map(NAMES.map((n) => [n, tf.variable(tf.tensor1d(INIT[n]))]));
}

function tfStep(opt: Adam, params: Map<string, tf.Variable>): void {
  const grads = new Map(NAMES.map((n) => [n, tf.tensor1d(gradOf(n, params.get(n)!.dataSync()))] as [string, tf.Tensor]));
  opt.step(grads);
  tf.dispose([...grads.values()]);
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(tol);
}

describe('Adam / AdamW', () => {
  for (const wd of [0, 0.5]) {
    it(`matches a plain-JS reference for several steps (wd ${wd})`, () => {
      const params = makeParams();
      const opt = createAdamW(params, 0.1, wd);
      for (let s = 0; s < 6; s++) tfStep(opt, params);
      const ref = referenceRun(6, 0.1, wd);
      for (const n of NAMES) expectClose(params.get(n)!.dataSync(), ref[n], 2e-6);
      expect(opt.iterations).toBe(6);
      opt.dispose();
      tf.dispose([...params.values()]);
    });
  }

  it('decays after the Adam update, not before (the spec wording)', () => {
    const params = makeParams();
    const opt = createAdamW(params, 0.1, 0.5);
    tfStep(opt, params);
    // Step 1: bias-corrected Adam moves each weight by lr * sign(g); then w *= 1 - lr * wd.
    for (const n of NAMES) {
      const want = INIT[n].map((w, i) => (w - 0.1 * Math.sign(gradOf(n, INIT[n])[i])) * (1 - 0.05));
      expectClose(params.get(n)!.dataSync(), want, 1e-6);
    }
    opt.dispose();
    tf.dispose([...params.values()]);
  });

  it('leaves parameters without a gradient untouched and keeps tensor count flat', () => {
    const params = makeParams();
    const opt = createAdamW(params, 0.01, 0.1);
    const before = tf.memory().numTensors;
    for (let s = 0; s < 4; s++) {
      const g = tf.tensor1d([1, 2, 3]);
      opt.step({ 'enc.b': g });
      g.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(Array.from(params.get('enc.w')!.dataSync())).toEqual(INIT['enc.w'].map(Math.fround));
    opt.dispose();
    tf.dispose([...params.values()]);
  });

  it('continues identically after export and import of its state', async () => {
    const [pa, pb] = [makeParams(), makeParams()];
    const a = createAdamW(pa, 0.05, 0.1);
    for (let s = 0; s < 3; s++) tfStep(a, pa);
    const b = createAdamW(pb, 0.05, 0.1);
    for (const n of NAMES) pb.get(n)!.assign(tf.tensor1d(pa.get(n)!.dataSync()));
    b.importState(await a.exportState());
    expect(b.iterations).toBe(3);
    for (let s = 0; s < 2; s++) {
      tfStep(a, pa);
      tfStep(b, pb);
    }
    for (const n of NAMES) expect(Array.from(pb.get(n)!.dataSync())).toEqual(Array.from(pa.get(n)!.dataSync()));
    [a, b].forEach((o) => o.dispose());
    tf.dispose([...pa.values(), ...pb.values()]);
  });

  it('refuses a state with other names or shapes (CHECKPOINT_MISMATCH)', async () => {
    const params = makeParams();
    const opt = createAdam(params, 0.01);
    const state = await opt.exportState();
    state.m.set('enc.b', { data: new Float32Array(4), shape: [4] });
    expect(() => opt.importState(state)).toThrow(expect.objectContaining({ code: 'CHECKPOINT_MISMATCH', message: expect.stringContaining('m.enc.b') }));
    const other = await opt.exportState();
    other.v.delete('enc.w');
    expect(() => opt.importState(other)).toThrow(/state v: missing \[enc\.w\]/);
    opt.dispose();
    tf.dispose([...params.values()]);
  });

  it('refuses a gradient for an unknown parameter', () => {
    const params = makeParams();
    const opt = createAdam(params, 0.01);
    const g = tf.tensor1d([1]);
    expect(() => opt.step({ nope: g })).toThrow(/unknown parameter nope/);
    g.dispose();
    opt.dispose();
    tf.dispose([...params.values()]);
  });
});

describe('clipByGlobalNorm', () => {
  it('scales gradients to the max global norm and reports the norm before clipping', async () => {
    const grads = new Map<string, tf.Tensor>([
      ['a', tf.tensor1d([3, 4])],
      ['b', tf.tensor2d([[12]])],
    ]);
    const before = tf.memory().numTensors;
    const out = await clipByGlobalNorm(grads, 2);
    expect(out.norm).toBeCloseTo(13, 5);
    expectClose(out.grads.get('a')!.dataSync(), [(3 * 2) / 13, (4 * 2) / 13], 1e-6);
    expectClose(out.grads.get('b')!.dataSync(), [(12 * 2) / 13], 1e-6);
    expect(out.grads.get('b')!.shape).toEqual([1, 1]);
    tf.dispose([...out.grads.values()]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...grads.values()]);
  });

  it('leaves gradients below the limit unchanged', async () => {
    const grads = new Map<string, tf.Tensor>([['a', tf.tensor1d([0.3, 0.4])]]);
    const out = await clipByGlobalNorm(grads, 2);
    expect(out.norm).toBeCloseTo(0.5, 6);
    expect(Array.from(out.grads.get('a')!.dataSync())).toEqual(Array.from(grads.get('a')!.dataSync()));
    expect(out.grads.get('a')).not.toBe(grads.get('a'));
    tf.dispose([...out.grads.values(), ...grads.values()]);
  });
});
