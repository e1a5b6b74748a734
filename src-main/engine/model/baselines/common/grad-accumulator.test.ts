import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { GradAccumulator } from './grad-accumulator';

const g = (x: number) => new Map([['w', tf.tensor1d([x])]]);
const params = () => new Map([['w', tf.variable(tf.zeros([1]))]]);

async function value(m: Map<string, tf.Tensor> | null): Promise<number | null> {
  return m ? (await m.get('w')!.data())[0] : null;
}

describe('GradAccumulator (MMSA update_epochs and clip_grad_value_)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('steps once per group, with the running sum clipped after every batch', async () => {
    const acc = new GradAccumulator(params(), 2, 0.8);
    expect(await value(acc.add(g(1)))).toBeNull();
    // clip(clip(1) + -0.5) = 0.3, where clipping only the group's sum would give 0.5
    expect(await value(acc.add(g(-0.5)))).toBeCloseTo(0.3, 6);
    acc.dispose();
  });

  it('drops a partial group at the end of an epoch', async () => {
    const acc = new GradAccumulator(params(), 2);
    await value(acc.add(g(5)));
    acc.endEpoch();
    expect(acc.pending).toBe(2);
    expect(await value(acc.add(g(1)))).toBeNull();
    expect(await value(acc.add(g(2)))).toBe(3);
    acc.dispose();
  });

  it('holds the same tensors between batches, and none after dispose', () => {
    const p = params();
    const before = tf.memory().numTensors;
    const acc = new GradAccumulator(p, 3, 1);
    const held = tf.memory().numTensors;
    acc.add(g(1));
    expect(tf.memory().numTensors).toBe(held);
    acc.add(g(2));
    acc.add(g(3));
    expect(tf.memory().numTensors).toBe(held);
    acc.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('continues a partial group from its exported state', async () => {
    const a = new GradAccumulator(params(), 2);
    await value(a.add(g(1)));
    const s = await a.exportState('acc');
    const b = new GradAccumulator(params(), 2);
    b.importState('acc', s.left, s.tensors);
    expect(await value(b.add(g(2)))).toBe(3);
    [a, b].forEach((x) => x.dispose());
  });
});
