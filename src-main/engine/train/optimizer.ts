/**
 * Adam with decoupled weight decay (spec "Training protocol": Adam, then w -= lr * wd * w) and
 * global-norm gradient clipping. Parameters and gradients are keyed by the spec's dotted names;
 * the moments are plain (non-trainable) tf variables so a step allocates nothing that outlives it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DarError } from '../errors';
import type { TensorMap } from '../checkpoint/safetensors';

/** Hyper-parameters; defaults are the spec's (betas 0.9 / 0.999, eps 1e-8, no decay). */
export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  /** Decoupled weight decay, applied after the Adam update (0 = plain Adam). */
  weightDecay?: number;
}

/** Everything needed to continue an optimizer exactly: step count and both moments per parameter. */
export interface OptimizerState {
  step: number;
  m: TensorMap;
  v: TensorMap;
}

/** Gradients by dotted parameter name. */
export type GradMap = Map<string, tf.Tensor> | Record<string, tf.Tensor>;

function entriesOf(grads: GradMap): [string, tf.Tensor][] {
  return grads instanceof Map ? [...grads.entries()] : Object.entries(grads);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A non-trainable zero variable shaped like p; the temporary it is made from is disposed. */
function zeroVariable(p: tf.Tensor): tf.Variable {
  const zeros = tf.zerosLike(p);
  const v = tf.variable(zeros, false);
  zeros.dispose();
  return v;
}

/** Adam / AdamW over a fixed set of variables, updating them in place. */
export class Adam {
  /** The learning rate used when `step` is not given one (the schedule sets it per epoch). */
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  private t = 0;
  private readonly moments = new Map<string, { m: tf.Variable; v: tf.Variable }>();

  constructor(
    private readonly params: Map<string, tf.Variable>,
    options: AdamOptions,
  ) {
    this.lr = options.lr;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    for (const [name, p] of params) {
      this.moments.set(name, { m: zeroVariable(p), v: zeroVariable(p) });
    }
  }

  /** Number of steps taken (the t of the bias correction). */
  get iterations(): number {
    return this.t;
  }

  /** One update of every parameter that has a gradient (others, like PyTorch, are left alone). */
  step(grads: GradMap, lr: number = this.lr): void {
    const entries = entriesOf(grads);
    for (const [name, g] of entries) {
      const p = this.params.get(name);
      if (!p) throw new DarError('INTERNAL', `optimizer: gradient for unknown parameter ${name}`);
      if (!sameShape(p.shape, g.shape)) {
        throw new DarError('INTERNAL', `optimizer: gradient of ${name} has shape [${g.shape}], the parameter [${p.shape}]`);
      }
    }
    this.t += 1;
    const { beta1: b1, beta2: b2, eps } = this;
    const bc1 = 1 - b1 ** this.t;
    const bc2 = 1 - b2 ** this.t;
    const decay = 1 - lr * this.weightDecay;
    tf.tidy(() => {
      for (const [name, g] of entries) {
        const p = this.params.get(name)!;
        const { m, v } = this.moments.get(name)!;
        const m1 = tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1));
        const v1 = tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2));
        const update = tf.div(tf.div(m1, bc1), tf.add(tf.sqrt(tf.div(v1, bc2)), eps));
        const adam = tf.sub(p, tf.mul(update, lr));
        m.assign(m1);
        v.assign(v1);
        // Decoupled decay on the Adam-updated weight: w -= lr * wd * w, written as w *= 1 - lr * wd.
        p.assign(this.weightDecay === 0 ? adam : tf.mul(adam, decay));
      }
    });
  }

  /** Typed-array copy of the moments and step count (for the resume sidecar). */
  async exportState(): Promise<OptimizerState> {
    const m: TensorMap = new Map();
    const v: TensorMap = new Map();
    // The step count is taken before awaiting so the snapshot is of one instant.
    const step = this.t;
    for (const [name, mv] of this.moments) {
      const [md, vd] = await Promise.all([mv.m.data<'float32'>(), mv.v.data<'float32'>()]);
      m.set(name, { data: md.slice(), shape: [...mv.m.shape] });
      v.set(name, { data: vd.slice(), shape: [...mv.v.shape] });
    }
    return { step, m, v };
  }

  /** Restores exportState()'s output; names and shapes must match (CHECKPOINT_MISMATCH otherwise). */
  importState(state: OptimizerState): void {
    if (!(Number.isSafeInteger(state.step) && state.step >= 0)) {
      throw new DarError('CHECKPOINT_MISMATCH', `optimizer state: step must be a non-negative integer, got ${state.step}`);
    }
    for (const [kind, map] of [['m', state.m], ['v', state.v]] as const) {
      const missing = [...this.moments.keys()].filter((n) => !map.has(n));
      const extra = [...map.keys()].filter((n) => !this.moments.has(n));
      if (missing.length || extra.length) {
        throw new DarError('CHECKPOINT_MISMATCH', `optimizer state ${kind}: missing [${missing.join(', ')}], unexpected [${extra.join(', ')}]`);
      }
      for (const [name, t] of map) {
        const target = this.moments.get(name)![kind];
        if (!sameShape(target.shape, t.shape) || t.data.length !== target.size) {
          throw new DarError('CHECKPOINT_MISMATCH', `optimizer state ${kind}.${name}: expected shape [${target.shape}], got [${t.shape}]`);
        }
      }
    }
    for (const [name, { m, v }] of this.moments) {
      tf.tidy(() => {
        m.assign(tf.tensor(state.m.get(name)!.data, m.shape));
        v.assign(tf.tensor(state.v.get(name)!.data, v.shape));
      });
    }
    this.t = state.step;
  }

  /** Frees the moment variables (the parameters belong to their store). */
  dispose(): void {
    for (const { m, v } of this.moments.values()) tf.dispose([m, v]);
    this.moments.clear();
  }
}

/** The main optimizer: AdamW with the spec's betas and eps. */
export function createAdamW(params: Map<string, tf.Variable>, lr: number, weightDecay: number): Adam {
  return new Adam(params, { lr, weightDecay });
}

/** The CLUB optimizer: plain Adam. */
export function createAdam(params: Map<string, tf.Variable>, lr: number): Adam {
  return new Adam(params, { lr });
}

/**
 * Scales gradients so their global L2 norm is at most maxNorm (PyTorch's clip_grad_norm_:
 * coefficient maxNorm / (norm + 1e-6) when norm > maxNorm). Returns new tensors (the caller
 * disposes them and the inputs) and the norm before clipping; a non-finite norm leaves the
 * gradients unscaled, so the caller should check it and skip the step.
 */
export async function clipByGlobalNorm(grads: Map<string, tf.Tensor>, maxNorm: number): Promise<{ grads: Map<string, tf.Tensor>; norm: number }> {
  const list = [...grads.entries()];
  if (list.length === 0) return { grads: new Map(), norm: 0 };
  const normT = tf.tidy(() => tf.sqrt(tf.addN(list.map(([, g]) => tf.sum(tf.square(g))))));
  let norm: number;
  try {
    norm = (await normT.data())[0];
  } finally {
    normT.dispose();
  }
  const coef = norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
  // Inside tidy: a JS number operand becomes a scalar tensor that would otherwise leak.
  const clipped = tf.tidy(() => list.map(([, g]) => (coef === 1 ? tf.clone(g) : tf.mul(g, coef))));
  return { grads: new Map(list.map(([name], i) => [name, clipped[i]])), norm };
}
