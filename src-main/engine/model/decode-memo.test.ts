import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { DecodeMemo } from './decode-memo';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('DecodeMemo', () => {
  it('computes once per key, keeps the result past the tidy that made it, and frees it on dispose', () => {
    const before = tf.memory().numTensors;
    const memo = new DecodeMemo(9);
    let calls = 0;
    const compute = (): [tf.Tensor] => {
      calls++;
      return [tf.mul(tf.scalar(2), tf.scalar(3))];
    };
    const first = tf.tidy(() => memo.take('k', compute)[0]);
    const again = tf.tidy(() => memo.take('k', compute)[0]);
    expect(again).toBe(first);
    expect(calls).toBe(1);
    expect(first.isDisposed).toBe(false);
    expect(first.dataSync()[0]).toBe(6);
    expect(memo.stats).toEqual({ hits: 1, misses: 1, entries: 1 });
    memo.dispose();
    expect(first.isDisposed).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('evicts the least recently used entry past its capacity, disposing its tensors', () => {
    const memo = new DecodeMemo(9);
    const made = new Map<string, tf.Tensor>();
    const take = (k: string): tf.Tensor => memo.take(k, () => [tf.scalar(k.length)])[0];
    for (let i = 0; i < 9; i++) made.set(`k${i}`, take(`k${i}`));
    take('k0'); // used again: now the most recent
    take('k9'); // one too many: k1, the least recent, goes
    expect(made.get('k1')!.isDisposed).toBe(true);
    expect(made.get('k0')!.isDisposed).toBe(false);
    expect(memo.stats.entries).toBe(9);
    memo.dispose();
  });

  it('refuses a capacity that cannot hold one decode', () => {
    expect(() => new DecodeMemo(4)).toThrow(RangeError);
  });
});
