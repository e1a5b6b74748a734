import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { GradAccumulator } from './grad-accumulator';

const g = (x: number) => new Map([['w', tf.tensor1d([x])]]);

async function value(m: Map<string, tf.Tensor> | null): Promise<number | null> {
  if (!m) return null;
  const v = (await m.get('w')!.data())[0];
  tf.dispose([...m.values()]);
  return v;
}

describe('GradAccumulator (MMSA update_epochs and clip_grad_value_)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('steps once per group, with the running sum clipped after every batch', async () => {
    const acc = new GradAccumulator(2, 0.8);
    expect(await value(acc.add(g(1)))).toBeNull();
    // clip(clip(1) + -0.5) = 0.3, where clipping only the group's sum would give 0.5
    expect(await value(acc.add(g(-0.5)))).toBeCloseTo(0.3, 6);
    acc.dispose();
  });

  it('drops a partial group at the end of an epoch', async () => {
    const acc = new GradAccumulator(2);
    await value(acc.add(g(5)));
    acc.endEpoch();
    expect(acc.pending).toBe(2);
    expect(await value(acc.add(g(1)))).toBeNull();
    expect(await value(acc.add(g(2)))).toBe(3);
    acc.dispose();
  });

  it('holds no tensors after dispose', () => {
    const before = tf.memory().numTensors;
    const acc = new GradAccumulator(3, 1);
    acc.add(g(1));
    acc.add(g(2));
    acc.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
