/**
 * MMSA's gradient accumulation: `update_epochs` batches' gradients are summed (loss.backward()
 * adds into .grad) before one optimiser step; the epoch's trailing batches that do not fill a
 * group are dropped (MMSA zero_grads at the next epoch's first batch and never steps on them).
 * MISA also clips element-wise after EVERY backward, so the running sum is clipped, not each term.
 * The sums live in variables made once (like .grad), so the tensor count is the same between
 * any two steps, and a resume mid-group continues the group.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DarError } from '../../../errors';
import type { WeightData } from '../../params';

/** Sums gradients over a group of batches, optionally clipping the running sum by value. */
export class GradAccumulator {
  private readonly sums = new Map<string, tf.Variable>();
  private left: number;

  constructor(
    params: Map<string, tf.Variable>,
    readonly groupSize: number,
    /** clip_grad_value_ bound, or -1 for none. */
    readonly clipValue = -1,
  ) {
    this.left = groupSize;
    for (const [name, p] of params) {
      const z = tf.zerosLike(p);
      this.sums.set(name, tf.variable(z, false));
      z.dispose();
    }
  }

  /**
   * Adds one batch's gradients (disposing them); returns the group's sums (owned here: read,
   * do not dispose) when the group is complete, else null.
   */
  add(grads: Map<string, tf.Tensor>): Map<string, tf.Tensor> | null {
    const first = this.left === this.groupSize;
    this.left -= 1;
    const clip = this.clipValue;
    tf.tidy(() => {
      for (const [name, sum] of this.sums) {
        const g = grads.get(name);
        // a parameter without a gradient this batch adds nothing (its .grad stays as it was)
        const s = first ? (g ?? tf.zerosLike(sum)) : g ? tf.add(sum, g) : sum;
        sum.assign(clip === -1 ? s : tf.clipByValue(s, -clip, clip));
      }
    });
    tf.dispose([...grads.values()]);
    if (this.left > 0) return null;
    this.left = this.groupSize;
    return this.sums;
  }

  /** Drops a partial group (the epoch ended). */
  endEpoch(): void {
    this.left = this.groupSize;
  }

  /** Batches still needed to complete the current group. */
  get pending(): number {
    return this.left;
  }

  /** The partial group's sums (as `prefix.<name>` tensors) and how far it is. */
  async exportState(prefix: string): Promise<{ left: number; tensors: Map<string, WeightData> }> {
    const left = this.left;
    const tensors = new Map<string, WeightData>();
    for (const [name, v] of this.sums) tensors.set(`${prefix}.${name}`, { data: new Float32Array(await v.data<'float32'>()), shape: [...v.shape] });
    return { left, tensors };
  }

  /** Restores exportState()'s output. */
  importState(prefix: string, left: unknown, tensors: Map<string, WeightData> | undefined): void {
    if (!(Number.isInteger(left) && (left as number) >= 1 && (left as number) <= this.groupSize)) {
      throw new DarError('CHECKPOINT_MISMATCH', `gradient accumulation: expected 1..${this.groupSize} batches left, got ${JSON.stringify(left)}`);
    }
    for (const [name, v] of this.sums) {
      const w = tensors?.get(`${prefix}.${name}`);
      if (!w || w.data.length !== v.size) throw new DarError('CHECKPOINT_MISMATCH', `gradient accumulation: ${prefix}.${name} missing or mis-sized`);
      tf.tidy(() => v.assign(tf.tensor(w.data, v.shape)));
    }
    this.left = left as number;
  }

  dispose(): void {
    for (const v of this.sums.values()) v.dispose();
    this.sums.clear();
  }
}

/** PyTorch Adam's (coupled, L2) weight decay: g + wd * p as new tensors (the caller disposes them); null when wd is 0. */
export function coupledDecay(grads: Map<string, tf.Tensor>, params: Map<string, tf.Variable>, wd: number): Map<string, tf.Tensor> | null {
  if (wd === 0) return null;
  return new Map(tf.tidy(() => [...grads].map(([n, g]) => [n, tf.add(g, tf.mul(params.get(n)!, wd))] as [string, tf.Tensor])));
}

/** Global L2 norm of gradients (for the step report), read asynchronously. */
export async function gradNorm(grads: Map<string, tf.Tensor>): Promise<number> {
  if (grads.size === 0) return 0;
  const n = tf.tidy(() => tf.sqrt(tf.addN([...grads.values()].map((g) => tf.sum(tf.square(g))))));
  try {
    return (await n.data())[0];
  } finally {
    n.dispose();
  }
}
