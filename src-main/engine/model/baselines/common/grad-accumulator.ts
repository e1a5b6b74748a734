/**
 * MMSA's gradient accumulation: `update_epochs` batches' gradients are summed (loss.backward()
 * adds into .grad) before one optimiser step; the epoch's trailing batches that do not fill a
 * group are dropped (MMSA zero_grads at the next epoch's first batch and never steps on them).
 * MISA also clips element-wise after EVERY backward, so the running sum is clipped, not each term.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Sums gradients over a group of batches, optionally clipping the running sum by value. */
export class GradAccumulator {
  private sum: Map<string, tf.Tensor> | null = null;
  private left: number;

  constructor(
    readonly groupSize: number,
    /** clip_grad_value_ bound, or -1 for none. */
    readonly clipValue = -1,
  ) {
    this.left = groupSize;
  }

  /** Adds one batch's gradients (takes ownership); returns the summed group when it is complete, for the caller to dispose. */
  add(grads: Map<string, tf.Tensor>): Map<string, tf.Tensor> | null {
    if (this.left === this.groupSize) this.clear();
    this.left -= 1;
    const prev = this.sum;
    const clip = this.clipValue;
    this.sum = new Map(
      tf.tidy(() =>
        [...grads].map(([name, g]) => {
          const s = prev?.get(name) ? tf.add(prev.get(name)!, g) : tf.clone(g);
          return [name, clip === -1 ? s : tf.clipByValue(s, -clip, clip)] as [string, tf.Tensor];
        }),
      ),
    );
    tf.dispose([...grads.values(), ...(prev ? [...prev.values()] : [])]);
    if (this.left > 0) return null;
    this.left = this.groupSize;
    const full = this.sum;
    this.sum = null;
    return full;
  }

  /** Drops a partial group (the epoch ended). */
  endEpoch(): void {
    this.clear();
    this.left = this.groupSize;
  }

  /** Batches still needed to complete the current group. */
  get pending(): number {
    return this.left;
  }

  private clear(): void {
    if (this.sum) tf.dispose([...this.sum.values()]);
    this.sum = null;
  }

  dispose(): void {
    this.clear();
  }
}

/** PyTorch Adam's (coupled, L2) weight decay: g + wd * p, as new tensors; disposes the inputs. */
export function coupledDecay(grads: Map<string, tf.Tensor>, params: Map<string, tf.Variable>, wd: number): Map<string, tf.Tensor> {
  if (wd === 0) return grads;
  const out = tf.tidy(() => [...grads].map(([n, g]) => [n, tf.add(g, tf.mul(params.get(n)!, wd))] as [string, tf.Tensor]));
  tf.dispose([...grads.values()]);
  return new Map(out);
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
