/**
 * Gradients of the tfjs kernels the model and losses put on the tape. The Node bundle of
 * @tensorflow/tfjs-core registers no gradients at all (only the union package's bundle does, and
 * the ESM dist cannot be imported by Node), so these follow tfjs' own gradient configs, with
 * BatchMatMul's gradient using explicit transposes (transposeA/B matMuls are slow on WASM).
 * A kernel that already has a gradient (e.g. tfjs' full set loaded by a bundler) is left alone.
 */
import * as tf from '@tensorflow/tfjs-core';
import { mm } from './kernels';

type Grads = Record<string, () => tf.Tensor>;
type Attrs = Record<string, unknown>;

/** Swaps the last two axes of a tensor of rank >= 2. */
function swapLast(x: tf.Tensor): tf.Tensor {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return tf.transpose(x, perm);
}

/** Sums a broadcast gradient back to the operand's shape. */
function unbroadcast(g: tf.Tensor, shape: number[], outShape: number[]): tf.Tensor {
  const axes = tf.broadcast_util.getReductionAxes(shape, outShape);
  return tf.reshape(axes.length ? tf.sum(g, axes) : g, shape);
}

/** Gradient of a reduction over `axis` of x: dy broadcast back over the reduced axes, scaled. */
function reduceGrad(dy: tf.Tensor, x: tf.Tensor, axis: unknown, scaleByCount: boolean): tf.Tensor {
  const axes = tf.util.parseAxisParam(axis as number | number[], x.shape);
  const expanded = x.shape.slice();
  for (const a of axes) expanded[a] = 1;
  // Tile (broadcastTo) is slow on WASM; a broadcasting multiply is not.
  const g = tf.mul(tf.reshape(dy, expanded), tf.fill(x.shape, 1));
  const count = axes.reduce((n, a) => n * x.shape[a], 1);
  return scaleByCount ? tf.div(g, count) : g;
}

type BinaryGrad = (dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

function binary(name: string, fa: BinaryGrad, fb: BinaryGrad): tf.GradConfig {
  return {
    kernelName: name,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b]) => {
      const out = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
      const d = dy as tf.Tensor;
      return {
        a: () => unbroadcast(fa(d, a, b), a.shape, out),
        b: () => unbroadcast(fb(d, a, b), b.shape, out),
      } satisfies Grads;
    },
  };
}

function unary(name: string, save: 'x' | 'y' | null, f: (dy: tf.Tensor, s: tf.Tensor) => tf.Tensor, input = 'x'): tf.GradConfig {
  return {
    kernelName: name,
    ...(save === 'x' ? { inputsToSave: [input] } : save === 'y' ? { outputsToSave: [true] } : {}),
    gradFunc: (dy, saved) => ({ [input]: () => f(dy as tf.Tensor, saved[0]) }),
  };
}

/** The engine passes a bare tensor when a multi-output kernel happened to have one output. */
function asList(dy: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  return Array.isArray(dy) ? dy : [dy];
}

function matMulGrad(dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor, ta: boolean, tb: boolean): Grads {
  if (!ta && !tb) return { a: () => mm(dy, swapLast(b)), b: () => mm(swapLast(a), dy) };
  if (!ta && tb) return { a: () => mm(dy, b), b: () => mm(swapLast(dy), a) };
  if (ta && !tb) return { a: () => mm(b, swapLast(dy)), b: () => mm(a, dy) };
  return { a: () => mm(swapLast(b), swapLast(dy)), b: () => mm(swapLast(dy), swapLast(a)) };
}

const configs: tf.GradConfig[] = [
  binary('Add', (dy) => dy, (dy) => dy),
  binary('Sub', (dy) => dy, (dy) => tf.neg(dy)),
  binary('Multiply', (dy, _a, b) => tf.mul(dy, b), (dy, a) => tf.mul(dy, a)),
  binary('RealDiv', (dy, _a, b) => tf.div(dy, b), (dy, a, b) => tf.neg(tf.div(tf.mul(dy, a), tf.square(b)))),
  unary('Abs', 'x', (dy, x) => tf.mul(dy, tf.sign(x))),
  unary('Neg', null, (dy) => tf.neg(dy)),
  unary('Exp', 'y', (dy, y) => tf.mul(dy, y)),
  unary('Log', 'x', (dy, x) => tf.div(dy, x)),
  unary('Sqrt', 'y', (dy, y) => tf.div(dy, tf.mul(y, 2))),
  unary('Rsqrt', 'x', (dy, x) => tf.neg(tf.div(dy, tf.mul(tf.pow(x, 1.5), 2)))),
  unary('Square', 'x', (dy, x) => tf.mul(dy, tf.mul(x, 2))),
  unary('Sigmoid', 'y', (dy, y) => tf.mul(dy, tf.mul(y, tf.sub(1, y)))),
  unary('Tanh', 'y', (dy, y) => tf.mul(dy, tf.sub(1, tf.square(y)))),
  unary('Erf', 'x', (dy, x) => tf.mul(dy, tf.mul(tf.exp(tf.neg(tf.square(x))), 2 / Math.sqrt(Math.PI)))),
  unary('Identity', null, (dy) => tf.clone(dy)),
  unary('Cast', null, (dy) => tf.clone(dy)),
  unary('Reshape', 'x', (dy, x) => tf.reshape(dy, x.shape)),
  unary('Softmax', 'y', (dy, y) => {
    const dyy = tf.mul(dy, y);
    return tf.sub(dyy, tf.mul(tf.sum(dyy, -1, true), y));
  }, 'logits'),
  {
    kernelName: 'AddN',
    saveAllInputs: true,
    gradFunc: (dy, saved) => Object.fromEntries(saved.map((_, i) => [i, () => tf.clone(dy as tf.Tensor)])),
  },
  {
    kernelName: 'BatchMatMul',
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, [a, b], attrs) => matMulGrad(dy as tf.Tensor, a, b, Boolean(attrs.transposeA), Boolean(attrs.transposeB)),
  },
  {
    kernelName: 'Sum',
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => ({ x: () => reduceGrad(dy as tf.Tensor, x, (attrs as Attrs).axis, false) }),
  },
  {
    kernelName: 'Mean',
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => ({ x: () => reduceGrad(dy as tf.Tensor, x, (attrs as Attrs).axis, true) }),
  },
  {
    kernelName: 'Transpose',
    gradFunc: (dy, _s, attrs) => ({ x: () => tf.transpose(dy as tf.Tensor, tf.backend_util.getUndoAxesPermutation(attrs.perm as number[])) }),
  },
  {
    kernelName: 'Concat',
    saveAllInputs: true,
    gradFunc: (dy, saved, attrs) => {
      const axis = tf.util.parseAxisParam(attrs.axis as number, saved[0].shape)[0];
      const parts = tf.split(dy as tf.Tensor, saved.map((t) => t.shape[axis]), axis);
      return Object.fromEntries(parts.map((p, i) => [i, () => p]));
    },
  },
  {
    kernelName: 'SplitV',
    gradFunc: (dy, _s, attrs) => ({ x: () => tf.concat(asList(dy), attrs.axis as number) }),
  },
  {
    kernelName: 'Pack',
    saveAllInputs: true,
    gradFunc: (dy, _s, attrs) => Object.fromEntries(tf.unstack(dy as tf.Tensor, attrs.axis as number).map((p, i) => [i, () => p])),
  },
  {
    kernelName: 'Unpack',
    gradFunc: (dy, _s, attrs) => ({ value: () => tf.stack(asList(dy), attrs.axis as number) }),
  },
  {
    kernelName: 'Slice',
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => {
      const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin as number[], attrs.size as number[]);
      const pads = x.shape.map((n, i) => [begin[i], n - begin[i] - size[i]] as [number, number]);
      return { x: () => tf.pad(dy as tf.Tensor, pads) };
    },
  },
  {
    kernelName: 'PadV2',
    inputsToSave: ['x'],
    gradFunc: (dy, [x], attrs) => ({ x: () => tf.slice(dy as tf.Tensor, (attrs.paddings as [number, number][]).map((p) => p[0]), x.shape) }),
  },
];

/** Registers the gradients above for kernels that have none yet; idempotent. */
export function registerModelGradients(): void {
  for (const c of configs) if (!tf.getGradient(c.kernelName)) tf.registerGradient(c);
}
